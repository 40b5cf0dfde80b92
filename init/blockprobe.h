/* blockprobe.h — the init's own small filesystem superblock probes: type, UUID and label the way
 * `blkid -p` reports them, without libblkid in the static init. Also UTF-16 text for partitions.c;
 * the other helpers the probes share (bounded reads, CRC32, UUIDs) and struct fs_id are in
 * blockprobe_util.h. Nothing here allocates memory. */
#ifndef EARLYROOT_BLOCKPROBE_H
#define EARLYROOT_BLOCKPROBE_H
#include "blockprobe_util.h"

/* 1: a filesystem was recognised (ID filled), 0: none, -1: read error. Never reads outside [0, size). */
int fs_probe(probe_read_fn rd, void *ctx, uint64_t size, struct fs_id *id);

/* fs_probe() on the device or image file PATH; its size in *SIZE (if not NULL). The same returns, and
 * -1 when PATH cannot be opened. */
int fs_probe_path(const char *path, struct fs_id *id, uint64_t *size);

/* convenience for a file descriptor (pread); ctx = pointer to int fd */
ssize_t probe_read_fd(void *ctx, void *buf, size_t len, uint64_t off);

/* Little-endian UTF-16 (at most INLEN bytes, stopping at a NUL) to NUL-terminated UTF-8 in OUT,
 * truncated at a character boundary; unpaired surrogates become U+FFFD. */
void probe_utf16le_to_utf8(char *out, size_t outsize, const uint8_t *in, size_t inlen);

#endif
