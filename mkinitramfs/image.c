/* image.c — assemble the entry list of an earlyroot image (see docs/image-format.md). */
#include "image.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "decompress.h"
#include "util.h"

static struct entry *new_entry(struct image *img, const char *path, enum entry_kind kind, unsigned perm)
{
	if (img->n == img->cap) {
		img->cap = img->cap ? img->cap * 2 : 64;
		img->v = xrealloc(img->v, img->cap * sizeof(*img->v));
	}
	struct entry *e = &img->v[img->n++];
	memset(e, 0, sizeof(*e));
	while (*path == '/')
		path++;
	e->path = xstrdup(path);
	e->kind = kind;
	e->perm = perm;
	return e;
}

void image_add_dir(struct image *img, const char *path)
{
	new_entry(img, path, ENTRY_DIR, 0755);
}

void image_add_data(struct image *img, const char *path, unsigned perm, char *data, size_t size)
{
	struct entry *e = new_entry(img, path, ENTRY_FILE, perm);
	e->data = data;
	e->size = size;
}

void image_add_chardev(struct image *img, const char *path, unsigned perm, unsigned major, unsigned minor)
{
	struct entry *e = new_entry(img, path, ENTRY_CHARDEV, perm);
	e->rmajor = major;
	e->rminor = minor;
}

struct entry *image_add_node(struct image *img, const char *path, enum entry_kind kind, unsigned perm)
{
	return new_entry(img, path, kind, perm);
}

void image_add_symlink(struct image *img, const char *path, const char *target)
{
	struct entry *e = new_entry(img, path, ENTRY_SYMLINK, 0777);
	e->data = xstrdup(target);
	e->size = strlen(target);
}

const struct entry *image_find(const struct image *img, const char *path)
{
	while (*path == '/')
		path++;
	for (size_t i = 0; i < img->n; i++)
		if (strcmp(img->v[i].path, path) == 0)
			return &img->v[i];
	return NULL;
}

int image_add_file(struct image *img, const char *path, const char *src, unsigned perm)
{
	struct stat st;
	if (stat(src, &st) < 0) {
		errorf("cannot read %s: %s", src, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		errorf("cannot read %s: not a regular file", src);
		return -1;
	}
	/* newc stores sizes in 8 hex digits. */
	if ((uint64_t)st.st_size > 0xffffffffu) {
		errorf("cannot add %s: larger than the 4 GiB a newc archive can hold", src);
		return -1;
	}
	if (!perm)
		perm = (st.st_mode & 0111) ? 0755 : 0644;
	struct entry *e = new_entry(img, path, ENTRY_FILE, perm);
	e->src = xstrdup(src);
	e->size = (uint64_t)st.st_size;
	return 0;
}

int image_add_base(struct image *img, const char *init_path, const char *kver, const char *conf_extra)
{
	if (image_add_file(img, "init", init_path, 0755) < 0)
		return -1;
	/* The kernel opens /dev/console for PID 1's stdio before /init runs, so it must be in the archive. */
	image_add_chardev(img, "dev/console", 0600, 5, 1);
	static const char *const mount_points[] = { "dev", "proc", "sys", "run", "newroot" };
	for (size_t i = 0; i < sizeof(mount_points) / sizeof(mount_points[0]); i++)
		image_add_dir(img, mount_points[i]);
	char *release = xstrdup("NAME=earlyroot\n");
	image_add_data(img, "etc/initrd-release", 0644, release, strlen(release));
	char *conf = xasprintf("# written by mkinitramfs; see docs/image-format.md\nkernel=%s\n%s", kver,
			       conf_extra ? conf_extra : "");
	image_add_data(img, "etc/earlyroot/image.conf", 0644, conf, strlen(conf));
	return 0;
}

/* "a,b" of the modules at indices v[0..n), or "-". */
static void name_list(struct buf *b, const struct modlist *mods, const size_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf_printf(b, "%s%s", i ? "," : "", mods->v[v[i]]->name);
	if (!n)
		buf_printf(b, "-");
}

int image_add_modules(struct image *img, const struct modlist *mods, const char *kver)
{
	struct buf list = { 0 }, table = { 0 };
	buf_printf(&table, "# earlyroot module table, written by mkinitramfs: see docs/image-format.md\n");
	for (size_t i = 0; i < mods->n; i++) {
		const struct module *m = mods->v[mods->order[i]];
		char *path = xasprintf("lib/modules/%s/%s", kver, m->relpath);
		int rc;
		if (m->compression == MODULE_PLAIN) {
			rc = image_add_file(img, path, m->src, 0644);
		} else {
			/* The init loads modules with finit_module(2) and no decompression flags, so they are
			 * stored plain; the image as a whole is compressed anyway. */
			struct buf data = { 0 };
			rc = decompress_file(m->src, m->compression, &data);
			if (rc == 0)
				image_add_data(img, path, 0644, data.data, data.len);
			else
				buf_free(&data);
		}
		if (rc == 0 && m->always)
			buf_printf(&list, "/%s%s%s\n", path, m->options ? " " : "", m->options ? m->options : "");
		if (rc == 0) {
			/* Every module, the always-loaded ones too: rd.modules= and the devices may name any. */
			buf_printf(&table, "module %s /%s ", m->name, path);
			size_t *pre = xmalloc((m->nhard + m->npre + 1) * sizeof(*pre));
			if (m->nhard) /* memcpy from NULL is undefined even for 0 bytes */
				memcpy(pre, m->hard, m->nhard * sizeof(*pre));
			if (m->npre)
				memcpy(pre + m->nhard, m->pre, m->npre * sizeof(*pre));
			name_list(&table, mods, pre, m->nhard + m->npre);
			free(pre);
			buf_printf(&table, " ");
			name_list(&table, mods, m->post, m->npost);
			buf_printf(&table, "%s%s\n", m->options ? " " : "", m->options ? m->options : "");
			for (size_t j = 0; j < m->naliases; j++)
				buf_printf(&table, "alias %s\n", m->aliases[j]);
		}
		free(path);
		if (rc < 0) {
			buf_free(&list);
			buf_free(&table);
			return -1;
		}
	}
	/* Written even when empty, so the init never has to tell "no modules" from "broken image". */
	image_add_data(img, "etc/earlyroot/modules", 0644, list.data, list.len);
	if (mods->n)
		image_add_data(img, "etc/earlyroot/modtable", 0644, table.data, table.len);
	else
		buf_free(&table);
	return 0;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->path, ((const struct entry *)b)->path);
}

/* Two entries for one path that say the same thing. */
static bool same_entry(const struct entry *a, const struct entry *b)
{
	if (a->kind != b->kind || a->perm != b->perm || a->uid != b->uid || a->gid != b->gid)
		return false;
	switch (a->kind) {
	case ENTRY_DIR:
	case ENTRY_FIFO:
	case ENTRY_SOCKET: return true;
	case ENTRY_CHARDEV:
	case ENTRY_BLOCKDEV: return a->rmajor == b->rmajor && a->rminor == b->rminor;
	default:
		if (a->src || b->src)
			return a->src && b->src && strcmp(a->src, b->src) == 0;
		return a->size == b->size && memcmp(a->data, b->data, a->size) == 0;
	}
}

static bool plain_dir(const struct entry *e)
{
	return e->perm == 0755 && e->uid == 0 && e->gid == 0;
}

static void free_entry(struct entry *e)
{
	free(e->path);
	free(e->data);
	free(e->src);
}

/* FNV-1a, 32 bits. */
static uint32_t path_hash(const char *path)
{
	uint32_t h = 2166136261u;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h;
}

/* Inode numbers from the path, not the position: a record's bytes then do not change when an entry is
 * added before it, so the zstd frames of unchanged records stay the same (and cached). The kernel looks
 * at them only to find hard links (nlink >= 2; this tool writes none), GNU cpio too; they must only be
 * unique and nonzero. A collision takes the next free number, in entry order. */
static void assign_inodes(struct image *img)
{
	size_t cap = 64;
	while (cap < 2 * img->n)
		cap *= 2;
	uint32_t *used = xmalloc(cap * sizeof(*used)); /* open addressing; 0 is free */
	memset(used, 0, cap * sizeof(*used));
	for (size_t i = 0; i < img->n; i++) {
		uint32_t ino = path_hash(img->v[i].path);
		for (;;) {
			if (ino == 0)
				ino = 1;
			size_t slot = ino & (cap - 1);
			while (used[slot] && used[slot] != ino)
				slot = (slot + 1) & (cap - 1);
			if (!used[slot]) {
				used[slot] = ino;
				break;
			}
			ino++;
		}
		img->v[i].ino = ino;
	}
	free(used);
}

int image_finish(struct image *img)
{
	/* Parents first: every prefix ending before a '/' becomes a directory (duplicates merged below). */
	size_t n = img->n;
	for (size_t i = 0; i < n; i++) {
		char *p = xstrdup(img->v[i].path);
		for (char *s = strchr(p, '/'); s; s = strchr(s + 1, '/')) {
			*s = '\0';
			image_add_dir(img, p);
			*s = '/';
		}
		free(p);
	}
	/* Bytewise order puts a directory before its children: its path is a prefix of theirs. */
	if (img->n > 1) /* an empty list has no array, and qsort() must not get a null one */
		qsort(img->v, img->n, sizeof(*img->v), cmp_entry);
	size_t out = 0;
	for (size_t i = 0; i < img->n; i++) {
		struct entry *e = &img->v[i];
		if (out > 0 && strcmp(img->v[out - 1].path, e->path) == 0) {
			struct entry *prev = &img->v[out - 1];
			/* Directories from different sources merge: an implicit parent (0755, 0:0) gives way to
			 * one with other attributes (a --from-list "dir"), whatever order the sort left them in. */
			bool dirs = prev->kind == ENTRY_DIR && e->kind == ENTRY_DIR;
			if (dirs && plain_dir(prev) && !plain_dir(e)) {
				struct entry t = *prev;
				*prev = *e;
				*e = t;
			}
			if (dirs ? !plain_dir(e) && !same_entry(prev, e) : !same_entry(prev, e)) {
				errorf("two different entries for /%s in the image", e->path);
				/* Free the rest so the caller's image_free() sees a consistent list. */
				for (size_t j = i; j < img->n; j++)
					free_entry(&img->v[j]);
				img->n = out;
				return -1;
			}
			free_entry(e);
			continue;
		}
		img->v[out++] = *e;
	}
	img->n = out;
	assign_inodes(img);
	return 0;
}

void image_free(struct image *img)
{
	for (size_t i = 0; i < img->n; i++)
		free_entry(&img->v[i]);
	free(img->v);
	img->v = NULL;
	img->n = img->cap = 0;
}
