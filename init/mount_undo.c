/* mount_undo.c — see mount_undo.h. */
#include "mount_undo.h"
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

int mkdir_parents(const char *dir)
{
	char path[256];

	if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path)
		return errno = ENAMETOOLONG, -1;
	for (char *p = path + 1;; p++) {
		if (*p != '/' && *p)
			continue;
		char c = *p;
		*p = 0;
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			return -1;
		if (!c)
			return 0;
		*p = c;
	}
}

int mount_undo_mount(struct mount_undo *u, const char *source, const char *dir, const char *type,
		     unsigned long flags, const char *data)
{
	if (u->n == MOUNT_UNDO_MAX || strlen(dir) >= sizeof u->dirs[0])
		return errno = ENOSPC, -1;
	if (mkdir_parents(dir) < 0 || mount(source, dir, type, flags, data) < 0)
		return -1;
	snprintf(u->dirs[u->n++], sizeof u->dirs[0], "%s", dir);
	return 0;
}

void mount_undo_moved(struct mount_undo *u, const char *dir, const char *newdir)
{
	for (int i = u->n - 1; i >= 0; i--)
		if (!strcmp(u->dirs[i], dir)) {
			snprintf(u->dirs[i], sizeof u->dirs[i], "%s", newdir);
			return;
		}
}

int mount_undo_unmount(struct mount_undo *u, const char *dir)
{
	for (int i = u->n - 1; i >= 0; i--) {
		if (strcmp(u->dirs[i], dir))
			continue;
		if (umount(dir) < 0)
			return -1;
		memmove(u->dirs[i], u->dirs[i + 1], (size_t)(u->n - i - 1) * sizeof u->dirs[0]);
		u->n--;
		return 0;
	}
	return errno = ENOENT, -1;
}

int mount_undo_symlink(struct mount_undo *u, const char *target, const char *link)
{
	if (u->nlinks == (int)(sizeof u->links / sizeof u->links[0]) || strlen(link) >= sizeof u->links[0])
		return errno = ENOSPC, -1;
	unlink(link);
	if (symlink(target, link) < 0)
		return -1;
	snprintf(u->links[u->nlinks++], sizeof u->links[0], "%s", link);
	return 0;
}

void mount_undo_all(struct mount_undo *u)
{
	while (u->nlinks > 0)
		unlink(u->links[--u->nlinks]);
	while (u->n > 0) {
		const char *dir = u->dirs[--u->n];
		/* Busy (a loop device still open, a shell's cwd): detach it, so that the name is free again. */
		if (umount(dir) < 0 && umount2(dir, MNT_DETACH) < 0)
			log_warn("cannot unmount %s: %m", dir);
	}
}
