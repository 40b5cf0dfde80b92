/* addfiles.c — --add and --shell.
 *
 * --add SRC[:DEST]: SRC itself is followed if it is a symlink (so "--add /usr/bin/vi" brings the
 * program, not a dangling link); inside a directory, symlinks go in as themselves, and subdirectories,
 * files, device nodes, fifos and sockets are added recursively. DEST defaults to SRC (which must then
 * be absolute); a DEST ending in '/' means "in this directory". Modes are normalised like every other
 * entry (0755 or 0644, directories 0755): the image is the same whatever the host's umask was.
 * A hook (DEST /lib/earlyroot/hooks/STAGE/NAME) must be an executable file and STAGE one of the
 * init's stages. */
#include "addfiles.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

#define HOOKS "lib/earlyroot/hooks/"
static const char *const stages[] = { "modules", "devices", "mount", "switch" };

/* "/a//b/./c/" -> "a/b/c"; NULL when it has ".." or names nothing. */
static char *clean_dest(const char *dest)
{
	char *out = path_clean(dest);
	if (out && !*out) {
		free(out);
		return NULL;
	}
	return out;
}

static int check_hook(const char *src, const char *dest, const struct stat *st)
{
	if (strncmp(dest, HOOKS, strlen(HOOKS)) != 0)
		return 0;
	const char *rest = dest + strlen(HOOKS);
	size_t n = strcspn(rest, "/");
	bool known = false;
	for (size_t i = 0; i < sizeof(stages) / sizeof(stages[0]); i++)
		known |= strlen(stages[i]) == n && strncmp(rest, stages[i], n) == 0;
	if (!known) {
		errorf("cannot add %s as /%s: the hook stages are modules, devices, mount and switch", src, dest);
		return -1;
	}
	if (!rest[n] || strchr(rest + n + 1, '/'))
		return 0; /* the stage directory itself, or deeper: not a hook */
	if (S_ISDIR(st->st_mode)) {
		errorf("cannot add %s as /%s: a directory where a file (the hook) is expected", src, dest);
		return -1;
	}
	if (!S_ISREG(st->st_mode) || !(st->st_mode & 0111)) {
		errorf("cannot add %s as /%s: a hook must be an executable file", src, dest);
		return -1;
	}
	return 0;
}

static int add_regular(struct image *img, struct elfdeps *deps, const char *src, const char *dest)
{
	/* Readable now, so that the failure comes before the output is opened. */
	int fd = open(src, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		errorf("cannot add %s: %s", src, strerror(errno));
		return -1;
	}
	close(fd);
	if (image_add_file(img, dest, src, 0) < 0)
		return -1;
	return elfdeps_add(deps, img, src);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add_tree(struct image *img, struct elfdeps *deps, const char *src, const char *dest, bool top)
{
	struct stat st;
	if ((top ? stat(src, &st) : lstat(src, &st)) < 0) {
		int e = errno;
		errorf("cannot add %s: %s%s", src, strerror(e), e == ELOOP ? " (a symlink loop)" : "");
		return -1;
	}
	if (check_hook(src, dest, &st) < 0)
		return -1;
	if (S_ISREG(st.st_mode))
		return add_regular(img, deps, src, dest);
	if (S_ISLNK(st.st_mode)) {
		char target[4096];
		ssize_t n = readlink(src, target, sizeof(target) - 1);
		if (n < 0) {
			errorf("cannot add %s: %s", src, strerror(errno));
			return -1;
		}
		target[n] = '\0';
		image_add_symlink(img, dest, target);
		return 0;
	}
	if (!S_ISDIR(st.st_mode)) {
		enum entry_kind k = S_ISCHR(st.st_mode)   ? ENTRY_CHARDEV
				    : S_ISBLK(st.st_mode) ? ENTRY_BLOCKDEV
				    : S_ISFIFO(st.st_mode) ? ENTRY_FIFO
							   : ENTRY_SOCKET;
		struct entry *e = image_add_node(img, dest, k, st.st_mode & 07777);
		e->rmajor = major(st.st_rdev);
		e->rminor = minor(st.st_rdev);
		return 0;
	}
	DIR *dir = opendir(src);
	if (!dir) {
		errorf("cannot add %s: %s", src, strerror(errno));
		return -1;
	}
	image_add_dir(img, dest);
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	errno = 0;
	while ((de = readdir(dir))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		names = xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	int rc = errno ? -1 : 0;
	if (rc < 0)
		errorf("cannot add %s: %s", src, strerror(errno));
	closedir(dir);
	/* Sorted, so that the first error (and -v's lines) do not depend on the directory's order. */
	qsort(names, n, sizeof(*names), cmp_name);
	for (size_t i = 0; i < n; i++) {
		if (rc == 0) {
			char *s = xasprintf("%s/%s", src, names[i]);
			char *d = xasprintf("%s/%s", dest, names[i]);
			rc = add_tree(img, deps, s, d, false);
			free(s);
			free(d);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int add_spec(struct image *img, struct elfdeps *deps, const char *spec)
{
	const char *colon = strchr(spec, ':');
	char *src = colon ? xasprintf("%.*s", (int)(colon - spec), spec) : xstrdup(spec);
	const char *dest = colon ? colon + 1 : src;
	char *clean = NULL;
	int rc = -1;
	if (!*src) {
		errorf("--add %s: no source file", spec);
		goto out;
	}
	if (!colon && src[0] != '/') {
		errorf("--add %s: a relative source needs a destination in the image (--add %s:/PATH)", spec, spec);
		goto out;
	}
	/* DEST/ puts SRC into that directory under its own name. */
	char *full = NULL;
	if (colon && *dest && dest[strlen(dest) - 1] == '/') {
		char *copy = xstrdup(src);
		while (strlen(copy) > 1 && copy[strlen(copy) - 1] == '/')
			copy[strlen(copy) - 1] = '\0';
		const char *base = strrchr(copy, '/') ? strrchr(copy, '/') + 1 : copy;
		full = xasprintf("%s%s", dest, base);
		free(copy);
		dest = full;
	}
	clean = clean_dest(dest);
	free(full);
	if (!clean) {
		errorf("--add %s: the destination must name a path inside the image, without ..", spec);
		goto out;
	}
	rc = add_tree(img, deps, src, clean, true);
out:
	free(clean);
	free(src);
	return rc;
}

int add_shell(struct image *img, struct elfdeps *deps, const char *busybox)
{
	struct stat st;
	/* st is only read when stat() filled it in: after a failure it holds whatever was on the stack. */
	int e = stat(busybox, &st) < 0 ? errno : 0;
	if (e || !S_ISREG(st.st_mode)) {
		errorf("--shell needs busybox: %s: %s (Debian: apt-get install busybox-static)", busybox,
		       e ? strerror(e) : "not a regular file");
		return -1;
	}
	if (add_regular(img, deps, busybox, "bin/busybox") < 0)
		return -1;
	/* Ask busybox which applets it has; it is the very file going into the image. */
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0) {
		errorf("cannot run %s --list: %s", busybox, strerror(errno));
		return -1;
	}
	pid_t pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		execl(busybox, "busybox", "--list", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	struct buf out = { 0 };
	for (;;) {
		buf_reserve(&out, 4096);
		ssize_t n = pid > 0 ? read(p[0], out.data + out.len, out.cap - out.len) : 0;
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		out.len += (size_t)n;
	}
	close(p[0]);
	int status = -1;
	if (pid > 0)
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		errorf("cannot run %s --list: %s", busybox, pid < 0 ? strerror(errno) : "it failed");
		buf_free(&out);
		return -1;
	}
	buf_append(&out, "", 1);
	bool sh = false;
	char *save = NULL;
	for (char *a = strtok_r(out.data, "\n", &save); a; a = strtok_r(NULL, "\n", &save)) {
		if (!*a || strchr(a, '/') || strcmp(a, "busybox") == 0)
			continue;
		char *path = xasprintf("bin/%s", a);
		if (!image_find(img, path))
			image_add_symlink(img, path, "busybox");
		sh |= strcmp(a, "sh") == 0;
		free(path);
	}
	buf_free(&out);
	if (!sh) {
		errorf("--shell: %s has no sh applet", busybox);
		return -1;
	}
	return 0;
}
