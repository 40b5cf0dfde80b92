/* modules.c — load the image's modules (see docs/image-format.md): those named when the image was
 * built, in its order; then, from the module table, those the devices ask for (their modalias: a
 * walk of /sys/devices now, and the uevents of devices that appear later, while the init waits for the
 * root); rd.modules= on demand; never those in module_blacklist=.
 *
 * finit_module(2) straight from the file: no libkmod in the static init, because the order, the
 * dependencies and the parameters were already worked out with libkmod on the host, where it belongs. */
#include "modules.h"
#include "clock.h"
#include "fsutil.h"
#include "linux-api.h"
#include "log.h"
#include "modtable.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#define MODULE_LIST_MAX (256 * 1024)
#define MODTABLE_MAX (64 * 1024 * 1024) /* a universal image's table is a few MiB */

/* Warn when the image was built for another kernel: every module would fail with a cryptic error. */
static void check_kernel_release(const struct image_conf *conf)
{
	struct utsname u;

	if (conf->kernel[0] && uname(&u) == 0 && strcmp(conf->kernel, u.release))
		log_warn("this image's modules are for kernel %s, but the running kernel is %s: "
			 "rebuild the image with mkinitramfs -k %s", conf->kernel, u.release, u.release);
}

/* The module name of a path: "crc32c-intel" for .../crc32c-intel.ko. */
static void path_name(const char *path, char *name, size_t size)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	snprintf(name, size, "%.*s", (int)strcspn(base, "."), base);
}

/* Is NAME in the comma-separated LIST? '-' and '_' are the same. */
static int in_list(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; p && *p; p += strcspn(p, ","), p += *p == ',') {
		size_t len = strcspn(p, ",");
		size_t i = 0;
		while (i < n && i < len && (p[i] == '-' ? '_' : p[i]) == (name[i] == '-' ? '_' : name[i]))
			i++;
		if (i == n && len == n)
			return 1;
	}
	return 0;
}

/* module_blacklist= names NAME: the kernel would refuse it anyway (EPERM); say why under rd.debug and
 * remember it for the root-device timeout message. */
static int blacklisted(struct modules *m, const char *name, const char *why)
{
	if (!m->cl || !in_list(m->cl->module_blacklist, name))
		return 0;
	log_debug("not loading %s (%s): module_blacklist=%s", name, why, m->cl->module_blacklist);
	if (!in_list(m->kept_out, name)) {
		size_t len = strlen(m->kept_out);
		snprintf(m->kept_out + len, sizeof m->kept_out - len, "%s%s", len ? "," : "", name);
	}
	return 1;
}

/* The module's parameters: those recorded in the image (modprobe.d), then MODULE.PARAM=VALUE from the
 * command line, which the kernel leaves to whoever loads the module. */
static void module_params(const struct modules *m, const char *name, const char *image_params, char *out,
			  size_t size)
{
	snprintf(out, size, "%s", image_params ? image_params : "");
	if (m->cl)
		cmdline_module_params(m->cl, name, out, size);
}

/* 0 loaded (or already there: EEXIST), 1 no hardware for it (quiet), -1 failed (logged). */
static int load_one(const char *path, const char *params)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		log_warn("module %s is listed but missing from the image: %m", path);
		return -1;
	}
	int ret = er_finit_module(fd, params, 0);
	int err = errno;
	close(fd);
	errno = err;
	/* ENODEV/ENXIO from the module's init: nothing here for it to drive (crc32c-intel without SSE4.2),
	 * as the driver core takes them from a probe; systemd's module loading is as quiet. */
	if (ret < 0 && (err == ENODEV || err == ENXIO)) {
		log_debug("module %s found no device to drive (%m): not loaded, not an error", path);
		return 1;
	}
	if (ret < 0 && err != EEXIST) {
		log_warn("cannot load module %s: %m", path);
		return -1;
	}
	log_debug("loaded %s%s%s", path, *params ? " " : "", params);
	return 0;
}

static void load_entry(struct modules *m, size_t i, const char *why);

/* Load each module of the comma-separated LIST that the table has. */
static void load_names(struct modules *m, const char *list, const char *why)
{
	for (const char *p = list; *p; p += strcspn(p, ","), p += *p == ',') {
		long j = modtab_find(&m->table, p, strcspn(p, ","));
		if (j >= 0)
			load_entry(m, (size_t)j, why);
	}
}

/* A module of the table with what it needs first and its post: softdeps after, each once. A failed
 * dependency does not stop it: the kernel knows best whether the module can do without (softdeps). */
static void load_entry(struct modules *m, size_t i, const char *why)
{
	struct modtab_module *mod = &m->table.mods[i];
	char params[4096];

	if (mod->state != 0) /* loaded, failed, or being loaded (a softdep cycle) */
		return;
	if (blacklisted(m, mod->name, why)) {
		mod->state = -1;
		return;
	}
	mod->state = 1;
	load_names(m, mod->pre, mod->name);
	module_params(m, mod->name, mod->params, params, sizeof params);
	if (load_one(mod->path, params)) {
		mod->state = -1;
		return;
	}
	mod->state = 2;
	log_debug("autoload: %s (%s)", mod->name, why);
	size_t len = strlen(m->autoloaded);
	if (len + strlen(mod->name) + 5 < sizeof m->autoloaded)
		snprintf(m->autoloaded + len, sizeof m->autoloaded - len, "%s%s", len ? " " : "", mod->name);
	else if (!strstr(m->autoloaded, "..."))
		snprintf(m->autoloaded + len, sizeof m->autoloaded - len, " ...");
	m->nautoloaded++;
	load_names(m, mod->post, mod->name);
}

/* What modtab_match() hands back for each module an alias matches. */
struct match {
	struct modules *m;
	const char *alias;
};

static void load_match(void *ctx, size_t i)
{
	struct match *match = ctx;
	load_entry(match->m, i, match->alias);
}

/* Load what ALIAS asks for; 1 when the table has a module for it. */
static int load_alias(struct modules *m, const char *alias)
{
	struct match match = {m, alias};
	return modtab_match(&m->table, alias, load_match, &match);
}

/* Coldplug: every modalias below /sys/devices, depth first, symlinks not followed (sysfs loops
 * through them). PATH is a buffer of PATH_MAX bytes holding the directory. */
static void walk(struct modules *m, char *path, size_t len, unsigned *devices)
{
	DIR *d = opendir(path);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (e->d_name[0] == '.' || len + n + 2 >= PATH_MAX)
			continue;
		path[len] = '/';
		memcpy(path + len + 1, e->d_name, n + 1);
		if (e->d_type == DT_DIR) {
			walk(m, path, len + 1 + n, devices);
		} else if (!strcmp(e->d_name, "modalias")) {
			static char alias[4096]; /* static: not one page per level of the recursion */
			if (read_small_file(path, alias, sizeof alias) > 0) {
				alias[strcspn(alias, "\n")] = 0;
				if (*alias && load_alias(m, alias))
					(*devices)++;
			}
		}
		path[len] = 0;
	}
	closedir(d);
}

static void coldplug(struct modules *m)
{
	char path[PATH_MAX] = "/sys/devices";
	unsigned devices = 0, before = m->nautoloaded;
	long long start = now_ms();

	walk(m, path, strlen(path), &devices);
	if (m->nautoloaded > before)
		log_info("autoloaded %u modules for %u devices in %lld ms: %s", m->nautoloaded - before, devices,
			 now_ms() - start, m->autoloaded);
	else
		log_debug("autoload: no module for the %u devices with an alias in the table (%lld ms)", devices,
			  now_ms() - start);
}

/* Load what ALIAS asks for, and name each module that came with it. */
static void autoload_alias(struct modules *m, const char *alias)
{
	unsigned before = m->nautoloaded;
	size_t mark = strlen(m->autoloaded);

	load_alias(m, alias);
	if (m->nautoloaded > before)
		log_info("autoloaded %s for %s", m->autoloaded + mark + (mark > 0), alias);
}

/* The uevent loop's listener: a device that appears may want a module; lost events, another walk. */
static void on_uevent(void *ctx, const struct uevent *ev)
{
	struct modules *m = ctx;

	if (!ev)
		coldplug(m);
	else if (ev->action && ev->modalias && !strcmp(ev->action, "add") && *ev->modalias)
		autoload_alias(m, ev->modalias);
}

void modules_for_name(struct modules *m, const char *name, const char *why)
{
	long i = modtab_find(&m->table, name, strlen(name));
	unsigned before = m->nautoloaded;
	size_t mark = strlen(m->autoloaded);

	if (i < 0)
		return;
	load_entry(m, (size_t)i, why);
	if (m->nautoloaded > before)
		log_info("loaded %s for %s", m->autoloaded + mark + (mark > 0), why);
}

void modules_for_alias(struct modules *m, const char *alias)
{
	if (m->table.naliases)
		autoload_alias(m, alias);
}

void modules_for_filesystem(struct modules *m, const char *fstype, const char *types)
{
	char alias[64];

	if (!m->table.naliases)
		return;
	/* What the kernel's request_module("fs-TYPE") would ask for, had it a modprobe to run: the type
	 * the superblock says, and those rootfstype= names. */
	if (*fstype) {
		snprintf(alias, sizeof alias, "fs-%s", fstype);
		autoload_alias(m, alias);
	}
	for (const char *p = types; p && *p; p += strcspn(p, ","), p += *p == ',') {
		snprintf(alias, sizeof alias, "fs-%.*s", (int)strcspn(p, ","), p);
		autoload_alias(m, alias);
	}
}

/* The table, whole, in memory: it is small next to the modules it describes. */
static int read_table(struct modtab *table, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	char *text = NULL;
	size_t got = 0;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) == 0 && st.st_size < MODTABLE_MAX && (text = malloc((size_t)st.st_size + 1))) {
		ssize_t n;
		while (got < (size_t)st.st_size && (n = read(fd, text + got, (size_t)st.st_size - got)) > 0)
			got += (size_t)n;
		text[got] = 0;
	}
	close(fd);
	if (!text || modtab_parse(text, table) < 0) {
		log_warn("cannot read the module table %s: out of memory", path);
		modtab_free(table);
		return -1;
	}
	if (table->nbad)
		log_warn("module table %s: %zu lines not understood (an image for a newer init?)", path, table->nbad);
	return 0;
}

/* rd.modules=a,b: loaded whatever the devices say. Built-in or already loaded is not an error. */
static void force_load(struct modules *m, const char *list)
{
	char name[256], sys[300];
	struct stat st;

	for (const char *p = list; *p; p += strcspn(p, ","), p += *p == ',') {
		size_t n = strcspn(p, ",");
		long j = modtab_find(&m->table, p, n);
		snprintf(name, sizeof name, "%.*s", (int)n, p);
		if (!n)
			continue;
		if (j >= 0) {
			load_entry(m, (size_t)j, "rd.modules");
			continue;
		}
		for (char *c = name; *c; c++)
			*c = *c == '-' ? '_' : *c;
		snprintf(sys, sizeof sys, "/sys/module/%s", name);
		if (stat(sys, &st) == 0)
			log_debug("rd.modules: %s is already in the kernel", name);
		else
			log_warn("rd.modules: no module %s in this image (mkinitramfs -m %s adds it)", name, name);
	}
}

void load_image_modules(struct modules *m, const char *list_path, const struct image_conf *conf,
			const struct cmdline *cl, struct uevents *ue)
{
	char params[4096], name[256];
	char *list = malloc(MODULE_LIST_MAX);
	unsigned loaded = 0, failed = 0, skipped = 0;
	long long start = now_ms();

	m->cl = cl;
	if (!m->table.buf)
		read_table(&m->table, MODULE_TABLE);
	if (!list)
		return;
	if (read_small_file(list_path, list, MODULE_LIST_MAX) < 0) {
		log_debug("no module list %s: loading no modules", list_path);
		free(list);
		list = NULL;
	}
	if (list || m->table.nmods)
		check_kernel_release(conf);
	for (char *line = list, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		if (!*line || *line == '#')
			continue;
		char *image_params = strchr(line, ' ');
		if (image_params)
			*image_params++ = 0;
		path_name(line, name, sizeof name);
		long j = modtab_find(&m->table, name, strlen(name));
		if (j >= 0 && m->table.mods[j].state)
			continue; /* a retry after the rescue shell: done already */
		if (blacklisted(m, name, "named in the image")) {
			skipped++;
			continue;
		}
		module_params(m, name, image_params, params, sizeof params);
		int r = load_one(line, params);
		if (j >= 0)
			m->table.mods[j].state = r ? -1 : 2;
		loaded += r == 0;
		failed += r < 0;
	}
	free(list);
	if (loaded || failed || skipped)
		log_info("loaded %u modules in %lld ms%s%s", loaded, now_ms() - start,
			 failed ? " (some failed: see above)" : "", skipped ? " (module_blacklist= skipped some)" : "");
	if (cl->rd_modules)
		force_load(m, cl->rd_modules);
	/* When the named modules were all there is, no device can want another one: no walk, no
	 * listening. The uevent socket is open since before this stage, so a device that appears during
	 * the walk is either seen by it or announced to the listener. */
	size_t waiting = 0;
	for (size_t i = 0; i < m->table.nmods; i++)
		waiting += m->table.mods[i].state == 0;
	if (waiting && m->table.naliases) {
		uevents_listen(ue, on_uevent, m);
		coldplug(m);
	}
}
