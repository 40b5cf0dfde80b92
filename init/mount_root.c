/* mount_root.c — mount the root device at NEWROOT with the type, flags and options asked for. */
#include "mount_root.h"
#include "blockprobe.h"
#include "fsck.h"
#include "fsutil.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

/* The type the root's superblock says (init/blockprobe.c), "" when the probe knows none. */
static void probed_type(const char *device, char *type, size_t size)
{
	struct fs_id id;

	type[0] = 0;
	if (fs_probe_path(device, &id, NULL) > 0)
		snprintf(type, size, "%s", id.type);
}

/* The types to try: rootfstype= if given; else the probed type first, then every other block-device
 * filesystem the kernel knows (the "nodev" ones in /proc/filesystems cannot live on a disk), like the
 * kernel's own root mount. The probed one first: in the list's order ext4 would try an ext4 root as
 * ext3 and ext2 and log why each failed. The rest stay for a type the kernel names otherwise. */
static void candidate_types(const struct cmdline *cl, const char *probed, char *buf, size_t size)
{
	char fs[4096];

	if (cl->rootfstype) {
		snprintf(buf, size, "%s", cl->rootfstype);
		return;
	}
	snprintf(buf, size, "%s", probed);
	if (read_small_file("/proc/filesystems", fs, sizeof fs) < 0)
		return;
	for (char *line = strtok(fs, "\n"); line; line = strtok(NULL, "\n")) {
		if (!strncmp(line, "nodev", 5))
			continue;
		while (*line == '\t' || *line == ' ')
			line++;
		size_t len = strlen(buf);
		if (strcmp(line, probed))
			snprintf(buf + len, size - len, "%s%s", len ? "," : "", line);
	}
}

/* rootflags= the way mount -o takes it: generic flags become mount(2) flags, the rest is the
 * filesystem's data. (Passed whole as data, "noatime" would make ext4 refuse the mount.) */
static const struct {
	const char *name;
	unsigned long set, clear;
} mount_flags[] = {
	{"ro", MS_RDONLY, 0},           {"rw", 0, MS_RDONLY},
	{"noatime", MS_NOATIME, 0},     {"atime", 0, MS_NOATIME},
	{"nodiratime", MS_NODIRATIME, 0}, {"relatime", MS_RELATIME, 0},
	{"strictatime", MS_STRICTATIME, 0}, {"lazytime", MS_LAZYTIME, 0},
	{"nosuid", MS_NOSUID, 0},       {"suid", 0, MS_NOSUID},
	{"nodev", MS_NODEV, 0},         {"dev", 0, MS_NODEV},
	{"noexec", MS_NOEXEC, 0},       {"exec", 0, MS_NOEXEC},
	{"sync", MS_SYNCHRONOUS, 0},    {"async", 0, MS_SYNCHRONOUS},
	{"dirsync", MS_DIRSYNC, 0},     {"defaults", 0, 0},
};

void mount_root_flags(const char *rootflags, unsigned long *flags, char *data, size_t size)
{
	char copy[1024], *save = NULL;

	data[0] = 0;
	if (!rootflags)
		return;
	snprintf(copy, sizeof copy, "%s", rootflags);
	for (char *opt = strtok_r(copy, ",", &save); opt; opt = strtok_r(NULL, ",", &save)) {
		size_t i, n = sizeof mount_flags / sizeof mount_flags[0];
		for (i = 0; i < n && strcmp(opt, mount_flags[i].name); i++)
			;
		if (i < n) {
			*flags = (*flags | mount_flags[i].set) & ~mount_flags[i].clear;
		} else {
			size_t len = strlen(data);
			snprintf(data + len, size - len, "%s%s", len ? "," : "", opt);
		}
	}
}

static int try_mount(const char *device, const char *type, unsigned long flags, const char *data)
{
	if (mount(device, NEWROOT, type, flags, data) == 0)
		return 0;
	/* A write-protected disk asked for rw: mount it read-only, as the kernel does. */
	if (!(flags & MS_RDONLY) && (errno == EACCES || errno == EROFS) &&
	    mount(device, NEWROOT, type, flags | MS_RDONLY, data) == 0) {
		log_warn("%s is write-protected: mounted read-only", device);
		return 0;
	}
	return -1;
}

int mount_root(const struct cmdline *cl, const char *device, struct modules *mods, int fsck_off)
{
	char types[1024], data[1024], probed[sizeof ((struct fs_id *)0)->type], *save = NULL;
	unsigned long flags = cl->readonly ? MS_RDONLY : 0;
	int last_errno = ENODEV;
	const char *last_type = NULL;

	if (mkdir(NEWROOT, 0755) < 0 && errno != EEXIST) {
		log_error("cannot create %s: %m", NEWROOT);
		return -1;
	}
	mount_root_flags(cl->rootflags, &flags, data, sizeof data);
	probed_type(device, probed, sizeof probed);
	modules_for_filesystem(mods, probed, cl->rootfstype); /* before the kernel's list of types is read */
	candidate_types(cl, probed, types, sizeof types);
	/* Before the mount, read-only or not: only an unmounted filesystem is safe to repair. */
	if (fsck_root(device, *probed || !cl->rootfstype || strchr(cl->rootfstype, ',') ? probed : cl->rootfstype,
		      fsck_off) < 0)
		return -1;
	for (char *type = strtok_r(types, ",", &save); type; type = strtok_r(NULL, ",", &save)) {
		if (try_mount(device, type, flags, *data ? data : NULL) == 0) {
			log_info("mounted %s (%s, %s) on %s", device, type, flags & MS_RDONLY ? "ro" : "rw",
				 NEWROOT);
			return 0;
		}
		/* EINVAL: not this type (or bad rootflags); try the next. Anything else is remembered. */
		if (errno != EINVAL || !last_type)
			last_errno = errno, last_type = type;
	}
	errno = last_errno;
	if (cl->rootfstype && last_errno == ENODEV)
		log_error("cannot mount root %s: the kernel does not know filesystem type %s: its module "
			  "is not in the image (add it with mkinitramfs -m) or rootfstype= is wrong",
			  device, cl->rootfstype);
	else if (cl->rootfstype)
		log_error("cannot mount root %s as %s%s%s: %m", device, cl->rootfstype,
			  cl->rootflags ? " with rootflags=" : "", cl->rootflags ? cl->rootflags : "");
	else
		log_error("cannot mount root %s: no filesystem the kernel knows fits it (%m); "
			  "is its module in the image? rootfstype= names the type", device);
	return -1;
}
