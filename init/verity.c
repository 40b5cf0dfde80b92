/* verity.c — see verity.h.
 *
 * The superblock `veritysetup format` writes (cryptsetup's lib/verity/verity.c, struct verity_sb;
 * libblkid probes the same), 512 bytes, little endian:
 *   0 "verity\0\0"   8 u32 version (1)   12 u32 hash_type   16 u8 uuid[16]   32 char algorithm[32]
 *   64 u32 data_block_size   68 u32 hash_block_size   72 u64 data_blocks   80 u16 salt_size
 *   82 pad[6]   88 u8 salt[256]   344 pad[168]
 * The tree starts at the first hash block after it: hash_start_block = ceil((offset + 512) / hbs),
 * as veritysetup computes it (VERITY_hash_offset_block); without a superblock, at offset / hbs. */
#include "verity.h"
#include "hexdigit.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	unsigned size;
} digests[] = {
	{"sha256", 32},      {"sha1", 20},        {"sha512", 64},     {"sha384", 48},     {"sha224", 28},
	{"sha3-256", 32},    {"sha3-512", 64},    {"sha3-384", 48},   {"sha3-224", 28},   {"blake2b-256", 32},
	{"blake2b-512", 64}, {"blake2s-256", 32}, {"ripemd160", 20},  {"whirlpool", 64},  {"sm3", 32},
	{"streebog256", 32}, {"streebog512", 64}, {"md5", 16},
};

unsigned verity_digest_size(const char *algorithm)
{
	for (size_t i = 0; i < sizeof digests / sizeof digests[0]; i++)
		if (!strcmp(algorithm, digests[i].name))
			return digests[i].size;
	return 0;
}

static int block_size_ok(uint64_t n)
{
	return n >= 512 && n <= 65536 && (n & (n - 1)) == 0;
}

static void hex(char *out, const uint8_t *in, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = 0;
}

int verity_sb_read(probe_read_fn rd, void *ctx, uint64_t size, uint64_t off, struct verity_sb *sb, char *err,
		   size_t errsize)
{
	uint8_t b[VERITY_SB_SIZE];
	int r = probe_read_exact(rd, ctx, size, off, b, sizeof b);

	if (r < 0) {
		snprintf(err, errsize, "cannot read the verity superblock");
		return -1;
	}
	if (r == 0 || memcmp(b, "verity\0\0", 8))
		return 0;
	memset(sb, 0, sizeof *sb);
	sb->version = probe_le32(b + 8);
	sb->hash_type = probe_le32(b + 12);
	probe_format_uuid(sb->uuid, b + 16, 0);
	memcpy(sb->algorithm, b + 32, sizeof sb->algorithm - 1);
	for (char *p = sb->algorithm; *p; p++) /* veritysetup lowercases it too */
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	sb->data_block_size = probe_le32(b + 64);
	sb->hash_block_size = probe_le32(b + 68);
	sb->data_blocks = probe_le64(b + 72);
	sb->salt_size = probe_le16(b + 80);
	if (sb->version != 1) {
		snprintf(err, errsize, "verity superblock version %u (only 1 exists)", sb->version);
		return -1;
	}
	if (sb->hash_type > 1) {
		snprintf(err, errsize, "verity superblock hash type %u (0 or 1)", sb->hash_type);
		return -1;
	}
	if (!block_size_ok(sb->data_block_size) || !block_size_ok(sb->hash_block_size)) {
		snprintf(err, errsize, "verity superblock block sizes %u/%u (powers of two from 512 to 65536)",
			 (unsigned)sb->data_block_size, (unsigned)sb->hash_block_size);
		return -1;
	}
	if (sb->salt_size > sizeof sb->salt) {
		snprintf(err, errsize, "verity superblock salt of %u bytes (at most 256)", sb->salt_size);
		return -1;
	}
	memcpy(sb->salt, b + 88, sb->salt_size);
	if (!verity_digest_size(sb->algorithm)) {
		char shown[64];
		size_t i = 0;
		for (const char *p = sb->algorithm; *p && i + 1 < sizeof shown; p++)
			shown[i++] = *p >= 0x20 && *p < 0x7f ? *p : '?';
		shown[i] = 0;
		snprintf(err, errsize, "verity superblock names hash algorithm \"%s\", which earlyroot does not know",
			 shown);
		return -1;
	}
	/* the data area in 512-byte sectors must fit in 64 bits */
	if (sb->data_blocks == 0 || sb->data_blocks > UINT64_MAX / sb->data_block_size) {
		snprintf(err, errsize, "verity superblock says %llu data blocks", (unsigned long long)sb->data_blocks);
		return -1;
	}
	return 1;
}

/* "4096", "4K", "1M": bytes, 1024-based suffixes as systemd's parse_size() reads them. 0 or -1. */
static int parse_bytes(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0, mult = 1;
	size_t i = 0;

	if (!len)
		return -1;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
		if (v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (i == 0)
		return -1;
	if (i < len) {
		const char *units = "KMGT";
		const char *u = memchr(units, s[i], 4);
		if (!u || i + 1 != len)
			return -1;
		for (const char *p = units; p <= u; p++)
			mult *= 1024;
	}
	if (v > UINT64_MAX / mult)
		return -1;
	*out = v * mult;
	return 0;
}

static int parse_bool(const char *s, size_t len, int *out)
{
	static const char *const yes[] = {"1", "yes", "y", "true", "t", "on"};
	static const char *const no[] = {"0", "no", "n", "false", "f", "off"};
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		if (strlen(yes[i]) == len && !strncmp(s, yes[i], len))
			return *out = 1, 0;
		if (strlen(no[i]) == len && !strncmp(s, no[i], len))
			return *out = 0, 0;
	}
	return -1;
}

/* The table's own words for systemd's flag options. */
static const struct {
	const char *option, *kernel;
	int policy; /* the corruption policies exclude each other */
} flag_opts[] = {
	{"ignore-corruption", "ignore_corruption", 1},     {"restart-on-corruption", "restart_on_corruption", 1},
	{"panic-on-corruption", "panic_on_corruption", 1}, {"ignore-zero-blocks", "ignore_zero_blocks", 0},
	{"check-at-most-once", "check_at_most_once", 0},   {"restart-on-error", "restart_on_error", 2},
	{"panic-on-error", "panic_on_error", 2},
};

int verity_options_parse(const char *options, struct verity_opts *o, char *err, size_t errsize)
{
	const char *p = options ? options : "";
	int policy_seen[3] = {0, 0, 0};

	memset(o, 0, sizeof *o);
	o->superblock = 1;
	o->format = -1;
	while (*p) {
		size_t len = strcspn(p, ","), klen = strcspn(p, "=,");
		const char *v = p + klen + 1;
		size_t vlen = klen < len ? len - klen - 1 : 0;
		int has_value = klen < len, ok = 1, known = 1;
		uint64_t n = 0;
#define KEY(s) (klen == sizeof(s) - 1 && !strncmp(p, s, klen))
		if (!len) {
			p++;
			continue;
		}
		if (KEY("superblock")) {
			ok = has_value && parse_bool(v, vlen, &o->superblock) == 0;
		} else if (KEY("format")) {
			ok = has_value && vlen == 1 && (*v == '0' || *v == '1');
			o->format = ok ? *v - '0' : -1;
		} else if (KEY("data-block-size") || KEY("hash-block-size")) {
			ok = has_value && parse_bytes(v, vlen, &n) == 0 && block_size_ok(n);
			*(KEY("data-block-size") ? &o->data_block_size : &o->hash_block_size) = (uint32_t)n;
		} else if (KEY("data-blocks")) {
			ok = has_value && parse_bytes(v, vlen, &o->data_blocks) == 0 && o->data_blocks > 0;
		} else if (KEY("hash-offset")) {
			ok = has_value && parse_bytes(v, vlen, &o->hash_offset) == 0 && o->hash_offset % 512 == 0;
		} else if (KEY("salt")) {
			o->have_salt = 1;
			o->salt_size = 0;
			if (has_value && vlen == 1 && *v == '-')
				vlen = 0; /* "-": no salt, as veritysetup writes it */
			ok = has_value && vlen % 2 == 0 && vlen / 2 <= sizeof o->salt;
			for (size_t i = 0; ok && i < vlen; i += 2) {
				int hi = hex_digit(v[i]), lo = hex_digit(v[i + 1]);
				if ((ok = hi >= 0 && lo >= 0))
					o->salt[o->salt_size++] = (uint8_t)(hi << 4 | lo);
			}
		} else if (KEY("hash")) {
			ok = has_value && vlen < sizeof o->hash;
			if (ok) {
				memcpy(o->hash, v, vlen);
				o->hash[vlen] = 0;
				ok = verity_digest_size(o->hash) > 0;
			}
		} else if (KEY("uuid")) {
			ok = has_value; /* names the hash device; nothing in the table */
		} else if (KEY("fec-device") || KEY("fec-offset") || KEY("fec-roots") || KEY("root-hash-signature")) {
			snprintf(err, errsize,
				 "systemd.verity_root_options=%.*s: earlyroot does not do forward error correction or "
				 "signed root hashes; remove it",
				 (int)(klen > 40 ? 40 : klen), p);
			return -1;
		} else {
			known = 0;
			for (size_t i = 0; i < sizeof flag_opts / sizeof flag_opts[0]; i++) {
				const char *name = flag_opts[i].option;
				if (klen != strlen(name) || strncmp(p, name, klen))
					continue;
				known = 1;
				ok = !has_value;
				int pol = flag_opts[i].policy;
				if (!ok || strstr(o->kernel_opts, flag_opts[i].kernel))
					break; /* a bad value, or said twice */
				if (pol && policy_seen[pol]) {
					snprintf(err, errsize,
						 "systemd.verity_root_options=: %s and another %s policy; keep one",
						 flag_opts[i].option, pol == 1 ? "corruption" : "I/O error");
					return -1;
				}
				policy_seen[pol] = 1;
				size_t used = strlen(o->kernel_opts);
				snprintf(o->kernel_opts + used, sizeof o->kernel_opts - used, "%s%s", used ? " " : "",
					 flag_opts[i].kernel);
				o->nkernel_opts++;
			}
		}
#undef KEY
		if (!known) {
			snprintf(err, errsize,
				 "systemd.verity_root_options=: unknown option \"%.*s\" (known: superblock=, format=, "
				 "data-block-size=, hash-block-size=, data-blocks=, hash-offset=, salt=, hash=, uuid=, "
				 "ignore-corruption, restart-on-corruption, panic-on-corruption, ignore-zero-blocks, "
				 "check-at-most-once)",
				 (int)(len > 40 ? 40 : len), p);
			return -1;
		}
		if (!ok) {
			snprintf(err, errsize, "systemd.verity_root_options=: bad value in \"%.*s\"", (int)(len > 60 ? 60 : len),
				 p);
			return -1;
		}
		p += len;
	}
	return 0;
}

int verity_sb_from_options(const struct verity_opts *o, uint64_t data_size, struct verity_sb *sb, char *err,
			   size_t errsize)
{
	memset(sb, 0, sizeof *sb);
	sb->version = 1;
	sb->hash_type = o->format < 0 ? 1 : (unsigned)o->format;
	snprintf(sb->algorithm, sizeof sb->algorithm, "%s", o->hash[0] ? o->hash : "sha256");
	sb->data_block_size = o->data_block_size ? o->data_block_size : 4096;
	sb->hash_block_size = o->hash_block_size ? o->hash_block_size : 4096;
	sb->data_blocks = o->data_blocks ? o->data_blocks : data_size / sb->data_block_size;
	if (!o->have_salt) {
		/* veritysetup would make a random salt at format time: without it nothing matches */
		snprintf(err, errsize, "systemd.verity_root_options=superblock=no needs salt= (\"-\" for none), as "
				       "veritysetup format printed it");
		return -1;
	}
	memcpy(sb->salt, o->salt, o->salt_size);
	sb->salt_size = o->salt_size;
	if (!sb->data_blocks || sb->data_blocks > UINT64_MAX / sb->data_block_size) {
		snprintf(err, errsize, "dm-verity: the data device holds no whole %u-byte block",
			 (unsigned)sb->data_block_size);
		return -1;
	}
	return 0;
}

int verity_table(const struct verity_sb *sb, const struct verity_opts *o, const char *data_dev, const char *hash_dev,
		 const char *roothash, char *out, size_t size, uint64_t *sectors, char *err, size_t errsize)
{
	unsigned dsize = verity_digest_size(sb->algorithm);
	size_t len = strlen(roothash);
	char digest[129], salt[513];
	uint64_t start;

	if (!dsize || !block_size_ok(sb->data_block_size) || !block_size_ok(sb->hash_block_size) ||
	    sb->salt_size > sizeof sb->salt || !sb->data_blocks || sb->data_blocks > UINT64_MAX / sb->data_block_size) {
		snprintf(err, errsize, "dm-verity: impossible layout (algorithm, block sizes, salt or data blocks)");
		return -1;
	}
	if (len != 2 * dsize) {
		snprintf(err, errsize, "roothash= has %zu hex digits; %s needs %u", len, sb->algorithm, 2 * dsize);
		return -1;
	}
	for (size_t i = 0; i < len; i++) {
		int v = hex_digit(roothash[i]);
		if (v < 0) {
			snprintf(err, errsize, "roothash= is not hex (\"%c\" at %zu)", roothash[i] > 0x20 && roothash[i] < 0x7f ? roothash[i] : '?', i + 1);
			return -1;
		}
		digest[i] = "0123456789abcdef"[v];
	}
	digest[len] = 0;
	if (sb->salt_size)
		hex(salt, sb->salt, sb->salt_size);
	else
		snprintf(salt, sizeof salt, "-");
	if (o->superblock) {
		if (o->hash_offset > UINT64_MAX - VERITY_SB_SIZE - sb->hash_block_size) {
			snprintf(err, errsize, "systemd.verity_root_options=hash-offset= is too large");
			return -1;
		}
		start = (o->hash_offset + VERITY_SB_SIZE + sb->hash_block_size - 1) / sb->hash_block_size;
	} else {
		if (o->hash_offset % sb->hash_block_size) {
			snprintf(err, errsize,
				 "systemd.verity_root_options=hash-offset=%llu is not a multiple of the hash block size %u",
				 (unsigned long long)o->hash_offset, (unsigned)sb->hash_block_size);
			return -1;
		}
		start = o->hash_offset / sb->hash_block_size;
	}
	*sectors = sb->data_blocks * (sb->data_block_size / 512);
	int n = snprintf(out, size, "%u %s %s %u %u %llu %llu %s %s %s", sb->hash_type, data_dev, hash_dev,
			 (unsigned)sb->data_block_size, (unsigned)sb->hash_block_size,
			 (unsigned long long)sb->data_blocks, (unsigned long long)start, sb->algorithm, digest, salt);
	if (n >= 0 && (size_t)n < size && o->nkernel_opts)
		n += snprintf(out + n, size - (size_t)n, " %u %s", o->nkernel_opts, o->kernel_opts);
	if (n < 0 || (size_t)n >= size) {
		snprintf(err, errsize, "dm-verity: the table line does not fit in %zu bytes", size);
		return -1;
	}
	return 0;
}
