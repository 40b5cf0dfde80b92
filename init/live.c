/* live.c — a live medium as the root, step by step:
 *
 *   medium (a disc, a stick, a disk; or an ISO file on one: iso-scan) mounted read-only
 *   → the image found on it (live_layout.c) → checked against its .sha256 (rd.live.check)
 *   → copied to RAM (rd.live.ram) → loop-mounted → the overlay on top (live_overlay.c).
 * Or, root=live:http://..., the image downloaded into RAM and checked against rd.live.sha256=.
 *
 * Every mount is remembered (mount_undo.c): a failure at any step unmounts what the earlier ones
 * mounted, so the rescue shell sees the initramfs as it was and a second try starts clean. Nothing
 * is ever written to the medium. */
#include "live.h"
#include "blockprobe.h"
#include "checksum_file.h"
#include "clock.h"
#include "fsutil.h"
#include "hexdigit.h"
#include "http_fetch.h"
#include "live_layout.h"
#include "live_overlay.h"
#include "log.h"
#include "loopdev.h"
#include "mount_undo.h"
#include "rootdev.h"
#include "sha256.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define LIVE_SQUASHFS_DIR "/run/initramfs/squashfs" /* a squashfs whose LiveOS/rootfs.img is the root */
#define LIVE_TORAM_DIR "/run/initramfs/toram"       /* rd.live.ram: the copies, on their own tmpfs */
#define LIVE_LAYERS_DIR "/run/initramfs/layers"     /* live-boot's upper images, above LIVE_BASE_DIR */
#define LIVE_SCAN_DIR "/run/initramfs/scan"         /* boot=live: each candidate medium, briefly */
/* rd.live.ram's margin: what must stay free after the copy for the booted system itself (a small
 * systemd userspace with a shell takes 100-150 MiB) and the first writes to the tmpfs layer. dracut's
 * 1 GiB would refuse every small VM and rescue laptop; rd.minmem= sets it. */
#define DEFAULT_MINMEM_MIB 256
#define MIB (1024 * 1024)
#define PROGRESS_EVERY_MS 2000

struct live {
	const struct cmdline *cl;
	struct modules *mods;
	struct mount_undo undo;
	char medium[PATH_MAX];   /* the device: /dev/sr0 */
	struct fs_id medium_fs;
	int medium_is_image;     /* the device itself is the squashfs or erofs */
	struct live_layout layout;
	size_t nimages;
	char image[LIVE_MAX_LAYERS][PATH_MAX];    /* where each image is read from now */
	char name[LIVE_MAX_LAYERS][LIVE_PATH_MAX]; /* as on the medium, for messages */
	uint64_t size[LIVE_MAX_LAYERS];
	int copied;              /* rd.live.ram done: the medium is no longer needed */
};

static void describe_fs(const struct fs_id *id, char *out, size_t size)
{
	snprintf(out, size, "%s%s%s%s%s", id->type[0] ? id->type : "no filesystem known", id->label[0] ? " LABEL=" : "",
		 id->label, !id->label[0] && id->uuid[0] ? " UUID=" : "", !id->label[0] ? id->uuid : "");
}

/* Mount DEVICE (its type probed, its module loaded) on DIR. WHAT names it in the error. */
static int mount_probed(struct live *l, const char *device, const char *dir, unsigned long flags, const char *what)
{
	struct fs_id id;
	uint64_t size;
	int r = fs_probe_path(device, &id, &size);

	if (r <= 0) {
		log_error("%s %s: %s", what, device,
			  r < 0 ? "cannot be read" : "no filesystem the init recognises (iso9660, ext4, vfat, "
						    "squashfs, erofs, xfs, btrfs, f2fs)");
		return -1;
	}
	modules_for_filesystem(l->mods, id.type, NULL);
	if (mount_undo_mount(&l->undo, device, dir, id.type, flags, NULL) < 0) {
		log_error("cannot mount %s %s (%s) on %s: %m%s", what, device, id.type, dir,
			  errno == ENODEV ? ": the kernel lacks the filesystem; add its module (earlyroot-mkinitramfs --live)" : "");
		return -1;
	}
	return 0;
}

/* Attach FILE to a loop device and mount it read-only on DIR. */
static int mount_file(struct live *l, const char *file, const char *dir, const char *what)
{
	char dev[64];
	int fd;

	modules_for_alias(l->mods, "devname:loop-control");
	if ((fd = loop_attach(file, 0, 0, dev, sizeof dev)) < 0) {
		log_error("cannot attach %s %s to a loop device: %m%s", what, file,
			  errno == ENOENT && access(file, F_OK) == 0 ? " (/dev/loop-control is missing: the loop module is "
								  "not in the image; earlyroot-mkinitramfs --live adds it)" : "");
		return -1;
	}
	/* The fd stays open until the mount holds the device: loop devices clear themselves on last close. */
	int r = mount_probed(l, dev, dir, MS_RDONLY, what);
	close(fd);
	if (r == 0)
		log_debug("%s %s is %s", what, file, dev);
	return r;
}

/* A few names from the top of DIR, for a message about what the medium holds instead. */
static void list_top(const char *dir, char *out, size_t size)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t len = 0;

	out[0] = 0;
	while (d && (e = readdir(d)) && len + 8 < size) {
		if (e->d_name[0] == '.')
			continue;
		len += (size_t)snprintf(out + len, size - len, "%s%s", len ? ", " : "", e->d_name);
	}
	if (d)
		closedir(d);
	if (len >= size)
		snprintf(out + size - 5, 5, "...");
	if (!out[0])
		snprintf(out, size, "nothing");
}

static int is_image_type(const char *type)
{
	return !strcmp(type, "squashfs") || !strcmp(type, "erofs");
}

/* The medium on LIVE_MEDIUM_DIR; with iso-scan, the disk on LIVE_ISOSCAN_DIR and the ISO file, from
 * a loop device, on LIVE_MEDIUM_DIR. A squashfs or erofs device is the image itself. */
static int mount_medium(struct live *l)
{
	const struct cmdline *cl = l->cl;
	char desc[340], iso[PATH_MAX], top[512];
	uint64_t size;

	if (fs_probe_path(l->medium, &l->medium_fs, &size) < 0) {
		log_error("live medium %s cannot be read: %m", l->medium);
		return -1;
	}
	describe_fs(&l->medium_fs, desc, sizeof desc);
	if (is_image_type(l->medium_fs.type) && !cl->live_isofile) {
		l->medium_is_image = 1;
		l->nimages = 1;
		snprintf(l->image[0], sizeof l->image[0], "%s", l->medium);
		snprintf(l->name[0], sizeof l->name[0], "%.64s", l->medium);
		l->size[0] = size;
		log_info("live medium %s (%s) is the image itself", l->medium, desc);
		return 0;
	}
	if (!cl->live_isofile) {
		if (mount_probed(l, l->medium, LIVE_MEDIUM_DIR, MS_RDONLY, "live medium") < 0)
			return -1;
		log_info("live medium %s (%s) on %s", l->medium, desc, LIVE_MEDIUM_DIR);
		return 0;
	}
	if (mount_probed(l, l->medium, LIVE_ISOSCAN_DIR, MS_RDONLY, "the disk holding the ISO") < 0)
		return -1;
	snprintf(iso, sizeof iso, "%s/%s", LIVE_ISOSCAN_DIR, cl->live_isofile + (cl->live_isofile[0] == '/'));
	struct stat st;
	if (stat(iso, &st) < 0 || !S_ISREG(st.st_mode)) {
		list_top(LIVE_ISOSCAN_DIR, top, sizeof top);
		log_error("iso-scan/filename=%s: %s on %s (%s), whose top level has: %s; give the ISO's path from "
			  "the top of that filesystem", cl->live_isofile, stat(iso, &st) < 0 ? "no such file" : "not a file",
			  l->medium, desc, top);
		return -1;
	}
	if (mount_file(l, iso, LIVE_MEDIUM_DIR, "ISO file") < 0)
		return -1;
	log_info("iso-scan: %s on %s (%s) is the live medium, on %s", cl->live_isofile, l->medium, desc,
		 LIVE_MEDIUM_DIR);
	return 0;
}

static int is_file(const char *dir, const char *rel, uint64_t *size)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof path, "%s/%s", dir, rel);
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return 0;
	*size = (uint64_t)st.st_size;
	return 1;
}

static void add_image(struct live *l, const char *rel, uint64_t size)
{
	snprintf(l->name[l->nimages], sizeof l->name[0], "%s", rel);
	snprintf(l->image[l->nimages], sizeof l->image[0], "%s/%s", LIVE_MEDIUM_DIR, rel);
	l->size[l->nimages++] = size;
}

/* dracut's layout first, then live-boot's. */
static int find_images(struct live *l)
{
	char dracut[2][LIVE_PATH_MAX], dir[LIVE_PATH_MAX], path[PATH_MAX], looked[700], top[512];
	char debian[LIVE_MAX_LAYERS][LIVE_PATH_MAX];
	const char *names[256];
	uint64_t size;
	size_t n = live_layout_dracut(&l->layout, dracut), count = 0;

	if (l->medium_is_image)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (is_file(LIVE_MEDIUM_DIR, dracut[i], &size)) {
			add_image(l, dracut[i], size);
			return 0;
		}
	live_layout_media_dir(&l->layout, dir, sizeof dir);
	snprintf(path, sizeof path, "%s/%s", LIVE_MEDIUM_DIR, dir);
	DIR *d = opendir(path);
	struct dirent *e;
	while (d && (e = readdir(d)) && count < sizeof names / sizeof names[0])
		names[count++] = e->d_name;
	int found = live_layout_debian(&l->layout, names, count, debian);
	for (int i = 0; i < found; i++)
		if (is_file(LIVE_MEDIUM_DIR, debian[i], &size))
			add_image(l, debian[i], size);
	if (d)
		closedir(d);
	if (found < 0) {
		log_error("live medium %s: more than %d images in /%s; live-boot's module files are not read here: "
			  "keep at most %d", l->medium, LIVE_MAX_LAYERS, dir, LIVE_MAX_LAYERS);
		return -1;
	}
	if (l->nimages)
		return 0;
	live_layout_describe(&l->layout, looked, sizeof looked);
	list_top(LIVE_MEDIUM_DIR, top, sizeof top);
	log_error("no live image on %s (%s): looked for %s; its top level has: %s; name the image with "
		  "rd.live.dir= and rd.live.squashimg=", l->medium, l->medium_fs.label[0] ? l->medium_fs.label : l->medium_fs.type,
		  looked, top);
	return -1;
}

struct progress {
	const char *what, *name;
	uint64_t total;
	long long start, last;
};

static void progress(void *ctx, uint64_t done)
{
	struct progress *p = ctx;
	long long now = now_ms();

	if (now - p->last < PROGRESS_EVERY_MS || done >= p->total)
		return;
	p->last = now;
	log_info("%s: %s %llu%% (%llu of %llu MiB)", p->what, p->name, (unsigned long long)(done * 100 / p->total),
		 (unsigned long long)(done / MIB), (unsigned long long)((p->total + MIB - 1) / MIB));
}

static void hex(const uint8_t *d, char *out)
{
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* rd.live.check: each image against NAME.sha256 beside it, before anything is mounted from it. */
static int check_images(struct live *l)
{
	if (l->medium_is_image) {
		log_warn("rd.live.check: %s is the image itself; no checksum file can lie beside it: not checked",
			 l->medium);
		return 0;
	}
	for (size_t i = 0; i < l->nimages; i++) {
		char sumfile[PATH_MAX], err[200], got[65], want[65];
		uint8_t expected[32], digest[32];
		const char *base = strrchr(l->name[i], '/') ? strrchr(l->name[i], '/') + 1 : l->name[i];
		size_t cap = 1 << 20;
		char *text = malloc(cap);
		ssize_t len;

		snprintf(sumfile, sizeof sumfile, "%s.sha256", l->image[i]);
		if (!text)
			return log_error("rd.live.check: out of memory"), -1;
		len = read_small_file(sumfile, text, cap);
		int r = len < 0 ? -2 : checksum_file_find(text, (size_t)len, base, expected, err, sizeof err);
		free(text);
		if (r <= 0) {
			if (r == -2)
				log_error("rd.live.check: cannot read %s.sha256 beside the image: %m; the medium "
					  "must carry one (sha256sum %s > %s.sha256), or boot without rd.live.check",
					  l->name[i], base, base);
			else
				log_error("rd.live.check: %s.sha256: %s", l->name[i],
					  r == 0 ? "it has no checksum for the image" : err);
			return -1;
		}
		int fd = open(l->image[i], O_RDONLY | O_CLOEXEC);
		struct progress p = {"rd.live.check", l->name[i], l->size[i] ? l->size[i] : 1, now_ms(), now_ms()};
		log_info("rd.live.check: checking %s (%llu MiB)", l->name[i], (unsigned long long)((l->size[i] + MIB - 1) / MIB));
		if (fd < 0 || sha256_fd(fd, digest, progress, &p) < 0) {
			log_error("rd.live.check: cannot read %s: %m; the medium is damaged or was removed", l->name[i]);
			if (fd >= 0)
				close(fd);
			return -1;
		}
		close(fd);
		hex(digest, got);
		hex(expected, want);
		if (memcmp(digest, expected, 32)) {
			log_error("rd.live.check: %s does not match %s.sha256 (its SHA-256 is %s, the file says %s): the "
				  "medium or the image is damaged; write the medium again, or boot without rd.live.check "
				  "at your own risk", l->name[i], l->name[i], got, want);
			return -1;
		}
		log_info("rd.live.check: %s matches %s.sha256 (%lld ms)", l->name[i], l->name[i], now_ms() - p.start);
	}
	return 0;
}

static long long meminfo_kb(const char *field)
{
	char buf[4096];
	const char *p;

	if (read_small_file("/proc/meminfo", buf, sizeof buf) < 0 || !(p = strstr(buf, field)))
		return -1;
	return atoll(p + strlen(field));
}

static int copy_file(const char *from, const char *to, struct progress *p)
{
	int in = open(from, O_RDONLY | O_CLOEXEC), out = -1;
	char *buf = malloc(MIB);
	uint64_t done = 0;
	ssize_t n = -1;

	if (in >= 0 && buf && (out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0444)) >= 0) {
		while ((n = read(in, buf, MIB)) > 0) {
			if (write(out, buf, (size_t)n) != n) {
				n = -1;
				break;
			}
			progress(p, done += (uint64_t)n);
		}
	}
	int err = errno;
	free(buf);
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out) < 0 && n == 0)
		n = -1, err = errno;
	errno = err;
	return in < 0 || out < 0 || n < 0 ? -1 : 0;
}

/* rd.live.ram: the images onto a tmpfs of their size, if they fit with rd.minmem= MiB to spare;
 * else one line, and the boot goes on from the medium. 0 (copied or not), -1 when a copy failed. */
static int copy_to_ram(struct live *l)
{
	const struct cmdline *cl = l->cl;
	uint64_t total = 0;
	long long avail = meminfo_kb("MemAvailable:");
	long long minmem = cl->live_minmem_mib >= 0 ? cl->live_minmem_mib : DEFAULT_MINMEM_MIB;
	char opts[64];

	for (size_t i = 0; i < l->nimages; i++)
		total += l->size[i];
	unsigned long long need = (total + MIB - 1) / MIB;
	if (avail < 0 || avail / 1024 - (long long)need < minmem) {
		log_warn("rd.live.ram: the image (%llu MiB) does not fit in RAM (%lld MiB available, %lld MiB must stay "
			 "free: rd.minmem=): booting from the medium, which must stay in the drive", need,
			 avail < 0 ? 0 : avail / 1024, minmem);
		return 0;
	}
	/* Its own tmpfs, sized to the images: /run's limit stays the system's, and the copies cannot grow. */
	snprintf(opts, sizeof opts, "mode=0755,size=%llum", need + 1);
	if (mount_undo_mount(&l->undo, "tmpfs", LIVE_TORAM_DIR, "tmpfs", MS_NOSUID | MS_NODEV, opts) < 0) {
		log_error("rd.live.ram: cannot mount a tmpfs on %s: %m", LIVE_TORAM_DIR);
		return -1;
	}
	long long start = now_ms();
	log_info("rd.live.ram: copying %llu MiB to RAM", need);
	for (size_t i = 0; i < l->nimages; i++) {
		char copy[PATH_MAX];
		const char *base = strrchr(l->name[i], '/') ? strrchr(l->name[i], '/') + 1 : l->name[i];
		struct progress p = {"rd.live.ram", l->name[i], l->size[i] ? l->size[i] : 1, now_ms(), now_ms()};
		snprintf(copy, sizeof copy, "%s/%zu-%s", LIVE_TORAM_DIR, i, base);
		if (copy_file(l->image[i], copy, &p) < 0) {
			log_error("rd.live.ram: cannot copy %s to RAM: %m", l->name[i]);
			return -1;
		}
		snprintf(l->image[i], sizeof l->image[i], "%s", copy);
	}
	l->copied = 1;
	log_info("rd.live.ram: copied in %lld ms", now_ms() - start);
	return 0;
}

static void progress_fetch(void *ctx, uint64_t done, uint64_t total)
{
	struct progress *p = ctx;
	if (total)
		p->total = total;
	progress(p, done);
}

/* root=live:http://...: the image straight into RAM (a tmpfs it may fill up to what leaves rd.minmem=
 * MiB free), then, with rd.live.sha256=, its hash against the command line's before anything mounts it.
 * The boot loader's configuration carries the hash, so plain HTTP cannot slip another image in. */
static int fetch_image(struct live *l, const char *url)
{
	const struct cmdline *cl = l->cl;
	long long avail = meminfo_kb("MemAvailable:");
	long long minmem = cl->live_minmem_mib >= 0 ? cl->live_minmem_mib : DEFAULT_MINMEM_MIB;
	long long room = avail < 0 ? 0 : avail / 1024 - minmem; /* MiB */
	const char *slash = strrchr(url, '/'), *base = slash && slash[1] ? slash + 1 : "image";
	char opts[64], err[300];
	struct progress p = {"downloading", url, 1, now_ms(), now_ms()};
	struct stat st;

	if (room < 16) {
		log_error("%s: no room in RAM for a live image (%lld MiB available, %lld MiB must stay free: "
			  "rd.minmem=)", url, avail < 0 ? 0 : avail / 1024, minmem);
		return -1;
	}
	snprintf(opts, sizeof opts, "mode=0755,size=%lldm", room);
	if (mount_undo_mount(&l->undo, "tmpfs", LIVE_TORAM_DIR, "tmpfs", MS_NOSUID | MS_NODEV, opts) < 0) {
		log_error("cannot mount a tmpfs on %s for the image: %m", LIVE_TORAM_DIR);
		return -1;
	}
	snprintf(l->image[0], sizeof l->image[0], "%s/%.200s", LIVE_TORAM_DIR, base);
	snprintf(l->name[0], sizeof l->name[0], "%.500s", url);
	log_info("downloading %s into RAM (at most %lld MiB)", url, room);
	if (http_fetch_to_file(url, l->image[0], (uint64_t)room * MIB, -1, progress_fetch, &p, err, sizeof err) < 0) {
		log_error("%s", err);
		return -1;
	}
	if (stat(l->image[0], &st) == 0)
		l->size[0] = (uint64_t)st.st_size;
	log_info("downloaded %s: %llu MiB in %lld ms", url, (unsigned long long)((l->size[0] + MIB - 1) / MIB),
		 now_ms() - p.start);
	l->nimages = 1;
	l->medium_is_image = l->copied = 1;
	if (!cl->live_sha256) {
		log_warn("%s: no rd.live.sha256= on the command line: the image is used unchecked (anyone on the "
			 "boot network could have answered instead of the server)", url);
		return 0;
	}
	uint8_t digest[32], want[32];
	char got[65];
	int fd = open(l->image[0], O_RDONLY | O_CLOEXEC);
	if (fd < 0 || sha256_fd(fd, digest, NULL, NULL) < 0) {
		log_error("rd.live.sha256: cannot read the downloaded image: %m");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	for (int i = 0; i < 32; i++)
		want[i] = (uint8_t)(hex_digit(cl->live_sha256[2 * i]) << 4 | hex_digit(cl->live_sha256[2 * i + 1]));
	hex(digest, got);
	if (memcmp(digest, want, 32)) {
		log_error("rd.live.sha256: %s has SHA-256 %s, the command line says %s: this is not the image the "
			  "boot entry names (another file on the server, or changed on the way); nothing was mounted",
			  url, got, cl->live_sha256);
		return -1;
	}
	log_info("rd.live.sha256: %s matches", url);
	return 0;
}

/* The images, the first on LIVE_BASE_DIR and live-boot's further ones above it. A squashfs that
 * holds LiveOS/rootfs.img rather than a tree (dracut's older nesting) gives way to that image. */
static int mount_images(struct live *l, char *lower, size_t size)
{
	char dir[PATH_MAX], probe[PATH_MAX];
	size_t len = 0;
	struct stat st;

	lower[0] = 0;
	for (size_t i = l->nimages; i-- > 0;) {
		if (i == 0)
			snprintf(dir, sizeof dir, "%s", LIVE_BASE_DIR);
		else
			snprintf(dir, sizeof dir, "%s/%zu", LIVE_LAYERS_DIR, i);
		int r = l->medium_is_image && !l->copied ? mount_probed(l, l->image[i], dir, MS_RDONLY, "live image")
							  : mount_file(l, l->image[i], dir, "live image");
		if (r < 0)
			return -1;
		len += (size_t)snprintf(lower + len, size - len, "%s%s", len ? ":" : "", dir); /* the top first */
	}
	snprintf(probe, sizeof probe, "%s/LiveOS/rootfs.img", LIVE_BASE_DIR);
	if (l->nimages == 1 && stat(probe, &st) == 0 && S_ISREG(st.st_mode) && stat(LIVE_BASE_DIR "/usr", &st) < 0) {
		if (mkdir_parents(LIVE_SQUASHFS_DIR) < 0 || mount(LIVE_BASE_DIR, LIVE_SQUASHFS_DIR, NULL, MS_MOVE, NULL) < 0) {
			log_error("cannot move %s to %s: %m", LIVE_BASE_DIR, LIVE_SQUASHFS_DIR);
			return -1;
		}
		mount_undo_moved(&l->undo, LIVE_BASE_DIR, LIVE_SQUASHFS_DIR);
		if (mount_file(l, LIVE_SQUASHFS_DIR "/LiveOS/rootfs.img", LIVE_BASE_DIR, "live image") < 0)
			return -1;
		log_info("live image: %s holds LiveOS/rootfs.img, which is the root", l->name[0]);
	}
	for (size_t i = 0; i < l->nimages; i++) {
		char fs[32] = "?";
		if (i == 0)
			snprintf(dir, sizeof dir, "%s", LIVE_BASE_DIR);
		else
			snprintf(dir, sizeof dir, "%s/%zu", LIVE_LAYERS_DIR, i);
		fs_mount_fstype(dir, fs, sizeof fs);
		log_info("live image: %s (%s, %llu MiB)%s", l->name[i], fs, (unsigned long long)((l->size[i] + MIB - 1) / MIB),
			 l->copied ? ", in RAM" : "");
	}
	return 0;
}

/* After rd.live.ram the medium is not needed: unmount it (and the disk holding an ISO), so it can
 * be taken out. A failure only means it stays mounted: say so, go on. */
static void release_medium(struct live *l)
{
	if (!l->copied || l->medium_is_image)
		return;
	if (mount_undo_unmount(&l->undo, LIVE_MEDIUM_DIR) < 0 ||
	    (l->cl->live_isofile && mount_undo_unmount(&l->undo, LIVE_ISOSCAN_DIR) < 0)) {
		log_warn("rd.live.ram: cannot unmount the medium: %m; leave it in until the system is up");
		return;
	}
	log_info("rd.live.ram: the image is in RAM; the medium %s can be removed", l->medium);
}

int live_mount_root(const struct cmdline *cl, const char *medium, struct modules *mods, struct uevents *ue,
		    const char *kept_out)
{
	struct live *l = calloc(1, sizeof *l);
	char lower[LIVE_MAX_LAYERS * 40];

	if (!l)
		return log_error("out of memory"), -1;
	l->cl = cl;
	l->mods = mods;
	l->layout = (struct live_layout){cl->live_dir, cl->live_squashimg, cl->live_media_path};
	snprintf(l->medium, sizeof l->medium, "%s", medium);
	int r = -1, found;
	if (!strncmp(medium, "http://", 7) || !strncmp(medium, "https://", 8))
		found = fetch_image(l, medium) == 0;
	else
		found = mount_medium(l) == 0 && find_images(l) == 0 && (!cl->live_check || check_images(l) == 0) &&
			(!cl->live_ram || copy_to_ram(l) == 0);
	if (found && mount_images(l, lower, sizeof lower) == 0) {
		release_medium(l);
		r = live_overlay_mount(cl, lower, &l->undo, mods, ue, kept_out, "live root");
	}
	if (r < 0)
		mount_undo_all(&l->undo);
	free(l);
	return r;
}

/* boot=live without root=: the first disk with live-boot's directory, mounted to look and unmounted. */
struct scan {
	const struct cmdline *cl;
	struct modules *mods;
	char dir[LIVE_PATH_MAX];
};

static int has_live_dir(void *ctx, const struct blockdev *d)
{
	struct scan *s = ctx;
	char dev[64], path[PATH_MAX];
	struct stat st;

	if (is_image_type(d->fs.type))
		return 0;
	snprintf(dev, sizeof dev, "/dev/%s", d->name);
	modules_for_filesystem(s->mods, d->fs.type, NULL);
	if (mkdir_parents(LIVE_SCAN_DIR) < 0 || mount(dev, LIVE_SCAN_DIR, d->fs.type, MS_RDONLY, NULL) < 0) {
		log_debug("boot=live: cannot look into %s (%s): %m", dev, d->fs.type);
		return 0;
	}
	snprintf(path, sizeof path, "%s/%s", LIVE_SCAN_DIR, s->dir);
	int found = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
	umount(LIVE_SCAN_DIR);
	log_debug("boot=live: %s (%s) %s /%s", dev, d->fs.type, found ? "has" : "has no", s->dir);
	return found;
}

int live_wait_medium(const struct cmdline *cl, struct uevents *ue, struct modules *mods, const char *kept_out,
		     char *path, size_t size)
{
	struct scan scan = {cl, mods, ""};
	char looking_for[LIVE_PATH_MAX + 32];
	struct device_wait w = {
		.key = "root",
		.spec = cl->root,
		.what = "live medium",
		.hint = "check root=live: on the kernel command line, and that the image has the medium's drivers "
			"(earlyroot-mkinitramfs --live)",
	};

	if (cl->root && cl->root[0] == '/' && strncmp(cl->root, "/dev/", 5)) {
		log_error("root=live:%s: a file names no disk; name the disk that holds it in root=live: (LABEL=, "
			  "UUID=, /dev/NAME) and the file in iso-scan/filename=", cl->root);
		return -1;
	}
	if (!cl->root || !*cl->root) {
		if (!cl->live_boot) {
			log_error("root=live: names no medium: add it, as root=live:CDLABEL=NAME, root=live:LABEL=NAME, "
				  "root=live:UUID=ID or root=live:/dev/NAME");
			return -1;
		}
		struct live_layout layout = {cl->live_dir, cl->live_squashimg, cl->live_media_path};
		live_layout_media_dir(&layout, scan.dir, sizeof scan.dir);
		snprintf(looking_for, sizeof looking_for, "(a disk with /%s)", scan.dir);
		w.spec = NULL;
		w.looking_for = looking_for;
		w.take = has_live_dir;
		w.ctx = &scan;
		w.hint = "boot=live looks at every disk for live-boot's directory; name the medium with "
			 "root=live:LABEL=NAME, or live-media-path= the directory";
	}
	return wait_for_device(&w, cl, ue, kept_out, path, size);
}
