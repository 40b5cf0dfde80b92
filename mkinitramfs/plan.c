/* plan.c — the image planned (plan.h): every input read and checked, every entry listed, before the
 * output file is opened, so an error never costs a half-written image and the writer only walks lists. */
#include "plan.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "addfiles.h"
#include "elfdeps.h"
#include "firmware.h"
#include "fromlist.h"
#include "hostonly.h"
#include "live.h"
#include "moddir.h"
#include "net.h"
#include "storage.h"
#include "util.h"

/* mtime for every entry: SOURCE_DATE_EPOCH (reproducible-builds.org) or 0. newc has 32 bits for it. */
static int get_mtime(uint32_t *mtime)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	*mtime = 0;
	if (!s || !*s)
		return 0;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || errno || v > 0xffffffffu) {
		errorf("SOURCE_DATE_EPOCH='%s' is not a number of seconds from 0 to 4294967295", s);
		return -1;
	}
	*mtime = (uint32_t)v;
	return 0;
}

static bool is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* --init, else `init` next to this program (build/mkinitramfs uses build/init), else the installed
 * one. The sibling is skipped when we run from the install bindir: there, a file named init is
 * likely the system's own (Arch has /usr/bin/init -> systemd). Returns a malloc'd path. */
static char *find_init(const char *given)
{
	if (given)
		return xstrdup(given); /* image_add_file() reports it if it is missing */
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *sibling = NULL;
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		*slash = '\0';
		if (strcmp(exe, EARLYROOT_BINDIR) != 0) {
			sibling = xasprintf("%s/init", exe);
			if (is_file(sibling))
				return sibling;
		}
	}
	if (is_file(EARLYROOT_LIBDIR "/init")) {
		free(sibling);
		return xstrdup(EARLYROOT_LIBDIR "/init");
	}
	errorf("no init binary: not at %s%s%s/init (give one with --init PATH)", sibling ? sibling : "",
	       sibling ? " nor " : "", EARLYROOT_LIBDIR);
	free(sibling);
	return NULL;
}

/* Unless --no-modules: a kernel release without its module directory is a typo in -k, a kernel not
 * installed yet, or uname -r on a machine that boots another kernel; an image with no modules would
 * then only fail at boot. dracut and initramfs-tools refuse it too. */
static int check_moddir(const char *basedir, const char *kver)
{
	size_t bl = strlen(basedir);
	while (bl > 0 && basedir[bl - 1] == '/')
		bl--; /* "/" is the host: no "//lib/modules" in the message */
	char *moddir = xasprintf("%.*s/lib/modules/%s", (int)bl, basedir, kver);
	struct stat st;
	int rc = 0;
	if (stat(moddir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		errorf("no module directory %s (check -k KVER and -b BASEDIR; --no-modules builds an image "
		       "without modules)", moddir);
		rc = -1;
	}
	free(moddir);
	return rc;
}

static bool is_dir_spec(const char *name)
{
	size_t len = strlen(name);
	return len > 1 && name[len - 1] == '/';
}

/* The compiled-in module sets the options (and what --hostonly found) ask for; how many. */
static size_t modsets(const struct options *o, const struct storage_layers *layers, const struct modset **sets)
{
	size_t n = 0;
	if (o->no_modules) /* a kernel with everything built in: the tools without modules */
		return 0;
	if (o->live)
		sets[n++] = &live_modset;
	if (o->net)
		sets[n++] = &net_modset;
	return n + storage_modsets(layers, sets + n);
}
#define MAX_MODSETS (2 + STORAGE_NSETS)

/* The modules: -m's names and DIR/s, the module sets' and --hostonly's, resolved with everything they
 * need. */
static int plan_modules(const struct options *o, const char *kver, const struct hostonly *host,
			const struct storage_layers *layers, struct modlist *mods)
{
	struct moddir_names dirmods = { 0 };
	struct modwant *want = NULL;
	const struct modset *sets[MAX_MODSETS];
	size_t nsets = modsets(o, layers, sets), nset_mods = 0, n = 0;
	int rc = -1;
	for (size_t i = 0; i < nsets; i++)
		nset_mods += sets[i]->n;
	/* -m DIR/ stands for every module below that directory of the module tree. */
	for (size_t i = 0; i < o->nmodules; i++)
		if (is_dir_spec(o->modules[i]) && moddir_expand(o->basedir, kver, o->modules[i], &dirmods) < 0)
			goto done;
	want = xmalloc((o->nmodules + host->n + dirmods.n + nset_mods + 1) * sizeof(*want));
	/* Named modules, --live's filesystems, --net's socket family and the root filesystem's load at
	 * every boot; those of -m DIR/, the sets' device drivers and storage layers and this machine's
	 * devices when a device (or the init, by name) asks for them (the module table,
	 * docs/image-format.md). Named ones first: a module is reported for its first reason. */
	for (size_t i = 0; i < o->nmodules; i++)
		if (!is_dir_spec(o->modules[i]))
			want[n++] = (struct modwant){ .name = o->modules[i], .reason = "named" };
	for (size_t i = 0; i < nsets; i++)
		modset_append(sets[i], want, &n, true);
	for (size_t i = host->ndevices; i < host->n; i++)
		want[n++] = (struct modwant){ .name = host->modules[i], .reason = "named" };
	size_t nalways = n;
	for (size_t i = 0; i < nsets; i++)
		modset_append(sets[i], want, &n, false);
	for (size_t i = 0; i < dirmods.n; i++)
		want[n++] = (struct modwant){ .name = dirmods.v[i], .reason = "on demand" };
	for (size_t i = 0; i < host->ndevices; i++)
		want[n++] = (struct modwant){ .name = host->modules[i], .reason = "on demand" };
	if (n && modules_resolve(o->basedir, kver, want, n, nalways, o->verbose, mods) < 0)
		goto done;
	rc = 0;
done:
	free(want);
	moddir_free(&dirmods);
	return rc;
}

/* What the storage layers need besides modules: their tools and configuration (storage.c), the
 * lists of modules the init loads by name, and --hostonly's crypttab lines and key files. */
static int plan_storage(const struct options *o, const struct storage_layers *layers, const struct hostonly *host,
			const struct modlist *mods, struct image *img, struct elfdeps *deps)
{
	if (storage_add_files(layers, host->md_arrays, img, deps, o->verbose) < 0)
		return -1;
	const struct modset *sets[MAX_MODSETS];
	size_t nsets = modsets(o, layers, sets);
	for (size_t i = 0; i < nsets; i++)
		modset_add_list(sets[i], mods, img);
	if (host->crypt.text && !image_find(img, "etc/crypttab"))
		image_add_data(img, "etc/crypttab", 0644, xstrdup(host->crypt.text), strlen(host->crypt.text));
	for (size_t i = 0; i < host->crypt.nkeys; i++) {
		char *src = xasprintf("%s%s", host->root, host->crypt.keys[i]);
		int rc = image_find(img, host->crypt.keys[i] + 1) ? 0 : image_add_file(img, host->crypt.keys[i] + 1, src, 0600);
		free(src);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* The host files: --add, --from-list, --shell, then the storage layers'. */
static int plan_files(const struct options *o, const struct storage_layers *layers, const struct hostonly *host,
		      const struct modlist *mods, struct image *img)
{
	struct elfdeps *deps = elfdeps_new(o->verbose);
	int rc = -1;
	/* Explicit --add entries first: an applet link never replaces one. */
	for (size_t i = 0; i < o->nadds; i++)
		if (add_spec(img, deps, o->adds[i]) < 0)
			goto done;
	for (size_t i = 0; i < o->nlists; i++)
		if (fromlist_add(img, o->lists[i]) < 0)
			goto done;
	if (o->shell && add_shell(img, deps, o->busybox ? o->busybox : "/bin/busybox") < 0)
		goto done;
	if (plan_storage(o, layers, host, mods, img, deps) < 0)
		goto done;
	rc = 0;
done:
	elfdeps_free(deps);
	return rc;
}

int plan_image(const struct options *o, const char *kver, struct image_plan *p)
{
	struct hostonly host = { 0 };
	struct storage_layers layers;
	char *init = NULL, *conf = NULL;
	int rc = -1;

	*p = (struct image_plan){ 0 };
	if (get_mtime(&p->mtime) < 0 || !(init = find_init(o->init)) ||
	    (!o->no_modules && check_moddir(o->basedir, kver) < 0))
		goto done;
	/* --hostonly's modules join -m's; its root= goes to image.conf. */
	if (o->hostonly && hostonly_scan(o->basedir, kver, o->verbose, &host) < 0)
		goto done;
	/* The layers asked for, and those --hostonly found under the root. */
	layers = o->storage;
	layers.luks |= host.stack.layers.luks;
	layers.lvm |= host.stack.layers.lvm;
	layers.md |= host.stack.layers.md;
	layers.verity |= host.stack.layers.verity;
	layers.thin = host.stack.layers.thin;
	if (plan_modules(o, kver, &host, &layers, &p->mods) < 0)
		goto done;
	conf = xasprintf("%s%s%s%s", o->lockdown ? "lockdown=1\n" : "", host.cmdline ? "cmdline=" : "",
			 host.cmdline ? host.cmdline : "", host.cmdline ? "\n" : "");
	if (image_add_base(&p->img, init, kver, conf) < 0 || image_add_modules(&p->img, &p->mods, kver) < 0)
		goto done;
	if (p->mods.n && firmware_add(&p->img, o->basedir, &p->mods, o->verbose, &p->nfirmware) < 0)
		goto done;
	if (o->microcode && (microcode_image(&p->early, o->basedir, o->verbose) < 0 || image_finish(&p->early) < 0))
		goto done;
	if (plan_files(o, &layers, &host, &p->mods, &p->img) < 0 || image_finish(&p->img) < 0)
		goto done;
	if (o->verbose) {
		for (size_t i = 0; i < p->mods.n; i++) {
			const struct module *m = p->mods.v[p->mods.order[i]];
			printf(PROG ": + %s (%s)%s\n", m->name, m->reason, m->compression ? ", decompressed" : "");
		}
	}
	rc = 0;
done:
	hostonly_free(&host);
	free(conf);
	free(init);
	return rc;
}

void plan_free(struct image_plan *p)
{
	image_free(&p->early);
	image_free(&p->img);
	modlist_free(&p->mods);
}
