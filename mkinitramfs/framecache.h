/* framecache.h — a content-addressed cache of compressed zstd frames, so that a frame whose records did
 * not change (the kernel modules, /init, busybox) is compressed once at a high level and reused.
 *
 * An entry is DIR/KEY.zst, KEY the SHA-256 of a format tag, libzstd's version, the compression
 * parameters and the frame's uncompressed bytes. A hit is used only after it decompresses to exactly
 * those bytes (compared byte for byte); the cache never changes what the image contains, only how fast
 * it is written. */
#ifndef MKINITRAMFS_FRAMECACHE_H
#define MKINITRAMFS_FRAMECACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

#define FRAMECACHE_KEY_LEN 32

struct framecache;

/* dir: --cache-dir, or NULL for ${EARLYROOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/earlyroot}/zstd-frames
 * (created). Never fails: a directory that cannot be created or written gives a disabled cache, said
 * in one line when verbose. */
struct framecache *framecache_open(const char *dir, bool verbose);
/* --no-cache: a cache that never hits and stores nothing. */
struct framecache *framecache_disabled(void);
bool framecache_enabled(const struct framecache *fc);
void framecache_free(struct framecache *fc);

/* The key of raw[0..len) compressed with params (a text naming the level and every setting); -1 if
 * libcrypto fails (then do without the cache for this frame). */
int framecache_key(const struct framecache *fc, const char *params, const void *raw, size_t len,
		   unsigned char key[FRAMECACHE_KEY_LEN]);

/* Look up the frame of raw[0..len), whose key is key. 1: the cached frame is in *frame, checked: it is
 * one zstd frame of this kind and decompresses to exactly raw, byte for byte. 0: no entry. -1: an entry
 * that is not that (truncated, corrupt, a stranger's), said when verbose: compress again and
 * framecache_put() replaces it. raw is only read. */
int framecache_get(struct framecache *fc, const unsigned char key[FRAMECACHE_KEY_LEN], const void *raw, size_t len,
		   struct buf *frame);
/* Store a frame (a temporary file renamed into place, so parallel builds are safe). A failure is not
 * an error: the image is complete without it (said when verbose). */
void framecache_put(struct framecache *fc, const unsigned char key[FRAMECACHE_KEY_LEN], const void *frame,
		    size_t len);

#endif
