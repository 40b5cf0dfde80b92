/* dm.c — see dm.h. The device-mapper interface is declared here from the kernel's stable ABI
 * (<linux/dm-ioctl.h>, version 4): musl-gcc sees no kernel headers, and one declaration serves both
 * libcs. Its layout has no holes and no pointer-sized members, so it is the same on 32- and 64-bit;
 * the kernel reads it in the machine's own byte order, as we write it. The unit test compares it with
 * the host's header (init/tests/test-verity.c). */
#include "dm.h"
#include "fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

struct er_dm_ioctl {
	uint32_t version[3];
	uint32_t data_size;  /* the whole buffer, header included */
	uint32_t data_start; /* where the payload starts, from the header's start */
	uint32_t target_count;
	int32_t open_count;
	uint32_t flags;
	uint32_t event_nr; /* in: udev's cookie, echoed as DM_COOKIE in the uevent */
	uint32_t padding;
	uint64_t dev; /* the kernel's huge_encode_dev() */
	char name[128];
	char uuid[129];
	char data[7];
};

struct er_dm_target_spec {
	uint64_t sector_start, length;
	int32_t status;
	uint32_t next; /* from this spec's start to the next one's */
	char target_type[16];
	/* the NUL-terminated parameters follow */
};

_Static_assert(sizeof(struct er_dm_ioctl) == 312, "struct dm_ioctl is 312 bytes");
_Static_assert(sizeof(struct er_dm_target_spec) == 40, "struct dm_target_spec is 40 bytes");

#define ER_DM_IOCTL 0xfd
#define ER_DM(nr) _IOWR(ER_DM_IOCTL, nr, struct er_dm_ioctl)
#define ER_DM_DEV_CREATE ER_DM(3)
#define ER_DM_DEV_REMOVE ER_DM(4)
#define ER_DM_DEV_SUSPEND ER_DM(6)
#define ER_DM_TABLE_LOAD ER_DM(9)
#define ER_DM_TABLE_STATUS ER_DM(12)
#define ER_DM_READONLY_FLAG (1u << 0)
#define ER_DM_BUFFER_FULL_FLAG (1u << 8)
/* libdevmapper's udev flag (libdm.h): "this uevent is the one that made the device usable". */
#define ER_DM_UDEV_PRIMARY_SOURCE_FLAG 0x0040u

#define DM_CONTROL "/dev/mapper/control"
#define UDEV_DATA "/run/udev/data"

/* /dev/mapper/control, made from sysfs's numbers when devtmpfs did not make it (dm-mod was loaded
 * after /dev was mounted on a /dev that is not devtmpfs, or the node was removed). */
static int open_control(void)
{
	int fd = open(DM_CONTROL, O_RDWR | O_CLOEXEC);
	if (fd >= 0 || errno != ENOENT)
		return fd;
	char buf[32], *end;
	if (read_small_file("/sys/class/misc/device-mapper/dev", buf, sizeof buf) < 0) {
		errno = ENOENT;
		return -1;
	}
	unsigned long maj = strtoul(buf, &end, 10), min = 0;
	if (*end != ':') {
		errno = ENOENT;
		return -1;
	}
	min = strtoul(end + 1, NULL, 10);
	mkdir("/dev/mapper", 0755);
	if (mknod(DM_CONTROL, S_IFCHR | 0600, makedev(maj, min)) < 0 && errno != EEXIST)
		return -1;
	return open(DM_CONTROL, O_RDWR | O_CLOEXEC);
}

/* The header of an ioctl buffer of SIZE bytes (zeroed by the caller) for device NAME. */
static void dm_header(struct er_dm_ioctl *io, size_t size, const char *name)
{
	io->version[0] = 4; /* the oldest v4: every call here has been there since */
	io->data_size = (uint32_t)size;
	io->data_start = sizeof *io;
	snprintf(io->name, sizeof io->name, "%s", name);
}

/* The kernel's huge_encode_dev(): minor's low 8 bits, major, then minor's upper bits. */
static void dm_decode_dev(uint64_t dev, unsigned *maj, unsigned *min)
{
	*maj = (unsigned)((dev >> 8) & 0xfff);
	*min = (unsigned)((dev & 0xff) | ((dev >> 12) & 0xfff00));
}

static int simple_call(int fd, unsigned long cmd, const char *name, uint32_t flags, uint32_t event_nr)
{
	struct er_dm_ioctl io;
	memset(&io, 0, sizeof io);
	dm_header(&io, sizeof io, name);
	io.flags = flags;
	io.event_nr = event_nr;
	return ioctl(fd, cmd, &io);
}

static int table_load(int fd, const char *name, const struct dm_target *t, int n, int readonly)
{
	size_t size = sizeof(struct er_dm_ioctl);
	for (int i = 0; i < n; i++)
		size += (sizeof(struct er_dm_target_spec) + strlen(t[i].params) + 1 + 7) & ~(size_t)7;
	if (size > UINT32_MAX) {
		errno = E2BIG;
		return -1;
	}
	/* uint64_t so that every spec in it is 8-aligned, as the kernel reads it */
	uint64_t *buf = calloc(1, size);
	if (!buf)
		return -1;
	struct er_dm_ioctl *io = (struct er_dm_ioctl *)buf;
	dm_header(io, size, name);
	io->target_count = (uint32_t)n;
	io->flags = readonly ? ER_DM_READONLY_FLAG : 0;
	size_t off = sizeof *io;
	for (int i = 0; i < n; i++) {
		struct er_dm_target_spec *spec = (struct er_dm_target_spec *)((char *)buf + off);
		size_t len = (sizeof *spec + strlen(t[i].params) + 1 + 7) & ~(size_t)7;
		spec->sector_start = t[i].start;
		spec->length = t[i].length;
		spec->next = (uint32_t)len;
		snprintf(spec->target_type, sizeof spec->target_type, "%s", t[i].type);
		memcpy(spec + 1, t[i].params, strlen(t[i].params) + 1);
		off += len;
	}
	int ret = ioctl(fd, ER_DM_TABLE_LOAD, io);
	int e = errno;
	free(buf);
	errno = e;
	return ret;
}

/* What the real root's udev reads back on its coldplug "add" (10-dm.rules imports the flag from the
 * database): without it the device stays "not ready" there and systemd never gets its .device unit.
 * Best effort: the boot itself does not need it. */
void dm_udev_ready(const char *name, const char *uuid, unsigned maj, unsigned min)
{
	char path[64], text[512];
	mkdir("/run/udev", 0755);
	mkdir(UDEV_DATA, 0755);
	snprintf(path, sizeof path, UDEV_DATA "/b%u:%u", maj, min);
	int len = snprintf(text, sizeof text, "E:DM_UDEV_PRIMARY_SOURCE_FLAG=1\nE:DM_NAME=%s\n%s%s%s", name,
			   uuid ? "E:DM_UUID=" : "", uuid ? uuid : "", uuid ? "\n" : "");
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	if (write(fd, text, (size_t)len) != len)
		unlink(path);
	close(fd);
}

int dm_create(const char *name, const char *uuid, const struct dm_target *t, int n, int readonly,
	      unsigned *maj, unsigned *min, char *err, size_t errsize)
{
	struct er_dm_ioctl io;
	const char *step;
	int e;

	if (!*name || strlen(name) >= sizeof io.name || strchr(name, '/') || (uuid && strlen(uuid) >= sizeof io.uuid) ||
	    n < 1) {
		snprintf(err, errsize, "bad device-mapper name or table for \"%s\"", name);
		errno = EINVAL;
		return -1;
	}
	int fd = open_control();
	if (fd < 0) {
		e = errno;
		snprintf(err, errsize, "cannot open " DM_CONTROL ": %s", strerror(e));
		errno = e;
		return -1;
	}
	memset(&io, 0, sizeof io);
	dm_header(&io, sizeof io, name);
	if (uuid)
		snprintf(io.uuid, sizeof io.uuid, "%s", uuid);
	if (ioctl(fd, ER_DM_DEV_CREATE, &io) < 0) {
		e = errno;
		snprintf(err, errsize, "DM_DEV_CREATE %s: %s%s", name, strerror(e),
			 e == EBUSY ? " (a device of that name exists already)" : "");
		close(fd);
		errno = e;
		return -1;
	}
	dm_decode_dev(io.dev, maj, min);
	step = "DM_TABLE_LOAD";
	if (table_load(fd, name, t, n, readonly) < 0)
		goto fail;
	/* Resume: the table goes live, and this change uevent is the one udev acts on. */
	step = "DM_DEV_SUSPEND (resume)";
	if (simple_call(fd, ER_DM_DEV_SUSPEND, name, 0, ER_DM_UDEV_PRIMARY_SOURCE_FLAG << 16) < 0)
		goto fail;
	close(fd);

	/* devtmpfs made /dev/dm-N; the name is udev's job, and there is no udev here. */
	char link[160], target[32];
	mkdir("/dev/mapper", 0755);
	snprintf(link, sizeof link, "/dev/mapper/%s", name);
	snprintf(target, sizeof target, "../dm-%u", *min);
	unlink(link);
	if (symlink(target, link) < 0) {
		e = errno;
		snprintf(err, errsize, "cannot link %s to %s: %s", link, target, strerror(e));
		dm_remove(name);
		errno = e;
		return -1;
	}
	dm_udev_ready(name, uuid, *maj, *min);
	return 0;

fail:
	e = errno;
	/* the kernel's own reason (a bad table line) is only in its log: the caller points there */
	snprintf(err, errsize, "%s %s: %s", step, name, strerror(e));
	simple_call(fd, ER_DM_DEV_REMOVE, name, 0, 0);
	close(fd);
	errno = e;
	return -1;
}

int dm_remove(const char *name)
{
	char path[160];
	struct stat st;
	int fd = open_control(), ret = -1, e = 0;

	snprintf(path, sizeof path, "/dev/mapper/%s", name);
	if (stat(path, &st) == 0 && S_ISBLK(st.st_mode)) {
		char data[64];
		snprintf(data, sizeof data, UDEV_DATA "/b%u:%u", major(st.st_rdev), minor(st.st_rdev));
		unlink(data);
	}
	if (fd >= 0) {
		/* A reader that just closed it may still hold it for a moment (EBUSY): try a few times. */
		for (int i = 0; i < 10; i++) {
			if ((ret = simple_call(fd, ER_DM_DEV_REMOVE, name, 0, 0)) == 0 || errno != EBUSY)
				break;
			usleep(50 * 1000);
		}
		e = errno;
		close(fd);
	} else {
		e = errno;
	}
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		unlink(path);
	errno = e;
	return ret;
}

int dm_status(const char *name, char *out, size_t size)
{
	size_t bufsize = 16384;
	uint64_t *buf = calloc(1, bufsize);
	int fd = open_control(), ret = -1, e = 0;

	if (!buf || fd < 0) {
		e = errno;
		goto out;
	}
	struct er_dm_ioctl *io = (struct er_dm_ioctl *)buf;
	dm_header(io, bufsize, name);
	if (ioctl(fd, ER_DM_TABLE_STATUS, io) < 0) {
		e = errno;
		goto out;
	}
	/* Everything the kernel wrote is within data_size; check before trusting the offsets. */
	if ((io->flags & ER_DM_BUFFER_FULL_FLAG) || io->target_count < 1 || io->data_start < sizeof *io ||
	    io->data_size > bufsize || io->data_start + sizeof(struct er_dm_target_spec) >= io->data_size) {
		e = io->target_count < 1 ? ENXIO : EOVERFLOW;
		goto out;
	}
	const char *s = (const char *)buf + io->data_start + sizeof(struct er_dm_target_spec);
	size_t max = io->data_size - io->data_start - sizeof(struct er_dm_target_spec);
	snprintf(out, size, "%.*s", (int)strnlen(s, max), s);
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	free(buf);
	errno = e;
	return ret;
}
