/* blockprobe_util.h — what the block-device probes share (blockprobe.c's filesystems,
 * blockprobe_containers.c's containers and swap, partitions.c's tables): the read callback, what a
 * probe reports, bounded reads, CRC32, UUID and label text. blockprobe.h includes it. */
#ifndef EARLYROOT_BLOCKPROBE_UTIL_H
#define EARLYROOT_BLOCKPROBE_UTIL_H
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Reads LEN bytes at OFF into BUF; returns bytes read (short at end of device), or -1. Lets the same
 * code read a device, an image file, or a fuzzer's buffer. */
typedef ssize_t (*probe_read_fn)(void *ctx, void *buf, size_t len, uint64_t off);

struct fs_id {
	char type[24];   /* "ext4", "ext3", "ext2", "xfs", "btrfs", "vfat", "f2fs", "squashfs", "erofs",
	                  * "iso9660"; the containers "crypto_LUKS", "LVM2_member", "linux_raid_member"
	                  * (probed first: a RAID1 member holds a filesystem too), "swap" and
	                  * "swsuspend" (a hibernation image); "" if none */
	char uuid[40];   /* as `blkid -p` prints UUID= (lowercase 8-4-4-4-12; vfat "XXXX-XXXX" uppercase;
	                  * iso9660 the volume date "2026-12-06-03-45-12-00"); "" if none */
	char label[256]; /* as blkid prints LABEL= (UTF-8); "" if none */
	/* linux_raid_member: the array's level as mdadm numbers it ("1", "5", "10", "0", "-1" for
	 * linear), for its kernel module ("md-level-1"); "" otherwise */
	char raid_level[8];
};

/* Read exactly LEN bytes at OFF: 1 done, 0 the range is not inside [0, SIZE) or the device is short,
 * -1 read error. */
int probe_read_exact(probe_read_fn rd, void *ctx, uint64_t size, uint64_t off, void *buf, size_t len);

/* The CRC register after feeding LEN bytes (reflected, polynomial POLY), without the final inversion:
 * callers choose the initial value and whether to invert, as each format defines it. */
#define CRC32_IEEE 0xEDB88320u /* GPT */
#define CRC32_CASTAGNOLI 0x82F63B78u /* ext4, xfs, btrfs */
uint32_t probe_crc32_update(uint32_t crc, uint32_t poly, const void *buf, size_t len);

/* The same over LEN bytes of the device at OFF, read in small pieces, with the ZLEN bytes at relative
 * offset ZAT taken as zero (a checksum field inside the range). 1 done (*CRC updated), 0 out of range,
 * -1 read error. */
int probe_crc32_range(probe_read_fn rd, void *ctx, uint64_t size, uint64_t off, uint64_t len,
		      uint64_t zat, unsigned zlen, uint32_t poly, uint32_t *crc);

/* Strip trailing whitespace in place, as blkid does to labels. */
void probe_rtrim(char *s);

/* 16 bytes as 8-4-4-4-12 lowercase hex; MIXED: the first three fields are little-endian (a GUID as
 * GPT stores it). OUT needs 37 bytes. */
void probe_format_uuid(char *out, const uint8_t *u, int mixed);

/* Little- and big-endian loads from a byte buffer. */
static inline uint16_t probe_le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline uint32_t probe_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t probe_le64(const uint8_t *p) { return probe_le32(p) | (uint64_t)probe_le32(p + 4) << 32; }
static inline uint16_t probe_be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t probe_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}
static inline uint64_t probe_be64(const uint8_t *p) { return (uint64_t)probe_be32(p) << 32 | probe_be32(p + 4); }

/* ID's fields as blkid reports them: TYPE; a binary UUID (none when all zeros); a label of at most LEN
 * bytes, ending at the first NUL, trailing whitespace removed. */
void probe_set_type(struct fs_id *id, const char *type);
void probe_set_uuid(struct fs_id *id, const uint8_t *u);
void probe_set_label(struct fs_id *id, const uint8_t *s, size_t len);

#endif
