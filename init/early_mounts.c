/* early_mounts.c — the kernel's API filesystems, which the initramfs does not have yet. */
#include "early_mounts.h"
#include "fsutil.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>

static const struct {
	const char *dir, *type, *data;
	unsigned long flags;
} early_mounts[] = {
	{"/proc", "proc", NULL, MS_NOSUID | MS_NODEV | MS_NOEXEC},
	{"/sys", "sysfs", NULL, MS_NOSUID | MS_NODEV | MS_NOEXEC},
	/* devtmpfs: the kernel creates every device node itself, so no udev is needed to find the root. */
	{"/dev", "devtmpfs", "mode=0755", MS_NOSUID},
	{"/run", "tmpfs", "mode=0755", MS_NOSUID | MS_NODEV},
};

int mount_early_filesystems(void)
{
	int ret = 0;
	for (size_t i = 0; i < sizeof early_mounts / sizeof early_mounts[0]; i++) {
		const char *dir = early_mounts[i].dir;
		if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
			log_error("cannot create %s: %m", dir);
			ret = -1;
			continue;
		}
		if (fs_is_mount_point(AT_FDCWD, dir) == 1)
			continue; /* already there (a test namespace, or a kernel that mounted it) */
		if (mount(early_mounts[i].type, dir, early_mounts[i].type, early_mounts[i].flags,
			  early_mounts[i].data) < 0) {
			log_error("cannot mount %s on %s: %m (is CONFIG_%s enabled in the kernel?)",
				  early_mounts[i].type, dir,
				  i == 0 ? "PROC_FS" : i == 1 ? "SYSFS" : i == 2 ? "DEVTMPFS" : "TMPFS");
			ret = -1;
		}
	}
	return ret;
}
