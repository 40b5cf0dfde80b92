/* modules.h — resolve module names and aliases to the set of module files an image needs (hard
 * dependencies plus softdeps, through libkmod) and a load order for /etc/earlyroot/modules. */
#ifndef MKINITRAMFS_MODULES_H
#define MKINITRAMFS_MODULES_H

#include <stdbool.h>
#include <stddef.h>

enum module_compression { MODULE_PLAIN, MODULE_XZ, MODULE_ZSTD, MODULE_GZIP };

struct module {
	char *name;    /* kmod's name: underscores, no suffix ("crc32c_intel") */
	char *src;     /* the file on the host, possibly compressed */
	char *relpath; /* path below lib/modules/KVER/ in the image, always ending in .ko */
	enum module_compression compression;
	char *options; /* parameters for finit_module(2), or NULL */
	char *reason;  /* why it is in the image: "named", "needed by X", "softdep of X" */
	char **firmware; /* its modinfo firmware= names, relative to /lib/firmware */
	size_t nfirmware;
	/* Modules that must be loaded before this one: hard dependencies and pre-softdeps, and the
	 * modules that list this one as a post-softdep. Indices into modlist.v. */
	size_t *hard, nhard, *soft, nsoft;
	/* Its own softdeps, for the module table: pre: loads before it, post: after it. */
	size_t *pre, npre, *post, npost;
	char **aliases; /* modinfo alias= patterns, normalized as depmod does ('-' as '_' outside [...]) */
	size_t naliases;
	bool always; /* loaded at every boot (/etc/earlyroot/modules), not only when a device asks */
};

struct modlist {
	struct module **v; /* in the order they were found */
	size_t n, cap;
	size_t *order; /* load order: indices into v */
};

/* One module asked for. */
struct modwant {
	const char *name;   /* module name or alias */
	const char *reason; /* why, as -v shows it: "named", "on demand", "--live" */
	bool optional;      /* the kernel may lack it: then it is left out (one line), not an error */
	bool arch;          /* optional, of one architecture (aesni_intel, aes_ce_blk): left out silently */
};

/* Resolve want[] against BASEDIR/lib/modules/KVER and fill out. Built-in modules are skipped (and
 * reported on stdout when named); unknown names are an error unless optional. verbose prints every
 * module added and why. The modules of want[0..nalways) and everything they need are marked always;
 * the rest load on demand (autoload). Returns 0, or -1 after printing one error line. */
int modules_resolve(const char *basedir, const char *kver, const struct modwant *want, size_t nwant,
		    size_t nalways, bool verbose, struct modlist *out);
void modlist_free(struct modlist *mods);

#endif
