/* api_mounts.c — carry /dev, /proc, /sys and /run over to the new root.
 *
 * MS_MOVE (not a bind) keeps the very same mounts, with their submounts (/dev/pts, /dev/shm,
 * /run/...), so what early userspace left in /run survives and nothing stays pinned in the old root.
 * A refusal must leave the early root as it was, so before the point of no return only what can be
 * undone happens (a target directory created, a mount moved); a mount that cannot be carried over is
 * detached only after it. The moves run with the current directory at the new root, so targets are
 * relative paths. */
#include "internal.h"
#include "fsutil.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

static const char *const api_mounts[SR_N_API_MOUNTS] = {"/dev", "/proc", "/sys", "/run"};

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

void sr_plan_api_mounts(const struct sr_newroot *nr, struct sr_api_plan *plan, bool dry_run)
{
	struct statvfs vfs;
	bool readonly = fstatvfs(nr->fd, &vfs) == 0 && (vfs.f_flag & ST_RDONLY);

	*plan = (struct sr_api_plan){0};
	for (unsigned i = 0; i < SR_N_API_MOUNTS; i++) {
		const char *src = api_mounts[i], **why = &plan->detach[i];
		if (fs_is_mount_point(AT_FDCWD, src) != 1) {
			if (dry_run)
				log_info("dry run: %s is not a mount point: nothing to move", src);
			continue; /* a plain directory of the early root: nothing to carry over */
		}
		switch (target_state(nr, src + 1)) {
		case TARGET_READY:
			plan->move |= 1u << i;
			break;
		case TARGET_MISSING:
			if (readonly)
				*why = "is missing and NEWROOT is read-only";
			else
				plan->move |= plan->create |= 1u << i;
			break;
		case TARGET_BUSY:
			*why = "is already a mount point";
			break;
		case TARGET_NOT_DIR:
			*why = "is not a directory";
			break;
		}
		if (!dry_run)
			continue;
		if (*why)
			log_warn("dry run: %s%s %s: would detach %s instead of moving it", nr->name, src, *why, src);
		else if (plan->create & (1u << i))
			log_info("dry run: would create %s%s and move %s there", nr->name, src, src);
		else
			log_info("dry run: would move %s to %s%s", src, nr->name, src);
	}
}

const char *sr_api_mount_carrying(const struct sr_newroot *nr, const char *path)
{
	struct sr_api_plan plan;

	if (strstr(path, "/../") || strstr(path, "/./"))
		return NULL; /* not a plain spelling: judged inside NEWROOT, as before */
	sr_plan_api_mounts(nr, &plan, false);
	for (unsigned i = 0; i < SR_N_API_MOUNTS; i++) {
		size_t n = strlen(api_mounts[i]);
		if ((plan.move & (1u << i)) && !strncmp(path, api_mounts[i], n) && path[n] == '/')
			return api_mounts[i];
	}
	return NULL;
}

void sr_move_api_mounts(const struct sr_newroot *nr, struct sr_api_plan *plan)
{
	for (unsigned i = 0; i < SR_N_API_MOUNTS; i++) {
		const char *src = api_mounts[i], *rel = src + 1;
		unsigned bit = 1u << i;
		if (!(plan->move & bit))
			continue;
		if (plan->create & bit) {
			if (mkdirat(nr->fd, rel, 0755) < 0) {
				plan->detach[i] = errno == EROFS ? "is missing and NEWROOT is read-only"
								 : "is missing and cannot be created";
				continue;
			}
			plan->created |= bit;
			log_info("created %s%s", nr->name, src);
		}
		if (mount(src, rel, NULL, MS_MOVE, NULL) < 0) {
			log_warn("cannot move %s to %s%s (%m)", src, nr->name, src);
			plan->detach[i] = "could not receive it";
			continue;
		}
		plan->moved |= bit;
	}
}

void sr_unmove_api_mounts(const struct sr_newroot *nr, struct sr_api_plan *plan)
{
	for (unsigned i = SR_N_API_MOUNTS; i-- > 0;) {
		const char *src = api_mounts[i], *rel = src + 1;
		unsigned bit = 1u << i;
		if ((plan->moved & bit) && mount(rel, src, NULL, MS_MOVE, NULL) < 0) {
			log_warn("cannot move %s back: %m", src);
			continue; /* its target is still a mount point: keep it */
		}
		if ((plan->created & bit) && unlinkat(nr->fd, rel, AT_REMOVEDIR) < 0)
			log_warn("cannot remove %s%s again: %m", nr->name, src);
	}
	plan->moved = plan->created = 0;
}

void sr_detach_api_mounts(const struct sr_newroot *nr, const struct sr_api_plan *plan, int oldroot)
{
	bool in_oldroot = false;

	for (unsigned i = 0; i < SR_N_API_MOUNTS; i++) {
		const char *src = api_mounts[i];
		if (!plan->detach[i])
			continue;
		log_warn("%s%s %s: %s is detached instead of moved", nr->name, src, plan->detach[i], src);
		/* The new root covers the old one now: only OLDROOT reaches its mount points. */
		if (!in_oldroot && fchdir(oldroot) < 0) {
			log_warn("cannot detach %s: cannot enter the old root: %m", src);
			continue;
		}
		in_oldroot = true;
		if (umount2(src + 1, MNT_DETACH) < 0)
			log_warn("cannot detach %s: %m", src);
	}
	if (in_oldroot && chdir("/") < 0)
		log_warn("cannot return to /: %m");
}
