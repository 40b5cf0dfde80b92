/* fuzz-verity — libFuzzer target for the dm-verity root's untrusted bytes: the superblock on the hash
 * device (verity_sb_read), systemd.verity_root_options= and roothash= (verity_options_parse,
 * verity_table). The input is OPTIONS, a NUL, ROOTHASH, a NUL, then the hash device's bytes (missing
 * NULs: no options, the root hash of the seed). Answers must be in range, messages must fit, a
 * superblock read as sane must be sane, and a table line must be one line of the size given. */
#include "verity.h"

#include <string.h>

struct buf {
	const uint8_t *data;
	size_t size;
};

static ssize_t read_buf(void *ctx, void *out, size_t len, uint64_t off)
{
	const struct buf *b = ctx;
	if (off >= b->size)
		return 0;
	if (len > b->size - off)
		len = b->size - off;
	memcpy(out, b->data + off, len);
	return (ssize_t)len;
}

/* The next NUL-terminated field of at most MAX bytes, or DEF when there is no NUL in reach. */
static void take(const uint8_t **data, size_t *size, char *out, size_t max, const char *def)
{
	const uint8_t *nul = memchr(*data, 0, *size < max ? *size : max);
	if (!nul) {
		strcpy(out, def);
		return;
	}
	memcpy(out, *data, (size_t)(nul - *data) + 1);
	*size -= (size_t)(nul - *data) + 1;
	*data = nul + 1;
}

static void check_err(int r, const char *err, size_t size)
{
	if (r == -1 && (!err[0] || strnlen(err, size) == size))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char options[512], roothash[200], err[256], table[700];
	struct verity_opts o;
	struct verity_sb sb;
	uint64_t sectors = 0;

	take(&data, &size, options, sizeof options, "");
	take(&data, &size, roothash, sizeof roothash,
	     "d89f2a418c96a19a968516edbb46954ba512a494333d4e20036d1f33bda41ab7");
	struct buf dev = {data, size};

	err[0] = 0;
	int r = verity_options_parse(options, &o, err, sizeof err);
	check_err(r, err, sizeof err);
	if (r < -1 || r > 0)
		__builtin_trap();
	if (r < 0)
		memset(&o, 0, sizeof o), o.superblock = 1;
	if (o.nkernel_opts > 7 || strnlen(o.kernel_opts, sizeof o.kernel_opts) == sizeof o.kernel_opts ||
	    o.salt_size > sizeof o.salt)
		__builtin_trap();

	err[0] = 0;
	if (o.superblock) {
		r = verity_sb_read(read_buf, &dev, size, o.hash_offset, &sb, err, sizeof err);
		check_err(r, err, sizeof err);
		if (r < -1 || r > 1)
			__builtin_trap();
		if (r == 1 && (sb.salt_size > sizeof sb.salt || !verity_digest_size(sb.algorithm) ||
			       sb.data_block_size < 512 || sb.data_block_size > 65536 || sb.hash_block_size < 512 ||
			       sb.hash_block_size > 65536 || !sb.data_blocks || strnlen(sb.uuid, 37) != 36))
			__builtin_trap();
	} else {
		r = verity_sb_from_options(&o, size, &sb, err, sizeof err) == 0;
		check_err(r ? 0 : -1, err, sizeof err);
	}
	if (r != 1)
		return 0;
	/* A small buffer too, so that the line's cut is exercised. */
	size_t tsize = roothash[0] == 'x' ? 64 : sizeof table;
	err[0] = 0;
	r = verity_table(&sb, &o, "254:1", "254:2", roothash, table, tsize, &sectors, err, sizeof err);
	check_err(r, err, sizeof err);
	if (r == 0 && (strchr(table, '\n') || strlen(table) >= tsize ||
		       sectors != sb.data_blocks * (sb.data_block_size / 512) || !sectors))
		__builtin_trap();
	return 0;
}
