/* modconf.c — `options` lines of modprobe.d (see modprobe.d(5)); everything else there (softdep,
 * alias, blacklist, install) is libkmod's business or does not apply to an image. */
#include "modconf.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

const char *const modconf_dirs[MODCONF_NDIRS + 1] = {
	"/etc/modprobe.d", "/run/modprobe.d", "/usr/local/lib/modprobe.d", "/lib/modprobe.d", "/usr/lib/modprobe.d",
	NULL,
};

struct conf_file {
	char *name, *path;
};

static int cmp_conf(const void *a, const void *b)
{
	return strcmp(((const struct conf_file *)a)->name, ((const struct conf_file *)b)->name);
}

static void parse(struct modconf *c, char *text)
{
	/* Backslash-newline continues a line. */
	for (char *p = text; (p = strstr(p, "\\\n"));)
		p[0] = p[1] = ' ';
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *cmd = line + strspn(line, " \t"), *mod, *rest;
		if (strncmp(cmd, "options", 7) != 0 || (cmd[7] != ' ' && cmd[7] != '\t'))
			continue; /* also skips comments and blank lines */
		mod = cmd + 7 + strspn(cmd + 7, " \t");
		rest = mod + strcspn(mod, " \t");
		if (rest == mod || !*rest)
			continue; /* "options" with no module or no parameters */
		*rest++ = '\0';
		rest += strspn(rest, " \t");
		size_t len = strlen(rest);
		while (len > 0 && (rest[len - 1] == ' ' || rest[len - 1] == '\t' || rest[len - 1] == '\r'))
			rest[--len] = '\0';
		if (!len)
			continue;
		c->v = xrealloc(c->v, (c->n + 1) * sizeof(*c->v));
		c->v[c->n].module = xstrdup(mod);
		for (char *p = c->v[c->n].module; *p; p++)
			if (*p == '-')
				*p = '_';
		c->v[c->n].options = xstrdup(rest);
		c->n++;
	}
}

int modconf_load(struct modconf *c, const char *root)
{
	struct conf_file *files = NULL;
	size_t nfiles = 0;
	int rc = 0;
	memset(c, 0, sizeof(*c));
	for (const char *const *d = modconf_dirs; *d; d++) {
		char *dir = xasprintf("%s%s", root, *d);
		DIR *dh = opendir(dir);
		for (struct dirent *de; dh && (de = readdir(dh));) {
			if (de->d_name[0] == '.' || !ends_with(de->d_name, ".conf"))
				continue;
			bool seen = false;
			for (size_t i = 0; i < nfiles && !seen; i++)
				seen = strcmp(files[i].name, de->d_name) == 0;
			if (seen)
				continue; /* hidden by the same name in an earlier directory */
			files = xrealloc(files, (nfiles + 1) * sizeof(*files));
			files[nfiles].name = xstrdup(de->d_name);
			files[nfiles].path = xasprintf("%s/%s", dir, de->d_name);
			nfiles++;
		}
		if (dh)
			closedir(dh);
		free(dir);
	}
	if (nfiles) /* qsort(NULL, 0) is undefined */
		qsort(files, nfiles, sizeof(*files), cmp_conf);
	for (size_t i = 0; i < nfiles; i++) {
		struct buf text = { 0 };
		if (rc == 0 && read_file(files[i].path, &text) == 0) {
			buf_append(&text, "", 1);
			parse(c, text.data);
		} else {
			rc = -1;
		}
		buf_free(&text);
		free(files[i].name);
		free(files[i].path);
	}
	free(files);
	if (rc < 0)
		modconf_free(c);
	return rc;
}

char *modconf_options(const struct modconf *c, const char *module)
{
	struct buf b = { 0 };
	for (size_t i = 0; i < c->n; i++) {
		if (strcmp(c->v[i].module, module) != 0)
			continue;
		if (b.len)
			buf_append(&b, " ", 1);
		buf_append(&b, c->v[i].options, strlen(c->v[i].options));
	}
	if (!b.len)
		return NULL;
	buf_append(&b, "", 1);
	return b.data;
}

void modconf_free(struct modconf *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].module);
		free(c->v[i].options);
	}
	free(c->v);
	memset(c, 0, sizeof(*c));
}
