/* compress.c — the streamed outputs of the archive: plain, gzip, xz and lz4, to a file or to memory.
 * zstd images are not a stream: zframes.c cuts them into frames (some cached, framecache.c).
 *
 * What the kernel can unpack: Debian's 6.1 kernel has CONFIG_RD_GZIP, CONFIG_RD_ZSTD, CONFIG_RD_XZ and
 * CONFIG_RD_LZ4. The gzip decoder wants a plain gzip member: zlib's gzip wrapper writes mtime 0 and no
 * file name, so the output is deterministic.
 *
 * zstd defaults to level 19: once its frames are cached (framecache.c) a rebuild costs what -z none
 * does, and 19 is about 9 % smaller than 9 with the same decoding speed at boot; gzip stays at 6 (9 gains
 * 1 % for 10x the time). The measurements behind both: bench/README.md, "Compression levels".
 *
 * The kernel's xz decoder (lib/xz) knows only the CRC32 and "none" checks and only the LZMA2 filter
 * (plus BCJ ones), so the stream is LZMA2 with a CRC32 check, preset 6 but a 1 MiB dictionary, exactly
 * what the kernel's own usr/Makefile asks of xz(1) for a built-in initramfs. The kernel's lz4
 * decoder (lib/decompress_unlz4.c) reads only the *legacy* format (what `lz4 -l` writes): the magic
 * 0x184C2102, then blocks of at most 8 MiB of input, each a 32-bit little-endian compressed size and an
 * LZ4 block; no frame header, no checksum. Blocks are compressed with LZ4HC level 9.
 */
#include "compress.h"

#include <errno.h>
#include <lz4.h>
#include <lz4hc.h>
#include <lzma.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "util.h"

#ifndef GZIP_LEVEL
#define GZIP_LEVEL 6
#endif
#define STAGE_SIZE (256 * 1024)
#define XZ_DICT (1u << 20)
#define LZ4_LEVEL 9
#define LZ4_LEGACY_MAGIC 0x184C2102u
#define LZ4_BLOCK (8u << 20) /* the legacy format's block size: the decoder allocates this much */

struct sink {
	enum compression c;
	int fd;
	struct buf *mem; /* instead of fd: sink_open_mem() */
	const char *path;
	uint64_t in, out;
	/* Input is staged so that the writer's many small header writes reach the compressor (or the
	 * file) in large pieces; compressed output goes through obuf. */
	unsigned char stage[STAGE_SIZE];
	size_t staged;
	unsigned char obuf[STAGE_SIZE];
	z_stream z;
	lzma_stream xz;
	char *lz4_in, *lz4_out; /* one legacy block of input, its compressed form */
	size_t lz4_len;
};

int compression_parse(const char *name, enum compression *c, int *level)
{
	*level = ZSTD_LEVEL_DEFAULT;
	if (strncmp(name, "zstd:", 5) == 0) {
		/* zstd:N, 1..19: the levels without "ultra" windows, which the kernel may refuse. */
		const char *l = name + 5;
		char *end;
		errno = 0;
		long v = strtol(l, &end, 10);
		if (*l < '0' || *l > '9' || *end || errno || v < 1 || v > ZSTD_LEVEL_MAX)
			return -2;
		*c = COMPRESS_ZSTD;
		*level = (int)v;
	} else if (strcmp(name, "none") == 0)
		*c = COMPRESS_NONE;
	else if (strcmp(name, "gzip") == 0)
		*c = COMPRESS_GZIP;
	else if (strcmp(name, "zstd") == 0)
		*c = COMPRESS_ZSTD;
	else if (strcmp(name, "xz") == 0)
		*c = COMPRESS_XZ;
	else if (strcmp(name, "lz4") == 0)
		*c = COMPRESS_LZ4;
	else
		return -1;
	return 0;
}

const char *compression_name(enum compression c)
{
	switch (c) {
	case COMPRESS_GZIP: return "gzip";
	case COMPRESS_ZSTD: return "zstd";
	case COMPRESS_XZ: return "xz";
	case COMPRESS_LZ4: return "lz4";
	default: return "uncompressed";
	}
}

static int write_all(struct sink *s, const void *data, size_t len)
{
	if (s->mem) {
		buf_append(s->mem, data, len);
		s->out += len;
		return 0;
	}
	if (write_full(s->fd, data, len) < 0) {
		errorf("cannot write %s: %s", s->path, strerror(errno));
		return -1;
	}
	s->out += len;
	return 0;
}

struct sink *sink_open_mem(struct buf *b)
{
	struct sink *s = sink_open(COMPRESS_NONE, -1, "memory");
	s->mem = b;
	return s;
}

struct sink *sink_open(enum compression c, int fd, const char *path)
{
	struct sink *s = xzalloc(sizeof(*s)); /* not memset: a memory sink never touches its 512 KiB of buffers */
	s->c = c;
	s->fd = fd;
	s->path = path;
	if (c == COMPRESS_GZIP) {
		/* 16 + 15: gzip wrapper, 32 KiB window; memLevel 8 is zlib's default. */
		if (deflateInit2(&s->z, GZIP_LEVEL, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
			goto fail;
	} else if (c == COMPRESS_ZSTD) {
		goto fail; /* written as frames, by zframes.c */
	} else if (c == COMPRESS_XZ) {
		lzma_options_lzma opt;
		if (lzma_lzma_preset(&opt, 6))
			goto fail;
		opt.dict_size = XZ_DICT;
		lzma_filter filters[] = { { LZMA_FILTER_LZMA2, &opt }, { LZMA_VLI_UNKNOWN, NULL } };
		s->xz = (lzma_stream)LZMA_STREAM_INIT;
		if (lzma_stream_encoder(&s->xz, filters, LZMA_CHECK_CRC32) != LZMA_OK)
			goto fail;
	} else if (c == COMPRESS_LZ4) {
		s->lz4_in = xmalloc(LZ4_BLOCK);
		s->lz4_out = xmalloc((size_t)LZ4_compressBound(LZ4_BLOCK));
		static const unsigned char magic[4] = { 0x02, 0x21, 0x4c, 0x18 };
		if (write_all(s, magic, sizeof(magic)) < 0) {
			sink_free(s);
			return NULL;
		}
	}
	return s;
fail:
	errorf("cannot start %s compression", compression_name(c));
	sink_free(s);
	return NULL;
}

/* Compress one legacy block: [size][LZ4 block]. */
static int lz4_block(struct sink *s)
{
	int n = LZ4_compress_HC(s->lz4_in, s->lz4_out, (int)s->lz4_len, LZ4_compressBound(LZ4_BLOCK), LZ4_LEVEL);
	if (n <= 0) {
		errorf("lz4 compression failed for %s", s->path);
		return -1;
	}
	unsigned char size[4] = { (unsigned char)n, (unsigned char)(n >> 8), (unsigned char)(n >> 16),
				  (unsigned char)((unsigned)n >> 24) };
	s->lz4_len = 0;
	return write_all(s, size, 4) < 0 || write_all(s, s->lz4_out, (size_t)n) < 0 ? -1 : 0;
}

/* Compress (or write) the staged bytes; end finishes the compressed stream. */
static int drain(struct sink *s, int end)
{
	if (s->c == COMPRESS_LZ4) {
		size_t off = 0;
		while (off < s->staged) {
			size_t n = LZ4_BLOCK - s->lz4_len;
			if (n > s->staged - off)
				n = s->staged - off;
			memcpy(s->lz4_in + s->lz4_len, s->stage + off, n);
			s->lz4_len += n;
			off += n;
			if (s->lz4_len == LZ4_BLOCK && lz4_block(s) < 0)
				return -1;
		}
		s->staged = 0;
		return end && s->lz4_len ? lz4_block(s) : 0;
	}
	if (s->c == COMPRESS_XZ) {
		s->xz.next_in = s->stage;
		s->xz.avail_in = s->staged;
		lzma_ret ret;
		do {
			s->xz.next_out = s->obuf;
			s->xz.avail_out = sizeof(s->obuf);
			ret = lzma_code(&s->xz, end ? LZMA_FINISH : LZMA_RUN);
			if (ret != LZMA_OK && ret != LZMA_STREAM_END)
				goto fail;
			if (write_all(s, s->obuf, sizeof(s->obuf) - s->xz.avail_out) < 0)
				return -1;
		} while (s->xz.avail_in > 0 || (end && ret != LZMA_STREAM_END));
		s->staged = 0;
		return 0;
	}
	if (s->c == COMPRESS_NONE || s->mem) {
		int rc = write_all(s, s->stage, s->staged);
		s->staged = 0;
		return rc;
	}
	/* gzip */
	s->z.next_in = s->stage;
	s->z.avail_in = (uInt)s->staged;
	int ret;
	do {
		s->z.next_out = s->obuf;
		s->z.avail_out = sizeof(s->obuf);
		ret = deflate(&s->z, end ? Z_FINISH : Z_NO_FLUSH);
		if (ret == Z_STREAM_ERROR)
			goto fail;
		if (write_all(s, s->obuf, sizeof(s->obuf) - s->z.avail_out) < 0)
			return -1;
	} while (s->z.avail_out == 0 || (end && ret != Z_STREAM_END));
	s->staged = 0;
	return 0;
fail:
	errorf("%s compression failed for %s", compression_name(s->c), s->path);
	return -1;
}

int sink_write(struct sink *s, const void *data, size_t len)
{
	const unsigned char *p = data;
	s->in += len;
	if (s->mem)
		return write_all(s, data, len);
	/* Plain output in large pieces (a cached zstd frame): to the file as it is, not through stage. */
	if (s->c == COMPRESS_NONE && len >= sizeof(s->stage))
		return drain(s, 0) < 0 ? -1 : write_all(s, data, len);
	while (len > 0) {
		size_t n = sizeof(s->stage) - s->staged;
		if (n > len)
			n = len;
		memcpy(s->stage + s->staged, p, n);
		s->staged += n;
		p += n;
		len -= n;
		if (s->staged == sizeof(s->stage) && drain(s, 0) < 0)
			return -1;
	}
	return 0;
}

void *sink_space(struct sink *s, size_t want, size_t *room)
{
	if (s->mem) {
		buf_reserve(s->mem, want ? want : 1);
		*room = s->mem->cap - s->mem->len;
		return s->mem->data + s->mem->len;
	}
	*room = sizeof(s->stage) - s->staged; /* never 0: a full stage is drained at once */
	return s->stage + s->staged;
}

int sink_commit(struct sink *s, size_t n)
{
	s->in += n;
	if (s->mem) {
		s->mem->len += n;
		s->out += n;
		return 0;
	}
	s->staged += n;
	return s->staged == sizeof(s->stage) ? drain(s, 0) : 0;
}

int sink_finish(struct sink *s)
{
	return drain(s, 1);
}

uint64_t sink_bytes_in(const struct sink *s)
{
	return s->in;
}

uint64_t sink_bytes_out(const struct sink *s)
{
	return s->out;
}

void sink_free(struct sink *s)
{
	if (!s)
		return;
	if (s->c == COMPRESS_GZIP)
		deflateEnd(&s->z);
	if (s->c == COMPRESS_XZ)
		lzma_end(&s->xz);
	free(s->lz4_in);
	free(s->lz4_out);
	free(s);
}
