/* api_mounts.c — carry /dev, /proc, /sys and /run over to the new root.
 *
 * MS_MOVE (not a bind) keeps the very same mounts, with their submounts (/dev/pts, /dev/shm,
 * /run/...), so what early userspace left in /run survives and nothing stays pinned in the old root.
 * These steps run with the current directory at the new root, so targets are relative paths. */
#include "internal.h"
#include "fsutil.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

static const char *const api_mounts[] = {"/dev", "/proc", "/sys", "/run"};
#define N_API_MOUNTS (sizeof api_mounts / sizeof api_mounts[0])

enum target_state { TARGET_READY, TARGET_MISSING, TARGET_BUSY, TARGET_NOT_DIR };

static enum target_state target_state(const struct sr_newroot *nr, const char *rel)
{
	struct stat st;
	if (fstatat(nr->fd, rel, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return TARGET_MISSING;
	if (!S_ISDIR(st.st_mode))
		return TARGET_NOT_DIR;
	return fs_is_mount_point(nr->fd, rel) == 1 ? TARGET_BUSY : TARGET_READY;
}

static void detach(const char *src, const char *why, const char *newroot)
{
	log_warn("%s%s %s: %s is detached instead of moved", newroot, src, why, src);
	if (umount2(src, MNT_DETACH) < 0)
		log_warn("cannot detach %s: %m", src);
}

unsigned sr_move_api_mounts(const struct sr_newroot *nr)
{
	unsigned moved = 0;

	for (unsigned i = 0; i < N_API_MOUNTS; i++) {
		const char *src = api_mounts[i], *rel = src + 1;
		if (fs_is_mount_point(AT_FDCWD, src) != 1)
			continue; /* a plain directory of the early root: nothing to carry over */
		switch (target_state(nr, rel)) {
		case TARGET_MISSING:
			if (mkdirat(nr->fd, rel, 0755) < 0) {
				detach(src, errno == EROFS ? "is missing and NEWROOT is read-only"
							   : "is missing and cannot be created", nr->name);
				continue;
			}
			log_info("created %s%s", nr->name, src);
			break;
		case TARGET_BUSY:
			detach(src, "is already a mount point", nr->name);
			continue;
		case TARGET_NOT_DIR:
			detach(src, "is not a directory", nr->name);
			continue;
		case TARGET_READY:
			break;
		}
		if (mount(src, rel, NULL, MS_MOVE, NULL) < 0) {
			log_warn("cannot move %s to %s%s (%m)", src, nr->name, src);
			detach(src, "could not receive it", nr->name);
			continue;
		}
		moved |= 1u << i;
	}
	return moved;
}

/* Undo the moves when the switch fails before the point of no return, so the early root works. */
void sr_unmove_api_mounts(unsigned moved)
{
	for (unsigned i = N_API_MOUNTS; i-- > 0;)
		if ((moved & (1u << i)) && mount(api_mounts[i] + 1, api_mounts[i], NULL, MS_MOVE, NULL) < 0)
			log_warn("cannot move %s back: %m", api_mounts[i]);
}

void sr_plan_api_mounts(const struct sr_newroot *nr)
{
	struct statvfs vfs;
	int readonly = fstatvfs(nr->fd, &vfs) == 0 && (vfs.f_flag & ST_RDONLY);

	for (unsigned i = 0; i < N_API_MOUNTS; i++) {
		const char *src = api_mounts[i], *rel = src + 1;
		if (fs_is_mount_point(AT_FDCWD, src) != 1) {
			log_info("dry run: %s is not a mount point: nothing to move", src);
			continue;
		}
		switch (target_state(nr, rel)) {
		case TARGET_READY:
			log_info("dry run: would move %s to %s%s", src, nr->name, src);
			break;
		case TARGET_MISSING:
			if (readonly)
				log_warn("dry run: %s%s is missing and NEWROOT is read-only: would detach %s",
					 nr->name, src, src);
			else
				log_info("dry run: would create %s%s and move %s there", nr->name, src, src);
			break;
		case TARGET_BUSY:
		case TARGET_NOT_DIR:
			log_warn("dry run: %s%s cannot receive %s: would detach it", nr->name, src, src);
			break;
		}
	}
}
