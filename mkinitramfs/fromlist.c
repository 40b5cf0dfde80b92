/* fromlist.c — read a gen_init_cpio list (the kernel's usr/gen_init_cpio.c, also what
 * CONFIG_INITRAMFS_SOURCE takes), one entry per line, '#' comments and blank lines ignored:
 *
 *   file NAME LOCATION MODE UID GID [HARDLINK...]
 *   dir NAME MODE UID GID
 *   nod NAME MODE UID GID c|b MAJOR MINOR
 *   slink NAME TARGET MODE UID GID
 *   pipe NAME MODE UID GID
 *   sock NAME MODE UID GID
 *
 * MODE is octal; unlike everything else mkinitramfs adds, these entries keep the mode, uid and gid
 * the list gives: the list is an explicit description of the archive. ${VAR} in LOCATION is replaced
 * from the environment, as gen_init_cpio does. A file's extra names (HARDLINK) are stored as copies:
 * the image's entries never share an inode. */
#include "fromlist.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

#define MAXFIELDS 16

static int number(const char *s, int base, unsigned long max, unsigned *v)
{
	char *end;
	errno = 0;
	unsigned long x = strtoul(s, &end, base);
	if (!*s || *end || errno || x > max || *s == '-')
		return -1;
	*v = (unsigned)x;
	return 0;
}

/* gen_init_cpio's ${VAR} expansion of LOCATION; an unset variable is an error there too. */
static char *expand(const char *s, const char *where)
{
	struct buf b = { 0 };
	for (const char *p = s; *p;) {
		if (p[0] == '$' && p[1] == '{') {
			const char *close = strchr(p, '}');
			if (!close) {
				errorf("%s: unterminated ${ in %s", where, s);
				buf_free(&b);
				return NULL;
			}
			char *name = xasprintf("%.*s", (int)(close - p - 2), p + 2);
			const char *val = getenv(name);
			if (!val) {
				errorf("%s: environment variable %s is not set (in %s)", where, name, s);
				free(name);
				buf_free(&b);
				return NULL;
			}
			free(name);
			buf_printf(&b, "%s", val);
			p = close + 1;
		} else {
			buf_append(&b, p++, 1);
		}
	}
	buf_append(&b, "", 1);
	return b.data;
}

/* A name inside the image, in the one spelling every other way into the image uses (path_clean():
 * "./etc//x/" is "etc/x"), so that it meets an --add of the same path as a duplicate, not as a second
 * entry the kernel would unpack over the first. NULL after an error for ".." or a name of nothing. */
static char *image_name(const char *name, const char *where)
{
	char *clean = path_clean(name);
	if (!clean) {
		errorf("%s: the name %s leads out of the image", where, name);
		return NULL;
	}
	if (!*clean) {
		errorf("%s: the name %s names no path inside the image", where, name);
		free(clean);
		return NULL;
	}
	return clean;
}

static int line_entry(struct image *img, char **f, int n, const char *where)
{
	const char *type = f[0];
	/* Fields of the common tail MODE UID GID, by type: index of MODE and the field count. */
	int mode_at, want;
	if (strcmp(type, "file") == 0)
		mode_at = 3, want = 6;
	else if (strcmp(type, "dir") == 0 || strcmp(type, "pipe") == 0 || strcmp(type, "sock") == 0)
		mode_at = 2, want = 5;
	else if (strcmp(type, "nod") == 0)
		mode_at = 2, want = 8;
	else if (strcmp(type, "slink") == 0)
		mode_at = 3, want = 6;
	else {
		errorf("%s: unknown entry type '%s' (file, dir, nod, slink, pipe, sock)", where, type);
		return -1;
	}
	if (n < want || (n > want && strcmp(type, "file") != 0)) {
		errorf("%s: %s takes %d fields, not %d", where, type, want - 1, n - 1);
		return -1;
	}
	unsigned mode, uid, gid;
	if (number(f[mode_at], 8, 07777, &mode) < 0 || number(f[mode_at + 1], 10, 0xffffffffu, &uid) < 0 ||
	    number(f[mode_at + 2], 10, 0xffffffffu, &gid) < 0) {
		errorf("%s: bad mode, uid or gid (MODE is octal, at most 7777)", where);
		return -1;
	}
	char *name = image_name(f[1], where);
	if (!name)
		return -1;
	struct entry *e = NULL;
	if (strcmp(type, "file") == 0) {
		free(name); /* each name is cleaned below */
		char *src = expand(f[2], where);
		if (!src)
			return -1;
		struct stat st;
		/* O_NONBLOCK: a fifo named as LOCATION must be refused, not wait for a writer forever. */
		int fd = open(src, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
			errorf("%s: cannot read %s: %s", where, src, fd < 0 ? strerror(errno) : "not a regular file");
			if (fd >= 0)
				close(fd);
			free(src);
			return -1;
		}
		close(fd);
		/* NAME, then the extra names after GID. */
		for (int i = 1; i < n; i = i == 1 ? want : i + 1) {
			char *link = image_name(f[i], where);
			if (!link || image_add_file(img, link, src, mode) < 0) {
				free(link);
				free(src);
				return -1;
			}
			free(link);
			e = &img->v[img->n - 1];
			e->perm = mode, e->uid = uid, e->gid = gid;
		}
		free(src);
		return 0;
	}
	if (strcmp(type, "slink") == 0) {
		image_add_symlink(img, name, f[2]);
		e = &img->v[img->n - 1];
	} else if (strcmp(type, "nod") == 0) {
		unsigned maj, min;
		if ((strcmp(f[5], "c") != 0 && strcmp(f[5], "b") != 0) || number(f[6], 10, 0xfff, &maj) < 0 ||
		    number(f[7], 10, 0xfffff, &min) < 0) {
			errorf("%s: nod wants c or b, then MAJOR and MINOR", where);
			free(name);
			return -1;
		}
		e = image_add_node(img, name, f[5][0] == 'c' ? ENTRY_CHARDEV : ENTRY_BLOCKDEV, mode);
		e->rmajor = maj, e->rminor = min;
	} else {
		e = image_add_node(img, name, type[0] == 'd' ? ENTRY_DIR : type[0] == 'p' ? ENTRY_FIFO : ENTRY_SOCKET,
				   mode);
	}
	e->perm = mode, e->uid = uid, e->gid = gid;
	free(name);
	return 0;
}

int fromlist_add(struct image *img, const char *path)
{
	struct buf b = { 0 };
	if (read_file(path, &b) < 0)
		return -1;
	buf_append(&b, "", 1);
	int rc = fromlist_add_text(img, b.data, path);
	buf_free(&b);
	return rc;
}

int fromlist_add_text(struct image *img, char *text, const char *path)
{
	int rc = 0, lineno = 0;
	char *next;
	for (char *line = text; line && rc == 0; line = next) {
		char *nl = strchr(line, '\n');
		next = nl ? nl + 1 : NULL;
		if (nl)
			*nl = '\0';
		lineno++;
		char *f[MAXFIELDS], *save = NULL;
		int n = 0;
		bool too_many = false;
		for (char *t = strtok_r(line, " \t\r", &save); t; t = strtok_r(NULL, " \t\r", &save)) {
			if (n == MAXFIELDS) {
				too_many = true; /* hard links past the limit must not vanish silently */
				break;
			}
			f[n++] = t;
		}
		if (n == 0 || f[0][0] == '#')
			continue;
		char *where = xasprintf("%s:%d", path, lineno);
		if (too_many) {
			errorf("%s: more than %d fields (a file takes at most %d extra names)", where, MAXFIELDS,
			       MAXFIELDS - 6);
			rc = -1;
		} else {
			rc = line_entry(img, f, n, where);
		}
		free(where);
	}
	return rc;
}
