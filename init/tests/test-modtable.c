/* test-modtable — the init's module table and matcher (init/modtable.c) against libkmod, on real data.
 *
 *   test-modtable MODTABLE MODDIR [SYSDEVICES]
 *
 * MODTABLE is an /etc/earlyroot/modtable that mkinitramfs wrote for the kernel in MODDIR
 * (lib/modules/KVER). For every modalias below SYSDEVICES (default /sys/devices: this machine's real
 * devices), the modules the table and the init's matcher pick must be exactly those libkmod's
 * kmod_module_new_from_lookup() picks (what modprobe and udev load), restricted to the image's modules.
 * Then the matcher's pattern engine against the C library's fnmatch(3) on every pattern of the table
 * and every one of those aliases, and on hand-made corner cases. TAP output. */
#include "modtable.h"

#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <libkmod.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int n_test, n_fail;

static void ok(int cond, const char *fmt, const char *arg, const char *detail)
{
	n_test++;
	printf("%s %d - ", cond ? "ok" : "not ok", n_test);
	printf(fmt, arg);
	printf("\n");
	if (!cond) {
		n_fail++;
		if (detail)
			printf("#   %s\n", detail);
	}
}

static char **aliases;
static size_t naliases;

static void collect(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096], buf[4096];

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (e->d_type == DT_DIR) {
			collect(path);
		} else if (!strcmp(e->d_name, "modalias")) {
			int fd = open(path, O_RDONLY | O_CLOEXEC);
			ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
			if (fd >= 0)
				close(fd);
			if (n <= 0)
				continue;
			buf[n] = 0;
			buf[strcspn(buf, "\n")] = 0;
			size_t i;
			for (i = 0; i < naliases && strcmp(aliases[i], buf); i++)
				;
			if (buf[0] && i == naliases) {
				aliases = realloc(aliases, (naliases + 1) * sizeof *aliases);
				aliases[naliases++] = strdup(buf);
			}
		}
	}
	closedir(d);
}

/* A sorted, space-separated set of names. */
struct set {
	char *v[256];
	size_t n;
};

static void set_add(struct set *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], name))
			return;
	if (s->n < sizeof s->v / sizeof s->v[0])
		s->v[s->n++] = strdup(name);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void set_str(struct set *s, char *out, size_t size)
{
	size_t len = 0;
	qsort(s->v, s->n, sizeof s->v[0], by_name);
	out[0] = 0;
	for (size_t i = 0; i < s->n; i++) {
		len += (size_t)snprintf(out + len, len < size ? size - len : 0, "%s%s", i ? " " : "", s->v[i]);
		free(s->v[i]);
	}
	s->n = 0;
}

static struct modtab table;

static void picked(void *ctx, size_t module)
{
	set_add(ctx, table.mods[module].name);
}

/* The engine alone: a one-alias table whose pattern is P. */
static int engine(const char *p, const char *s)
{
	struct modtab_alias a = {.pattern = p, .module = 0};
	struct modtab_module m = {.name = "m"};
	struct modtab t = {.mods = &m, .nmods = 1, .aliases = &a, .naliases = 1};
	struct set dummy = {.n = 0};
	size_t calls;
	struct modtab saved = table;
	table = t;
	calls = modtab_match(&t, s, picked, &dummy);
	table = saved;
	for (size_t i = 0; i < dummy.n; i++)
		free(dummy.v[i]);
	return calls > 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: test-modtable MODTABLE MODDIR [SYSDEVICES]\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "r");
	if (!f) {
		printf("1..1\nnot ok 1 - read %s\n", argv[1]);
		return 1;
	}
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	rewind(f);
	char *text = malloc((size_t)size + 1);
	size_t got = fread(text, 1, (size_t)size, f);
	text[got] = 0;
	fclose(f);
	ok(modtab_parse(text, &table) == 0 && table.nbad == 0 && table.nmods > 0 && table.naliases > 0,
	   "the table parses: every line understood (%s)", argv[1], NULL);
	printf("# %zu modules, %zu alias patterns\n", table.nmods, table.naliases);

	struct kmod_ctx *ctx = kmod_new(argv[2], (const char *const[]){NULL}); /* no modprobe.d: the image's */
	if (!ctx || kmod_load_resources(ctx) < 0) {
		printf("not ok %d - libkmod opens %s\n1..%d\n", n_test + 1, argv[2], n_test + 1);
		return 1;
	}
	collect(argc > 3 ? argv[3] : "/sys/devices");
	ok(naliases > 0, "this machine has devices with a modalias (%s)", argc > 3 ? argv[3] : "/sys/devices", NULL);

	char ours[4096], theirs[4096], detail[9000];
	size_t nonempty = 0;
	for (size_t i = 0; i < naliases; i++) {
		struct set a = {.n = 0}, b = {.n = 0};
		struct kmod_list *list = NULL, *it;
		modtab_match(&table, aliases[i], picked, &a);
		if (kmod_module_new_from_lookup(ctx, aliases[i], &list) == 0) {
			kmod_list_foreach(it, list)
			{
				struct kmod_module *m = kmod_module_get_module(it);
				const char *name = kmod_module_get_name(m);
				/* Only the image's modules, and only loadable ones (built-ins have no file). */
				if (kmod_module_get_path(m) && modtab_find(&table, name, strlen(name)) >= 0)
					set_add(&b, name);
				kmod_module_unref(m);
			}
			kmod_module_unref_list(list);
		}
		nonempty += a.n > 0;
		set_str(&a, ours, sizeof ours);
		set_str(&b, theirs, sizeof theirs);
		snprintf(detail, sizeof detail, "table+matcher: [%s], libkmod: [%s]", ours, theirs);
		char label[4200];
		snprintf(label, sizeof label, "%.3000s -> [%.1000s]", aliases[i], ours);
		ok(!strcmp(ours, theirs), "%s: the same modules as libkmod", label, detail);
	}
	printf("# %zu of %zu aliases picked a module of the image\n", nonempty, naliases);

	/* The pattern engine against fnmatch(3), on every (pattern, alias) pair of real data. */
	size_t pairs = 0, diff = 0;
	char norm[4096], first[8400] = "";
	for (size_t i = 0; i < naliases; i++) {
		modtab_normalize(aliases[i], norm, sizeof norm);
		for (size_t j = 0; j < table.naliases; j++) {
			const char *p = table.aliases[j].pattern;
			pairs++;
			if (engine(p, aliases[i]) != (fnmatch(p, norm, 0) == 0)) {
				if (!diff++)
					snprintf(first, sizeof first, "pattern %s, alias %s", p, norm);
			}
		}
	}
	snprintf(detail, sizeof detail, "%zu pairs differ, first: %.8400s", diff, first);
	char count[64];
	snprintf(count, sizeof count, "%zu", pairs);
	ok(diff == 0, "the matcher agrees with fnmatch(3) on all %s (table pattern, device alias) pairs", count, detail);

	/* Corner cases of the pattern syntax, each against fnmatch(3) on the normalized alias. */
	static const char *const cases[][2] = {
		{"pci:v00008086d*sv*", "pci:v00008086d00001234sv00000000"},
		{"pci:v00008086d*sv*", "pci:v00008087d00001234sv00000000"},
		{"*", ""}, {"a*", "a"}, {"*a", "ba"}, {"*a*b*c", "xaybzc"}, {"*a*b*c", "xaybzcd"},
		{"a?c", "abc"}, {"a?c", "ac"}, {"[abc]x", "bx"}, {"[!abc]x", "bx"}, {"[^abc]x", "dx"},
		{"[a-f]1", "e1"}, {"[a-f]1", "g1"}, {"[]a]", "]"}, {"[!]a]", "]"}, {"[a-]", "a"}, {"[a_]", "-"},
		{"a\\*b", "a*b"}, {"a\\*b", "axb"}, {"[a", "[a"}, {"[a", "a"}, {"ab", "abc"}, {"abc", "ab"},
		{"**x", "yx"}, {"*[0-9]", "abc7"}, {"of:N*T*Cvirtio,mmio", "of:NvirtioT(null)Cvirtio,mmio"},
		{"cpu:type:x86,ven*fam*mod*:feature:*0094*", "cpu:type:x86,ven0000fam0006mod003F:feature:,0000,0001,0094,00C0"},
		{"usb:v*p*d*dc*dsc*dp*ic08isc06ip50in*", "usb:v0781p5567d0100dc00dsc00dp00ic08isc06ip50in00"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		modtab_normalize(cases[i][1], norm, sizeof norm); /* as the init compares a device's alias */
		int want = fnmatch(cases[i][0], norm, 0) == 0, have = engine(cases[i][0], cases[i][1]);
		char label[256];
		snprintf(label, sizeof label, "pattern '%s' %s '%s', as fnmatch(3) says", cases[i][0],
			 want ? "matches" : "does not match", cases[i][1]);
		ok(have == want, "%s", label, "the matcher disagrees");
	}

	/* '-' and '_' are the same outside [...], in the alias and in names. */
	modtab_normalize("platform:a-b[x-z]-c", norm, sizeof norm);
	ok(!strcmp(norm, "platform:a_b[x-z]_c"), "normalize: '-' as '_' outside [...]: %s", norm, NULL);
	ok(modtab_find(&table, "virtio-blk", 10) == modtab_find(&table, "virtio_blk", 10), "find: %s is virtio_blk",
	   "virtio-blk", NULL);

	kmod_unref(ctx);
	for (size_t i = 0; i < naliases; i++)
		free(aliases[i]);
	free(aliases);
	modtab_free(&table);
	printf("1..%d\n", n_test);
	return n_fail ? 1 : 0;
}
