/* internal.h — the pieces of the hand-over, shared between the files of switchroot/. */
#ifndef EARLYROOT_SWITCHROOT_INTERNAL_H
#define EARLYROOT_SWITCHROOT_INTERNAL_H
#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

/* The new root, opened once: every later step works on this fd, not on the path string. */
struct sr_newroot {
	int fd;
	char name[PATH_MAX]; /* normalised spelling, for messages only */
};

/* check.c */
int sr_open_newroot(const char *path, struct sr_newroot *nr);
/* check_init.c */
int sr_check_init(const struct sr_newroot *nr, const char *init);

/* api_mounts.c — with the current directory at the new root. Returns a mask of the mounts moved. */
unsigned sr_move_api_mounts(const struct sr_newroot *nr);
void sr_unmove_api_mounts(unsigned moved);
void sr_plan_api_mounts(const struct sr_newroot *nr); /* dry run: say what would happen */

/* delete.c */
struct sr_delete_stats {
	unsigned long files, dirs, kept, errors;
	unsigned long long bytes;
};
/* Delete everything below ROOTFD that is on its filesystem and not under a mount point.
 * Returns 0, or -1 if it stopped early (the stats say how far it got). */
int sr_delete_tree(int rootfd, struct sr_delete_stats *st);

#endif
