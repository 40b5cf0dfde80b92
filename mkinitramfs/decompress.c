/* decompress.c — modules compressed by the distribution are stored plain in the image: the init loads
 * them with plain finit_module(2), and the image is compressed as a whole anyway. Each format is one
 * streaming loop into a growing buffer; modules are a few MiB at most. */
#include "decompress.h"

#include <lzma.h>
#include <stdint.h>
#include <zlib.h>
#include <zstd.h>

#define CHUNK 65536

static int decompress_xz(const struct buf *in, struct buf *out)
{
	lzma_stream s = LZMA_STREAM_INIT;
	/* CONCATENATED: kmod and xz(1) accept several streams back to back, so do we. */
	if (lzma_stream_decoder(&s, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
		return -1;
	s.next_in = (const uint8_t *)in->data;
	s.avail_in = in->len;
	lzma_ret ret;
	do {
		buf_reserve(out, CHUNK);
		s.next_out = (uint8_t *)out->data + out->len;
		s.avail_out = out->cap - out->len;
		ret = lzma_code(&s, LZMA_FINISH);
		out->len = out->cap - s.avail_out;
	} while (ret == LZMA_OK);
	lzma_end(&s);
	return ret == LZMA_STREAM_END ? 0 : -1;
}

static int decompress_zstd(const struct buf *in, struct buf *out)
{
	ZSTD_DStream *ds = ZSTD_createDStream();
	if (!ds)
		return -1;
	ZSTD_inBuffer ib = { in->data, in->len, 0 };
	size_t ret;
	/* Frames may follow each other; ret is 0 exactly at the end of one. */
	for (;;) {
		buf_reserve(out, CHUNK);
		ZSTD_outBuffer ob = { out->data, out->cap, out->len };
		ret = ZSTD_decompressStream(ds, &ob, &ib);
		out->len = ob.pos;
		/* All input used and room left over: the decoder has nothing more to give. */
		if (ZSTD_isError(ret) || (ib.pos == ib.size && ob.pos < ob.size))
			break;
	}
	ZSTD_freeDStream(ds);
	return ret == 0 ? 0 : -1;
}

static int decompress_gzip(const struct buf *in, struct buf *out)
{
	z_stream s = { 0 };
	if (inflateInit2(&s, 16 + MAX_WBITS) != Z_OK) /* 16: gzip wrapper */
		return -1;
	s.next_in = (Bytef *)in->data;
	s.avail_in = (uInt)in->len;
	int ret;
	for (;;) {
		buf_reserve(out, CHUNK);
		s.next_out = (Bytef *)out->data + out->len;
		s.avail_out = (uInt)(out->cap - out->len);
		ret = inflate(&s, Z_NO_FLUSH);
		out->len = out->cap - s.avail_out;
		if (ret == Z_STREAM_END && s.avail_in > 0)
			ret = inflateReset(&s); /* another gzip member follows */
		else if (ret == Z_STREAM_END || ret != Z_OK)
			break;
	}
	inflateEnd(&s);
	return ret == Z_STREAM_END ? 0 : -1;
}

int decompress_file(const char *path, enum module_compression c, struct buf *out)
{
	struct buf in = { 0 };
	if (read_file(path, &in) < 0)
		return -1;
	if (in.len > UINT32_MAX) { /* zlib counts in uInt */
		errorf("cannot decompress %s: too large", path);
		buf_free(&in);
		return -1;
	}
	int rc = -1;
	switch (c) {
	case MODULE_XZ: rc = decompress_xz(&in, out); break;
	case MODULE_ZSTD: rc = decompress_zstd(&in, out); break;
	case MODULE_GZIP: rc = decompress_gzip(&in, out); break;
	case MODULE_PLAIN: buf_append(out, in.data, in.len); rc = 0; break;
	}
	buf_free(&in);
	if (rc < 0)
		errorf("cannot decompress %s: corrupt or truncated data", path);
	return rc;
}
