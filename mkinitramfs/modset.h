/* modset.h — a compiled-in set of modules an option adds (--live, --net, --luks, --lvm, --md,
 * --verity): a table of names, each loaded at every boot or on demand, required or left out when the
 * kernel lacks it; and, for the storage layers, a list of the names the init loads by name
 * (/etc/earlyroot/modules.luks ...: nothing answers the kernel's request_module() in the image). One
 * mechanism for every option, so a new set is a table, not code. */
#ifndef MKINITRAMFS_MODSET_H
#define MKINITRAMFS_MODSET_H

#include <stdbool.h>
#include <stddef.h>

#include "image.h"
#include "modules.h"

struct modset_entry {
	const char *name; /* a module name (kmod's spelling) or an alias */
	bool at_boot;     /* loaded at every boot; else on demand (a device's modalias, or by name) */
	/* When the kernel has no such module (nor built in): REQUIRED an error; OPTIONAL left out, named
	 * in one line; ARCH (one architecture's: aesni_intel, aes_ce_blk) left out silently. */
	enum { MOD_OPTIONAL, MOD_REQUIRED, MOD_ARCH } need;
};

struct modset {
	const char *reason, *reason_demand; /* for -v: "--live", "--live, on demand" */
	const char *list;                   /* "etc/earlyroot/modules.luks": the names the init loads, or NULL */
	const struct modset_entry *v;
	size_t n;
};

#define MODSET(reason_, list_, table_)                                                                      \
	{ .reason = reason_, .reason_demand = reason_ ", on demand", .list = list_, .v = table_,                \
	  .n = sizeof(table_) / sizeof(table_[0]) }

/* Append s's modules loaded at_boot (or on demand) to want, which has room for s->n more. */
void modset_append(const struct modset *s, struct modwant *want, size_t *n, bool at_boot);

/* If s has a list file: add it to img, with the names of s's modules that mods holds (in s's order,
 * one a line; built-in and absent ones are not there to load). */
void modset_add_list(const struct modset *s, const struct modlist *mods, struct image *img);

#endif
