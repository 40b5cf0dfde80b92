/* blockprobe.c — see blockprobe.h. Each probe reads a fixed-size superblock into a buffer on the stack
 * and trusts no field in it: every offset and length taken from the disk is bounded before use, and
 * every read goes through probe_read_exact(), which refuses anything outside [0, size).
 * The layouts come from the filesystems' own documentation (ext4 wiki "Ext4 Disk Layout", XFS
 * "Algorithms & Data Structures", btrfs "On-disk Format", Microsoft's FAT specification, the f2fs,
 * squashfs and erofs kernel documentation, ECMA-119 and Microsoft's Joliet specification); the choices
 * about what to report follow blkid's output. The containers and swap, probed first, are in
 * blockprobe_containers.c; what every probe shares in blockprobe_util.c. */
#include "blockprobe.h"
#include "blockprobe_containers.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* --- helpers --- */

int fs_probe_path(const char *path, struct fs_id *id, uint64_t *size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	off_t end;
	int r = -1;

	memset(id, 0, sizeof *id);
	if (fd < 0)
		return -1;
	if ((end = lseek(fd, 0, SEEK_END)) >= 0) {
		if (size)
			*size = (uint64_t)end;
		r = fs_probe(probe_read_fd, &fd, (uint64_t)end, id);
	}
	close(fd);
	return r;
}

ssize_t probe_read_fd(void *ctx, void *buf, size_t len, uint64_t off)
{
	int fd = *(int *)ctx;
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done, (off_t)(off + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

static size_t put_utf8(char *out, size_t room, uint32_t c)
{
	char tmp[4];
	size_t n;

	if (c < 0x80) {
		tmp[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		tmp[0] = (char)(0xC0 | c >> 6);
		tmp[1] = (char)(0x80 | (c & 0x3F));
		n = 2;
	} else if (c < 0x10000) {
		tmp[0] = (char)(0xE0 | c >> 12);
		tmp[1] = (char)(0x80 | (c >> 6 & 0x3F));
		tmp[2] = (char)(0x80 | (c & 0x3F));
		n = 3;
	} else {
		tmp[0] = (char)(0xF0 | c >> 18);
		tmp[1] = (char)(0x80 | (c >> 12 & 0x3F));
		tmp[2] = (char)(0x80 | (c >> 6 & 0x3F));
		tmp[3] = (char)(0x80 | (c & 0x3F));
		n = 4;
	}
	if (n > room)
		return 0; /* truncate at a character boundary, never in the middle of one */
	memcpy(out, tmp, n);
	return n;
}

/* UTF-16 in either byte order (BE: Joliet) to UTF-8; see probe_utf16le_to_utf8(). */
static void utf16_to_utf8(char *out, size_t outsize, const uint8_t *in, size_t inlen, int be)
{
	size_t o = 0;

	if (!outsize)
		return;
	for (size_t i = 0; i + 1 < inlen; i += 2) {
		uint32_t c = be ? probe_be16(in + i) : probe_le16(in + i);
		if (!c)
			break;
		if (c >= 0xD800 && c < 0xDC00 && i + 3 < inlen) {
			uint32_t lo = be ? probe_be16(in + i + 2) : probe_le16(in + i + 2);
			if (lo >= 0xDC00 && lo < 0xE000) {
				c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
				i += 2;
			} else {
				c = 0xFFFD;
			}
		} else if (c >= 0xD800 && c < 0xE000) {
			c = 0xFFFD;
		}
		size_t n = put_utf8(out + o, outsize - 1 - o, c);
		if (!n)
			break;
		o += n;
	}
	out[o] = 0;
}

void probe_utf16le_to_utf8(char *out, size_t outsize, const uint8_t *in, size_t inlen)
{
	utf16_to_utf8(out, outsize, in, inlen, 0);
}

static int is_pow2(uint64_t v) { return v && !(v & (v - 1)); }

static unsigned log2u(uint64_t v)
{
	unsigned l = 0;
	while (v > 1) {
		v >>= 1;
		l++;
	}
	return l;
}

/* --- ext2/3/4 --- */

#define EXT_SB_OFF 1024
#define EXT_MAGIC 0xEF53
#define EXT_COMPAT_HAS_JOURNAL 0x0004
#define EXT_INCOMPAT_FILETYPE 0x0002
#define EXT_INCOMPAT_RECOVER 0x0004
#define EXT_INCOMPAT_JOURNAL_DEV 0x0008
#define EXT_INCOMPAT_META_BG 0x0010
#define EXT_RO_COMPAT_METADATA_CSUM 0x0400
#define EXT_FLAGS_TEST_FILESYS 0x0004
/* What the ext2 and ext3 drivers understood: anything beyond makes the filesystem ext4. */
#define EXT2_RO_SUPP 0x0007 /* sparse_super, large_file, btree_dir */
#define EXT2_INCOMPAT_SUPP (EXT_INCOMPAT_FILETYPE | EXT_INCOMPAT_META_BG)
#define EXT3_RO_SUPP EXT2_RO_SUPP
#define EXT3_INCOMPAT_SUPP (EXT_INCOMPAT_FILETYPE | EXT_INCOMPAT_RECOVER | EXT_INCOMPAT_META_BG)

static int probe_ext(probe_read_fn rd, void *ctx, uint64_t size, struct fs_id *id)
{
	uint8_t sb[1024];
	int r = probe_read_exact(rd, ctx, size, EXT_SB_OFF, sb, sizeof sb);
	if (r <= 0)
		return r;
	if (probe_le16(sb + 0x38) != EXT_MAGIC || probe_le32(sb + 0x18) > 6)
		return 0;
	uint32_t compat = probe_le32(sb + 0x5C), incompat = probe_le32(sb + 0x60), ro = probe_le32(sb + 0x64);
	if (incompat & EXT_INCOMPAT_JOURNAL_DEV)
		return 0; /* an external journal, not a filesystem */
	/* With metadata_csum the superblock carries a CRC32C of itself: a mismatch means stale or
	 * damaged, and the kernel will not mount it, so it is no candidate root (`blkid -p` 2.38 still
	 * prints it; the xfs and btrfs checks below are the same choice). */
	if ((ro & EXT_RO_COMPAT_METADATA_CSUM) &&
	    probe_crc32_update(~0u, CRC32_CASTAGNOLI, sb, 0x3FC) != probe_le32(sb + 0x3FC))
		return 0;

	int journal = !!(compat & EXT_COMPAT_HAS_JOURNAL);
	int ext3_features = !(ro & ~EXT3_RO_SUPP) && !(incompat & ~EXT3_INCOMPAT_SUPP);
	if (!ext3_features)
		probe_set_type(id, probe_le32(sb + 0x160) & EXT_FLAGS_TEST_FILESYS ? "ext4dev" : "ext4");
	else if (journal)
		probe_set_type(id, "ext3");
	else if (!(ro & ~EXT2_RO_SUPP) && !(incompat & ~EXT2_INCOMPAT_SUPP))
		probe_set_type(id, "ext2");
	else
		return 0; /* ext3 features without a journal: none of the three */
	probe_set_uuid(id, sb + 0x68);
	probe_set_label(id, sb + 0x78, 16);
	return 1;
}

/* --- XFS --- */

static int probe_xfs(probe_read_fn rd, void *ctx, uint64_t size, struct fs_id *id)
{
	uint8_t sb[512];
	int r = probe_read_exact(rd, ctx, size, 0, sb, sizeof sb);
	if (r <= 0)
		return r;
	if (memcmp(sb, "XFSB", 4))
		return 0;
	uint32_t bsize = probe_be32(sb + 4), agcount = probe_be32(sb + 88), agblocks = probe_be32(sb + 84);
	uint16_t sectsize = probe_be16(sb + 102), inodesize = probe_be16(sb + 104), version = probe_be16(sb + 100);
	uint64_t dblocks = probe_be64(sb + 8);
	if (!is_pow2(bsize) || bsize < 512 || bsize > 65536 || sb[120] != log2u(bsize) ||
	    !is_pow2(sectsize) || sectsize < 512 || sectsize > 32768 || sb[121] != log2u(sectsize) ||
	    !is_pow2(inodesize) || inodesize < 256 || inodesize > 2048 || !agcount || !agblocks ||
	    !dblocks || sb[126] /* mkfs still in progress */)
		return 0;
	if ((version & 0xF) == 5) {
		/* Version 5 superblocks carry a CRC32C over the sector, the field itself taken as zero. */
		uint32_t crc = ~0u;
		r = probe_crc32_range(rd, ctx, size, 0, sectsize, 224, 4, CRC32_CASTAGNOLI, &crc);
		if (r <= 0)
			return r;
		if (~crc != probe_le32(sb + 224))
			return 0;
	}
	probe_set_type(id, "xfs");
	probe_set_uuid(id, sb + 32);
	probe_set_label(id, sb + 108, 12);
	return 1;
}

/* --- btrfs --- */

#define BTRFS_SB_OFF 0x10000
#define BTRFS_SB_SIZE 4096

static int probe_btrfs(probe_read_fn rd, void *ctx, uint64_t size, struct fs_id *id)
{
	uint8_t sb[BTRFS_SB_SIZE];
	int r = probe_read_exact(rd, ctx, size, BTRFS_SB_OFF, sb, sizeof sb);
	if (r <= 0)
		return r;
	if (memcmp(sb + 64, "_BHRfS_M", 8) || probe_le64(sb + 48) != BTRFS_SB_OFF)
		return 0;
	/* csum_type 0 is CRC32C over everything after the 32-byte checksum area; other types (xxhash,
	 * sha256, blake2) are not checked here. */
	if (probe_le16(sb + 196) == 0 &&
	    ~probe_crc32_update(~0u, CRC32_CASTAGNOLI, sb + 32, sizeof sb - 32) != probe_le32(sb))
		return 0;
	probe_set_type(id, "btrfs");
	probe_set_uuid(id, sb + 32);
	probe_set_label(id, sb + 0x12B, 256);
	return 1;
}

/* --- FAT12/16/32 --- */

/* How much of the root directory we look through for the label: the label entry comes first in every
 * directory a formatter writes, and garbage must not make us read megabytes at boot. */
#define FAT_MAX_DIR_CLUSTERS 100
#define FAT_MAX_DIR_BYTES (1u << 20)

/* The first volume-label entry in LEN bytes of directory at OFF: 1 found (LABEL filled, 11 bytes),
 * 0 not there, 2 the end-of-directory mark was met, -1 read error. */
static int fat_scan_dir(probe_read_fn rd, void *ctx, uint64_t size, uint64_t off, uint64_t len, uint8_t *label)
{
	uint8_t buf[4096];

	for (uint64_t pos = 0; pos < len; pos += sizeof buf) {
		size_t n = len - pos < sizeof buf ? (size_t)(len - pos) : sizeof buf;
		int r = probe_read_exact(rd, ctx, size, off + pos, buf, n);
		if (r <= 0)
			return r;
		for (size_t i = 0; i + 32 <= n; i += 32) {
			const uint8_t *e = buf + i;
			uint8_t attr = e[11];
			if (e[0] == 0)
				return 2;
			if (e[0] == 0xE5 || (attr & 0x0F) == 0x0F || (attr & 0x18) != 0x08)
				continue; /* deleted, a long-name piece, or not a volume label */
			memcpy(label, e, 11);
			if (label[0] == 0x05) /* a name starting with byte 0xE5 is stored as 0x05 */
				label[0] = 0xE5;
			return 1;
		}
	}
	return 0;
}

static int probe_vfat(probe_read_fn rd, void *ctx, uint64_t size, struct fs_id *id)
{
	uint8_t bs[512];
	int r = probe_read_exact(rd, ctx, size, 0, bs, sizeof bs);
	if (r <= 0)
		return r;
	int named = !memcmp(bs + 0x52, "MSWIN", 5) || !memcmp(bs + 0x52, "FAT32   ", 8) ||
		    !memcmp(bs + 0x36, "MSDOS", 5) || !memcmp(bs + 0x36, "FAT16   ", 8) ||
		    !memcmp(bs + 0x36, "FAT12   ", 8) || !memcmp(bs + 0x36, "FAT     ", 8);
	if (!named && bs[0] != 0xEB && bs[0] != 0xE9)
		return 0;
	/* The BIOS parameter block must make sense: this is what separates a FAT boot sector from any
	 * other sector that happens to start with a jump. */
	uint32_t ssize = probe_le16(bs + 0x0B), spc = bs[0x0D], reserved = probe_le16(bs + 0x0E);
	uint32_t nfats = bs[0x10], root_entries = probe_le16(bs + 0x11), media = bs[0x15];
	uint64_t total = probe_le16(bs + 0x13) ? probe_le16(bs + 0x13) : probe_le32(bs + 0x20);
	int fat32 = probe_le16(bs + 0x16) == 0;
	uint64_t fat_len = fat32 ? probe_le32(bs + 0x24) : probe_le16(bs + 0x16);
	if (!is_pow2(ssize) || ssize < 512 || ssize > 4096 || !is_pow2(spc) || !reserved || !nfats ||
	    nfats > 4 || (media != 0xF0 && media < 0xF8) || !fat_len || !total)
		return 0;
	if (fat32 && root_entries)
		return 0;
	uint64_t root_sectors = ((uint64_t)root_entries * 32 + ssize - 1) / ssize;
	uint64_t fat_start = reserved, root_start = fat_start + nfats * fat_len;
	uint64_t data_start = root_start + root_sectors;
	if (total <= data_start)
		return 0;
	uint64_t clusters = (total - data_start) / spc;

	uint8_t vol_label[11];
	int have_vol = 0;
	const uint8_t *ext = fat32 ? bs + 0x42 : bs + 0x26; /* extended boot signature, then the serial */
	if ((ext[0] == 0x29 || ext[0] == 0x28) && probe_le32(ext + 1))
		snprintf(id->uuid, sizeof id->uuid, "%02X%02X-%02X%02X", ext[4], ext[3], ext[2], ext[1]);

	/* LABEL is the root directory's volume entry, the copy that relabelling tools keep current;
	 * blkid reports the boot sector's copy only as LABEL_FATBOOT, so we do not use it at all.
	 * "NO NAME" stays a label there, as blkid has it. */
	if (!fat32) {
		uint64_t len = (uint64_t)root_entries * 32;
		r = fat_scan_dir(rd, ctx, size, root_start * ssize, len < FAT_MAX_DIR_BYTES ? len : FAT_MAX_DIR_BYTES,
				 vol_label);
		if (r < 0)
			return r;
		have_vol = r == 1;
	} else {
		uint64_t csize = (uint64_t)spc * ssize;
		uint32_t c = probe_le32(bs + 0x2C) & 0x0FFFFFFF;
		for (uint64_t loops = 0; loops < FAT_MAX_DIR_CLUSTERS && loops * csize < FAT_MAX_DIR_BYTES; loops++) {
			if (c < 2 || c >= clusters + 2)
				break;
			r = fat_scan_dir(rd, ctx, size, (data_start + (uint64_t)(c - 2) * spc) * ssize, csize,
					 vol_label);
			if (r < 0)
				return r;
			if (r) {
				have_vol = r == 1;
				break;
			}
			uint8_t next[4];
			uint64_t foff = fat_start * ssize + (uint64_t)c * 4;
			if (foff + 4 > (fat_start + fat_len) * ssize)
				break;
			r = probe_read_exact(rd, ctx, size, foff, next, 4);
			if (r < 0)
				return r;
			if (!r)
				break;
			c = probe_le32(next) & 0x0FFFFFFF;
		}
	}
	probe_set_type(id, "vfat");
	if (have_vol)
		probe_set_label(id, vol_label, 11);
	return 1;
}

/* --- f2fs --- */

#define F2FS_SB_OFF 1024
#define F2FS_MAGIC 0xF2F52010u
#define F2FS_SB_READ (124 + 512 * 2) /* up to the end of the UTF-16 volume name */

static int probe_f2fs(probe_read_fn rd, void *ctx, uint64_t size, struct fs_id *id)
{
	uint8_t sb[F2FS_SB_READ];
	int r = probe_read_exact(rd, ctx, size, F2FS_SB_OFF, sb, sizeof sb);
	if (r <= 0)
		return r;
	if (probe_le32(sb) != F2FS_MAGIC)
		return 0;
	uint32_t log_sector = probe_le32(sb + 8), log_block = probe_le32(sb + 16);
	if (log_sector < 9 || log_sector > 12 || log_block < 9 || log_block > 16)
		return 0;
	probe_set_type(id, "f2fs");
	/* Version 1.0 predates the UUID and the name: blkid reports the type alone. */
	if (probe_le16(sb + 4) == 1 && probe_le16(sb + 6) == 0)
		return 1;
	probe_set_uuid(id, sb + 108);
	probe_utf16le_to_utf8(id->label, sizeof id->label, sb + 124, 512 * 2);
	probe_rtrim(id->label);
	return 1;
}

/* --- squashfs --- */

static int probe_squashfs(probe_read_fn rd, void *ctx, uint64_t size, struct fs_id *id)
{
	uint8_t sb[32];
	int r = probe_read_exact(rd, ctx, size, 0, sb, sizeof sb);
	if (r <= 0)
		return r;
	unsigned major;
	if (!memcmp(sb, "hsqs", 4))
		major = probe_le16(sb + 28);
	else if (!memcmp(sb, "sqsh", 4))
		major = probe_be16(sb + 28);
	else
		return 0;
	if (major >= 4 && !memcmp(sb, "hsqs", 4))
		probe_set_type(id, "squashfs");
	else if (major >= 1 && major < 4)
		probe_set_type(id, "squashfs3"); /* what blkid calls the old format; the kernel cannot mount it */
	else
		return 0;
	return 1;
}

/* --- erofs --- */

#define EROFS_SB_OFF 1024
#define EROFS_MAGIC 0xE0F5E1E2u

static int probe_erofs(probe_read_fn rd, void *ctx, uint64_t size, struct fs_id *id)
{
	uint8_t sb[128];
	int r = probe_read_exact(rd, ctx, size, EROFS_SB_OFF, sb, sizeof sb);
	if (r <= 0)
		return r;
	if (probe_le32(sb) != EROFS_MAGIC || sb[12] < 9 || sb[12] > 16)
		return 0;
	probe_set_type(id, "erofs");
	probe_set_uuid(id, sb + 48);
	probe_set_label(id, sb + 64, 16);
	return 1;
}

/* --- ISO 9660 (ECMA-119), with the Joliet extension --- */

/* The volume descriptors start at 32 KiB, one per 2048-byte sector, whether the image is a CD or a
 * whole disk whose first sectors hold an isohybrid MBR or GPT: the system area before them is free. */
#define ISO_VD_OFF 0x8000
#define ISO_VD_SIZE 2048
#define ISO_VD_MAX 16 /* descriptors looked at for the primary and Joliet ones, as blkid bounds it */
#define ISO_VD_PRIMARY 1
#define ISO_VD_SUPPLEMENTARY 2
#define ISO_VD_END 255
#define ISO_VOLID 40      /* volume identifier: 32 bytes, a-characters in the primary, UCS-2 BE in Joliet */
#define ISO_CREATED 813   /* volume dates: 16 digits YYYYMMDDhhmmsscc and a time-zone byte */
#define ISO_MODIFIED 830

static uint8_t ascii_upper(uint8_t c) { return c >= 'a' && c <= 'z' ? (uint8_t)(c - 32) : c; }
static uint8_t ascii_lower(uint8_t c) { return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c; }

/* blkid's UUID for an ISO is a volume date, its 16 characters as they are (cut at a NUL):
 * YYYY-MM-DD-hh-mm-ss-cc. 0 when the date is "not specified" (all '0', zone 0: ECMA-119 8.4.26.1). */
static int iso_date_uuid(struct fs_id *id, const uint8_t *date)
{
	char *p = id->uuid;

	if (!memcmp(date, "0000000000000000", 16) && !date[16])
		return 0;
	for (int i = 0; i < 16 && date[i]; i++) {
		if (i >= 4 && !(i & 1))
			*p++ = '-';
		*p++ = (char)date[i];
	}
	*p = 0;
	return 1;
}

/* LABEL when a Joliet descriptor is there. Its name (at most 16 UCS-2 characters) is the label, but
 * the primary's 32 characters are longer: as blkid does, when every Joliet character matches the
 * primary's (letter case aside; the primary's '_' stands for any character mastering tools could not
 * write there), the two are merged — the lowercase letter of each pair kept — and the primary's
 * characters beyond the Joliet name's end follow, so a 32-character label survives whole. (An unpaired
 * surrogate becomes U+FFFD here, where blkid writes its invalid UTF-8 encoding.) */
static void iso_joliet_label(struct fs_id *id, const uint8_t *pvd_name, const uint8_t *joliet_name)
{
	uint8_t merged[2 * (16 + 32)]; /* UTF-16 BE */
	size_t u = 0, a = 0, o = 0;

	while (u < 32) {
		uint16_t c = probe_be16(joliet_name + u);
		size_t units = c >= 0xD800 && c < 0xDC00 && u + 2 < 32 && (probe_be16(joliet_name + u + 2) & 0xFC00) == 0xDC00
				       ? 2 : 1;
		uint8_t p = pvd_name[a];
		if (!c)
			break;
		if (p != '_' && (units != 1 || c > 0xFF || ascii_upper((uint8_t)c) != ascii_upper(p)))
			break;
		if (units == 1 && c <= 0xFF && c != p && p != '_')
			c = ascii_lower((uint8_t)c); /* the two differ in case only */
		merged[o++] = (uint8_t)(c >> 8), merged[o++] = (uint8_t)c;
		if (units == 2)
			merged[o++] = joliet_name[u + 2], merged[o++] = joliet_name[u + 3];
		u += 2 * units;
		a++;
	}
	if (u < 32) { /* a character differs, or the name ends early: the Joliet name alone */
		utf16_to_utf8(id->label, sizeof id->label, joliet_name, 32, 1);
	} else {
		for (; a < 32 && pvd_name[a]; a++)
			merged[o++] = 0, merged[o++] = pvd_name[a]; /* bytes read as Latin-1, as blkid does */
		utf16_to_utf8(id->label, sizeof id->label, merged, o, 1);
	}
	probe_rtrim(id->label);
}

static int probe_iso9660(probe_read_fn rd, void *ctx, uint64_t size, struct fs_id *id)
{
	uint8_t vd[ISO_VD_SIZE], pvd_name[32], joliet_name[32], modified[17], created[17];
	int have_pvd = 0, have_joliet = 0;

	for (unsigned i = 0; i < ISO_VD_MAX && !(have_pvd && have_joliet); i++) {
		int r = probe_read_exact(rd, ctx, size, ISO_VD_OFF + (uint64_t)i * ISO_VD_SIZE, vd, sizeof vd);
		if (r < 0)
			return r;
		/* The magic is checked on the first descriptor only, as blkid does; a short device or
		 * the set's terminator ends the list. */
		if (!r || (i == 0 && memcmp(vd + 1, "CD001", 5)) || vd[0] == ISO_VD_END)
			break;
		if (vd[0] == ISO_VD_PRIMARY && !have_pvd) {
			memcpy(pvd_name, vd + ISO_VOLID, 32);
			memcpy(created, vd + ISO_CREATED, 17);
			memcpy(modified, vd + ISO_MODIFIED, 17);
			have_pvd = 1;
		} else if (vd[0] == ISO_VD_SUPPLEMENTARY && !have_joliet && vd[88] == '%' && vd[89] == '/' &&
			   (vd[90] == '@' || vd[90] == 'C' || vd[90] == 'E')) {
			/* Joliet's escape sequences for UCS-2 levels 1-3; other supplementary
			 * descriptors (another character set, ISO 9660:1999) say nothing here. */
			memcpy(joliet_name, vd + ISO_VOLID, 32);
			have_joliet = 1;
		}
	}
	if (!have_pvd)
		return 0;
	probe_set_type(id, "iso9660");
	/* The modification date first: it is the one GRUB's search --fs-uuid and blkid report. */
	if (!iso_date_uuid(id, modified))
		iso_date_uuid(id, created);
	if (have_joliet)
		iso_joliet_label(id, pvd_name, joliet_name);
	else
		probe_set_label(id, pvd_name, 32);
	return 1;
}

/* The containers first, in libblkid's order: an md member whose data starts at 0 shows its array's
 * filesystem there too, and blkid stops at a RAID member. Then swap, whose signature mkswap writes
 * over what was there; then the strong magics; FAT, whose "magic" is a jump instruction and a
 * plausible BPB, last (after iso9660: a hybrid ISO's first sector is boot code that may start with a
 * jump). */
static int (*const probes[])(probe_read_fn, void *, uint64_t, struct fs_id *) = {
	probe_md, probe_lvm2, probe_luks, probe_swsuspend, probe_swap,
	probe_xfs, probe_btrfs, probe_ext, probe_f2fs, probe_erofs, probe_squashfs, probe_iso9660, probe_vfat,
};

int fs_probe(probe_read_fn rd, void *ctx, uint64_t size, struct fs_id *id)
{
	for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
		memset(id, 0, sizeof *id);
		int r = probes[i](rd, ctx, size, id);
		if (r)
			return r < 0 ? (memset(id, 0, sizeof *id), -1) : 1;
	}
	memset(id, 0, sizeof *id);
	return 0;
}
