/* compress.h — the output stream of the archive: plain, gzip (zlib), zstd (libzstd), xz (liblzma) or lz4
 * (liblz4, legacy format), written to a
 * file descriptor. The cpio writer feeds it bytes; it never sees the compression. */
#ifndef MKINITRAMFS_COMPRESS_H
#define MKINITRAMFS_COMPRESS_H

#include <stddef.h>
#include <stdint.h>

enum compression { COMPRESS_NONE, COMPRESS_GZIP, COMPRESS_ZSTD, COMPRESS_XZ, COMPRESS_LZ4 };

/* "none", "gzip", "zstd", "xz", "lz4" -> 0 and *c; anything else -> -1 (no message). */
int compression_parse(const char *name, enum compression *c);
const char *compression_name(enum compression c);

struct sink;

/* Open a stream writing to fd; path names the output in error messages. size_hint is the exact number
 * of bytes that will be written (0 if unknown): zstd records it and sizes its window to it. */
struct sink *sink_open(enum compression c, int fd, const char *path, uint64_t size_hint);
int sink_write(struct sink *s, const void *data, size_t len);
/* End the compressed stream and write out everything; -1 after one error line. */
int sink_finish(struct sink *s);
uint64_t sink_bytes_in(const struct sink *s);
uint64_t sink_bytes_out(const struct sink *s);
void sink_free(struct sink *s);

#endif
