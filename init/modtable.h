/* modtable.h — the image's module table, /etc/earlyroot/modtable (docs/image-format.md): every module
 * of the image with what must load before and after it, and the modalias patterns it serves.
 *
 * Parsing and matching only, no system calls: the loader is modules.c; this part is tested against
 * libkmod (init/tests/test-modtable.c) and fuzzed (fuzz/modtable.c). */
#ifndef EARLYROOT_MODTABLE_H
#define EARLYROOT_MODTABLE_H
#include <stddef.h>

struct modtab_module {
	const char *name;   /* kmod's spelling: '_', no suffix */
	const char *path;   /* the .ko inside the image */
	const char *pre;    /* comma-separated names to load first, "" for none */
	const char *post;   /* comma-separated names to load after it (post: softdeps), "" for none */
	const char *params; /* modprobe.d options captured at build time, "" for none */
	int state;          /* the loader's: 0 not yet, 1 loading, 2 loaded, -1 failed or skipped */
};

struct modtab_alias {
	const char *pattern; /* fnmatch(3) pattern, '-' already written as '_' outside [...] */
	size_t module;       /* index into mods */
};

struct modtab {
	char *buf; /* the text, cut in place; every string above points into it */
	struct modtab_module *mods;
	size_t nmods;
	struct modtab_alias *aliases;
	size_t naliases;
	size_t nbad; /* lines that were not understood, and skipped */
};

/* Take TEXT (malloc'd, NUL-terminated; owned by T afterwards, even on failure) and index it.
 * 0, or -1 when out of memory. */
int modtab_parse(char *text, struct modtab *t);
void modtab_free(struct modtab *t);

/* The module named NAME[0..len) ('-' and '_' the same), or -1. */
long modtab_find(const struct modtab *t, const char *name, size_t len);

/* How a modalias is compared: '-' becomes '_' outside [...] as depmod and libkmod do. OUT has SIZE
 * bytes; a longer alias is cut (and then matches nothing it should not: patterns are shorter). */
void modtab_normalize(const char *alias, char *out, size_t size);

/* Call FN for each alias entry whose pattern matches MODALIAS (not yet normalized), in table order
 * (a module may come more than once). Returns the number of calls. */
size_t modtab_match(const struct modtab *t, const char *modalias, void (*fn)(void *ctx, size_t module),
		    void *ctx);

#endif
