/* zframes.c — a zstd image as several frames (zframes.h).
 *
 * The kernel unpacks frame after frame: init/initramfs.c unpack_to_rootfs() hands the rest of the image
 * to the decompressor, lib/decompress_unzstd.c decodes exactly one frame and says how many bytes it
 * took, and the loop goes on with the next magic. After each frame the cpio parser must be between
 * records ("junk at the end of compressed archive" otherwise), so a frame holds whole records; records
 * are 4-aligned and their bytes do not depend on their position (cpio.h; inode numbers come from the
 * path), which is what lets a frame be reused in another image.
 *
 * Every frame: single-threaded (the output does not depend on the machine's cores, nor on whether
 * libzstd has threads), a content checksum (the kernel checks it), the content size in the header so
 * that the window is no larger than the frame (the kernel allocates one per frame), levels <= 19 only.
 * Splitting costs little: the modules are compressed solid, as one frame, and small files compress
 * poorly on their own anyway. */
#include "zframes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "cpio.h"
#include "util.h"

#define BIG_FILE (16 * 1024) /* a file this large gets a cached frame of its own */

enum kind { SMALL, MODULES, BIG };

/* The kind of each entry. A module run is a maximal run of entries under lib/modules/KVER/ that are
 * directories or .ko files, with at least one .ko: depmod's files or anything else there that may
 * differ between images with the same modules ends it, so the run's frame stays the same. */
static void classify(const struct image *img, const char *kver, enum kind *kind)
{
	char *prefix = xasprintf("lib/modules/%s/", kver);
	size_t plen = strlen(prefix);
	for (size_t i = 0; i < img->n;) {
		const struct entry *e = &img->v[i];
		size_t j = i, nko = 0;
		while (j < img->n && strncmp(img->v[j].path, prefix, plen) == 0 &&
		       (img->v[j].kind == ENTRY_DIR || (img->v[j].kind == ENTRY_FILE && ends_with(img->v[j].path, ".ko")))) {
			nko += img->v[j].kind == ENTRY_FILE;
			j++;
		}
		if (nko) {
			for (; i < j; i++)
				kind[i] = MODULES;
			continue;
		}
		kind[i] = e->kind == ENTRY_FILE && e->size >= BIG_FILE ? BIG : SMALL;
		i++;
	}
	free(prefix);
}

/* The end of the frame that starts at entry i: a big file alone, else the run of entries of its kind. */
static size_t frame_end(const enum kind *kind, size_t n, size_t i)
{
	size_t j = i + 1;
	if (kind[i] != BIG)
		while (j < n && kind[j] == kind[i])
			j++;
	return j;
}

struct writer {
	const struct image *img;
	uint32_t mtime;
	int level;
	char params[64]; /* the settings, as the cache key names them */
	struct framecache *fc;
	bool verbose;
	struct sink *out;
	struct sink *mem; /* appends to raw */
	ZSTD_CCtx *cctx;
	struct buf raw, frame;
	uint64_t pos; /* archive bytes so far */
	size_t nframes, hits, compressed;
};

static int compress_frame(struct writer *w)
{
	w->frame.len = 0;
	buf_reserve_big(&w->frame, ZSTD_compressBound(w->raw.len));
	/* compress2 knows the source size: it goes into the header and bounds the window. */
	size_t n = ZSTD_compress2(w->cctx, w->frame.data, w->frame.cap, w->raw.data, w->raw.len);
	if (ZSTD_isError(n)) {
		errorf("zstd compression failed: %s", ZSTD_getErrorName(n));
		return -1;
	}
	w->frame.len = n;
	w->compressed++;
	return 0;
}

/* The records of entries [from, to), and the trailer if asked, into raw (sized by zframes_write()). */
static int write_raw(struct writer *w, size_t from, size_t to, bool trailer)
{
	w->raw.len = 0;
	if (cpio_write_entries(w->img, from, to, w->mtime, w->mem) < 0 ||
	    (trailer && cpio_write_trailer(w->pos + w->raw.len, w->mem) < 0))
		return -1;
	return 0;
}

/* Entries [from, to), and the trailer if asked: into raw, then compressed or from the cache, out. */
static int write_frame(struct writer *w, size_t from, size_t to, bool cached, bool trailer)
{
	if (write_raw(w, from, to, trailer) < 0)
		return -1;
	w->nframes++;
	const char *how = "compressed";
	unsigned char key[FRAMECACHE_KEY_LEN];
	if (cached && framecache_enabled(w->fc) && framecache_key(w->fc, w->params, w->raw.data, w->raw.len, key) == 0) {
		int got = framecache_get(w->fc, key, w->raw.data, w->raw.len, &w->frame);
		if (got == 1) {
			w->hits++;
			how = "from the cache";
		} else {
			if (compress_frame(w) < 0)
				return -1;
			framecache_put(w->fc, key, w->frame.data, w->frame.len);
			how = got < 0 ? "compressed, cache entry replaced" : "compressed, cached";
		}
	} else if (compress_frame(w) < 0) {
		return -1;
	}
	if (w->verbose && cached)
		printf(PROG ": zstd frame of %zu entr%s from /%s: %zu → %zu bytes, %s\n", to - from,
		       to - from == 1 ? "y" : "ies", w->img->v[from].path, w->raw.len, w->frame.len, how);
	w->pos += w->raw.len;
	return sink_write(w->out, w->frame.data, w->frame.len);
}

int zframes_write(const struct image *img, uint32_t mtime, const char *kver, int level, struct framecache *fc,
		  bool verbose, struct sink *out, uint64_t *cpio_bytes)
{
	struct writer w = { .img = img, .mtime = mtime, .level = level, .fc = fc, .verbose = verbose, .out = out };
	w.mem = sink_open_mem(&w.raw);
	snprintf(w.params, sizeof(w.params), "level=%d checksum=1 contentsize=1 threads=0", level);
	w.cctx = ZSTD_createCCtx();
	if (!w.cctx || ZSTD_isError(ZSTD_CCtx_setParameter(w.cctx, ZSTD_c_compressionLevel, level)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(w.cctx, ZSTD_c_checksumFlag, 1)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(w.cctx, ZSTD_c_contentSizeFlag, 1)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(w.cctx, ZSTD_c_nbWorkers, 0))) {
		errorf("cannot start zstd compression at level %d", level);
		ZSTD_freeCCtx(w.cctx);
		sink_free(w.mem);
		return -1;
	}
	enum kind *kind = xmalloc((img->n + 1) * sizeof(*kind));
	classify(img, kver, kind);
	/* raw sized once for the largest frame (the modules, a few MiB), rather than grown and copied, and
	 * reused for every frame. */
	uint64_t largest = 0;
	for (size_t i = 0, j; i < img->n; i = j) {
		uint64_t size = 0;
		for (j = frame_end(kind, img->n, i); i < j; i++)
			size += cpio_entry_size(&img->v[i]);
		if (size > largest)
			largest = size;
	}
	buf_reserve_big(&w.raw, largest + 512 + 128); /* and the trailer with the padding, at most */
	int rc = 0;
	for (size_t i = 0, j; rc == 0 && i < img->n; i = j) {
		j = frame_end(kind, img->n, i);
		/* The trailer joins the last frame when that one is compressed at every build anyway. */
		rc = write_frame(&w, i, j, kind[i] != SMALL, j == img->n && kind[i] == SMALL);
	}
	if (rc == 0 && (img->n == 0 || kind[img->n - 1] != SMALL))
		rc = write_frame(&w, img->n, img->n, false, true);
	if (rc == 0 && verbose)
		printf(PROG ": zstd level %d, %zu frames: %zu from the cache, %zu compressed%s\n", level, w.nframes, w.hits,
		       w.compressed, framecache_enabled(fc) ? "" : " (no frame cache)");
	*cpio_bytes = w.pos;
	free(kind);
	buf_free(&w.raw);
	buf_free(&w.frame);
	ZSTD_freeCCtx(w.cctx);
	sink_free(w.mem);
	return rc;
}
