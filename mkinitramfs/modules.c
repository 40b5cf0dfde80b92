/* modules.c — module closure and load order through libkmod.
 *
 * The kmod context is rooted at BASEDIR/lib/modules/KVER, and its modprobe.d configuration is read
 * from BASEDIR too, so an extracted kernel package (or a chroot) resolves exactly like its own system
 * would, whatever the host runs. Module parameters come from modconf.c, not libkmod (see modconf.h). */
#include "modules.h"

#include <errno.h>
#include <libkmod.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "modconf.h"
#include "util.h"

struct resolver {
	struct kmod_ctx *ctx;
	const char *moddir; /* BASEDIR/lib/modules/KVER */
	struct buf builtin; /* modules.builtin, NUL-terminated */
	struct modlist *out;
	size_t done;        /* v[0..done) have had their dependencies looked up */
};

static void kmod_log(void *data, int priority, const char *file, int line, const char *fn, const char *format,
		     va_list args)
{
	(void)data, (void)priority, (void)file, (void)line, (void)fn;
	fputs(PROG ": libkmod: ", stderr);
	vfprintf(stderr, format, args);
}

/* Whether the file name base[0..len) ("crc32c-intel") is the module kmod calls name ("crc32c_intel"):
 * '-' and '_' are the same character to the kernel. */
static bool same_module(const char *base, size_t len, const char *name)
{
	for (size_t i = 0; i < len; i++, name++) {
		char c = base[i] == '-' ? '_' : base[i];
		if (!*name || c != *name)
			return false;
	}
	return *name == '\0';
}

/* Whether NAME is listed in modules.builtin ("kernel/fs/ext4/ext4.ko" lines). Read here rather than
 * asked of kmod_module_get_initstate(), which falls back to the running host's /sys/module. */
static bool is_builtin(const struct resolver *r, const char *name)
{
	for (const char *line = r->builtin.data; line && *line;) {
		const char *end = strchrnul(line, '\n');
		const char *base = line;
		for (const char *p = line; p < end; p++)
			if (*p == '/')
				base = p + 1;
		size_t len = (size_t)(end - base);
		if (len > 3 && memcmp(end - 3, ".ko", 3) == 0 && same_module(base, len - 3, name))
			return true;
		line = *end ? end + 1 : end;
	}
	return false;
}

/* depmod indexes an alias with '-' written '_' outside [...], and libkmod looks a device's alias up
 * the same way; the table stores patterns so, and the init normalizes the device's alias. */
static char *normalize_alias(const char *alias)
{
	char *s = xstrdup(alias);
	bool in_class = false;
	for (char *p = s; *p; p++) {
		if (*p == '[')
			in_class = true;
		else if (*p == ']')
			in_class = false;
		else if (*p == '-' && !in_class)
			*p = '_';
	}
	return s;
}

static size_t find(const struct modlist *l, const char *name)
{
	/* Linear: a few hundred modules at most per image today; a hash belongs here when universal
	 * images with thousands of modules arrive. */
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i]->name, name) == 0)
			return i;
	return (size_t)-1;
}

static void add_edge(size_t **v, size_t *n, size_t idx)
{
	for (size_t i = 0; i < *n; i++)
		if ((*v)[i] == idx)
			return;
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = idx;
}

/* Add the module kmod found (if new) and return its index; (size_t)-1 for a built-in module, -2 on
 * error. */
static size_t add(struct resolver *r, struct kmod_module *km, const char *reason, bool verbose)
{
	const char *name = kmod_module_get_name(km);
	size_t idx = find(r->out, name);
	if (idx != (size_t)-1)
		return idx;
	const char *path = kmod_module_get_path(km);
	if (!path) {
		if (is_builtin(r, name)) {
			/* Not an error: the kernel has it already. Always said for named modules. */
			if (strcmp(reason, "named") == 0)
				printf(PROG ": %s: built into the kernel, nothing to add\n", name);
			else if (verbose)
				printf(PROG ": %s: built into the kernel (%s)\n", name, reason);
			return (size_t)-1;
		}
		errorf("%s: listed in the module indexes of %s but has no file (stale depmod?)", name, r->moddir);
		return (size_t)-2;
	}
	/* The image keeps the kernel's layout, so the module's path must be inside the module dir (as
	 * libkmod spells it: made absolute). */
	const char *kdir = kmod_get_dirname(r->ctx);
	size_t dl = strlen(kdir);
	if (strncmp(path, kdir, dl) != 0 || path[dl] != '/') {
		errorf("%s: module file %s is outside %s", name, path, r->moddir);
		return (size_t)-2;
	}
	struct module *m = xmalloc(sizeof(*m));
	memset(m, 0, sizeof(*m));
	m->name = xstrdup(name);
	m->src = xstrdup(path);
	m->reason = xstrdup(reason);
	m->relpath = xstrdup(path + dl + 1);
	static const struct {
		const char *suffix;
		enum module_compression c;
	} suffixes[] = { { ".ko.xz", MODULE_XZ }, { ".ko.zst", MODULE_ZSTD }, { ".ko.gz", MODULE_GZIP } };
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		if (ends_with(m->relpath, suffixes[i].suffix)) {
			m->compression = suffixes[i].c;
			m->relpath[strlen(m->relpath) - strlen(suffixes[i].suffix) + 3] = '\0'; /* keep ".ko" */
		}
	}
	/* firmware= fields: what the driver may request_firmware(), for firmware.c; alias= fields: the
	 * devices it serves, for the module table. */
	struct kmod_list *info = NULL, *it;
	if (kmod_module_get_info(km, &info) >= 0) {
		kmod_list_foreach(it, info)
		{
			const char *key = kmod_module_info_get_key(it), *value = kmod_module_info_get_value(it);
			if (strcmp(key, "firmware") == 0) {
				m->firmware = xrealloc(m->firmware, (m->nfirmware + 1) * sizeof(*m->firmware));
				m->firmware[m->nfirmware++] = xstrdup(value);
			} else if (strcmp(key, "alias") == 0 && *value && !strchr(value, '\n')) {
				m->aliases = xrealloc(m->aliases, (m->naliases + 1) * sizeof(*m->aliases));
				m->aliases[m->naliases++] = normalize_alias(value);
			}
		}
		kmod_module_info_free_list(info);
	}
	struct modlist *l = r->out;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 32;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n] = m;
	return l->n++;
}

/* Add every module in list (from a lookup or a dependency query). Unless of is (size_t)-1, each
 * one is recorded as loading before module `of` (before == true) or after it, through a hard or a soft
 * edge. */
static int add_list(struct resolver *r, struct kmod_list *list, size_t of, bool hard, bool before,
		    const char *reason, bool verbose)
{
	struct kmod_list *it;
	kmod_list_foreach(it, list)
	{
		struct kmod_module *km = kmod_module_get_module(it);
		size_t idx = add(r, km, reason, verbose);
		kmod_module_unref(km);
		if (idx == (size_t)-2)
			return -1;
		if (idx == (size_t)-1 || of == (size_t)-1 || idx == of)
			continue;
		/* Edges live on the later module and point at the earlier one. */
		struct module *later = r->out->v[before ? of : idx];
		size_t earlier = before ? idx : of;
		if (hard) {
			add_edge(&later->hard, &later->nhard, earlier);
		} else {
			add_edge(&later->soft, &later->nsoft, earlier);
			/* The softdep as its module states it, for the init's on-demand loading. */
			struct module *m = r->out->v[of];
			if (before)
				add_edge(&m->pre, &m->npre, idx);
			else
				add_edge(&m->post, &m->npost, idx);
		}
	}
	return 0;
}

/* Look up the dependencies and softdeps of every module found so far, until nothing new appears. */
static int expand(struct resolver *r, bool verbose)
{
	for (; r->done < r->out->n; r->done++) {
		size_t i = r->done;
		struct kmod_module *km;
		if (kmod_module_new_from_name(r->ctx, r->out->v[i]->name, &km) < 0) {
			errorf("%s: libkmod cannot look it up", r->out->v[i]->name);
			return -1;
		}
		char *why = xasprintf("needed by %s", r->out->v[i]->name);
		char *soft = xasprintf("softdep of %s", r->out->v[i]->name);
		struct kmod_list *deps = kmod_module_get_dependencies(km), *pre = NULL, *post = NULL;
		int rc = add_list(r, deps, i, true, true, why, verbose);
		/* Softdeps name aliases ("crc32c"); kmod resolves each to every module providing it, and all of
		 * them go in, as modprobe would try them all. pre: loads before, post: after. */
		if (rc == 0 && kmod_module_get_softdeps(km, &pre, &post) == 0) {
			rc = add_list(r, pre, i, false, true, soft, verbose);
			if (rc == 0)
				rc = add_list(r, post, i, false, false, soft, verbose);
		}
		kmod_module_unref_list(deps);
		kmod_module_unref_list(pre);
		kmod_module_unref_list(post);
		kmod_module_unref(km);
		free(why);
		free(soft);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static bool all_done(const size_t *v, size_t n, const bool *emitted)
{
	for (size_t i = 0; i < n; i++)
		if (!emitted[v[i]])
			return false;
	return true;
}

/* Topological order, deterministic: of the modules whose predecessors are all placed, the one with the
 * smallest name goes next (so the order does not depend on the order of -m arguments). Hard
 * dependencies never form cycles (depmod refuses them); softdeps can, and then the smallest module whose
 * hard dependencies are placed goes next regardless of its softdeps. Quadratic, fine for thousands. */
static void order(struct modlist *l, bool verbose)
{
	bool *emitted = xmalloc(l->n * sizeof(*emitted));
	memset(emitted, 0, l->n * sizeof(*emitted));
	l->order = xmalloc(l->n * sizeof(*l->order));
	for (size_t placed = 0; placed < l->n; placed++) {
		size_t best = (size_t)-1, best_hard = (size_t)-1;
		for (size_t i = 0; i < l->n; i++) {
			struct module *m = l->v[i];
			if (emitted[i] || !all_done(m->hard, m->nhard, emitted))
				continue;
			if (best_hard == (size_t)-1 || strcmp(m->name, l->v[best_hard]->name) < 0)
				best_hard = i;
			if (all_done(m->soft, m->nsoft, emitted) &&
			    (best == (size_t)-1 || strcmp(m->name, l->v[best]->name) < 0))
				best = i;
		}
		if (best == (size_t)-1) {
			best = best_hard;
			if (verbose)
				printf(PROG ": %s: softdep cycle, loading it before some of its softdeps\n",
				       l->v[best]->name);
		}
		emitted[best] = true;
		l->order[placed] = best;
	}
	free(emitted);
}

/* always spreads from a module to everything loading it needs: its dependencies and both kinds of
 * softdeps (loading it loads them too, as modprobe does). */
static void mark_always(struct modlist *l, size_t i)
{
	struct module *m = l->v[i];
	if (m->always)
		return;
	m->always = true;
	for (size_t j = 0; j < m->nhard; j++)
		mark_always(l, m->hard[j]);
	for (size_t j = 0; j < m->npre; j++)
		mark_always(l, m->pre[j]);
	for (size_t j = 0; j < m->npost; j++)
		mark_always(l, m->post[j]);
}

int modules_resolve(const char *basedir, const char *kver, const struct modwant *want, size_t nwant,
		    size_t nalways, bool verbose, struct modlist *out)
{
	memset(out, 0, sizeof(*out));
	/* "/" and "" both mean the host; avoid "//lib/modules" in messages. */
	size_t bl = strlen(basedir);
	while (bl > 0 && basedir[bl - 1] == '/')
		bl--;
	struct resolver r = { .out = out };
	char *moddir = xasprintf("%.*s/lib/modules/%s", (int)bl, basedir, kver);
	r.moddir = moddir;
	int rc = -1;
	char *depbin = xasprintf("%s/modules.dep.bin", moddir);
	char *builtin = xasprintf("%s/modules.builtin", moddir);
	char *root = xasprintf("%.*s", (int)bl, basedir);
	/* modprobe.d under BASEDIR, in libkmod's order (a missing directory is skipped). */
	char *confs[MODCONF_NDIRS + 1] = { NULL };
	for (size_t i = 0; modconf_dirs[i]; i++)
		confs[i] = xasprintf("%s%s", root, modconf_dirs[i]);
	struct modconf conf = { 0 };
	struct stat st;

	if (stat(moddir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		errorf("no module directory %s (check -k KVER and -b BASEDIR)", moddir);
		goto out;
	}
	if (access(depbin, R_OK) < 0) {
		errorf("no modules.dep.bin in %s: run depmod -b %s %s", moddir, bl ? basedir : "/", kver);
		goto out;
	}
	if (access(builtin, F_OK) == 0 && read_file(builtin, &r.builtin) < 0)
		goto out;
	buf_append(&r.builtin, "", 1);

	r.ctx = kmod_new(moddir, (const char *const *)confs);
	if (!r.ctx) {
		errorf("libkmod cannot open %s", moddir);
		goto out;
	}
	kmod_set_log_fn(r.ctx, kmod_log, NULL);
	/* Keeps the indexes open for the many lookups to come. It fails when an optional index is
	 * missing (modules.builtin.bin in a tree without modules.builtin); lookups then open each index
	 * on demand, as modprobe does, so that is no error. */
	kmod_load_resources(r.ctx);

	/* Named modules first, so they are reported as "named" even when another one needs them too. */
	size_t nfirst = 0; /* modules found for want[0..nalways) */
	struct buf absent = { 0 }; /* optional names this kernel lacks */
	for (size_t i = 0; i < nwant; i++) {
		struct kmod_list *list = NULL;
		int ok = 0;
		if (kmod_module_new_from_lookup(r.ctx, want[i].name, &list) < 0 || !list) {
			if (!want[i].optional) {
				if (strcmp(want[i].reason, "named") == 0)
					errorf("%s: no such module in %s", want[i].name, moddir);
				else /* not the user's typo: this kernel lacks what the option needs */
					errorf("%s: no such module in %s, nor built into the kernel (%s needs it)",
					       want[i].name, moddir, want[i].reason);
				buf_free(&absent);
				goto out;
			}
			if (!want[i].arch || verbose) {
				buf_append(&absent, " ", 1);
				buf_append(&absent, want[i].name, strlen(want[i].name));
			}
		} else {
			ok = add_list(&r, list, (size_t)-1, true, true, want[i].reason, verbose);
			kmod_module_unref_list(list);
		}
		if (ok < 0) {
			buf_free(&absent);
			goto out;
		}
		if (i + 1 == nalways)
			nfirst = out->n;
	}
	if (absent.len)
		printf(PROG ": not in kernel %s, left out:%.*s\n", kver, (int)absent.len, absent.data);
	buf_free(&absent);
	if (expand(&r, verbose) < 0 || modconf_load(&conf, root) < 0)
		goto out;
	for (size_t i = 0; i < out->n; i++)
		out->v[i]->options = modconf_options(&conf, out->v[i]->name);
	for (size_t i = 0; i < nfirst; i++)
		mark_always(out, i);
	order(out, verbose);
	rc = 0;
out:
	modconf_free(&conf);
	free(root);
	if (r.ctx)
		kmod_unref(r.ctx);
	buf_free(&r.builtin);
	for (char **c = confs; *c; c++)
		free(*c);
	free(depbin);
	free(builtin);
	free(moddir);
	if (rc < 0)
		modlist_free(out);
	return rc;
}

void modlist_free(struct modlist *mods)
{
	for (size_t i = 0; i < mods->n; i++) {
		struct module *m = mods->v[i];
		free(m->name);
		free(m->src);
		free(m->relpath);
		free(m->options);
		free(m->reason);
		free(m->hard);
		free(m->soft);
		free(m->pre);
		free(m->post);
		strv_free(m->aliases, m->naliases);
		strv_free(m->firmware, m->nfirmware);
		free(m);
	}
	free(mods->v);
	free(mods->order);
	memset(mods, 0, sizeof(*mods));
}
