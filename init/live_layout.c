/* live_layout.c — see live_layout.h. */
#include "live_layout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *or_default(const char *value, const char *def)
{
	return value && *value ? value : def;
}

/* "/LiveOS/" and "LiveOS" both mean the directory LiveOS at the top of the medium. */
static void join(char *out, size_t size, const char *dir, const char *name)
{
	while (*dir == '/')
		dir++;
	size_t n = strlen(dir);
	while (n && dir[n - 1] == '/')
		n--;
	while (*name == '/')
		name++;
	if (n)
		snprintf(out, size, "%.*s/%s", (int)n, dir, name);
	else
		snprintf(out, size, "%s", name);
}

size_t live_layout_dracut(const struct live_layout *l, char out[2][LIVE_PATH_MAX])
{
	const char *dir = or_default(l->dir, "LiveOS"), *img = or_default(l->squashimg, "squashfs.img");

	join(out[0], LIVE_PATH_MAX, dir, img);
	if (!strcmp(img, "rootfs.img"))
		return 1;
	join(out[1], LIVE_PATH_MAX, dir, "rootfs.img");
	return 2;
}

void live_layout_media_dir(const struct live_layout *l, char *out, size_t size)
{
	join(out, size, or_default(l->media_path, "live"), "");
	size_t n = strlen(out);
	if (n && out[n - 1] == '/')
		out[n - 1] = 0;
}

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n > m && !strcmp(s + n - m, suffix);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int live_layout_debian(const struct live_layout *l, const char *const *names, size_t n,
		       char out[LIVE_MAX_LAYERS][LIVE_PATH_MAX])
{
	const char *picked[LIVE_MAX_LAYERS];
	char dir[LIVE_PATH_MAX];
	size_t count = 0;

	for (size_t i = 0; i < n; i++) {
		const char *name = names[i];
		/* A name is one path component; "." files are hidden, as live-boot's glob has them. */
		if (name[0] == '.' || strchr(name, '/') || !(has_suffix(name, ".squashfs") || has_suffix(name, ".erofs")))
			continue;
		if (count == LIVE_MAX_LAYERS)
			return -1;
		picked[count++] = name;
	}
	qsort(picked, count, sizeof picked[0], by_name);
	live_layout_media_dir(l, dir, sizeof dir);
	for (size_t i = 0; i < count; i++)
		join(out[i], LIVE_PATH_MAX, dir, picked[i]);
	return (int)count;
}

void live_layout_describe(const struct live_layout *l, char *out, size_t size)
{
	char dracut[2][LIVE_PATH_MAX], dir[LIVE_PATH_MAX];
	size_t n = live_layout_dracut(l, dracut);

	live_layout_media_dir(l, dir, sizeof dir);
	if (n == 2)
		snprintf(out, size, "/%s, /%s and /%s/*.squashfs (or *.erofs)", dracut[0], dracut[1], dir);
	else
		snprintf(out, size, "/%s and /%s/*.squashfs (or *.erofs)", dracut[0], dir);
}
