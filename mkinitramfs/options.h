/* options.h — what the command line and the -c file ask for (parsed by main.c, read by plan.c). */
#ifndef MKINITRAMFS_OPTIONS_H
#define MKINITRAMFS_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compress.h"

/* Where `make install` puts the tool and the init; overridden by the Makefile from PREFIX. */
#ifndef EARLYROOT_LIBDIR
#define EARLYROOT_LIBDIR "/usr/local/lib/earlyroot"
#endif
#ifndef EARLYROOT_BINDIR
#define EARLYROOT_BINDIR "/usr/local/bin"
#endif

/* The layers of a stacked root an image supports (storage.c): --luks, --lvm, --md, --verity, --fsck,
 * or what --hostonly finds under this machine's root. */
struct storage_layers {
	bool luks, lvm, md, verity, fsck;
	bool thin; /* --hostonly only: the root is on a thin LV, lvm runs thin_check on its pool */
};

struct options {
	const char *output;
	const char *kver;
	const char *basedir;
	const char *init;
	enum compression compression;
	int zstd_level;
	const char *cache_dir; /* --cache-dir */
	uint64_t cache_max;    /* --cache-max, in bytes; 0 until given */
	bool no_cache;
	bool no_modules; /* an image without modules on purpose: no module directory needed */
	bool verbose;
	char **modules; /* names or aliases, split at commas */
	size_t nmodules;
	char **adds; /* --add SRC[:DEST] */
	size_t nadds;
	char **lists; /* --from-list FILE */
	size_t nlists;
	bool shell, lockdown, microcode, hostonly;
	bool live; /* --live: live.c's modules */
	bool net;  /* --net: net.c's modules */
	struct storage_layers storage; /* storage.c's tools, configuration and modules */
	const char *busybox;
	const char *config;
	bool compression_set; /* on the command line, which wins over the config file */
	char **owned;         /* strings from the config file */
	size_t nowned;
	const char *list;    /* --list IMAGE */
	const char *extract; /* --extract IMAGE DIR */
	const char *extract_dir;
};

#endif
