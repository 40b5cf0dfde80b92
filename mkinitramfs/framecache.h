/* framecache.h — a content-addressed cache of compressed zstd frames, so that a frame whose records did
 * not change (the kernel modules, /init, busybox) is compressed once at a high level and reused.
 *
 * An entry is DIR/KEY.zst, KEY the SHA-256 of a format tag, libzstd's version, the compression
 * parameters and the frame's uncompressed bytes. A hit is used only after it decompresses to exactly
 * those bytes (compared byte for byte); the cache never changes what the image contains, only how fast
 * it is written.
 *
 * The cache is bounded: a hit touches its entry (mtime), and after a build that stored frames the
 * least recently used entries are removed until the rest fit under the cap. */
#ifndef MKINITRAMFS_FRAMECACHE_H
#define MKINITRAMFS_FRAMECACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define FRAMECACHE_KEY_LEN 32

struct framecache;

/* On by default, capped at the frames of about four generic images: a rebuild for the same kernel stays
 * warm, a new kernel's frames push out the least recently used (bench/README.md, "The frame cache"). */
#define FRAMECACHE_MAX_DEFAULT ((uint64_t)64 << 20)

/* dir: --cache-dir, or NULL for ${EARLYROOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/earlyroot}/zstd-frames
 * (created); max: the cap on the entries' total size in bytes (> 0). Never fails: a directory that
 * cannot be created or written gives a disabled cache, said in one line when verbose. */
struct framecache *framecache_open(const char *dir, uint64_t max, bool verbose);
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

/* After the image is written: if this build stored a frame and the entries now add up to more than the
 * cap, remove the least recently used (oldest mtime) until they fit, and temporary files that crashed
 * builds left (over an hour old). Races with other builds are harmless: an entry removed under a
 * reader is still read whole through its open descriptor, one removed before the open is a miss.
 * Says what it removed when verbose; never an error. */
void framecache_prune(struct framecache *fc);

#endif
