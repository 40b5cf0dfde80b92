/* firmware.c — firmware for the modules in the image, and CPU microcode for the early archive.
 *
 * Firmware: a module's modinfo "firmware=" names (globs allowed, as some drivers use them) are looked
 * up in BASEDIR/lib/firmware, as NAME or NAME.xz (Debian's kernel has CONFIG_FW_LOADER_COMPRESS_XZ),
 * and stored under /lib/firmware with the name found, symlinks followed. Drivers list every firmware
 * any of their devices might want, so absent files are normal: one warning line, not an error.
 *
 * Microcode: the kernel's early loader (arch/x86/kernel/cpu/microcode) looks, before any cpio is
 * unpacked, in the first *uncompressed* archive for kernel/x86/microcode/GenuineIntel.bin and
 * AuthenticAMD.bin; each is all of a vendor's microcode concatenated: Intel's per-CPU files from
 * intel-ucode/ (Debian: intel-microcode), AMD's microcode_amd*.bin containers from amd-ucode/ (Debian:
 * amd64-microcode), in name order so the image is reproducible. */
#include "firmware.h"

#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

static bool is_file(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* Add one firmware name (no glob); false if absent. */
static int add_one(struct image *img, const char *fwdir, const char *name, bool *found)
{
	static const char *const suffixes[] = { "", ".xz" };
	*found = false;
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]) && !*found; i++) {
		char *src = xasprintf("%s/%s%s", fwdir, name, suffixes[i]);
		if (is_file(src)) {
			char *dest = xasprintf("lib/firmware/%s%s", name, suffixes[i]);
			if (!image_find(img, dest) && image_add_file(img, dest, src, 0644) < 0) {
				free(dest);
				free(src);
				return -1;
			}
			*found = true;
			free(dest);
		}
		free(src);
	}
	return 0;
}

int firmware_add(struct image *img, const char *basedir, const struct modlist *mods, bool verbose, size_t *added)
{
	char *fwdir = xasprintf("%s/lib/firmware", strcmp(basedir, "/") == 0 ? "" : basedir);
	size_t missing = 0;
	char *first = NULL;
	int rc = 0;
	*added = 0;
	for (size_t i = 0; i < mods->n && rc == 0; i++) {
		const struct module *m = mods->v[mods->order[i]];
		for (size_t j = 0; j < m->nfirmware && rc == 0; j++) {
			const char *name = m->firmware[j];
			if (strstr(name, "..") || name[0] == '/')
				continue; /* not a name below /lib/firmware */
			bool found = false;
			if (strpbrk(name, "*?[")) {
				char *pat = xasprintf("%s/%s", fwdir, name);
				glob_t g;
				if (glob(pat, 0, NULL, &g) == 0) {
					for (size_t k = 0; k < g.gl_pathc && rc == 0; k++) {
						bool one;
						rc = add_one(img, fwdir, g.gl_pathv[k] + strlen(fwdir) + 1, &one);
						found |= one;
						*added += one;
					}
					globfree(&g);
				}
				free(pat);
			} else {
				rc = add_one(img, fwdir, name, &found);
				*added += found;
			}
			if (verbose && rc == 0)
				printf(PROG ": %s firmware %s (for %s)\n", found ? "+" : "no", name, m->name);
			if (!found && rc == 0 && missing++ == 0)
				first = xasprintf("%s (for %s)", name, m->name);
		}
	}
	if (missing && rc == 0)
		fprintf(stderr, PROG ": warning: %zu firmware file%s named by the modules %s not in %s, e.g. %s%s\n",
			missing, missing == 1 ? "" : "s", missing == 1 ? "is" : "are", fwdir, first,
			verbose ? "" : " (-v lists them)");
	free(first);
	free(fwdir);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The concatenation of the regular files in dir whose names start with prefix, in name order; 0 with
 * out empty when there are none or no dir. */
static int concat_dir(const char *dir, const char *prefix, struct buf *out, size_t *nfiles)
{
	DIR *d = opendir(dir);
	*nfiles = 0;
	if (!d)
		return errno == ENOENT ? 0 : (errorf("cannot read %s: %s", dir, strerror(errno)), -1);
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || strncmp(de->d_name, prefix, strlen(prefix)) != 0)
			continue;
		names = xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		char *p = xasprintf("%s/%s", dir, names[i]);
		if (rc == 0 && is_file(p)) {
			rc = read_file(p, out);
			(*nfiles)++;
		}
		free(p);
		free(names[i]);
	}
	free(names);
	return rc;
}

int microcode_image(struct image *early, const char *basedir, bool verbose)
{
	static const struct {
		const char *dir, *prefix, *file;
	} vendors[] = {
		{ "intel-ucode", "", "GenuineIntel.bin" },
		{ "amd-ucode", "microcode_amd", "AuthenticAMD.bin" },
	};
	size_t total = 0;
	for (size_t i = 0; i < sizeof(vendors) / sizeof(vendors[0]); i++) {
		char *dir = xasprintf("%s/lib/firmware/%s", strcmp(basedir, "/") == 0 ? "" : basedir, vendors[i].dir);
		struct buf b = { 0 };
		size_t n;
		int rc = concat_dir(dir, vendors[i].prefix, &b, &n);
		if (rc == 0 && b.len) {
			char *dest = xasprintf("kernel/x86/microcode/%s", vendors[i].file);
			image_add_data(early, dest, 0644, b.data, b.len);
			if (verbose)
				printf(PROG ": + %s: %zu file%s from %s, %zu bytes\n", dest, n, n == 1 ? "" : "s", dir, b.len);
			free(dest);
			total++;
		} else {
			buf_free(&b);
		}
		free(dir);
		if (rc < 0)
			return -1;
	}
	if (!total) {
		errorf("--microcode: no microcode in %s/lib/firmware/intel-ucode nor amd-ucode (Debian: intel-microcode, "
		       "amd64-microcode)",
		       strcmp(basedir, "/") == 0 ? "" : basedir);
		return -1;
	}
	return 0;
}
