/* partitions.c — see partitions.h. Layouts from the UEFI specification (GPT, chapter 5) and the classic
 * PC partition table; numbering as Linux's block layer does it: GPT partition N is entry N-1 of the
 * array (empty entries keep their number), MBR 1-4 are the primary slots, 5 and up the logical
 * partitions in the order of the extended partitions' chain. The GPT wins when it is valid and a
 * protective MBR announces it, as for the kernel. */
#include "partitions.h"

#include <stdio.h>
#include <string.h>

#define GPT_HEADER_MIN 92
#define GPT_ENTRY_MIN 128
#define GPT_ENTRY_MAX 4096
#define GPT_ARRAY_MAX (4u << 20) /* the spec reserves 16 KiB; anything past a few MiB is garbage */
#define MBR_TYPE_GPT 0xEE
#define MAX_LOGICAL 256 /* Linux's limit on the partitions of one disk */

static int mbr_read(probe_read_fn rd, void *ctx, uint64_t size, uint64_t off, uint8_t *mbr)
{
	int r = probe_read_exact(rd, ctx, size, off, mbr, 512);
	if (r <= 0)
		return r;
	return mbr[510] == 0x55 && mbr[511] == 0xAA;
}

static int is_extended(uint8_t type) { return type == 0x05 || type == 0x0F || type == 0x85; }

/* The GPT header at LBA, checked: 1 valid (HDR filled, its first 92 bytes), 0 not, -1 read error. */
static int gpt_header(probe_read_fn rd, void *ctx, uint64_t size, unsigned sector, uint64_t lba, uint8_t *hdr)
{
	uint64_t last_lba = size / sector - 1;
	int r = probe_read_exact(rd, ctx, size, lba * sector, hdr, GPT_HEADER_MIN);
	if (r <= 0)
		return r;
	if (memcmp(hdr, "EFI PART", 8))
		return 0;
	uint32_t hsize = probe_le32(hdr + 12);
	if (hsize < GPT_HEADER_MIN || hsize > sector || probe_le64(hdr + 24) != lba)
		return 0;
	uint32_t crc = ~0u;
	r = probe_crc32_range(rd, ctx, size, lba * sector, hsize, 16, 4, CRC32_IEEE, &crc);
	if (r <= 0)
		return r;
	if (~crc != probe_le32(hdr + 16))
		return 0;
	uint64_t first = probe_le64(hdr + 40), last = probe_le64(hdr + 48), array = probe_le64(hdr + 72);
	uint32_t n = probe_le32(hdr + 80), esize = probe_le32(hdr + 84);
	if (first > last || last > last_lba || array < 2 || array > last_lba)
		return 0;
	if (esize < GPT_ENTRY_MIN || esize > GPT_ENTRY_MAX || esize % GPT_ENTRY_MIN || !n ||
	    (uint64_t)n * esize > GPT_ARRAY_MAX)
		return 0;
	crc = ~0u;
	r = probe_crc32_range(rd, ctx, size, array * sector, (uint64_t)n * esize, 0, 0, CRC32_IEEE, &crc);
	if (r <= 0)
		return r;
	return ~crc == probe_le32(hdr + 88);
}

/* 1 found, 0 not, -1 error, 2 no valid GPT on this disk. */
static int gpt_probe(probe_read_fn rd, void *ctx, uint64_t size, unsigned sector, unsigned partno,
		     const uint8_t *mbr, struct part_id *id)
{
	static const uint8_t zero[16];
	uint8_t hdr[GPT_HEADER_MIN], e[GPT_ENTRY_MIN];
	int pmbr = 0;

	for (int i = 0; i < 4; i++)
		pmbr |= mbr[446 + 16 * i + 4] == MBR_TYPE_GPT;
	if (!pmbr || size / sector < 3)
		return 2;
	/* The primary header, or else the backup in the last sector. */
	int r = gpt_header(rd, ctx, size, sector, 1, hdr);
	if (r == 0)
		r = gpt_header(rd, ctx, size, sector, size / sector - 1, hdr);
	if (r < 0)
		return r;
	if (r == 0)
		return 2;
	uint64_t last = probe_le64(hdr + 48), array = probe_le64(hdr + 72);
	uint32_t n = probe_le32(hdr + 80), esize = probe_le32(hdr + 84);
	if (partno > n)
		return 0;
	r = probe_read_exact(rd, ctx, size, array * sector + (uint64_t)(partno - 1) * esize, e, sizeof e);
	if (r <= 0)
		return r;
	uint64_t start = probe_le64(e + 32), end = probe_le64(e + 40);
	if (!memcmp(e, zero, 16) || start > end || end > last)
		return 0; /* unused, or an entry the kernel would not create */
	probe_format_uuid(id->uuid, e + 16, 1);
	probe_utf16le_to_utf8(id->label, sizeof id->label, e + 56, 72);
	probe_rtrim(id->label);
	return 1;
}

static void mbr_id(struct part_id *id, uint32_t sig, unsigned partno)
{
	/* blkid derives no PARTUUID from a zero disk signature. */
	if (sig)
		snprintf(id->uuid, sizeof id->uuid, "%08x-%02x", sig, partno);
}

/* Walk the chain of extended boot records of the extended partition starting at sector BASE, numbering
 * its logical partitions from *NEXT on. 1 found PARTNO, 0 not, -1 error. */
static int mbr_logical(probe_read_fn rd, void *ctx, uint64_t size, unsigned sector, uint64_t base,
		       uint64_t ext_sectors, unsigned partno, unsigned *next)
{
	uint8_t ebr[512];
	uint64_t cur = base;

	for (int hops = 0; hops < MAX_LOGICAL && *next <= partno; hops++) {
		int r = mbr_read(rd, ctx, size, cur * sector, ebr);
		if (r <= 0)
			return r;
		uint64_t link = 0;
		for (int i = 0; i < 4; i++) {
			const uint8_t *p = ebr + 446 + 16 * i;
			uint64_t start = probe_le32(p + 8), n = probe_le32(p + 12);
			if (!n)
				continue;
			if (is_extended(p[4])) {
				if (!link)
					link = start ? start : UINT64_MAX;
				continue;
			}
			/* The third and fourth slots of an EBR are often garbage: count them only when they
			 * lie inside the extended partition. */
			if (i >= 2 && (cur + start < base || cur + start + n > base + ext_sectors))
				continue;
			if ((*next)++ == partno)
				return 1;
		}
		/* The link is relative to the start of the outermost extended partition. */
		if (!link || link == UINT64_MAX || base + link == cur)
			return 0;
		cur = base + link;
	}
	return 0;
}

static int mbr_probe(probe_read_fn rd, void *ctx, uint64_t size, unsigned sector, unsigned partno,
		     const uint8_t *mbr, struct part_id *id)
{
	uint32_t sig = probe_le32(mbr + 440);

	for (int i = 0; i < 4; i++) {
		const uint8_t *p = mbr + 446 + 16 * i;
		if (p[0] != 0 && p[0] != 0x80)
			return 0; /* not a partition table (a FAT boot sector, most likely) */
		if (p[4] == MBR_TYPE_GPT)
			return 0; /* a GPT disk whose GPT is broken: no partitions */
	}
	if (partno <= 4) {
		const uint8_t *p = mbr + 446 + 16 * (partno - 1);
		if (!probe_le32(p + 12))
			return 0;
		mbr_id(id, sig, partno);
		return 1;
	}
	unsigned next = 5;
	for (int i = 0; i < 4; i++) {
		const uint8_t *p = mbr + 446 + 16 * i;
		uint64_t start = probe_le32(p + 8), n = probe_le32(p + 12);
		if (!n || !is_extended(p[4]) || !start)
			continue;
		int r = mbr_logical(rd, ctx, size, sector, start, n, partno, &next);
		if (r < 0)
			return r;
		if (r) {
			mbr_id(id, sig, partno);
			return 1;
		}
	}
	return 0;
}

int part_probe(probe_read_fn rd, void *ctx, uint64_t size, unsigned sector, unsigned partno, struct part_id *id)
{
	uint8_t mbr[512];

	memset(id, 0, sizeof *id);
	if (!partno || partno > MAX_LOGICAL || sector < 512 || sector > 65536 || (sector & (sector - 1)))
		return 0;
	int r = mbr_read(rd, ctx, size, 0, mbr);
	if (r <= 0)
		return r;
	r = gpt_probe(rd, ctx, size, sector, partno, mbr, id);
	if (r == 2)
		r = mbr_probe(rd, ctx, size, sector, partno, mbr, id);
	if (r != 1)
		memset(id, 0, sizeof *id);
	return r;
}
