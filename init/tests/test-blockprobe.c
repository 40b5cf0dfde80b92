/* test-blockprobe — robustness of fs_probe() and part_probe() under the sanitizers (TAP).
 *   test-blockprobe [fs:IMAGE | disk:IMAGE]...
 * Built-in cases: garbage, hand-corrupted superblocks and tables, read errors. For each real image
 * (made by blockprobe-run.sh with the real mkfs tools): the image cut at many lengths, and thousands of
 * mutations of its superblock or table (checksums recomputed half of the time, so the parsing behind
 * them is reached too). Every read is checked against the size the probe was given. */
#include "blockprobe.h"
#include "partitions.h"
#include "tap.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* --- readers that catch any read outside [0, size) --- */

struct mem {
	const uint8_t *buf;
	uint64_t size;
	unsigned long oob, reads;
	int fail; /* every read fails */
};

static ssize_t mem_read(void *ctx, void *buf, size_t len, uint64_t off)
{
	struct mem *m = ctx;
	m->reads++;
	if (m->fail)
		return -1;
	if (off > m->size || len > m->size - off) {
		m->oob++;
		if (off >= m->size)
			return 0;
		len = (size_t)(m->size - off);
	}
	memcpy(buf, m->buf + off, len);
	return (ssize_t)len;
}

struct cut {
	int fd;
	uint64_t size;
	unsigned long oob;
};

static ssize_t cut_read(void *ctx, void *buf, size_t len, uint64_t off)
{
	struct cut *c = ctx;
	if (off > c->size || len > c->size - off) {
		c->oob++;
		if (off >= c->size)
			return 0;
		len = (size_t)(c->size - off);
	}
	return probe_read_fd(&c->fd, buf, len, off);
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Every answer of an image's cuts and mutations folded into one number (FNV-1a): the same on every
 * architecture, so blockprobe-run.sh --cross compares each one's with the host's. The random sequence
 * starts afresh for each image, so that it does not depend on which images came before. */
static uint64_t answers;
static void fold(const void *p, size_t n)
{
	for (const uint8_t *b = p; n--; b++)
		answers = (answers ^ *b) * 0x100000001B3ull;
}
static void fold_fs(int r, const struct fs_id *id)
{
	uint8_t rb = (uint8_t)(r + 1);
	fold(&rb, 1);
	if (r == 1) {
		fold(id->type, strlen(id->type) + 1), fold(id->uuid, strlen(id->uuid) + 1);
		fold(id->label, strlen(id->label) + 1), fold(id->raid_level, strlen(id->raid_level) + 1);
	}
}
static void fold_part(int r, const struct part_id *id)
{
	uint8_t rb = (uint8_t)(r + 1);
	fold(&rb, 1);
	if (r == 1)
		fold(id->uuid, strlen(id->uuid) + 1), fold(id->label, strlen(id->label) + 1);
}
static void answers_start(void)
{
	rng_state = 0x9E3779B97F4A7C15ull;
	answers = 0xCBF29CE484222325ull;
}

static int same_fs(const struct fs_id *a, const struct fs_id *b)
{
	return !strcmp(a->type, b->type) && !strcmp(a->uuid, b->uuid) && !strcmp(a->label, b->label);
}

/* Valid UTF-8 and NUL-terminated inside the buffer: what the init will print and compare. */
static int sane_string(const char *s, size_t size)
{
	size_t n = strnlen(s, size);
	if (n == size)
		return 0;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t k = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
		if (!k || i + k > n)
			return 0;
		for (size_t j = 1; j < k; j++)
			if (((unsigned char)s[i + j] & 0xC0) != 0x80)
				return 0;
		i += k;
	}
	return 1;
}

static uint64_t pread_le32(int fd, uint64_t off)
{
	uint8_t v[4] = { 0 };
	return probe_read_fd(&fd, v, 4, off) == 4 ? probe_le32(v) : 0;
}

/* Where the superblock (or the container's header) is in the image FD of SIZE bytes: [*START, *END).
 * Returns 1 when its place follows from the device's size (md 0.90 and 1.0, at the end): a cut image
 * is then looked at elsewhere, and may well show the array's filesystem at 0. */
static int sb_range(const char *type, int fd, uint64_t size, uint64_t *start, uint64_t *end)
{
	*start = 0, *end = 0;
	if (!strncmp(type, "ext", 3))
		*start = 1024, *end = 2048;
	else if (!strcmp(type, "xfs") || !strcmp(type, "vfat") || !strcmp(type, "crypto_LUKS"))
		*end = 512;
	else if (!strcmp(type, "btrfs"))
		*start = 0x10000, *end = 0x10000 + 4096;
	else if (!strcmp(type, "f2fs"))
		*start = 1024, *end = 1024 + 124 + 1024;
	else if (!strcmp(type, "erofs"))
		*start = 1024, *end = 1024 + 128;
	else if (!strcmp(type, "squashfs"))
		*end = 32;
	else if (!strcmp(type, "iso9660"))
		*start = 0x8000, *end = 0x8000 + 2048; /* the primary volume descriptor */
	else if (!strcmp(type, "swap") || !strcmp(type, "swsuspend"))
		*start = 1024, *end = 4096; /* the header and the 4 KiB page's signature */
	else if (!strcmp(type, "LVM2_member")) {
		for (uint64_t s = 0; s < 4; s++)
			if (pread_le32(fd, s * 512) == 0x4542414Cu) /* "LABE" */
				*start = s * 512, *end = s * 512 + 512;
	} else if (!strcmp(type, "linux_raid_member")) {
		uint64_t v1[3] = { size > 0x10000 ? (size & ~0xFFFull) - 0x2000 : 1, 0, 0x1000 };
		for (int i = 0; i < 3; i++)
			if (pread_le32(fd, v1[i]) == 0xA92B4EFCu) {
				*start = v1[i], *end = v1[i] + 256 + 2 * pread_le32(fd, v1[i] + 220);
				return i == 0;
			}
		*start = (size & ~0xFFFFull) - 0x10000, *end = *start + 64; /* 0.90 */
		return 1;
	}
	return 0;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8), p[2] = (uint8_t)(v >> 16), p[3] = (uint8_t)(v >> 24);
}

/* --- checksum fix-ups, so that mutations get past the checksums (every one little-endian on disk) --- */

static void fix_gpt(uint8_t *b, uint64_t size)
{
	for (uint64_t lba = 1; lba * 512 + 512 <= size; lba = size / 512 - 1) {
		uint8_t *h = b + lba * 512;
		if (!memcmp(h, "EFI PART", 8)) {
			uint64_t arr = probe_le64(h + 72), n = probe_le32(h + 80), es = probe_le32(h + 84);
			if (arr < size / 512 && n * es <= size - arr * 512) {
				put_le32(h + 88, ~probe_crc32_update(~0u, CRC32_IEEE, b + arr * 512, n * es));
			}
			uint32_t hs = probe_le32(h + 12);
			if (hs >= 92 && hs <= 512) {
				memset(h + 16, 0, 4);
				put_le32(h + 16, ~probe_crc32_update(~0u, CRC32_IEEE, h, hs));
			}
		}
		if (lba != 1)
			break;
	}
}

static void fix_fs(uint8_t *b, uint64_t size, const char *type, uint64_t start, uint64_t end)
{
	if (!strcmp(type, "linux_raid_member") && end - start > 256 && probe_le32(b + start + 4) == 1) {
		/* version 1: the kernel's checksum over the header and the roles (max_dev as mutated) */
		uint64_t len = 256 + 2 * (uint64_t)probe_le32(b + start + 220), sum = 0, i;
		if (len > 8192 || start + len > size)
			return;
		for (i = 0; i + 4 <= len; i += 4)
			sum += i == 216 ? 0 : probe_le32(b + start + i);
		if (i < len)
			sum += probe_le16(b + start + i);
		put_le32(b + start + 216, (uint32_t)((sum & 0xFFFFFFFFu) + (sum >> 32)));
	} else if (!strcmp(type, "LVM2_member") && end - start == 512) {
		put_le32(b + start + 16, probe_crc32_update(0xF597A6CFu, CRC32_IEEE, b + start + 20, 512 - 20));
	} else if (!strncmp(type, "ext", 3) && size >= 2048) {
		put_le32(b + 1024 + 0x3FC, probe_crc32_update(~0u, CRC32_CASTAGNOLI, b + 1024, 0x3FC));
	} else if (!strcmp(type, "btrfs") && size >= 0x11000) {
		put_le32(b + 0x10000, ~probe_crc32_update(~0u, CRC32_CASTAGNOLI, b + 0x10000 + 32, 4096 - 32));
	} else if (!strcmp(type, "xfs") && size >= 512) {
		memset(b + 224, 0, 4);
		put_le32(b + 224, ~probe_crc32_update(~0u, CRC32_CASTAGNOLI, b, 512));
	}
}

static uint8_t *load(const char *path, uint64_t max, uint64_t *size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0)
		return NULL;
	*size = (uint64_t)st.st_size < max ? (uint64_t)st.st_size : max;
	uint8_t *b = malloc(*size ? *size : 1);
	if (b && probe_read_fd(&fd, b, *size, 0) != (ssize_t)*size) {
		free(b);
		b = NULL;
	}
	close(fd);
	return b;
}

#define LOAD_MAX (16u << 20) /* disk images are made this small, so they fit whole */

/* --- real images --- */

static void test_fs_image(const char *path)
{
	struct cut c = { .fd = open(path, O_RDONLY | O_CLOEXEC) };
	struct stat st;
	struct fs_id full, id;

	if (c.fd < 0 || fstat(c.fd, &st) < 0) {
		CHECK(0, "%s: open", path);
		return;
	}
	answers_start();
	c.size = (uint64_t)st.st_size;
	int r = fs_probe(cut_read, &c, c.size, &full);
	CHECK(r == 1 && sane_string(full.label, sizeof full.label) && sane_string(full.uuid, sizeof full.uuid),
	      "%s: recognised whole (%s)", path, full.type);
	uint64_t end, start;
	int at_end = sb_range(full.type, c.fd, c.size, &start, &end);
	int parts = 0;
	for (unsigned p = 1; p <= 8; p++) {
		struct part_id pid;
		parts += part_probe(cut_read, &c, c.size, 512, p, &pid) != 0;
	}
	/* A hybrid ISO (grub-mkrescue's) is both, on purpose: booted as a CD or as a disk. */
	CHECK(!parts || !strcmp(full.type, "iso9660"), "%s: a filesystem is no partition table", path);

	/* Cuts: every third length up to 4 KiB, around the superblock byte by byte, then every 512 bytes up to
	 * 256 KiB, and random ones up to the full size. */
	unsigned long cuts = 0, early = 0, differ = 0, errors = 0;
	for (int phase = 0; phase < 4; phase++) {
		uint64_t lo = 0, hi = 0, step = 1;
		if (phase == 0)
			hi = 4096, step = 3;
		else if (phase == 1)
			lo = start > 64 ? start - 64 : 0, hi = end + 64;
		else if (phase == 2)
			hi = 256 * 1024, step = 512;
		else
			hi = 300;
		for (uint64_t i = lo; i < hi; i += step) {
			c.size = phase == 3 ? rnd() % ((uint64_t)st.st_size + 1) : i;
			if (c.size > (uint64_t)st.st_size)
				continue;
			r = fs_probe(cut_read, &c, c.size, &id);
			fold_fs(r, &id);
			cuts++;
			errors += r < 0;
			if (at_end)
				continue;
			early += r != 0 && c.size < end;
			/* FAT loses its label when the root directory is cut off, an ISO its Joliet name
			 * when cut before that descriptor (blkid reads what the device holds, too). */
			differ += r == 1 && !same_fs(&id, &full) && strcmp(full.type, "vfat") &&
				  strcmp(full.type, "iso9660");
		}
	}
	CHECK(!c.oob && !errors, "%s: %lu cuts, no read outside the device, no error", path, cuts);
	if (at_end) {
		/* only the reads are judged: a cut moves where the probe looks */
		printf("ok %d - %s: cuts judged by their reads only # SKIP the superblock is found from the end\n",
		       ++tap_count, path);
	} else {
		CHECK(!early, "%s: nothing recognised when cut inside the superblock (%lu times)", path, early);
		CHECK(!differ, "%s: a cut image is either not recognised or the same (%lu differ)", path, differ);
	}
	close(c.fd);

	/* Mutations of the superblock, in memory. */
	uint64_t size;
	uint8_t *b = load(path, LOAD_MAX, &size);
	if (!b || end > size) {
		CHECK(0, "%s: load", path);
		free(b);
		return;
	}
	uint8_t *orig = malloc(end - start);
	memcpy(orig, b + start, end - start);
	struct mem m = { .buf = b, .size = size };
	unsigned long found = 0, insane = 0;
	for (int it = 0; it < 1500; it++) {
		int k = 1 + (int)(rnd() % 8);
		for (int j = 0; j < k; j++) {
			uint64_t pos = start + rnd() % (end - start);
			uint64_t v = rnd();
			b[pos] = (uint8_t)(v % 4 == 0 ? 0 : v % 4 == 1 ? 0xFF : v >> 8);
		}
		if (it & 1)
			fix_fs(b, size, full.type, start, end);
		m.size = it % 5 == 0 ? rnd() % (size + 1) : size;
		r = fs_probe(mem_read, &m, m.size, &id);
		fold_fs(r, &id);
		found += r == 1;
		insane += r == 1 && (!sane_string(id.label, sizeof id.label) || !sane_string(id.type, sizeof id.type) ||
				     strnlen(id.uuid, sizeof id.uuid) == sizeof id.uuid ||
				     !sane_string(id.raid_level, sizeof id.raid_level) ||
				     (*id.raid_level && strcmp(id.type, "linux_raid_member")));
		/* labels may be any bytes on disk; UTF-8 only where the format converts (f2fs) */
		if (r == 1 && strcmp(id.type, "f2fs"))
			insane -= !sane_string(id.label, sizeof id.label);
		memcpy(b + start, orig, end - start);
	}
	CHECK(!m.oob, "%s: 1500 superblock mutations, no read outside the device (%lu still recognised)", path,
	      found);
	CHECK(!insane, "%s: every answer NUL-terminated and bounded", path);
	printf("# answers %s %016llx\n", path, (unsigned long long)answers);
	free(orig);
	free(b);
}

static void test_disk_image(const char *path)
{
	uint64_t size;
	uint8_t *b = load(path, LOAD_MAX, &size);
	struct part_id full[9], id;
	int rfull[9];

	if (!b) {
		CHECK(0, "%s: load", path);
		return;
	}
	answers_start();
	/* The whole file, for the backup header at its end. */
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	fstat(fd, &st);
	struct cut c = { .fd = fd, .size = (uint64_t)st.st_size };
	int n = 0;
	for (unsigned p = 1; p <= 8; p++) {
		rfull[p] = part_probe(cut_read, &c, c.size, 512, p, &full[p]);
		n += rfull[p] == 1;
	}
	CHECK(n > 0 && !c.oob, "%s: %d partitions found whole", path, n);

	/* The primary GPT header destroyed: the backup at the end of the disk gives the same answers. */
	if (!memcmp(b + 512, "EFI PART", 8) && size == (uint64_t)st.st_size) {
		uint8_t save[512];
		struct mem m = { .buf = b, .size = size };
		int same = 1;
		memcpy(save, b + 512, 512);
		memset(b + 512, 0, 512);
		for (unsigned p = 1; p <= 8 && same; p++) {
			int r = part_probe(mem_read, &m, m.size, 512, p, &id);
			same = r == rfull[p] && !strcmp(id.uuid, full[p].uuid) && !strcmp(id.label, full[p].label);
		}
		CHECK(same && !m.oob, "%s: primary GPT header zeroed, the backup header gives the same answers", path);
		memcpy(b + 512, save, 512);
	}

	/* Cuts. */
	unsigned long cuts = 0, errors = 0, differ = 0;
	for (int i = 0; i < 3000; i++) {
		c.size = i < 1024 ? (uint64_t)i * 37 : i < 2000 ? (uint64_t)(i - 1024) * 4096 : rnd() % ((uint64_t)st.st_size + 1);
		if (c.size > (uint64_t)st.st_size)
			continue;
		unsigned p = 1 + (unsigned)(i % 8);
		int r = part_probe(cut_read, &c, c.size, 512, p, &id);
		fold_part(r, &id);
		cuts++;
		errors += r < 0;
		differ += r == 1 && (strcmp(id.uuid, full[p].uuid) || strcmp(id.label, full[p].label));
	}
	CHECK(!c.oob && !errors && !differ, "%s: %lu cuts: no read outside, no error, never a different answer",
	      path, cuts);
	close(fd);

	/* Mutations: the MBR, the GPT header and entries, and every EBR (any sector ending in 55 AA). */
	uint64_t hot[64][2];
	int nhot = 0;
	hot[nhot][0] = 0, hot[nhot][1] = size < 34 * 512 ? size : 34 * 512, nhot++;
	for (uint64_t s = 512; s + 512 <= size && nhot < 64; s += 512)
		if (b[s + 510] == 0x55 && b[s + 511] == 0xAA)
			hot[nhot][0] = s, hot[nhot][1] = s + 512, nhot++;
	uint8_t *orig = malloc(size);
	memcpy(orig, b, size);
	struct mem m = { .buf = b, .size = size };
	unsigned long found = 0;
	for (int it = 0; it < 2000; it++) {
		int k = 1 + (int)(rnd() % 6);
		for (int j = 0; j < k; j++) {
			int h = (int)(rnd() % (uint64_t)nhot);
			uint64_t pos = hot[h][0] + rnd() % (hot[h][1] - hot[h][0]);
			uint64_t v = rnd();
			b[pos] = (uint8_t)(v % 4 == 0 ? 0 : v % 4 == 1 ? 0xFF : v >> 8);
		}
		if (it & 1)
			fix_gpt(b, size);
		m.size = it % 7 == 0 ? rnd() % (size + 1) : size;
		int r = part_probe(mem_read, &m, m.size, 512, 1 + (unsigned)(rnd() % 10), &id);
		fold_part(r, &id);
		found += r == 1;
		for (int h = 0; h < nhot; h++)
			memcpy(b + hot[h][0], orig + hot[h][0], hot[h][1] - hot[h][0]);
		if ((it & 1) && size >= 512) /* fix_gpt also writes the backup header */
			memcpy(b + size - 512, orig + size - 512, 512);
	}
	CHECK(!m.oob, "%s: 2000 table mutations, no read outside the device (%lu found)", path, found);
	printf("# answers %s %016llx\n", path, (unsigned long long)answers);
	free(orig);
	free(b);
}

/* --- built-in cases --- */

static void test_builtin(void)
{
	static uint8_t b[1 << 20];
	struct mem m = { .buf = b, .size = sizeof b };
	struct fs_id id;
	struct part_id pid;

	CHECK(fs_probe(mem_read, &m, 0, &id) == 0 && !*id.type && part_probe(mem_read, &m, 0, 512, 1, &pid) == 0,
	      "an empty device: nothing");
	CHECK(fs_probe(mem_read, &m, sizeof b, &id) == 0 && part_probe(mem_read, &m, sizeof b, 512, 1, &pid) == 0,
	      "a zeroed device: nothing");
	m.fail = 1;
	CHECK(fs_probe(mem_read, &m, sizeof b, &id) == -1 && part_probe(mem_read, &m, sizeof b, 512, 1, &pid) == -1,
	      "a read error is reported as -1");
	m.fail = 0;

	/* Random garbage, with and without a boot signature. */
	unsigned long hits = 0;
	for (int it = 0; it < 300; it++) {
		for (size_t i = 0; i < 128 * 1024; i += 8) {
			uint64_t v = rnd();
			memcpy(b + i, &v, 8);
		}
		if (it & 1)
			b[510] = 0x55, b[511] = 0xAA;
		m.size = rnd() % (128 * 1024);
		hits += fs_probe(mem_read, &m, m.size, &id) != 0;
		hits += part_probe(mem_read, &m, m.size, 512, 1 + (unsigned)(it % 8), &pid) == -1;
	}
	CHECK(!hits && !m.oob, "300 random buffers: nothing recognised, no read outside");
	memset(b, 0, sizeof b);
	m.size = sizeof b;

	/* ext: right magic, absurd block size. */
	b[1024 + 0x38] = 0x53, b[1024 + 0x39] = 0xEF;
	CHECK(fs_probe(mem_read, &m, m.size, &id) == 1 && !strcmp(id.type, "ext2"), "a bare ext magic reads as ext2");
	b[1024 + 0x18] = 40;
	CHECK(fs_probe(mem_read, &m, m.size, &id) == 0, "ext with a block size of 2^50: nothing");
	b[1024 + 0x18] = 0;
	b[1024 + 0x64] = 0x04; /* metadata_csum (0x400) with a wrong checksum */
	b[1024 + 0x65] = 0x04;
	CHECK(fs_probe(mem_read, &m, m.size, &id) == 0, "ext4 with a bad superblock checksum: nothing");
	memset(b, 0, 4096);

	/* btrfs: a 256-byte label without its NUL, checksum right. */
	uint8_t *s = b + 0x10000;
	memcpy(s + 64, "_BHRfS_M", 8);
	s[48 + 2] = 0x01; /* bytenr = 0x10000 */
	memset(s + 0x12B, 'x', 256);
	put_le32(s, ~probe_crc32_update(~0u, CRC32_CASTAGNOLI, s + 32, 4096 - 32));
	CHECK(fs_probe(mem_read, &m, m.size, &id) == 1 && strlen(id.label) == 255,
	      "btrfs label of 256 bytes without a NUL: cut to 255");
	memset(s, 0, 4096);

	/* f2fs: a name of 512 three-byte characters must stop at a character boundary. */
	s = b + 1024;
	put_le32(s, 0xF2F52010u);
	s[4] = 1, s[6] = 10, s[8] = 9, s[16] = 12;
	for (int i = 0; i < 512; i++)
		s[124 + 2 * i] = 0xAC, s[125 + 2 * i] = 0x20; /* U+20AC, the euro sign */
	CHECK(fs_probe(mem_read, &m, m.size, &id) == 1 && strlen(id.label) == 255 && sane_string(id.label, 256),
	      "f2fs name of 512 euro signs: cut to 85 whole characters");
	s[124] = 0x00, s[125] = 0xD8; /* a lone high surrogate */
	s[126] = 'a', s[127] = 0;
	fs_probe(mem_read, &m, m.size, &id);
	CHECK(!strncmp(id.label, "\xEF\xBF\xBD" "a", 4), "a lone surrogate becomes U+FFFD");
	memset(s, 0, 2048);

	/* FAT32 whose root directory chain loops on itself. */
	b[0] = 0xEB, b[0x0B + 1] = 2, b[0x0D] = 1, b[0x0E] = 32, b[0x10] = 2, b[0x15] = 0xF8;
	put_le32(b + 0x20, 2048), put_le32(b + 0x24, 8), put_le32(b + 0x2C, 2);
	put_le32(b + 32 * 512 + 2 * 4, 2); /* FAT[2] = 2 */
	memset(b + (32 + 16) * 512, 0x41, 512); /* cluster 2: entries named AAAA..., attr 0x41: no label */
	m.reads = 0;
	CHECK(fs_probe(mem_read, &m, m.size, &id) == 1 && !strcmp(id.type, "vfat") && m.reads < 300,
	      "FAT32 with a root cluster chain looping on itself: at most 100 clusters walked (%lu reads)", m.reads);
	b[0x0D] = 0;
	CHECK(fs_probe(mem_read, &m, m.size, &id) == 0, "FAT with zero sectors per cluster: nothing");
	memset(b, 0, 64 * 1024);

	/* md 1.2 with the most roles the kernel reads (1920: 4 KiB) and one more, checksums right. */
	s = b + 4096;
	put_le32(s, 0xA92B4EFCu), put_le32(s + 4, 1), s[144] = 8 /* super_offset */, put_le32(s + 72, 1);
	for (uint32_t max_dev = 1920; max_dev <= 1921; max_dev++) {
		put_le32(s + 220, max_dev);
		fix_fs(b, m.size, "linux_raid_member", 4096, 4096 + 257);
		m.oob = 0;
		int r = fs_probe(mem_read, &m, m.size, &id);
		CHECK(max_dev == 1920 ? r == 1 && !strcmp(id.type, "linux_raid_member") && !strcmp(id.raid_level, "1") : r == 0,
		      "md 1.2 with %u roles: %s", max_dev, max_dev == 1920 ? "a member (level 1)" : "nothing, as for the kernel");
	}
	memset(s, 0, 8192);

	/* GPT with 2^32-1 entries and a correct header checksum. */
	b[446 + 4] = 0xEE, b[446 + 8] = 1, b[510] = 0x55, b[511] = 0xAA;
	uint8_t *h = b + 512;
	memcpy(h, "EFI PART", 8);
	put_le32(h + 12, 92), put_le32(h + 24, 1), put_le32(h + 40, 34), put_le32(h + 48, 2000);
	put_le32(h + 72, 2), put_le32(h + 80, 0xFFFFFFFF), put_le32(h + 84, 128);
	put_le32(h + 16, ~probe_crc32_update(~0u, CRC32_IEEE, h, 92));
	m.reads = 0;
	CHECK(part_probe(mem_read, &m, m.size, 512, 1, &pid) == 0 && m.reads < 10,
	      "GPT with 2^32-1 entries: refused without reading them (%lu reads)", m.reads);
	put_le32(h + 80, 128), put_le32(h + 84, 0xFFFFFF80);
	put_le32(h + 16, 0), put_le32(h + 16, ~probe_crc32_update(~0u, CRC32_IEEE, h, 92));
	CHECK(part_probe(mem_read, &m, m.size, 512, 1, &pid) == 0, "GPT with a 4 GiB entry size: nothing");
	memset(b, 0, 64 * 1024);

	/* MBR whose extended chain points back to itself and to its predecessor. */
	b[510] = 0x55, b[511] = 0xAA, put_le32(b + 440, 0xCAFEF00D);
	b[446 + 4] = 0x05, put_le32(b + 446 + 8, 100), put_le32(b + 446 + 12, 1000);
	uint8_t *e = b + 100 * 512; /* EBR 1: a logical, link to EBR 2 at +10 */
	e[510] = 0x55, e[511] = 0xAA;
	e[446 + 4] = 0x83, put_le32(e + 446 + 8, 1), put_le32(e + 446 + 12, 5);
	e[462 + 4] = 0x05, put_le32(e + 462 + 8, 10), put_le32(e + 462 + 12, 10);
	e = b + 110 * 512; /* EBR 2: a logical, link back to EBR 1 */
	e[510] = 0x55, e[511] = 0xAA;
	e[446 + 4] = 0x83, put_le32(e + 446 + 8, 1), put_le32(e + 446 + 12, 5);
	e[462 + 4] = 0x05, put_le32(e + 462 + 8, 0), put_le32(e + 462 + 12, 10);
	CHECK(part_probe(mem_read, &m, m.size, 512, 5, &pid) == 1 && !strcmp(pid.uuid, "cafef00d-05") &&
	      part_probe(mem_read, &m, m.size, 512, 6, &pid) == 1 && !strcmp(pid.uuid, "cafef00d-06"),
	      "MBR logical partitions 5 and 6");
	put_le32(e + 462 + 8, 10); /* EBR 2 now links to itself */
	m.reads = 0;
	CHECK(part_probe(mem_read, &m, m.size, 512, 200, &pid) == 0 && m.reads < 10,
	      "an EBR linking to itself ends the chain (%lu reads)", m.reads);
	b[446] = 0x12;
	CHECK(part_probe(mem_read, &m, m.size, 512, 1, &pid) == 0, "a boot flag other than 0/0x80: not an MBR");
	CHECK(!m.oob, "built-in cases: no read outside the device");
}

int main(int argc, char **argv)
{
	test_builtin();
	for (int i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "fs:", 3))
			test_fs_image(argv[i] + 3);
		else if (!strncmp(argv[i], "disk:", 5))
			test_disk_image(argv[i] + 5);
		else
			CHECK(0, "argument %s: want fs:IMAGE or disk:IMAGE", argv[i]);
	}
	return tap_finish();
}
