/* mount_undo.h — mounts made one after another, all undone if a later step fails: a refused live
 * boot leaves the initramfs as it was, so the rescue shell and a second try start clean. */
#ifndef EARLYROOT_MOUNT_UNDO_H
#define EARLYROOT_MOUNT_UNDO_H

#define MOUNT_UNDO_MAX 16

struct mount_undo {
	char dirs[MOUNT_UNDO_MAX][80]; /* the mount points, in the order they were mounted */
	int n;
	char links[4][40];             /* symlinks made, removed on undo */
	int nlinks;
};

/* Create DIR (and its parents) and mount there; remembered for mount_undo_all(). 0, or -1 with
 * errno from mount(2) (nothing remembered). */
int mount_undo_mount(struct mount_undo *u, const char *source, const char *dir, const char *type,
		     unsigned long flags, const char *data);
/* DIR was moved to NEWDIR (MS_MOVE): remember it there. */
void mount_undo_moved(struct mount_undo *u, const char *dir, const char *newdir);
/* Unmount DIR now (it is no longer needed) and forget it. 0 or -1. */
int mount_undo_unmount(struct mount_undo *u, const char *dir);
/* A symlink LINK -> TARGET, removed on undo. */
int mount_undo_symlink(struct mount_undo *u, const char *target, const char *link);
/* mkdir -p DIR (mode 0755). 0 or -1. */
int mkdir_parents(const char *dir);
/* Unmount everything remembered, the last first, and remove the symlinks. */
void mount_undo_all(struct mount_undo *u);

#endif
