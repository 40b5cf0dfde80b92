/* compress.h — the output stream of the archive: plain, gzip (zlib), xz (liblzma) or lz4 (liblz4, legacy
 * format), written to a file descriptor, or plain into memory. The cpio writer feeds it bytes; it never
 * sees the compression. zstd images are written as frames by zframes.h instead. */
#ifndef MKINITRAMFS_COMPRESS_H
#define MKINITRAMFS_COMPRESS_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

enum compression { COMPRESS_NONE, COMPRESS_GZIP, COMPRESS_ZSTD, COMPRESS_XZ, COMPRESS_LZ4 };

/* zstd levels: 19 by default (frames are cached, so it is paid once per content); no "ultra" levels,
 * whose windows the kernel's decoder may refuse. */
#define ZSTD_LEVEL_DEFAULT 19
#define ZSTD_LEVEL_MAX 19

/* "none", "gzip", "zstd", "zstd:N" (N 1..19), "xz", "lz4" -> 0, *c and *level (the default level unless
 * zstd:N); "zstd:" with a bad level -> -2; anything else -> -1 (no message). */
int compression_parse(const char *name, enum compression *c, int *level);
const char *compression_name(enum compression c);

struct sink;

/* Open a stream writing to fd; path names the output in error messages. Not for COMPRESS_ZSTD. */
struct sink *sink_open(enum compression c, int fd, const char *path);
/* A plain stream appending to b (a zstd frame's records, before they are compressed). */
struct sink *sink_open_mem(struct buf *b);
/* Writing without a copy: room for *room bytes (at least 1; want is a hint, a memory sink makes room
 * for all of it) where the caller puts up to that many, then sink_commit(n) of those it put there.
 * A file read straight into the records (cpio.c) is then copied once, not twice. */
void *sink_space(struct sink *s, size_t want, size_t *room);
int sink_commit(struct sink *s, size_t n);
int sink_write(struct sink *s, const void *data, size_t len);
/* End the compressed stream and write out everything; -1 after one error line. */
int sink_finish(struct sink *s);
uint64_t sink_bytes_in(const struct sink *s);
uint64_t sink_bytes_out(const struct sink *s);
void sink_free(struct sink *s);

#endif
