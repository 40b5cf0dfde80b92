/* blockdevs.c — see blockdevs.h. Everything comes from sysfs and the device nodes devtmpfs made:
 * no udev, no libblkid. A device is probed once however many uevents arrive while the init waits. */
#include "blockdevs.h"
#include "fsutil.h"
#include "log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#ifndef BLKGETSIZE64
#define BLKGETSIZE64 _IOR(0x12, 114, size_t)
#endif
/* <linux/cdrom.h>, which klibc lacks */
#define CDROM_DRIVE_STATUS 0x5326
#define CDSL_CURRENT ((int)(~0U >> 1))
#define CDS_NO_DISC 1
#define CDS_TRAY_OPEN 2
#define CDS_DRIVE_NOT_READY 3

static int sysfs_read(const char *name, const char *attr, char *buf, size_t size)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "/sys/class/block/%s/%s", name, attr);
	if (read_small_file(path, buf, size) <= 0)
		return -1;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

static struct blockdev *lookup(struct blockdevs *b, const char *name)
{
	for (size_t i = 0; i < b->n; i++)
		if (!strcmp(b->v[i].name, name))
			return &b->v[i];
	return NULL;
}

static void add(struct blockdevs *b, const char *name)
{
	char buf[64], link[PATH_MAX], path[PATH_MAX];
	struct blockdev d = {0};

	if (strlen(name) >= sizeof d.name || sysfs_read(name, "dev", buf, sizeof buf) < 0 ||
	    parse_majmin(buf, &d.maj, &d.min) < 0)
		return;
	snprintf(d.name, sizeof d.name, "%s", name);
	if (sysfs_read(name, "partition", buf, sizeof buf) == 0) {
		/* /sys/class/block/vda1 -> ../../devices/.../block/vda/vda1: the disk is the parent. */
		snprintf(path, sizeof path, "/sys/class/block/%s", name);
		ssize_t n = readlink(path, link, sizeof link - 1);
		if (n <= 0)
			return;
		link[n] = 0;
		char *last = strrchr(link, '/');
		if (!last)
			return;
		*last = 0;
		const char *parent = strrchr(link, '/');
		parent = parent ? parent + 1 : link;
		if (strlen(parent) >= sizeof d.disk)
			return;
		memcpy(d.disk, parent, strlen(parent) + 1);
		d.partno = (unsigned)atoi(buf);
	}
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 16;
		struct blockdev *v = realloc(b->v, cap * sizeof *v);
		if (!v)
			return;
		b->v = v, b->cap = cap;
	}
	b->v[b->n++] = d;
}

void blockdevs_refresh(struct blockdevs *b)
{
	DIR *dir = opendir("/sys/class/block");
	struct dirent *e;

	if (!dir)
		return;
	while ((e = readdir(dir)))
		if (e->d_name[0] != '.' && !lookup(b, e->d_name))
			add(b, e->d_name);
	closedir(dir);
}

/* Open /dev/NAME for probing; its size in bytes. -1 when it cannot be read now, -2 when it holds no
 * medium: size 0 (a floppy drive without a disk, a loop device not set up) or a removable drive that
 * says so (a CD drive's size is a guess then). Reading those only fills the kernel log with I/O
 * errors; as udev (blkid only once cdrom_id finds a disc), we wait for the kernel's change event. */
static int open_dev(const char *name, uint64_t *size)
{
	char path[96];
	int fd, r;

	if (sysfs_read(name, "size", path, sizeof path) == 0 && !strcmp(path, "0"))
		return -2;
	snprintf(path, sizeof path, "/dev/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK); /* a CD drive opens without a disc */
	if (fd < 0)
		return -1;
	r = sysfs_read(name, "removable", path, sizeof path) == 0 && path[0] == '1' ?
		    ioctl(fd, CDROM_DRIVE_STATUS, CDSL_CURRENT) : -1;
	if (r == CDS_NO_DISC || r == CDS_TRAY_OPEN) {
		/* The kernel polls a drive for a disc only when asked (udev asks for 2 s too); then a disc
		 * put in brings a change event. */
		int pfd;
		snprintf(path, sizeof path, "/sys/class/block/%s/events_poll_msecs", name);
		if ((pfd = open(path, O_WRONLY | O_CLOEXEC)) >= 0) {
			(void)!write(pfd, "2000", 4);
			close(pfd);
		}
		r = -2;
	} else if (r == CDS_DRIVE_NOT_READY || ioctl(fd, BLKGETSIZE64, size) < 0) {
		r = -1; /* e.g. a disc spinning up, which no event announces: looked at again later */
	} else if (*size == 0) {
		r = -2;
	} else {
		return fd;
	}
	close(fd);
	return r;
}

static void probe_fs(struct blockdev *d)
{
	uint64_t size;
	int fd;

	if (d->fs_state == 1 || d->no_medium)
		return;
	if ((fd = open_dev(d->name, &size)) < 0) {
		d->fs_state = -1;
		if ((d->no_medium = fd == -2))
			log_debug("%s has no medium: not read until the kernel says one arrived", d->name);
		return;
	}
	int r = fs_probe(probe_read_fd, &fd, size, &d->fs);
	d->fs_state = r < 0 ? -1 : 1;
	if (r == 0)
		memset(&d->fs, 0, sizeof d->fs);
	close(fd);
}

int blockdevs_probe(struct blockdev *d)
{
	probe_fs(d);
	return d->fs_state == 1;
}

void blockdevs_changed(struct blockdevs *b, const char *name)
{
	for (size_t i = 0; i < b->n; i++) {
		struct blockdev *d = &b->v[i];
		if (name && strcmp(d->name, name))
			continue;
		if (d->no_medium)
			log_debug("%s changed: looking at it again", d->name);
		d->no_medium = d->fs_state = d->part_state = d->offered = 0;
	}
}

static void probe_part(struct blockdev *d)
{
	char buf[32];
	uint64_t size;
	unsigned sector = 512;
	int fd;

	if (d->part_state == 1 || !d->partno)
		return;
	if ((fd = open_dev(d->disk, &size)) < 0) {
		d->part_state = -1;
		return;
	}
	if (sysfs_read(d->disk, "queue/logical_block_size", buf, sizeof buf) == 0 && atoi(buf) >= 512)
		sector = (unsigned)atoi(buf);
	int r = part_probe(probe_read_fd, &fd, size, sector, d->partno, &d->part);
	d->part_state = r < 0 ? -1 : 1;
	if (r == 0)
		memset(&d->part, 0, sizeof d->part);
	close(fd);
}

static const char *identity(struct blockdev *d, enum root_kind kind)
{
	switch (kind) {
	case ROOT_UUID:
		return probe_fs(d), d->fs.uuid;
	case ROOT_LABEL:
		return probe_fs(d), d->fs.label;
	case ROOT_PARTUUID:
		return probe_part(d), d->part.uuid;
	case ROOT_PARTLABEL:
		return probe_part(d), d->part.label;
	default:
		return NULL;
	}
}

const struct blockdev *blockdevs_find(struct blockdevs *b, const struct rootspec *rs)
{
	struct blockdev *found = NULL;

	for (size_t i = 0; i < b->n; i++) {
		struct blockdev *d = &b->v[i];
		if (!rootspec_matches(rs, identity(d, rs->kind)))
			continue;
		if (found) {
			/* A RAID member and its array, or a cloned disk: say which one is used. */
			log_warn("root=%s matches both %s and %s: using %s", rs->text, found->name, d->name,
				 found->name);
			break;
		}
		found = d;
	}
	if (found && rs->kind == ROOT_PARTUUID && rs->partnroff) {
		long want = (long)found->partno + rs->partnroff;
		struct blockdev *base = found;
		found = NULL;
		for (size_t i = 0; i < b->n; i++)
			if (b->v[i].partno && (long)b->v[i].partno == want && !strcmp(b->v[i].disk, base->disk))
				found = &b->v[i];
	}
	return found;
}

const struct blockdev *blockdevs_offer(struct blockdevs *b, int (*take)(void *ctx, const struct blockdev *d),
				       void *ctx)
{
	for (size_t i = 0; i < b->n; i++) {
		struct blockdev *d = &b->v[i];
		if (d->offered)
			continue;
		probe_fs(d);
		if (d->fs_state < 0 || d->no_medium)
			continue; /* not readable yet: offered when it is */
		d->offered = 1;
		if (d->fs.type[0] && take(ctx, d))
			return d;
	}
	return NULL;
}

void blockdevs_describe(struct blockdevs *b, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = 0;
	for (size_t i = 0; i < b->n && len + 8 < size; i++) {
		struct blockdev *d = &b->v[i];
		probe_fs(d);
		/* Loop and ram devices with nothing in them only make the list long. */
		if (d->fs_state < 0 && (!strncmp(d->name, "loop", 4) || !strncmp(d->name, "ram", 3)))
			continue;
		if (d->fs.type[0])
			len += (size_t)snprintf(buf + len, size - len, "%s%s (%s%s%s%s%s)", len ? ", " : "", d->name,
						d->fs.type, d->fs.uuid[0] ? " UUID=" : "", d->fs.uuid,
						d->fs.label[0] ? " LABEL=" : "", d->fs.label);
		else
			len += (size_t)snprintf(buf + len, size - len, "%s%s (%s)", len ? ", " : "", d->name,
						d->no_medium ? "no medium" : d->fs_state < 0 ? "unreadable" : "no filesystem");
	}
	if (len >= size)
		snprintf(buf + size - 5, 5, "...");
	if (!buf[0])
		snprintf(buf, size, "none");
}

void blockdevs_free(struct blockdevs *b)
{
	free(b->v);
	b->v = NULL;
	b->n = b->cap = 0;
}
