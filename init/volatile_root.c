/* volatile_root.c — see volatile_root.h.
 *
 * systemd's words and meanings (kernel-command-line(7)): "overlay" is done here, with the live root's
 * overlay code; "state" (a tmpfs /var) and "no" are the booted system's business; "yes" (a tmpfs root
 * with only /usr from the disk) is refused rather than booted writable, which would break the promise
 * that nothing is written. */
#include "volatile_root.h"
#include "live_overlay.h"
#include "log.h"
#include "mount_root.h"
#include "mount_undo.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

static int nothing_asked(const char *mode)
{
	static const char *const words[] = {"no", "0", "false", "off", "state"};
	if (!mode)
		return 1;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (!strcmp(mode, words[i]))
			return 1;
	return 0;
}

int volatile_overlay_asked(const struct cmdline *cl)
{
	return cl->volatile_mode && !strcmp(cl->volatile_mode, "overlay") && !cl->live;
}

/* 1 when DIR's mount is read-only, 0 when not, -1 when that cannot be told. (fstatvfs: klibc has no statvfs.) */
static int read_only(const char *dir)
{
	struct statvfs vfs;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int r = fd < 0 || fstatvfs(fd, &vfs) < 0 ? -1 : !!(vfs.f_flag & ST_RDONLY);
	if (fd >= 0)
		close(fd);
	return r;
}

int volatile_root(const struct cmdline *cl, struct modules *mods, struct uevents *ue, const char *kept_out)
{
	struct mount_undo u = {0};

	if (nothing_asked(cl->volatile_mode))
		return 0;
	if (strcmp(cl->volatile_mode, "overlay")) {
		log_error("systemd.volatile=%s is not done by this init: systemd.volatile=overlay keeps the root "
			  "read-only under a tmpfs; state and no leave it to the booted system", cl->volatile_mode);
		return -1;
	}
	if (cl->live) {
		log_info("systemd.volatile=overlay: the live root is an overlay already");
		return 0;
	}
	/* The tmpfs is the only upper layer: a persistence device would keep what the promise says is lost. */
	struct cmdline tmpfs_only = *cl;
	tmpfs_only.live_overlay = NULL;
	tmpfs_only.live_overlay_readonly = 0;
	int was_rw = read_only(NEWROOT) == 0;
	if (mkdir_parents(VOLATILE_BASE) < 0 || mount(NEWROOT, VOLATILE_BASE, NULL, MS_MOVE, NULL) < 0) {
		log_error("systemd.volatile=overlay: cannot move the root from %s to %s: %m", NEWROOT, VOLATILE_BASE);
		return -1;
	}
	if (was_rw && mount(NULL, VOLATILE_BASE, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) < 0)
		log_error("systemd.volatile=overlay: cannot make %s read-only: %m", VOLATILE_BASE);
	else if (live_overlay_mount(&tmpfs_only, VOLATILE_BASE, &u, mods, ue, kept_out, "volatile root") == 0)
		return 0;
	/* Put the root back as it was, for the rescue shell and a second try. */
	int err = errno;
	mount_undo_all(&u);
	if (was_rw && read_only(VOLATILE_BASE) == 1 &&
	    mount(NULL, VOLATILE_BASE, NULL, MS_REMOUNT | MS_BIND, NULL) < 0)
		log_warn("cannot make the root writable again: %m");
	if (mount(VOLATILE_BASE, NEWROOT, NULL, MS_MOVE, NULL) < 0)
		log_warn("cannot move the root back from %s to %s: %m", VOLATILE_BASE, NEWROOT);
	errno = err;
	return -1;
}
