/* inspect.c — list or unpack an image read by imgread.c.
 *
 * Extraction never writes outside DIR: names are checked before anything is written (absolute names
 * and ".." are refused, "./" prefixes dropped, an entry below a name the image itself makes a symlink is
 * refused), and every path is then walked component by component from DIR's descriptor with
 * O_NOFOLLOW, so a symlink already in DIR is not followed either. Later entries replace earlier ones
 * with the same name, as the kernel does with concatenated archives. */
#include "inspect.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "imgread.h"
#include "util.h"

static void mode_string(uint32_t mode, char s[11])
{
	static const char rwx[] = "rwxrwxrwx";
	switch (mode & S_IFMT) {
	case S_IFDIR: s[0] = 'd'; break;
	case S_IFLNK: s[0] = 'l'; break;
	case S_IFCHR: s[0] = 'c'; break;
	case S_IFBLK: s[0] = 'b'; break;
	case S_IFIFO: s[0] = 'p'; break;
	case S_IFSOCK: s[0] = 's'; break;
	case S_IFREG: s[0] = '-'; break;
	default: s[0] = '?'; break;
	}
	for (int i = 0; i < 9; i++)
		s[1 + i] = (mode & (0400u >> i)) ? rwx[i] : '-';
	if (mode & S_ISUID)
		s[3] = (mode & 0100) ? 's' : 'S';
	if (mode & S_ISGID)
		s[6] = (mode & 0010) ? 's' : 'S';
	if (mode & S_ISVTX)
		s[9] = (mode & 0001) ? 't' : 'T';
	s[10] = '\0';
}

int inspect_list(const char *image, bool verbose)
{
	struct rimage img = { 0 };
	if (imgread(image, &img) < 0) {
		imgread_free(&img);
		return -1;
	}
	if (verbose)
		for (size_t i = 0; i < img.nseg; i++)
			printf("# segment %zu: %s at offset %llu, %llu bytes, %llu bytes of cpio, %zu entries\n", i + 1,
			       img.seg[i].method, (unsigned long long)img.seg[i].offset,
			       (unsigned long long)img.seg[i].length, (unsigned long long)img.seg[i].cpio_bytes,
			       img.seg[i].nentries);
	for (size_t i = 0; i < img.n; i++) {
		const struct rentry *e = &img.v[i];
		char m[11];
		mode_string(e->mode, m);
		if (S_ISCHR(e->mode) || S_ISBLK(e->mode))
			printf("%s %u/%u %u,%u %s", m, e->uid, e->gid, e->rmajor, e->rminor, e->name);
		else
			printf("%s %u/%u %u %s", m, e->uid, e->gid, e->size, e->name);
		if (S_ISLNK(e->mode))
			printf(" -> %.*s", (int)e->size, (const char *)e->data);
		putchar('\n');
	}
	imgread_free(&img);
	return 0;
}

/* The name below DIR: "./a//b" -> "a/b"; "" for "." itself; NULL (after an error) when unsafe. */
static char *safe_name(const char *image, const char *name)
{
	if (name[0] == '/') {
		errorf("%s: refusing the absolute name %s", image, name);
		return NULL;
	}
	char *out = path_clean(name);
	if (!out)
		errorf("%s: refusing the name %s: it leads out of the directory", image, name);
	return out;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Open the directory that will hold name's last component, creating missing directories, following
 * no symlink. Returns an O_PATH descriptor and points *last at the last component. */
static int open_parent(int root, const char *image, char *name, const char **last)
{
	int fd = dup(root);
	char *p = name;
	for (char *slash; fd >= 0 && (slash = strchr(p, '/')); p = slash + 1) {
		*slash = '\0';
		int next = openat(fd, p, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0 && errno == ENOENT && mkdirat(fd, p, 0755) == 0)
			next = openat(fd, p, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0) {
			int e = errno;
			errorf("%s: cannot extract %s: %s%s", image, name,
			       e == ELOOP || e == ENOTDIR ? "not a directory (or a symlink): " : "", strerror(e));
			*slash = '/';
			close(fd);
			return -1;
		}
		*slash = '/';
		close(fd);
		fd = next;
	}
	*last = p;
	return fd;
}

/* Remove what is at dir/last unless it is a directory (an entry replaces a file, not a tree). */
static int make_room(int dir, const char *last)
{
	struct stat st;
	if (fstatat(dir, last, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -1;
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		return -1;
	}
	return unlinkat(dir, last, 0);
}

struct link_seen {
	unsigned archive;
	uint32_t ino, devmajor, devminor;
	char *path;
};

static int extract_one(int root, const char *image, const struct rentry *e, char *name, struct link_seen **seen,
		       size_t *nseen, unsigned *skipped)
{
	const char *last;
	int dir = open_parent(root, image, name, &last);
	if (dir < 0)
		return -1;
	int rc = 0;
	uint32_t type = e->mode & S_IFMT, perm = e->mode & 07777;
	const char *what = NULL;
	if (type == S_IFDIR) {
		struct stat st;
		if (mkdirat(dir, last, 0700) < 0 &&
		    !(errno == EEXIST && fstatat(dir, last, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode)))
			rc = -1;
	} else if (type == S_IFREG) {
		struct link_seen *first = NULL;
		if (e->nlink > 1)
			for (size_t i = 0; i < *nseen; i++)
				if ((*seen)[i].archive == e->archive && (*seen)[i].ino == e->ino &&
				    (*seen)[i].devmajor == e->devmajor && (*seen)[i].devminor == e->devminor)
					first = &(*seen)[i];
		if (make_room(dir, last) < 0) {
			rc = -1;
		} else if (first) {
			/* newc stores a hard link's data with its last name; the earlier names have none. A later
			 * entry may have replaced the first name by a device node or a fifo: linking to that and
			 * writing would write into a device of the host (or block on the fifo), so the link is
			 * made only to the regular file this extraction created. */
			struct stat st;
			if (fstatat(root, first->path, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode)) {
				what = "its hard link's first name was replaced by something not a regular file";
			} else if (linkat(root, first->path, dir, last, 0) < 0) {
				rc = -1;
			} else if (e->size) {
				int fd = openat(dir, last, O_WRONLY | O_TRUNC | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
				if (fd < 0 || write_full(fd, e->data, e->size) < 0)
					rc = -1;
				if (fd >= 0 && close(fd) < 0)
					rc = -1;
			}
		} else {
			int fd = openat(dir, last, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
			if (fd < 0 || write_full(fd, e->data, e->size) < 0)
				rc = -1;
			if (fd >= 0 && close(fd) < 0)
				rc = -1;
			if (rc == 0 && e->nlink > 1) {
				*seen = xrealloc(*seen, (*nseen + 1) * sizeof(**seen));
				(*seen)[(*nseen)++] = (struct link_seen){ e->archive, e->ino, e->devmajor, e->devminor,
									  xstrdup(name) };
			}
		}
	} else if (type == S_IFLNK) {
		char *target = xasprintf("%.*s", (int)e->size, (const char *)e->data);
		if (make_room(dir, last) < 0 || symlinkat(target, dir, last) < 0)
			rc = -1;
		free(target);
	} else if (type == S_IFCHR || type == S_IFBLK || type == S_IFIFO || type == S_IFSOCK) {
		if (make_room(dir, last) < 0) {
			rc = -1;
		} else if (mknodat(dir, last, type | 0600, makedev(e->rmajor, e->rminor)) < 0) {
			if (errno == EPERM) { /* device nodes need root; the rest of the tree is still useful */
				(*skipped)++;
				close(dir);
				return 0;
			}
			rc = -1;
		}
	} else {
		what = "unknown file type";
	}
	if (what || rc < 0) {
		errorf("%s: cannot extract %s: %s", image, name, what ? what : strerror(errno));
		close(dir);
		return -1;
	}
	/* Owner first: chown clears set-id bits. */
	if (geteuid() == 0 && fchownat(dir, last, e->uid, e->gid, AT_SYMLINK_NOFOLLOW) < 0)
		rc = -1;
	if (rc == 0 && type != S_IFLNK && fchmodat(dir, last, perm, 0) < 0)
		rc = -1;
	struct timespec t[2] = { { e->mtime, 0 }, { e->mtime, 0 } };
	if (rc == 0 && utimensat(dir, last, t, AT_SYMLINK_NOFOLLOW) < 0)
		rc = -1;
	if (rc < 0)
		errorf("%s: cannot set the attributes of %s: %s", image, name, strerror(errno));
	close(dir);
	return rc;
}

int inspect_extract(const char *image, const char *dirpath, bool verbose)
{
	struct rimage img = { 0 };
	char **names = NULL, **links = NULL;
	size_t nlinks = 0, nseen = 0;
	struct link_seen *seen = NULL;
	unsigned skipped = 0;
	int root = -1, rc = -1;
	if (imgread(image, &img) < 0)
		goto done;
	/* Every name is checked before anything is written. */
	names = xmalloc(img.n * sizeof(*names));
	memset(names, 0, img.n * sizeof(*names));
	links = xmalloc(img.n * sizeof(*links));
	for (size_t i = 0; i < img.n; i++) {
		if (!(names[i] = safe_name(image, img.v[i].name)))
			goto done;
		if (S_ISLNK(img.v[i].mode))
			links[nlinks++] = names[i];
	}
	qsort(links, nlinks, sizeof(*links), cmp_str);
	for (size_t i = 0; i < img.n; i++) {
		/* A copy: the names in links[] must not change while we search them. */
		char *n = xstrdup(names[i]);
		bool hit = false;
		for (char *s = strchr(n, '/'); s && !hit; s = strchr(s + 1, '/')) {
			*s = '\0';
			char *key = n;
			hit = bsearch(&key, links, nlinks, sizeof(*links), cmp_str) != NULL;
			*s = '/';
		}
		free(n);
		{
			if (hit) {
				errorf("%s: refusing %s: a parent of it is a symlink in the image", image, img.v[i].name);
				goto done;
			}
		}
	}
	if (mkdir(dirpath, 0755) < 0 && errno != EEXIST) {
		errorf("cannot create %s: %s", dirpath, strerror(errno));
		goto done;
	}
	root = open(dirpath, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0) {
		errorf("cannot open %s: %s", dirpath, strerror(errno));
		goto done;
	}
	for (size_t i = 0; i < img.n; i++) {
		if (!names[i][0])
			continue; /* "." is DIR itself */
		if (extract_one(root, image, &img.v[i], names[i], &seen, &nseen, &skipped) < 0)
			goto done;
	}
	if (skipped)
		printf(PROG ": %s: skipped %u device node%s, fifo%s or socket%s (creating them needs root)\n", image,
		       skipped, skipped == 1 ? "" : "s", skipped == 1 ? "" : "s", skipped == 1 ? "" : "s");
	if (verbose)
		printf(PROG ": extracted %zu entries of %s into %s\n", img.n, image, dirpath);
	rc = 0;
done:
	if (root >= 0)
		close(root);
	for (size_t i = 0; names && i < img.n; i++)
		free(names[i]);
	for (size_t i = 0; i < nseen; i++)
		free(seen[i].path);
	free(seen);
	free(names);
	free(links);
	imgread_free(&img);
	return rc;
}
