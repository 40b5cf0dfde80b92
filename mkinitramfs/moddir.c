/* moddir.c — see moddir.h. */
#include "moddir.h"
#include "util.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const suffixes[] = {".ko", ".ko.xz", ".ko.zst", ".ko.gz"};

/* The module name of FILE ("virtio_blk" for virtio_blk.ko.xz), or NULL when it is not a module. */
static char *module_name(const char *file)
{
	size_t len = strlen(file);
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		size_t n = strlen(suffixes[i]);
		if (len > n && !strcmp(file + len - n, suffixes[i]))
			return xasprintf("%.*s", (int)(len - n), file);
	}
	return NULL;
}

static void walk(const char *path, struct moddir_names *out)
{
	DIR *d = opendir(path);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		struct stat st;
		char *sub, *name;
		if (e->d_name[0] == '.')
			continue;
		sub = xasprintf("%s/%s", path, e->d_name);
		/* Directories by lstat (a symlink loop is not followed); a symlink to a module counts: a kernel
		 * build tree is staged as links (qemu-tests' er_kernel). */
		if (lstat(sub, &st) < 0) {
			free(sub);
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			walk(sub, out);
		} else if ((S_ISREG(st.st_mode) || (S_ISLNK(st.st_mode) && stat(sub, &st) == 0 && S_ISREG(st.st_mode))) &&
			   (name = module_name(e->d_name))) {
			out->v = xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
			out->v[out->n++] = name;
		}
		free(sub);
	}
	closedir(d);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int moddir_expand(const char *basedir, const char *kver, const char *dir, struct moddir_names *out)
{
	char *root = xasprintf("%s/lib/modules/%s", basedir, kver), *path = xasprintf("%s/%s", root, dir);
	struct stat st;
	size_t before = out->n;
	int rc = -1;

	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode)) {
		errorf("%s: no such directory in %s", dir, root);
		goto done;
	}
	walk(path, out);
	if (out->n == before) {
		errorf("%s: no module below it in %s", dir, root);
		goto done;
	}
	/* Directory order is the filesystem's: sort, so the image does not depend on it. */
	qsort(out->v + before, out->n - before, sizeof(*out->v), by_name);
	rc = 0;
done:
	free(root);
	free(path);
	return rc;
}

void moddir_free(struct moddir_names *names)
{
	strv_free(names->v, names->n);
	names->v = NULL;
	names->n = 0;
}
