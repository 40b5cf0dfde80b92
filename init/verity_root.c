/* verity_root.c — see verity_root.h. The order: check what can be checked before waiting (the options,
 * the root hash's length against every digest we know), wait for both devices, load the modules, read
 * the superblock, load the table, then prove the root hash by reading the first data block: the kernel
 * takes any root hash at table load and only fails reads, which would otherwise surface as a
 * confusing mount error. */
#include "verity_root.h"
#include "dm.h"
#include "log.h"
#include "rootdev.h"
#include "storage.h"
#include "verity.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* 32 hex digits as a PARTUUID= spec (8-4-4-4-12, the bytes in order: systemd's sd_id128 of the hash). */
static void partuuid_spec(char *out, size_t size, const char *hex32)
{
	snprintf(out, size, "PARTUUID=%.8s-%.4s-%.4s-%.4s-%.12s", hex32, hex32 + 8, hex32 + 12, hex32 + 16,
		 hex32 + 20);
}

/* Is N hex digits the size of some digest we know? The exact one comes with the superblock. */
static int plausible_hash_len(size_t n)
{
	static const char *const algs[] = {"md5", "sha1", "sha224", "sha256", "sha384", "sha512"};
	for (size_t i = 0; i < sizeof algs / sizeof algs[0]; i++)
		if (n == 2 * verity_digest_size(algs[i]))
			return 1;
	return 0;
}

/* "MAJ:MIN" of the block device PATH, for the table (the kernel needs no node for that). */
static int devnum(const char *path, char *out, size_t size)
{
	struct stat st;
	if (stat(path, &st) < 0 || !S_ISBLK(st.st_mode))
		return -1;
	snprintf(out, size, "%u:%u", major(st.st_rdev), minor(st.st_rdev));
	return 0;
}

struct hash_dev {
	int fd;
};

static ssize_t read_fd(void *ctx, void *buf, size_t len, uint64_t off)
{
	return pread(((struct hash_dev *)ctx)->fd, buf, len, (off_t)off);
}

static uint64_t device_size(int fd)
{
	off_t end = lseek(fd, 0, SEEK_END);
	return end < 0 ? 0 : (uint64_t)end;
}

/* The layout: the superblock, or superblock=no's options. 0, or -1 logged. */
static int read_layout(const char *hash_path, const char *data_path, const struct verity_opts *o,
		       struct verity_sb *sb)
{
	char err[256];
	struct hash_dev h = {.fd = open(hash_path, O_RDONLY | O_CLOEXEC)};
	int dfd = open(data_path, O_RDONLY | O_CLOEXEC);
	int ret = -1;

	if (h.fd < 0 || dfd < 0) {
		log_error("dm-verity: cannot open %s: %m; check the device", h.fd < 0 ? hash_path : data_path);
		goto out;
	}
	uint64_t hsize = device_size(h.fd), dsize = device_size(dfd);
	if (o->superblock) {
		int r = verity_sb_read(read_fd, &h, hsize, o->hash_offset, sb, err, sizeof err);
		if (r < 0) {
			log_error("dm-verity: hash device %s: %s; check systemd.verity_root_hash= names the device "
				  "veritysetup format wrote", hash_path, err);
			goto out;
		}
		if (r == 0) {
			log_error("dm-verity: no verity superblock on %s at offset %llu: check "
				  "systemd.verity_root_hash= (it names the hash device, not the data), or, for a tree made "
				  "with --no-superblock, give systemd.verity_root_options=superblock=no,salt=...",
				  hash_path, (unsigned long long)o->hash_offset);
			goto out;
		}
	} else if (verity_sb_from_options(o, dsize, sb, err, sizeof err) < 0) {
		log_error("%s", err);
		goto out;
	}
	if (sb->data_blocks > dsize / sb->data_block_size) {
		log_error("dm-verity: the data device %s has %llu bytes, the hash tree covers %llu blocks of %u: "
			  "check systemd.verity_root_data= names the data device the tree was made from",
			  data_path, (unsigned long long)dsize, (unsigned long long)sb->data_blocks,
			  (unsigned)sb->data_block_size);
		goto out;
	}
	ret = 0;
out:
	if (h.fd >= 0)
		close(h.fd);
	if (dfd >= 0)
		close(dfd);
	return ret;
}

/* Read the first data block through the verity device: that checks it against the whole tree up to
 * the root hash. 0 it matches, -1 not (errno), and the status line in STATUS. */
static int first_block_ok(unsigned min, uint32_t block_size, char *status, size_t size)
{
	char dev[32];
	void *buf = malloc(block_size);
	int ret = -1, e = EIO;

	snprintf(dev, sizeof dev, "/dev/dm-%u", min);
	int fd = open(dev, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		e = errno;
	else if (buf && pread(fd, buf, block_size, 0) == (ssize_t)block_size)
		ret = 0;
	else
		e = buf ? errno : ENOMEM;
	if (fd >= 0)
		close(fd);
	free(buf);
	status[0] = 0;
	dm_status(VERITY_ROOT_NAME, status, size);
	/* "C": corruption seen (ignore-corruption lets the read through, the status still says it). */
	if (ret == 0 && status[0] == 'C') {
		ret = -1;
		e = EIO;
	}
	errno = e;
	return ret;
}

int verity_open_root(struct storage *stack, const struct cmdline *cl, struct uevents *ue, const char *kept_out,
		     char *path, size_t size)
{
	const struct storage_conf *c = storage_conf_of(stack);
	char err[320], data_spec[64], hash_spec[64], data_path[256], hash_path[256];
	struct verity_opts o;
	struct verity_sb sb;
	size_t hlen = strlen(c->roothash);

	if (verity_options_parse(c->verity_options, &o, err, sizeof err) < 0) {
		log_error("dm-verity: %s", err);
		return -1;
	}
	if (!plausible_hash_len(hlen)) {
		log_error("dm-verity: roothash= has %zu hex digits, which no hash algorithm gives (sha256: 64); "
			  "copy the root hash veritysetup format printed, whole",
			  hlen);
		return -1;
	}
	const char *data = c->verity_data, *hash = c->verity_hash;
	if (!data || !hash) {
		/* systemd's discoverable partitions: the root hash names both by PARTUUID */
		if (hlen < 64) {
			log_error("dm-verity: roothash= of %zu hex digits names no partitions (systemd's convention "
				  "needs 64 or more); give systemd.verity_root_data= and systemd.verity_root_hash=",
				  hlen);
			return -1;
		}
		partuuid_spec(data_spec, sizeof data_spec, c->roothash);
		partuuid_spec(hash_spec, sizeof hash_spec, c->roothash + hlen - 32);
		if (!data)
			data = data_spec;
		if (!hash)
			hash = hash_spec;
	}
	const struct device_wait wd = {
		.key = c->verity_data ? "systemd.verity_root_data" : "roothash",
		.spec = data,
		.what = "dm-verity data device",
		.stack = stack,
		.hint = c->verity_data ? "check systemd.verity_root_data= and that the image has the disk's driver"
				       : "check that the data partition's PARTUUID is the root hash's first 128 bits, "
					 "or name it with systemd.verity_root_data=",
	};
	if (wait_for_device(&wd, cl, ue, kept_out, data_path, sizeof data_path) < 0)
		return -1;
	const struct device_wait wh = {
		.key = c->verity_hash ? "systemd.verity_root_hash" : "roothash",
		.spec = hash,
		.what = "dm-verity hash device",
		.stack = stack,
		.hint = c->verity_hash ? "check systemd.verity_root_hash= and that the image has the disk's driver"
				       : "check that the hash partition's PARTUUID is the root hash's last 128 bits, "
					 "or name it with systemd.verity_root_hash=",
	};
	if (wait_for_device(&wh, cl, ue, kept_out, hash_path, sizeof hash_path) < 0)
		return -1;

	static const char *const fallback[] = {"dm_mod", "dm_verity", NULL};
	storage_layer_modules(stack, "verity", fallback);
	if (read_layout(hash_path, data_path, &o, &sb) < 0)
		return -1;

	char table[1024], data_num[24], hash_num[24];
	uint64_t sectors;
	if (devnum(data_path, data_num, sizeof data_num) < 0 || devnum(hash_path, hash_num, sizeof hash_num) < 0) {
		log_error("dm-verity: %s or %s is not a block device", data_path, hash_path);
		return -1;
	}
	if (verity_table(&sb, &o, data_num, hash_num, c->roothash, table, sizeof table, &sectors, err, sizeof err) < 0) {
		log_error("dm-verity: %s; copy the root hash veritysetup format printed for this hash device",
			  err);
		return -1;
	}
	log_debug("dm-verity: table 0 %llu verity %s", (unsigned long long)sectors, table);

	/* libcryptsetup's name for it: udev's rules and systemd know a verity device by this prefix. */
	char uuid[64], hexuuid[33];
	size_t j = 0;
	for (const char *p = sb.uuid; *p && j < 32; p++)
		if (*p != '-')
			hexuuid[j++] = *p;
	hexuuid[j] = 0;
	snprintf(uuid, sizeof uuid, "CRYPT-VERITY-%s-" VERITY_ROOT_NAME, hexuuid);

	const struct dm_target t = {.start = 0, .length = sectors, .type = "verity", .params = table};
	unsigned maj, min;
	if (dm_create(VERITY_ROOT_NAME, j ? uuid : NULL, &t, 1, 1, &maj, &min, err, sizeof err) < 0) {
		int e = errno;
		struct stat st;
		/* dm_verity has parameters, so the directory is there built in or loaded */
		int have_target = stat("/sys/module/dm_verity", &st) == 0;
		log_error("dm-verity: %s: %s", err,
			  e == ENOENT || e == ENODEV || e == ENXIO
				  ? "the kernel has no device-mapper: the image needs the dm_mod and dm_verity modules "
				    "(mkinitramfs -m dm_mod,dm_verity)"
			  : e == EINVAL && !have_target
				  ? "the kernel has no dm-verity target: the image needs the dm_verity module "
				    "(mkinitramfs -m dm_verity)"
			  : e == EINVAL ? "the kernel refused the table, its log says why (dmesg)"
					: "check the kernel log (dmesg)");
		return -1;
	}
	char status[64];
	if (first_block_ok(min, sb.data_block_size, status, sizeof status) < 0) {
		log_error("dm-verity: the data does not match roothash=%.16s...: the image or the hash is wrong "
			  "(reading %s's first block through /dev/mapper/" VERITY_ROOT_NAME ": %m; status %s)",
			  c->roothash, data_path, status[0] ? status : "unknown");
		if (dm_remove(VERITY_ROOT_NAME) < 0)
			log_warn("dm-verity: cannot remove /dev/mapper/" VERITY_ROOT_NAME ": %m");
		return -1;
	}
	log_info("dm-verity: /dev/mapper/" VERITY_ROOT_NAME " (dm-%u) checks %s against %s, read-only", min,
		 data_path, hash_path);
	snprintf(path, size, "/dev/mapper/" VERITY_ROOT_NAME);
	return 0;
}
