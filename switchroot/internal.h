/* internal.h — the pieces of the hand-over, shared between the files of switchroot/. */
#ifndef EARLYROOT_SWITCHROOT_INTERNAL_H
#define EARLYROOT_SWITCHROOT_INTERNAL_H
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* The new root, opened once: every later step works on this fd, not on the path string. */
struct sr_newroot {
	int fd;
	char name[PATH_MAX]; /* normalised spelling, for messages only */
};

/* check.c */
int sr_open_newroot(const char *path, struct sr_newroot *nr);
/* check_init.c: 0 if INIT will run once NR is /; else -1, with the reason (one line, not logged) in WHY. */
int sr_check_init(const struct sr_newroot *nr, const char *init, char *why, size_t why_size);

/* api_mounts.c — what happens to /dev /proc /sys /run (bit i of a mask: the i-th of them). */
#define SR_N_API_MOUNTS 4
struct sr_api_plan {
	unsigned move, create;          /* to move into NEWROOT; of those, whose target is to be created */
	unsigned moved, created;        /* done so far: what a refusal undoes */
	const char *detach[SR_N_API_MOUNTS]; /* why it stays behind, to be detached; NULL: it does not */
};
/* Decide for each from what is there now; DRY_RUN: also say what would happen. */
void sr_plan_api_mounts(const struct sr_newroot *nr, struct sr_api_plan *plan, bool dry_run);
/* The API mount PATH lies under ("/run"), when the switch will move that mount into NR: after the
 * switch PATH is reached through it, so it is looked up where it is now. NULL otherwise. */
const char *sr_api_mount_carrying(const struct sr_newroot *nr, const char *path);
/* Before the point of no return, with the current directory at the new root: create the targets and
 * move the mounts (one that fails is detached later instead). sr_unmove_api_mounts undoes both. */
void sr_move_api_mounts(const struct sr_newroot *nr, struct sr_api_plan *plan);
void sr_unmove_api_mounts(const struct sr_newroot *nr, struct sr_api_plan *plan);
/* After the point of no return: detach those that stayed behind, through OLDROOT (an fd on the old
 * root, which the new one covers). Leaves the current directory at /. */
void sr_detach_api_mounts(const struct sr_newroot *nr, const struct sr_api_plan *plan, int oldroot);

/* propagation.c — the mounts that were shared, made private for the moves (sr_make_private, -1 logged
 * if it fails); sr_restore_shared makes them shared again after a refusal, sr_forget_shared drops the
 * list once the switch went through. */
struct sr_shared {
	char *paths; /* their mount points, one after the other, each NUL-terminated */
	unsigned n;
};
int sr_make_private(struct sr_shared *saved);
void sr_restore_shared(struct sr_shared *saved);
void sr_forget_shared(struct sr_shared *saved);

/* delete.c */
struct sr_delete_stats {
	unsigned long files, dirs, kept, errors;
	unsigned long long bytes;
};
/* Delete everything below ROOTFD that is on its filesystem and not under a mount point.
 * Returns 0, or -1 if it stopped early (the stats say how far it got). */
int sr_delete_tree(int rootfd, struct sr_delete_stats *st);

#endif
