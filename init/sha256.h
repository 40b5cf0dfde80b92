/* sha256.h — SHA-256 (FIPS 180-4), small and portable, for checking a live image before it is used
 * (rd.live.check). Byte-order independent: right on big-endian machines too. */
#ifndef EARLYROOT_SHA256_H
#define EARLYROOT_SHA256_H
#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32

struct sha256 {
	uint32_t h[8];
	uint64_t bytes;      /* message length so far */
	uint8_t block[64];   /* a partial block waiting for more input */
	size_t fill;
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
/* Pads, writes the digest; S must be initialised again before reuse. */
void sha256_final(struct sha256 *s, uint8_t digest[SHA256_DIGEST_SIZE]);

/* The digest of everything FD reads from its current offset to the end, in large reads. PROGRESS (may
 * be NULL) is called with the bytes done about every 8 MiB and once at the end. 0 done, -1 with errno
 * set (a read error, or ENOMEM for the read buffer). */
int sha256_fd(int fd, uint8_t digest[SHA256_DIGEST_SIZE], void (*progress)(void *ctx, uint64_t done), void *ctx);

#endif
