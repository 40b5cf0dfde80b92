/* blockprobe_containers.c — the probes of what holds other data rather than files: MD RAID members,
 * LVM2 physical volumes, LUKS volumes, swap areas and hibernation images (blockprobe_containers.h).
 * As in blockprobe.c, every offset and length from the disk is bounded before use and every read goes
 * through probe_read_exact(). The layouts: linux/raid/md_p.h, LVM2's label format, cryptsetup's
 * LUKS1/LUKS2 on-disk format documents and linux/swap.h; what is reported follows blkid's output. */
#include "blockprobe_containers.h"

#include <stdio.h>
#include <string.h>

/* --- containers: MD RAID members, LVM2 physical volumes, LUKS --- */

/* An md member's superblock, as linux/raid/md_p.h lays it out (mdadm's super0.c and super1.c write
 * it). Version 0.90 sits in the last 64 KiB-aligned 64 KiB of the device, in the writer's byte order;
 * version 1 (little-endian) at the end (1.0: 8 KiB before it, 4 KiB aligned), at 0 (1.1) or at 4 KiB
 * (1.2). Where a member's data starts at 0 (0.90, 1.0), the array's filesystem is visible at offset 0
 * as well: that is why the containers are probed first. */
#define MD_MAGIC 0xA92B4EFCu
#define MD_RESERVED 0x10000u
#define MD_V1_MAX_DEV ((4096 - 256) / 2) /* the kernel refuses more: the roles must fit in 4 KiB */

static void md_member(struct fs_id *id, const uint8_t *uuid, int32_t level)
{
	probe_set_type(id, "linux_raid_member");
	probe_set_uuid(id, uuid);
	/* mdadm's numbering: -1 linear, -4 multipath, 0, 1, 4, 5, 6, 10; anything wider is garbage
	 * that would not name a module anyway */
	if (level >= -9 && level <= 99)
		snprintf(id->raid_level, sizeof id->raid_level, "%d", (int)level);
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8), p[3] = (uint8_t)v;
}

/* 1 when a primary MBR entry (an extended one too, as libblkid lists it) holds [START, START + LEN),
 * 0 not (or no MBR), -1 read error. GPT's protective entry covers everything and says nothing. */
static int mbr_covers(probe_read_fn rd, void *ctx, uint64_t size, uint64_t start, uint64_t len)
{
	uint8_t mbr[512];
	int r = probe_read_exact(rd, ctx, size, 0, mbr, sizeof mbr);
	if (r <= 0)
		return r;
	if (mbr[510] != 0x55 || mbr[511] != 0xAA)
		return 0;
	for (int i = 0; i < 4; i++) {
		const uint8_t *e = mbr + 446 + 16 * i;
		uint64_t pstart = (uint64_t)probe_le32(e + 8) * 512, plen = (uint64_t)probe_le32(e + 12) * 512;
		if (e[4] && e[4] != 0xEE && plen && pstart <= start && start + len <= pstart + plen)
			return 1;
	}
	return 0;
}

static int md_v090(probe_read_fn rd, void *ctx, uint64_t size, struct fs_id *id)
{
	uint64_t off = (size & ~(uint64_t)(MD_RESERVED - 1)) - MD_RESERVED;
	uint8_t sb[64];
	int r = probe_read_exact(rd, ctx, size, off, sb, sizeof sb);
	if (r <= 0)
		return r;
	uint32_t (*get)(const uint8_t *);
	if (probe_le32(sb) == MD_MAGIC)
		get = probe_le32;
	else if (probe_be32(sb) == MD_MAGIC)
		get = probe_be32;
	else
		return 0;
	/* The member's data (size in KiB) must fit before the superblock, as libblkid checks. */
	uint64_t data = (uint64_t)get(sb + 32) << 10;
	if (size < data + MD_RESERVED || off < data)
		return 0;
	/* The last partition of an MBR disk often ends where the disk does, and then a member's 0.90
	 * superblock at the partition's end is at the disk's end too: as libblkid does, one inside a
	 * partition the disk's table lists is the partition's, not the whole disk's. (0.90 has no field
	 * saying where it was written; version 1 has super_offset, which tells them apart. GPT's
	 * backup table keeps partitions off the disk's last sectors.) */
	if ((r = mbr_covers(rd, ctx, size, off - data, data + MD_RESERVED)) != 0)
		return r < 0 ? r : 0;
	/* The UUID is four 32-bit words; before minor version 90 only the first one existed. blkid
	 * prints each word most significant byte first, whatever the superblock's byte order. */
	uint8_t uuid[16] = { 0 };
	put_be32(uuid, get(sb + 20));
	if (get(sb + 8) >= 90)
		for (int i = 1; i < 4; i++)
			put_be32(uuid + 4 * i, get(sb + 48 + 4 * i));
	md_member(id, uuid, (int32_t)get(sb + 28));
	return 1;
}

static int md_v1(probe_read_fn rd, void *ctx, uint64_t size, uint64_t off, struct fs_id *id)
{
	uint8_t sb[256 + 2 * MD_V1_MAX_DEV];
	int r = probe_read_exact(rd, ctx, size, off, sb, 256);
	if (r <= 0)
		return r;
	if (probe_le32(sb) != MD_MAGIC || probe_le32(sb + 4) != 1 || probe_le64(sb + 144) != off >> 9)
		return 0;
	/* The checksum covers the 256-byte header and max_dev 16-bit roles, summed as 32-bit words (a last
	 * half word alone), the carry folded once, the field itself left out: the kernel's
	 * calc_sb_1_csum(). Stale bytes of an old member (wiped badly, or a disk reused) fail it. */
	uint32_t max_dev = probe_le32(sb + 220);
	if (max_dev > MD_V1_MAX_DEV)
		return 0;
	size_t len = 256 + 2 * (size_t)max_dev;
	if (len > 256 && (r = probe_read_exact(rd, ctx, size, off + 256, sb + 256, len - 256)) <= 0)
		return r;
	uint64_t sum = 0;
	size_t i;
	for (i = 0; i + 4 <= len; i += 4)
		sum += i == 216 ? 0 : probe_le32(sb + i);
	if (i < len)
		sum += probe_le16(sb + i);
	if ((uint32_t)((sum & 0xFFFFFFFFu) + (sum >> 32)) != probe_le32(sb + 216))
		return 0;
	md_member(id, sb + 16, (int32_t)probe_le32(sb + 72));
	probe_set_label(id, sb + 32, 32); /* the array's name, "host:name" as mdadm writes it */
	return 1;
}

int probe_md(probe_read_fn rd, void *ctx, uint64_t size, struct fs_id *id)
{
	int r;

	/* libblkid's order: the two superblocks at the end only when the device is bigger than 64 KiB,
	 * 0.90 first; then 1.1 and 1.2. */
	if (size > MD_RESERVED) {
		if ((r = md_v090(rd, ctx, size, id)) != 0)
			return r;
		if ((r = md_v1(rd, ctx, size, (size & ~(uint64_t)0xFFF) - 0x2000, id)) != 0)
			return r;
	}
	if ((r = md_v1(rd, ctx, size, 0, id)) != 0)
		return r;
	return md_v1(rd, ctx, size, 0x1000, id);
}

/* A UUID written as text on disk (LVM's, LUKS'): printable ASCII only, else left out; the type still
 * tells what the device is. */
static void set_text_uuid(struct fs_id *id, const uint8_t *s, size_t len)
{
	char u[sizeof id->uuid];
	size_t n = 0;

	for (; n < len && n < sizeof u - 1 && s[n]; n++) {
		if (s[n] < 0x20 || s[n] > 0x7E)
			return;
		u[n] = (char)s[n];
	}
	u[n] = 0;
	probe_rtrim(u);
	memcpy(id->uuid, u, sizeof u);
}

/* LVM2's label (lib/label/label.c): "LABELONE" in one of the first four sectors, which names itself,
 * a CRC of the rest of its sector, type "LVM2 001", then the PV header with the 32-character UUID. */
#define LVM_CRC_INIT 0xF597A6CFu

int probe_lvm2(probe_read_fn rd, void *ctx, uint64_t size, struct fs_id *id)
{
	uint8_t s[512];

	for (unsigned sector = 0; sector < 4; sector++) {
		int r = probe_read_exact(rd, ctx, size, (uint64_t)sector * 512, s, sizeof s);
		if (r <= 0)
			return r;
		if (memcmp(s, "LABELONE", 8) || memcmp(s + 24, "LVM2 001", 8) || probe_le64(s + 8) != sector ||
		    probe_crc32_update(LVM_CRC_INIT, CRC32_IEEE, s + 20, sizeof s - 20) != probe_le32(s + 16))
			continue;
		probe_set_type(id, "LVM2_member");
		/* blkid prints it in LVM's groups: 6-4-4-4-4-4-6 */
		uint8_t u[38];
		for (unsigned i = 0, o = 0; i < 32; i++) {
			if (i == 6 || i == 10 || i == 14 || i == 18 || i == 22 || i == 26)
				u[o++] = '-';
			u[o++] = s[32 + i];
		}
		if (memchr(s + 32, 0, 32) == NULL)
			set_text_uuid(id, u, sizeof u);
		return 1;
	}
	return 0;
}

/* LUKS1 and LUKS2 (cryptsetup's docs/on-disk-format*.pdf): "LUKS\xba\xbe", a big-endian version, the
 * UUID as text at 0xa8 in both; LUKS2 adds a label at 0x18 and its own offset at 0x100, and keeps a
 * second header ("SKUL\xba\xbe") at one of nine offsets, which blkid looks for when the first one is
 * damaged. */
#define LUKS_HDR 512

static const uint64_t luks2_secondary[] = { 0x4000, 0x8000, 0x10000, 0x20000, 0x40000, 0x80000, 0x100000,
					    0x200000, 0x400000 };

static int luks_hdr(const uint8_t *h, const char *magic, uint64_t off)
{
	return !memcmp(h, magic, 6) && (probe_be16(h + 6) != 2 || probe_be64(h + 0x100) == off);
}

int probe_luks(probe_read_fn rd, void *ctx, uint64_t size, struct fs_id *id)
{
	uint8_t h[LUKS_HDR];
	int r = probe_read_exact(rd, ctx, size, 0, h, sizeof h);
	if (r <= 0)
		return r;
	if (!luks_hdr(h, "LUKS\xba\xbe", 0)) {
		size_t i;
		for (i = 0; i < sizeof luks2_secondary / sizeof luks2_secondary[0]; i++) {
			r = probe_read_exact(rd, ctx, size, luks2_secondary[i], h, sizeof h);
			if (r <= 0)
				return r;
			if (luks_hdr(h, "SKUL\xba\xbe", luks2_secondary[i]))
				break;
		}
		if (i == sizeof luks2_secondary / sizeof luks2_secondary[0])
			return 0;
	}
	probe_set_type(id, "crypto_LUKS");
	unsigned version = probe_be16(h + 6);
	if (version == 1 || version == 2)
		set_text_uuid(id, h + 0xA8, 40);
	if (version == 2)
		probe_set_label(id, h + 0x18, 48);
	return 1;
}

/* --- swap areas and hibernation images --- */

/* The signature ends the first page, whatever the page size of the machine that wrote it; libblkid
 * looks at 4 KiB to 64 KiB pages, and wants ten pages at least. The version-1 header at 1 KiB holds
 * the UUID and label (include/linux/swap.h's swap_header). A hibernation image rewrites the signature
 * (the kernel's S1SUSPEND; uswsusp's ULSUSPEND, S2SUSPEND; LINHIB0001) and keeps the rest of the page;
 * TuxOnIce puts its own magic at 0. */
#define SWAP_MIN_SIZE (10 * 4096)
#define SWAP_HDR 1024
#define SWAP_HDR_LEN 516
#define TOI_MAGIC "\xed\xc3\x02\xe9\x98\x56\xe5\x0c"

static const uint32_t swap_pages[] = { 0x1000, 0x2000, 0x4000, 0x8000, 0x10000 };

/* The header's UUID and label, where the swap header is there (libblkid's check: two words of its
 * padding zero). CHECK_V1: SWAPSPACE2's version and last page must be right, too. */
static int swap_header(probe_read_fn rd, void *ctx, uint64_t size, int check_v1, struct fs_id *id)
{
	uint8_t h[SWAP_HDR_LEN];
	int r = probe_read_exact(rd, ctx, size, SWAP_HDR, h, sizeof h);
	if (r <= 0)
		return r;
	if (check_v1 && ((probe_le32(h) != 1 && probe_be32(h) != 1) || !probe_le32(h + 4)))
		return 0;
	if (!probe_le32(h + 44 + 32 * 4) && !probe_le32(h + 44 + 33 * 4)) {
		if (h[28])
			probe_set_label(id, h + 28, 16);
		probe_set_uuid(id, h + 12);
	}
	return 1;
}

/* 1 and *WHICH the signature (an index into SIGS) at the end of the first page of any size, 0 none. */
static int swap_sig(probe_read_fn rd, void *ctx, uint64_t size, const char *const *sigs, size_t nsigs, size_t *which)
{
	for (size_t p = 0; p < sizeof swap_pages / sizeof swap_pages[0]; p++) {
		uint8_t s[10];
		int r = probe_read_exact(rd, ctx, size, swap_pages[p] - sizeof s, s, sizeof s);
		if (r <= 0)
			return r;
		for (size_t i = 0; i < nsigs; i++)
			if (!memcmp(s, sigs[i], strlen(sigs[i]))) {
				*which = i;
				return 1;
			}
	}
	return 0;
}

int probe_swsuspend(probe_read_fn rd, void *ctx, uint64_t size, struct fs_id *id)
{
	static const char *const sigs[] = { "S1SUSPEND", "S2SUSPEND", "ULSUSPEND", "LINHIB0001" };
	uint8_t toi[8];
	size_t which;

	if (size < SWAP_MIN_SIZE)
		return 0;
	int r = probe_read_exact(rd, ctx, size, 0, toi, sizeof toi);
	if (r <= 0)
		return r;
	if (memcmp(toi, TOI_MAGIC, sizeof toi) && (r = swap_sig(rd, ctx, size, sigs, 4, &which)) <= 0)
		return r;
	if ((r = swap_header(rd, ctx, size, 0, id)) > 0)
		probe_set_type(id, "swsuspend");
	return r;
}

int probe_swap(probe_read_fn rd, void *ctx, uint64_t size, struct fs_id *id)
{
	static const char *const sigs[] = { "SWAP-SPACE", "SWAPSPACE2" };
	uint8_t toi[8];
	size_t which = 0; /* swap_sig() sets it when it returns 1; gcc -O2 cannot see that (-Werror) */

	if (size < SWAP_MIN_SIZE)
		return 0;
	int r = probe_read_exact(rd, ctx, size, 0, toi, sizeof toi);
	if (r <= 0 || !memcmp(toi, TOI_MAGIC, sizeof toi)) /* TuxOnIce keeps the swap signature: not swap */
		return r < 0 ? r : 0;
	if ((r = swap_sig(rd, ctx, size, sigs, 2, &which)) <= 0)
		return r;
	if (which == 1 && (r = swap_header(rd, ctx, size, 1, id)) <= 0) /* version 0: no UUID, no label */
		return r;
	probe_set_type(id, "swap");
	return 1;
}
