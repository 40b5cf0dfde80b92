/* test-verity — init/verity.c and dm.c's ABI under the sanitizers (TAP).
 *
 * The superblocks are real: `veritysetup format` is run here on a small data file for several layouts
 * (default, salt given, no salt, sha1 and sha512, 1 KiB and 512-byte blocks, a hash offset, format 0,
 * no superblock), and what verity_sb_read() finds is compared with what `veritysetup format` printed.
 * The table line is judged two ways: against the line the printed values make (what veritysetup open
 * would load; it cannot run here, there is no device-mapper), and, for sha256, against the tree
 * itself: the hash block the line's hash_start_block points at, hashed with the salt as the format
 * says, must give the printed root hash. Then the options, and bad superblocks. dm.c's declarations
 * are compared with the kernel's <linux/dm-ioctl.h>. Skips the veritysetup part without veritysetup. */
#include "dm.c" /* its static ABI declarations, compared below with the kernel header's */
#include "sha256.h"
#include "tap.h"
#include "verity.h"

/* The cross-built tests (init/cross-tests.mk) have musl's headers only: no kernel header to compare with. */
#if __has_include(<linux/dm-ioctl.h>)
#include <linux/dm-ioctl.h>
#define HAVE_DM_IOCTL_H 1
#endif
#include <stddef.h>
#include <sys/wait.h>

static char dir[] = "/tmp/earlyroot-verity.XXXXXX";

static void check_abi(void)
{
#ifndef HAVE_DM_IOCTL_H
	printf("ok %d - dm.c's declarations against <linux/dm-ioctl.h> # SKIP no kernel headers for this "
	       "architecture (linux-libc-dev-ARCH-cross)\n", ++tap_count);
#else
	CHECK(sizeof(struct er_dm_ioctl) == sizeof(struct dm_ioctl), "struct dm_ioctl: %zu bytes as the kernel's",
	      sizeof(struct er_dm_ioctl));
	CHECK(offsetof(struct er_dm_ioctl, dev) == offsetof(struct dm_ioctl, dev) &&
		      offsetof(struct er_dm_ioctl, name) == offsetof(struct dm_ioctl, name) &&
		      offsetof(struct er_dm_ioctl, uuid) == offsetof(struct dm_ioctl, uuid) &&
		      offsetof(struct er_dm_ioctl, event_nr) == offsetof(struct dm_ioctl, event_nr) &&
		      offsetof(struct er_dm_ioctl, flags) == offsetof(struct dm_ioctl, flags) &&
		      offsetof(struct er_dm_ioctl, data_start) == offsetof(struct dm_ioctl, data_start),
	      "struct dm_ioctl: the members at the kernel's offsets");
	CHECK(sizeof(struct er_dm_target_spec) == sizeof(struct dm_target_spec) &&
		      offsetof(struct er_dm_target_spec, next) == offsetof(struct dm_target_spec, next) &&
		      offsetof(struct er_dm_target_spec, target_type) == offsetof(struct dm_target_spec, target_type),
	      "struct dm_target_spec as the kernel's");
	CHECK(ER_DM_DEV_CREATE == DM_DEV_CREATE && ER_DM_DEV_REMOVE == DM_DEV_REMOVE &&
		      ER_DM_DEV_SUSPEND == DM_DEV_SUSPEND && ER_DM_TABLE_LOAD == DM_TABLE_LOAD &&
		      ER_DM_TABLE_STATUS == DM_TABLE_STATUS,
	      "the ioctl numbers are the kernel's");
	CHECK(ER_DM_READONLY_FLAG == DM_READONLY_FLAG && ER_DM_BUFFER_FULL_FLAG == DM_BUFFER_FULL_FLAG,
	      "the flags are the kernel's");
#endif
	unsigned maj, min;
	dm_decode_dev(((uint64_t)(0x123 & 0xfff) << 8) | 0x45 | ((uint64_t)(0x12345 & ~0xffu) << 12), &maj, &min);
	CHECK(maj == 0x123 && min == 0x12345, "dev decoded as the kernel's huge_encode_dev() (%x:%x)", maj, min);
}

/* What `veritysetup format` printed. */
struct printed {
	char uuid[64], alg[32], salt[520], roothash[140];
	unsigned hash_type, dbs, hbs;
	unsigned long long blocks;
};

static const char *field(const char *out, const char *name, char *val, size_t size)
{
	const char *p = strstr(out, name);
	val[0] = 0;
	if (!p)
		return NULL;
	p += strlen(name);
	p += strspn(p, " \t");
	size_t n = strcspn(p, " \t\n");
	snprintf(val, size, "%.*s", (int)n, p);
	return val;
}

/* Runs veritysetup format ARGS on DIR/data and DIR/hash; 0 and P filled, or -1. */
static int format(const char *args, struct printed *p)
{
	char cmd[512], out[4096], v[64];
	snprintf(cmd, sizeof cmd, "rm -f %s/hash && veritysetup format %s %s/data %s/hash 2>&1", dir, args, dir, dir);
	FILE *f = popen(cmd, "r");
	if (!f)
		return -1;
	size_t n = fread(out, 1, sizeof out - 1, f);
	out[n] = 0;
	if (pclose(f) != 0)
		return -1;
	memset(p, 0, sizeof *p);
	field(out, "UUID:", p->uuid, sizeof p->uuid);
	field(out, "Hash algorithm:", p->alg, sizeof p->alg);
	field(out, "Salt:", p->salt, sizeof p->salt);
	field(out, "Root hash:", p->roothash, sizeof p->roothash);
	p->hash_type = (unsigned)atoi(field(out, "Hash type:", v, sizeof v));
	p->dbs = (unsigned)atoi(field(out, "Data block size:", v, sizeof v));
	p->hbs = (unsigned)atoi(field(out, "Hash block size:", v, sizeof v));
	p->blocks = strtoull(field(out, "Data blocks:", v, sizeof v), NULL, 10);
	return p->roothash[0] ? 0 : -1;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static void hex(char *out, const uint8_t *in, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", in[i]);
	out[2 * n] = 0;
}

static int unhex(const char *s, uint8_t *out)
{
	size_t n = 0;
	for (; s[0] && s[1]; s += 2)
		out[n++] = (uint8_t)(hexval(s[0]) << 4 | hexval(s[1]));
	return (int)n;
}

/* The tree's top hash block, hashed with the salt as format 1 (salt first) or 0 (salt last) does. */
static int tree_gives_roothash(int fd, const char *table, const struct printed *p)
{
	unsigned long long start;
	char salt_hex[520];
	const char *q = table;
	for (int i = 0; i < 6; i++) /* version data hash dbs hbs blocks */
		q = strchr(q, ' ') + 1;
	start = strtoull(q, NULL, 10);
	q = strchr(q, ' ') + 1;
	q = strchr(q, ' ') + 1; /* algorithm */
	q = strchr(q, ' ') + 1; /* digest */
	snprintf(salt_hex, sizeof salt_hex, "%.*s", (int)strcspn(q, " "), q);
	uint8_t salt[256], *block = malloc(p->hbs), digest[32], want[32];
	int slen = strcmp(salt_hex, "-") ? unhex(salt_hex, salt) : 0;
	int ok = pread(fd, block, p->hbs, (off_t)(start * p->hbs)) == (ssize_t)p->hbs;
	struct sha256 s;
	sha256_init(&s);
	if (p->hash_type == 1)
		sha256_update(&s, salt, (size_t)slen);
	sha256_update(&s, block, p->hbs);
	if (p->hash_type == 0)
		sha256_update(&s, salt, (size_t)slen);
	sha256_final(&s, digest);
	free(block);
	unhex(p->roothash, want);
	return ok && !memcmp(digest, want, 32);
}

struct layout {
	const char *args;    /* veritysetup format's */
	const char *options; /* systemd.verity_root_options= that says the same at boot */
	uint64_t offset;     /* where the superblock is */
	int superblock;
};

static void check_layout(const struct layout *l)
{
	struct printed p;
	struct verity_sb sb;
	struct verity_opts o;
	char err[256], table[1024], want[1024], path[160];
	uint64_t sectors = 0;

	if (format(l->args, &p) < 0) {
		CHECK(0, "veritysetup format %s", l->args);
		return;
	}
	snprintf(path, sizeof path, "%s/hash", dir);
	int fd = open(path, O_RDONLY);
	struct stat st;
	fstat(fd, &st);
	CHECK(verity_options_parse(l->options, &o, err, sizeof err) == 0, "[%s] options %s parse", l->args,
	      l->options ? l->options : "(none)");
	int r = verity_sb_read(probe_read_fd, &fd, (uint64_t)st.st_size, l->offset, &sb, err, sizeof err);
	if (l->superblock) {
		char salt[520] = "";
		if (r == 1)
			hex(salt, sb.salt, sb.salt_size);
		CHECK(r == 1 && !strcmp(sb.uuid, p.uuid) && !strcmp(sb.algorithm, p.alg) && sb.hash_type == p.hash_type &&
			      sb.data_block_size == p.dbs && sb.hash_block_size == p.hbs && sb.data_blocks == p.blocks &&
			      !strcmp(salt, strcmp(p.salt, "-") ? p.salt : ""),
		      "[%s] the superblock says what veritysetup printed (uuid %s, %s, %u/%u, %llu blocks)", l->args,
		      sb.uuid, sb.algorithm, sb.data_block_size, sb.hash_block_size, (unsigned long long)sb.data_blocks);
	} else {
		CHECK(r == 0, "[%s] no superblock found (r=%d)", l->args, r);
		CHECK(verity_sb_from_options(&o, 1 << 20, &sb, err, sizeof err) == 0, "[%s] the layout from the options: %s",
		      l->args, err);
	}
	CHECK(verity_table(&sb, &o, "254:1", "254:2", p.roothash, table, sizeof table, &sectors, err, sizeof err) == 0,
	      "[%s] table: %s", l->args, table);
	/* what the printed values make: the hash area starts after the superblock, in hash blocks */
	unsigned long long start = l->superblock ? (l->offset + 512 + p.hbs - 1) / p.hbs : l->offset / p.hbs;
	snprintf(want, sizeof want, "%u 254:1 254:2 %u %u %llu %llu %s %s %s", p.hash_type, p.dbs, p.hbs, p.blocks,
		 start, p.alg, p.roothash, p.salt);
	CHECK(!strcmp(table, want) && sectors == p.blocks * p.dbs / 512, "[%s] the line veritysetup open would load",
	      l->args);
	if (strcmp(want, table))
		printf("#   want %s\n", want);
	if (!strcmp(p.alg, "sha256"))
		CHECK(tree_gives_roothash(fd, table, &p), "[%s] the tree at hash_start_block hashes to the root hash",
		      l->args);
	close(fd);
}

static void check_veritysetup(void)
{
	static const struct layout layouts[] = {
		{"", NULL, 0, 1},
		{"-s 00112233445566778899aabbccddeeff", "", 0, 1},
		{"-s -", NULL, 0, 1},
		{"--hash sha1", NULL, 0, 1},
		{"--hash sha512 --data-block-size 1024 --hash-block-size 1024", NULL, 0, 1},
		{"--data-block-size 512 --hash-block-size 512", NULL, 0, 1},
		{"--hash-offset 8192", "hash-offset=8192", 8192, 1},
		{"--hash-offset 1536 --hash-block-size 1024 --data-block-size 1024", "hash-offset=1536", 1536, 1},
		{"--format 0", NULL, 0, 1},
		{"--no-superblock -s 0a0b0c0d", "superblock=no,salt=0a0b0c0d", 0, 0},
		{"--no-superblock -s 0a0b --hash-offset 8192 --hash sha256 --data-block-size 1024",
		 "superblock=no,salt=0a0b,hash-offset=8192,hash=sha256,data-block-size=1024", 8192, 0},
	};
	char cmd[256];

	if (system("veritysetup --version >/dev/null 2>&1") != 0) {
		printf("ok %d - real superblocks # SKIP no veritysetup (cryptsetup-bin)\n", ++tap_count);
		return;
	}
	/* 1 MiB of varied bytes, so that no two data blocks hash the same */
	snprintf(cmd, sizeof cmd, "head -c 1048576 /dev/urandom >%s/data", dir);
	if (system(cmd) != 0) {
		CHECK(0, "data file made");
		return;
	}
	for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++)
		check_layout(&layouts[i]);
}

/* Bad superblocks: each field made impossible in turn. */
static uint8_t sbbuf[4096];
static ssize_t read_buf(void *ctx, void *buf, size_t len, uint64_t off)
{
	(void)ctx;
	if (off >= sizeof sbbuf)
		return 0;
	if (len > sizeof sbbuf - off)
		len = sizeof sbbuf - off;
	memcpy(buf, sbbuf + off, len);
	return (ssize_t)len;
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> 8 * i);
}

static void good_sb(void)
{
	memset(sbbuf, 0, sizeof sbbuf);
	memcpy(sbbuf, "verity\0\0", 8);
	put32(sbbuf + 8, 1);
	put32(sbbuf + 12, 1);
	memcpy(sbbuf + 32, "SHA256", 6);
	put32(sbbuf + 64, 4096);
	put32(sbbuf + 68, 4096);
	put32(sbbuf + 72, 256);
	sbbuf[80] = 4;
	memcpy(sbbuf + 88, "\x01\x02\x03\x04", 4);
}

static void check_bad_superblocks(void)
{
	struct verity_sb sb;
	char err[256];
	static const struct {
		unsigned off;
		uint32_t value;
		const char *what;
	} bad[] = {
		{8, 2, "version 2"},           {12, 2, "hash type 2"},          {64, 4095, "data block size 4095"},
		{68, 131072, "hash block 128K"}, {64, 256, "data block size 256"}, {72, 0, "0 data blocks"},
		{80, 257, "salt of 257 bytes"},  {32, 0x33356d64, "algorithm dm53"},
	};

	good_sb();
	CHECK(verity_sb_read(read_buf, NULL, sizeof sbbuf, 0, &sb, err, sizeof err) == 1 && !strcmp(sb.algorithm, "sha256") &&
		      sb.salt_size == 4 && sb.data_blocks == 256,
	      "a hand-made superblock reads (the algorithm lowercased)");
	CHECK(verity_sb_read(read_buf, NULL, 300, 0, &sb, err, sizeof err) == 0, "a device shorter than 512 bytes: none");
	CHECK(verity_sb_read(read_buf, NULL, sizeof sbbuf, 4000, &sb, err, sizeof err) == 0, "past the end: none");
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		good_sb();
		put32(sbbuf + bad[i].off, bad[i].value);
		err[0] = 0;
		CHECK(verity_sb_read(read_buf, NULL, sizeof sbbuf, 0, &sb, err, sizeof err) == -1 && err[0],
		      "%s: refused (%s)", bad[i].what, err);
	}
	good_sb();
	sbbuf[6] = 'x';
	CHECK(verity_sb_read(read_buf, NULL, sizeof sbbuf, 0, &sb, err, sizeof err) == 0, "another magic: none");
	good_sb();
	put32(sbbuf + 72, 0xffffffff);
	put32(sbbuf + 76, 0xffffffff);
	CHECK(verity_sb_read(read_buf, NULL, sizeof sbbuf, 0, &sb, err, sizeof err) == -1,
	      "2^64-1 data blocks: refused (%s)", err);
}

static void check_options(void)
{
	struct verity_opts o;
	struct verity_sb sb;
	char err[320], table[1024];
	uint64_t sectors;
	const char *hash64 = "d89f2a418c96a19a968516edbb46954ba512a494333d4e20036d1f33bda41ab7";

	CHECK(verity_options_parse("ignore-zero-blocks,check-at-most-once,restart-on-corruption", &o, err, sizeof err) == 0 &&
		      o.nkernel_opts == 3 &&
		      !strcmp(o.kernel_opts, "ignore_zero_blocks check_at_most_once restart_on_corruption"),
	      "flags become the table's words: %s", o.kernel_opts);
	good_sb();
	verity_sb_read(read_buf, NULL, sizeof sbbuf, 0, &sb, err, sizeof err);
	CHECK(verity_table(&sb, &o, "/dev/vda", "/dev/vdb", hash64, table, sizeof table, &sectors, err, sizeof err) == 0 &&
		      !strcmp(table, "1 /dev/vda /dev/vdb 4096 4096 256 1 sha256 d89f2a418c96a19a968516edbb46954ba512a49433"
				     "3d4e20036d1f33bda41ab7 01020304 3 ignore_zero_blocks check_at_most_once "
				     "restart_on_corruption") &&
		      sectors == 2048,
	      "the table with options: %s", table);
	CHECK(verity_options_parse("panic-on-corruption,ignore-corruption", &o, err, sizeof err) == -1,
	      "two corruption policies refused: %s", err);
	CHECK(verity_options_parse("ignore-zero-blocks,ignore-zero-blocks", &o, err, sizeof err) == 0 && o.nkernel_opts == 1,
	      "a flag said twice counts once");
	CHECK(verity_options_parse("fec-device=/dev/vdc", &o, err, sizeof err) == -1 && strstr(err, "forward error"),
	      "FEC refused with the reason: %s", err);
	CHECK(verity_options_parse("frobnicate", &o, err, sizeof err) == -1 && strstr(err, "unknown option \"frobnicate\""),
	      "an unknown option refused: %s", err);
	CHECK(verity_options_parse("data-block-size=3000", &o, err, sizeof err) == -1, "a block size of 3000 refused");
	CHECK(verity_options_parse("format", &o, err, sizeof err) == -1, "format without a value refused");
	CHECK(verity_options_parse("salt=abc", &o, err, sizeof err) == -1, "an odd salt refused");
	CHECK(verity_options_parse("hash-offset=100", &o, err, sizeof err) == -1, "a hash offset not of 512 refused");
	CHECK(verity_options_parse("superblock=no,data-block-size=4K,hash=sha1,salt=-,data-blocks=10", &o, err, sizeof err) ==
			      0 &&
		      !o.superblock && o.data_block_size == 4096 && o.have_salt && o.salt_size == 0,
	      "superblock=no with 4K, sha1, no salt");
	CHECK(verity_sb_from_options(&o, 1 << 20, &sb, err, sizeof err) == 0 && sb.data_blocks == 10, "data-blocks= used");
	CHECK(verity_table(&sb, &o, "a", "b", hash64, table, sizeof table, &sectors, err, sizeof err) == -1 &&
		      !strcmp(err, "roothash= has 64 hex digits; sha1 needs 40"),
	      "a root hash of the wrong length for the algorithm: %s", err);
	CHECK(verity_options_parse("superblock=no", &o, err, sizeof err) == 0 &&
		      verity_sb_from_options(&o, 1 << 20, &sb, err, sizeof err) == -1 && strstr(err, "salt="),
	      "superblock=no without salt=: %s", err);
	CHECK(verity_options_parse(",,", &o, err, sizeof err) == 0 && o.superblock && !o.nkernel_opts, "empty words");
	good_sb();
	verity_sb_read(read_buf, NULL, sizeof sbbuf, 0, &sb, err, sizeof err);
	verity_options_parse(NULL, &o, err, sizeof err);
	CHECK(verity_table(&sb, &o, "a", "b", "d89f2a41", table, sizeof table, &sectors, err, sizeof err) == -1 &&
		      !strcmp(err, "roothash= has 8 hex digits; sha256 needs 64"),
	      "a short root hash: %s", err);
	CHECK(verity_table(&sb, &o, "a", "b", "D89F2A418C96A19A968516EDBB46954BA512A494333D4E20036D1F33BDA41AB7", table,
			   sizeof table, &sectors, err, sizeof err) == 0 &&
		      strstr(table, hash64),
	      "an uppercase root hash is written lowercase");
	CHECK(verity_table(&sb, &o, "a", "b", "g89f2a418c96a19a968516edbb46954ba512a494333d4e20036d1f33bda41ab7", table,
			   sizeof table, &sectors, err, sizeof err) == -1,
	      "a root hash with a non-hex digit: %s", err);
	CHECK(verity_table(&sb, &o, "a", "b", hash64, table, 40, &sectors, err, sizeof err) == -1,
	      "a table line too long for its buffer: %s", err);
}

int main(void)
{
	check_abi();
	if (!mkdtemp(dir)) {
		CHECK(0, "mkdtemp");
		return tap_finish();
	}
	check_veritysetup();
	check_bad_superblocks();
	check_options();
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	return tap_finish();
}
