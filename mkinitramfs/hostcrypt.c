/* hostcrypt.c — the root's lines of the host's crypttab (hostcrypt.h). */
#include "hostcrypt.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "util.h"

static bool is_volume(const char *root, const struct stack_luks *l, const char *name, const char *dev)
{
	if (strcmp(name, l->name) == 0)
		return true;
	if (strncasecmp(dev, "UUID=", 5) == 0)
		return strcasecmp(dev + 5, l->uuid) == 0;
	if (strncmp(dev, "/dev/disk/by-uuid/", 18) == 0 && strcasecmp(dev + 18, l->uuid) == 0)
		return true;
	if (dev[0] != '/' || !l->maj)
		return false;
	char *p = xasprintf("%s%s", root, dev);
	struct stat st;
	bool same = stat(p, &st) == 0 && S_ISBLK(st.st_mode) && st.st_rdev == makedev(l->maj, l->min);
	free(p);
	return same;
}

int hostcrypt_read(const char *root, const struct stack *s, struct hostcrypt *hc)
{
	*hc = (struct hostcrypt){ 0 };
	if (!s->nluks)
		return 0;
	char *path = xasprintf("%s/etc/crypttab", root);
	FILE *f = fopen(path, "re");
	if (!f) {
		free(path);
		return 0; /* no crypttab: the init names the volumes luks-UUID and asks for the passphrase */
	}
	struct buf out = { 0 };
	char line[4096];
	int rc = 0;
	while (rc == 0 && fgets(line, sizeof(line), f)) {
		char copy[sizeof(line)], *save = NULL;
		memcpy(copy, line, sizeof(line));
		char *name = strtok_r(copy, " \t\n", &save), *dev = name ? strtok_r(NULL, " \t\n", &save) : NULL;
		char *key = dev ? strtok_r(NULL, " \t\n", &save) : NULL;
		if (!name || name[0] == '#' || !dev)
			continue;
		const struct stack_luks *l = NULL;
		for (size_t i = 0; i < s->nluks && !l; i++)
			if (is_volume(root, &s->luks[i], name, dev))
				l = &s->luks[i];
		if (!l)
			continue;
		buf_printf(&out, "%s%s", line, strchr(line, '\n') ? "" : "\n");
		/* A key file in the root filesystem goes into the image at the same path. Not "none" or "-"
		 * (ask), not a device (/dev/...: the key is its raw bytes) nor systemd's PATH:DEVICE (a file
		 * on another device, opened by the init at boot). */
		if (!key || !strcmp(key, "none") || !strcmp(key, "-") || key[0] != '/' || !strncmp(key, "/dev/", 5) ||
		    strchr(key, ':'))
			continue;
		char *src = xasprintf("%s%s", root, key);
		struct stat st;
		int e = stat(src, &st) < 0 ? errno : S_ISREG(st.st_mode) ? 0 : EINVAL;
		if (e) {
			errorf("--hostonly: %s names the key file %s for %s: %s", path, key, name,
			       e == EINVAL ? "not a regular file" : strerror(e));
			rc = -1;
		} else {
			fprintf(stderr, PROG ": warning: --hostonly: the image holds %s, the key of the root's LUKS volume %s: "
					"keep the image as secret as the key\n", key, name);
			hc->keys = xrealloc(hc->keys, (hc->nkeys + 1) * sizeof(*hc->keys));
			hc->keys[hc->nkeys++] = xstrdup(key);
		}
		free(src);
	}
	fclose(f);
	free(path);
	if (out.len)
		hc->text = out.data;
	else
		buf_free(&out);
	return rc;
}

void hostcrypt_free(struct hostcrypt *hc)
{
	free(hc->text);
	strv_free(hc->keys, hc->nkeys);
	*hc = (struct hostcrypt){ 0 };
}
