/* delete.c — empty the old initramfs so its memory returns to the system.
 *
 * The rules that make this safe:
 *  - only on ramfs/tmpfs (checked again here, whatever the caller checked);
 *  - only on the old root's own filesystem: a directory on another device, or the root of any mount
 *    (a bind mount has the same device, so st_dev alone cannot see it), is kept with all it holds;
 *  - symlinks are removed, never followed; every lookup is relative to an fd (openat/unlinkat);
 *  - best effort: an error is counted and reported, the walk goes on; ENOENT (already gone) is fine.
 *
 * The walk is iterative and keeps two directory fds open (the top and the current one): a 10000-deep
 * tree needs neither 10000 fds nor 10000 stack frames. Going back up is done through "..", checked against the inode
 * recorded on the way down, so a tree that changed under the walk stops it instead of misleading it. */
#include "internal.h"
#include "fsutil.h"
#include "linux-api.h"
#include "log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_ERRORS_SHOWN 5

struct frame {
	int fd;
	uint64_t ino;
	char *name;     /* in the parent directory; NULL for the top */
	size_t pathlen; /* length of the path buffer up to and including this directory */
	char **pending; /* subdirectories still to empty and remove */
	size_t npending, cap;
};

struct walk {
	struct sr_delete_stats *st;
	uint32_t dev_major, dev_minor;
	char *path; /* "/a/b" of the current directory, for messages */
	size_t pathcap;
};

static int path_push(struct walk *w, size_t at, const char *name)
{
	size_t need = at + 1 + strlen(name) + 1;
	if (need > w->pathcap) {
		char *p = realloc(w->path, need * 2);
		if (!p)
			return -1;
		w->path = p, w->pathcap = need * 2;
	}
	w->path[at] = '/';
	strcpy(w->path + at + 1, name);
	return 0;
}

/* The end of a long path, for one readable line (a 2000-deep tree has 8000-character paths). */
#define PATH_SHOWN 150
static const char *shown(const struct walk *w, const char **ellipsis)
{
	size_t len = strlen(w->path);
	*ellipsis = len > PATH_SHOWN ? "..." : "";
	return len > PATH_SHOWN ? w->path + len - PATH_SHOWN : w->path;
}

static void report_error(struct walk *w, const char *what, const char *name)
{
	const char *dots, *path = shown(w, &dots);
	if (++w->st->errors <= MAX_ERRORS_SHOWN)
		log_warn("cannot %s %s%s/%s: %m", what, dots, path, name);
}

static int same_fs(const struct walk *w, const struct er_statx *stx)
{
	return stx->stx_dev_major == w->dev_major && stx->stx_dev_minor == w->dev_minor &&
	       !(stx->stx_attributes & ER_STATX_ATTR_MOUNT_ROOT);
}

/* Remove the non-directories of F and note its subdirectories as pending. */
static int scan(struct walk *w, struct frame *f)
{
	int dfd = openat(f->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	struct dirent *e;

	if (!d) {
		if (dfd >= 0)
			close(dfd);
		report_error(w, "read", ".");
		return -1;
	}
	while ((e = readdir(d))) {
		struct er_statx stx;
		const char *name = e->d_name;
		if (!strcmp(name, ".") || !strcmp(name, ".."))
			continue;
		if (er_statx(f->fd, name, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_STATX_DONT_SYNC,
			     ER_STATX_TYPE | ER_STATX_SIZE | ER_STATX_NLINK, &stx) < 0) {
			if (errno != ENOENT)
				report_error(w, "stat", name);
			continue;
		}
		if (S_ISDIR(stx.stx_mode)) {
			if (!same_fs(w, &stx)) {
				int other_dev = stx.stx_dev_major != w->dev_major ||
						stx.stx_dev_minor != w->dev_minor;
				const char *dots, *path = shown(w, &dots);
				w->st->kept++;
				log_info("kept %s%s/%s: %s", dots, path, name,
					 other_dev ? "another filesystem is mounted there"
						   : "it is a mount point (a bind mount)");
				continue;
			}
			if (f->npending == f->cap) {
				size_t cap = f->cap ? f->cap * 2 : 16;
				char **p = realloc(f->pending, cap * sizeof *p);
				if (!p) {
					closedir(d);
					return -1;
				}
				f->pending = p, f->cap = cap;
			}
			if (!(f->pending[f->npending] = strdup(name))) {
				closedir(d);
				return -1;
			}
			f->npending++;
			continue;
		}
		if (unlinkat(f->fd, name, 0) == 0) {
			w->st->files++;
			if (S_ISREG(stx.stx_mode) && stx.stx_nlink == 1)
				w->st->bytes += stx.stx_size;
		} else if (errno != ENOENT) {
			report_error(w, "remove", name);
		}
	}
	closedir(d);
	return 0;
}

static void free_frame(struct frame *f)
{
	if (f->fd >= 0)
		close(f->fd);
	for (size_t i = 0; i < f->npending; i++)
		free(f->pending[i]);
	free(f->pending);
	free(f->name);
}

/* Identify the directory FD: its inode, and whether it may be entered (0), must be kept as another
 * filesystem or mount root (1), or could not be examined (-1). The top of the old root is a mount
 * root itself, so going back up checks only the device and the inode (ENTER_ANY). */
enum { ENTER_CHILD, ENTER_ANY };
static int dir_ino(int fd, const struct walk *w, uint64_t *ino, int how)
{
	struct er_statx stx;
	if (er_statx(fd, "", AT_EMPTY_PATH, ER_STATX_TYPE | ER_STATX_INO, &stx) < 0)
		return -1;
	*ino = stx.stx_ino;
	if (how == ENTER_ANY)
		return stx.stx_dev_major == w->dev_major && stx.stx_dev_minor == w->dev_minor ? 0 : 1;
	return same_fs(w, &stx) ? 0 : 1;
}

int sr_delete_tree(int rootfd, struct sr_delete_stats *st)
{
	unsigned long magic;
	struct er_statx stx;
	struct walk w = {.st = st};
	struct frame *stack = NULL;
	size_t depth = 0, cap = 0;
	int ret = 0;

	memset(st, 0, sizeof *st);
	magic = fs_magic_fd(rootfd);
	if (magic != ER_RAMFS_MAGIC && magic != ER_TMPFS_MAGIC) {
		log_error("not deleting the old root: it is not ramfs/tmpfs (magic 0x%lx)", magic);
		return -1;
	}
	if (er_statx(rootfd, "", AT_EMPTY_PATH, ER_STATX_TYPE | ER_STATX_INO, &stx) < 0) {
		log_error("cannot stat the old root: %m");
		return -1;
	}
	w.dev_major = stx.stx_dev_major, w.dev_minor = stx.stx_dev_minor;
	w.path = calloc(1, w.pathcap = 256);
	stack = calloc(cap = 64, sizeof *stack);
	if (!w.path || !stack)
		goto oom;
	stack[0] = (struct frame){.fd = openat(rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC),
				  .ino = stx.stx_ino};
	if (stack[0].fd < 0) {
		log_error("cannot open the old root: %m");
		ret = -1;
		goto out;
	}
	depth = 1;
	scan(&w, &stack[0]);

	while (depth > 0) {
		struct frame *f = &stack[depth - 1];
		if (f->npending > 0) {
			char *name = f->pending[--f->npending];
			uint64_t ino;
			int cfd = openat(f->fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (cfd < 0) {
				if (errno != ENOENT)
					report_error(&w, "open", name);
				free(name);
				continue;
			}
			int other = dir_ino(cfd, &w, &ino, ENTER_CHILD);
			if (other != 0) { /* mounted over since the scan, or unreadable: leave it */
				if (other > 0)
					st->kept++;
				close(cfd);
				free(name);
				continue;
			}
			if (depth == cap) {
				struct frame *s = realloc(stack, cap * 2 * sizeof *stack);
				if (!s) {
					close(cfd);
					free(name);
					goto oom;
				}
				stack = s, cap *= 2, f = &stack[depth - 1];
			}
			if (path_push(&w, f->pathlen, name) < 0) {
				close(cfd);
				free(name);
				goto oom;
			}
			/* Only the top and the deepest directory keep an fd; the others are reopened
			 * through "..". Not the top: it is covered by the new root now, and ".." from
			 * its children would step into that mount instead. */
			if (depth > 1) {
				close(f->fd);
				f->fd = -1;
			}
			stack[depth++] = (struct frame){.fd = cfd, .ino = ino, .name = name,
							.pathlen = f->pathlen + 1 + strlen(name)};
			scan(&w, &stack[depth - 1]);
			continue;
		}
		if (depth == 1)
			break;
		/* F is empty (or holds only what must be kept): go up and remove it. */
		struct frame *parent = &stack[depth - 2];
		if (parent->fd < 0) {
			uint64_t ino;
			int pfd = openat(f->fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (pfd < 0 || dir_ino(pfd, &w, &ino, ENTER_ANY) != 0 || ino != parent->ino) {
				log_error("the old root changed while it was being deleted (at %s): stopping",
					  w.path);
				if (pfd >= 0)
					close(pfd);
				ret = -1;
				break;
			}
			parent->fd = pfd;
		}
		w.path[parent->pathlen] = 0;
		if (unlinkat(parent->fd, f->name, AT_REMOVEDIR) == 0)
			st->dirs++;
		else if (errno != ENOENT && errno != ENOTEMPTY)
			report_error(&w, "remove directory", f->name);
		/* ENOTEMPTY: it holds a mount point or a file that could not be removed (already counted). */
		free_frame(f);
		depth--;
	}
	goto out;
oom:
	log_error("out of memory while deleting the old root");
	ret = -1;
out:
	while (depth > 0)
		free_frame(&stack[--depth]);
	free(stack);
	free(w.path);
	return ret;
}
