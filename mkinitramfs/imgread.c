/* imgread.c — parse an initramfs image as the kernel does (init/initramfs.c, unpack_to_rootfs()):
 * at the top level, zero bytes are skipped, "0707" starts an uncompressed newc archive, any other byte
 * must start a compressed stream recognised by its magic; a compressed stream's contents are again
 * newc archives separated by zero padding. An archive must start 4-aligned ("broken padding").
 * Everything is held in memory: images are tens of MiB at most, and extracting only after the whole
 * image checked out means a bad image never leaves half a tree behind. */
#include "imgread.h"

#include <errno.h>
#include <lz4.h>
#include <lzma.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>
#include <zstd.h>

#include "util.h"

#define HEADER_SIZE 110
#define LZ4_LEGACY_MAGIC 0x184C2102u
#define LZ4_LEGACY_BLOCK (8u << 20) /* the legacy format's fixed uncompressed block size */
/* A few bytes of zstd or xz can claim gigabytes: a hostile image must not exhaust the host's memory.
 * A real initramfs unpacks to a few hundred MiB at most (it has to fit in the RAM it boots on); the
 * fuzz build sets a smaller bound so that one input stays within libFuzzer's memory limit. */
#ifndef IMGREAD_MAX_BYTES
#define IMGREAD_MAX_BYTES (4ull << 30)
#endif

struct reader {
	const char *path;
	struct rimage *img;
	unsigned segment;
	unsigned archive; /* counts trailers: the kernel forgets hard links at each */
};

static uint64_t align4(uint64_t n)
{
	return (n + 3) & ~(uint64_t)3;
}

static void keep_buf(struct rimage *img, unsigned char *b)
{
	if (img->nbufs == img->bufcap) {
		img->bufcap = img->bufcap ? img->bufcap * 2 : 4;
		img->bufs = xrealloc(img->bufs, img->bufcap * sizeof(*img->bufs));
	}
	img->bufs[img->nbufs++] = b;
}

static int hex8(const unsigned char *p, uint32_t *v)
{
	uint32_t x = 0;
	for (int i = 0; i < 8; i++) {
		int c = p[i], d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		x = x << 4 | (uint32_t)d;
	}
	*v = x;
	return 0;
}

/* Parse newc archives in p[0..len) (base: p's offset in the image, for messages; absent for a
 * decompressed segment, where offsets are into the decompressed data). Zero padding between and after
 * archives is skipped. */
static int parse_archives(struct reader *r, const unsigned char *p, size_t len, uint64_t base, bool compressed)
{
	const char *where = compressed ? "decompressed offset" : "offset";
	size_t pos = 0;
	struct rsegment *seg = &r->img->seg[r->img->nseg - 1];
	while (pos < len) {
		if (p[pos] == 0) {
			pos++;
			continue;
		}
		if ((base + pos) & 3) {
			errorf("%s: broken padding before the archive at %s %llu", r->path, where,
			       (unsigned long long)(base + pos));
			return -1;
		}
		/* One archive, up to its trailer, or up to the end of the segment between two records: the
		 * kernel takes that (its parser is then between records), and the next segment goes on with
		 * the same archive, as the frames of a zstd image do. */
		while (pos < len) {
			if (len - pos < HEADER_SIZE) {
				errorf("%s: truncated cpio header at %s %llu", r->path, where, (unsigned long long)(base + pos));
				return -1;
			}
			const unsigned char *h = p + pos;
			if (memcmp(h, "070701", 6) != 0 && memcmp(h, "070702", 6) != 0) {
				errorf("%s: not a newc cpio header at %s %llu", r->path, where, (unsigned long long)(base + pos));
				return -1;
			}
			uint32_t f[13];
			for (int i = 0; i < 13; i++) {
				if (hex8(h + 6 + 8 * i, &f[i]) < 0) {
					errorf("%s: bad cpio header at %s %llu", r->path, where, (unsigned long long)(base + pos));
					return -1;
				}
			}
			uint32_t namesize = f[11], size = f[6];
			uint64_t namepad = align4(HEADER_SIZE + (uint64_t)namesize);
			if (namesize == 0 || namepad > len - pos || align4(size) > len - pos - namepad) {
				errorf("%s: truncated cpio entry at %s %llu", r->path, where, (unsigned long long)(base + pos));
				return -1;
			}
			const char *name = (const char *)h + HEADER_SIZE;
			if (name[namesize - 1] != '\0' || strlen(name) != namesize - 1) {
				errorf("%s: bad file name in the cpio entry at %s %llu", r->path, where,
				       (unsigned long long)(base + pos));
				return -1;
			}
			const unsigned char *data = h + namepad;
			pos += namepad + align4(size);
			if (strcmp(name, "TRAILER!!!") == 0) {
				r->archive++;
				break;
			}
			if (S_ISLNK(f[1]) && (size == 0 || memchr(data, 0, size))) {
				errorf("%s: bad symlink target for %s", r->path, name);
				return -1;
			}
			struct rimage *img = r->img;
			if (img->n == img->cap) {
				img->cap = img->cap ? img->cap * 2 : 256;
				img->v = xrealloc(img->v, img->cap * sizeof(*img->v));
			}
			img->v[img->n++] = (struct rentry){
				.name = name, .ino = f[0], .mode = f[1], .uid = f[2], .gid = f[3], .nlink = f[4],
				.mtime = f[5], .size = size, .devmajor = f[7], .devminor = f[8], .rmajor = f[9],
				.rminor = f[10], .data = data, .segment = r->segment, .archive = r->archive,
			};
			seg->nentries++;
		}
	}
	return 0;
}

/* Each decoder decompresses one stream starting at in, sets *used to the compressed bytes it took,
 * and appends to out; -1 (no message) if the data is corrupt or ends early. */
static int unpack_gzip(const unsigned char *in, size_t len, size_t *used, struct buf *out)
{
	z_stream s = { 0 };
	if (inflateInit2(&s, 16 + MAX_WBITS) != Z_OK)
		return -1;
	s.next_in = (Bytef *)in;
	s.avail_in = len > UINT32_MAX ? UINT32_MAX : (uInt)len;
	int ret;
	do {
		buf_reserve(out, 1 << 20);
		s.next_out = (Bytef *)out->data + out->len;
		s.avail_out = (uInt)(out->cap - out->len);
		ret = inflate(&s, Z_NO_FLUSH);
		out->len = out->cap - s.avail_out;
	} while (ret == Z_OK && out->len <= IMGREAD_MAX_BYTES);
	*used = s.total_in;
	inflateEnd(&s);
	return ret == Z_STREAM_END ? 0 : -1;
}

/* zstd: one frame, as lib/decompress_unzstd.c decodes it; a frame after it is the next segment, so
 * that a frame which does not end between two records is refused here as the kernel refuses it ("junk
 * at the end of compressed archive"). */
static int unpack_zstd(const unsigned char *in, size_t len, size_t *used, struct buf *out)
{
	ZSTD_DStream *ds = ZSTD_createDStream();
	if (!ds)
		return -1;
	ZSTD_inBuffer ib = { in, len, 0 };
	size_t ret = 0;
	for (;;) {
		buf_reserve(out, 1 << 20);
		ZSTD_outBuffer ob = { out->data, out->cap, out->len };
		ret = ZSTD_decompressStream(ds, &ob, &ib);
		out->len = ob.pos;
		/* ret 0: the end of the frame, all of it flushed */
		if (ZSTD_isError(ret) || ret == 0 || out->len > IMGREAD_MAX_BYTES)
			break;
		if (ib.pos == ib.size && ob.pos < ob.size)
			break; /* needs more input than there is */
	}
	*used = ib.pos;
	ZSTD_freeDStream(ds);
	return ret == 0 ? 0 : -1;
}

static int unpack_xz(const unsigned char *in, size_t len, size_t *used, struct buf *out)
{
	lzma_stream s = LZMA_STREAM_INIT;
	/* One stream, as the kernel's xz_dec: what follows is the next segment (or padding). */
	if (lzma_stream_decoder(&s, UINT64_MAX, 0) != LZMA_OK)
		return -1;
	s.next_in = in;
	s.avail_in = len;
	lzma_ret ret;
	do {
		buf_reserve(out, 1 << 20);
		s.next_out = (uint8_t *)out->data + out->len;
		s.avail_out = out->cap - out->len;
		ret = lzma_code(&s, LZMA_FINISH);
		out->len = out->cap - s.avail_out;
	} while (ret == LZMA_OK && out->len <= IMGREAD_MAX_BYTES);
	*used = (size_t)s.total_in;
	lzma_end(&s);
	return ret == LZMA_STREAM_END ? 0 : -1;
}

/* lz4 legacy format (lib/decompress_unlz4.c): magic, then blocks of [32-bit LE compressed size][data],
 * each at most 8 MiB decompressed. A size equal to the magic starts another stream; the stream ends at
 * the end of the input or at zero padding. */
static int unpack_lz4(const unsigned char *in, size_t len, size_t *used, struct buf *out)
{
	size_t pos = 4;
	while (len - pos >= 4) {
		uint32_t n = (uint32_t)in[pos] | (uint32_t)in[pos + 1] << 8 | (uint32_t)in[pos + 2] << 16 |
			     (uint32_t)in[pos + 3] << 24;
		if (n == LZ4_LEGACY_MAGIC) {
			pos += 4;
			continue;
		}
		if (n == 0 || out->len > IMGREAD_MAX_BYTES)
			break;
		pos += 4;
		if (n > len - pos || n > (uint32_t)LZ4_compressBound(LZ4_LEGACY_BLOCK))
			return -1;
		buf_reserve(out, LZ4_LEGACY_BLOCK);
		int got = LZ4_decompress_safe((const char *)in + pos, out->data + out->len, (int)n, LZ4_LEGACY_BLOCK);
		if (got < 0)
			return -1;
		out->len += (size_t)got;
		pos += n;
	}
	*used = pos;
	return 0;
}

static const struct {
	const char *name;
	const unsigned char magic[6];
	size_t len;
	int (*unpack)(const unsigned char *, size_t, size_t *, struct buf *);
} methods[] = {
	{ "gzip", { 0x1f, 0x8b }, 2, unpack_gzip },
	{ "zstd", { 0x28, 0xb5, 0x2f, 0xfd }, 4, unpack_zstd },
	{ "xz", { 0xfd, '7', 'z', 'X', 'Z', 0 }, 6, unpack_xz },
	{ "lz4", { 0x02, 0x21, 0x4c, 0x18 }, 4, unpack_lz4 },
};

static struct rsegment *new_segment(struct rimage *img, uint64_t offset, const char *method)
{
	/* Doubling: an image can be thousands of tiny archives, and growing by one would be quadratic. */
	if (img->nseg == img->segcap) {
		img->segcap = img->segcap ? img->segcap * 2 : 4;
		img->seg = xrealloc(img->seg, img->segcap * sizeof(*img->seg));
	}
	struct rsegment *s = &img->seg[img->nseg++];
	*s = (struct rsegment){ .offset = offset, .method = method };
	return s;
}

int imgread(const char *path, struct rimage *img)
{
	struct buf file = { 0 };
	if (read_file(path, &file) < 0)
		return -1;
	keep_buf(img, (unsigned char *)file.data);
	return imgread_mem(path, (const unsigned char *)file.data, file.len, img);
}

int imgread_mem(const char *path, const unsigned char *p, size_t len, struct rimage *img)
{
	size_t pos = 0;
	uint64_t unpacked = 0;
	struct reader r = { .path = path, .img = img };
	if (len == 0) {
		errorf("%s: empty file, not an initramfs image", path);
		return -1;
	}
	while (pos < len) {
		if (p[pos] == 0) {
			pos++;
			continue;
		}
		r.segment++;
		if (len - pos >= 4 && memcmp(p + pos, "0707", 4) == 0) {
			/* An uncompressed archive ends at its trailer; find it by parsing just that one. */
			struct rsegment *s = new_segment(img, pos, "uncompressed");
			/* It ends at its first trailer: walk the headers to find it, then parse just that span
			 * (a short or broken one is reported by parse_archives()). */
			size_t end = pos;
			while (end < len) {
				if (len - end < HEADER_SIZE || memcmp(p + end, "0707", 4) != 0)
					break;
				uint32_t namesize, size;
				if (hex8(p + end + 6 + 8 * 11, &namesize) < 0 || hex8(p + end + 6 + 8 * 6, &size) < 0)
					break;
				uint64_t next = align4(end + HEADER_SIZE + (uint64_t)namesize) + align4(size);
				bool trailer = namesize == 11 && len - end >= HEADER_SIZE + 11 &&
					       memcmp(p + end + HEADER_SIZE, "TRAILER!!!", 11) == 0;
				if (next > len) {
					end = len;
					break;
				}
				end = next;
				if (trailer)
					break;
			}
			/* A first header too broken to walk: hand parse_archives() the rest of the image, so
			 * that it reports the header (rather than looping forever on an empty segment). */
			if (end == pos)
				end = len;
			s->length = end - pos;
			s->cpio_bytes = end - pos;
			if (parse_archives(&r, p + pos, end - pos, pos, false) < 0)
				return -1;
			pos = end;
			continue;
		}
		size_t m;
		for (m = 0; m < sizeof(methods) / sizeof(methods[0]); m++)
			if (len - pos >= methods[m].len && memcmp(p + pos, methods[m].magic, methods[m].len) == 0)
				break;
		if (m == sizeof(methods) / sizeof(methods[0])) {
			errorf("%s: neither a cpio archive nor a known compression (gzip, zstd, xz, lz4) at offset %zu",
			       path, pos);
			return -1;
		}
		struct rsegment *s = new_segment(img, pos, methods[m].name);
		struct buf out = { 0 };
		size_t used = 0;
		int rc = methods[m].unpack(p + pos, len - pos, &used, &out);
		keep_buf(img, (unsigned char *)out.data);
		unpacked += out.len;
		if (unpacked > IMGREAD_MAX_BYTES) {
			errorf("%s: the %s segment at offset %zu unpacks to more than %llu MiB in all: not an initramfs",
			       path, methods[m].name, pos, IMGREAD_MAX_BYTES >> 20);
			return -1;
		}
		if (rc < 0) {
			errorf("%s: corrupt or truncated %s data in the segment at offset %zu", path, methods[m].name, pos);
			return -1;
		}
		s->length = used;
		s->cpio_bytes = out.len;
		if (out.len == 0) {
			errorf("%s: the %s segment at offset %zu is empty", path, methods[m].name, pos);
			return -1;
		}
		if (parse_archives(&r, (const unsigned char *)out.data, out.len, 0, true) < 0)
			return -1;
		pos += used;
	}
	if (img->n == 0) {
		errorf("%s: no entries: not an initramfs image", path);
		return -1;
	}
	return 0;
}

void imgread_free(struct rimage *img)
{
	for (size_t i = 0; i < img->nbufs; i++)
		free(img->bufs[i]);
	free(img->bufs);
	free(img->v);
	free(img->seg);
	memset(img, 0, sizeof(*img));
}
