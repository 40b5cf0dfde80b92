/* modconf.h — module parameters from the `options` lines of modprobe.d under BASEDIR.
 *
 * libkmod parses these too, but kmod_module_get_options() also merges the running kernel's
 * /proc/cmdline (`module.param=value`), which would bake the build host's command line into the image
 * and make it depend on the machine that built it. So the few rules needed for `options` are here. */
#ifndef MKINITRAMFS_MODCONF_H
#define MKINITRAMFS_MODCONF_H

#include <stddef.h>

struct modconf {
	struct modconf_entry {
		char *module; /* normalised: '-' -> '_' */
		char *options;
	} *v;
	size_t n;
};

/* The modprobe.d directories below root ("" for the host), in libkmod's order of precedence. */
#define MODCONF_NDIRS 5
extern const char *const modconf_dirs[MODCONF_NDIRS + 1];

/* Read every *.conf of the modprobe.d directories below root, as modprobe does: a file name in an
 * earlier directory hides the same name in later ones, and the files are read in lexical order of their
 * names. Missing directories are fine. -1 after one error line. */
int modconf_load(struct modconf *c, const char *root);
/* All options for module, joined by spaces in the order read (malloc'd), or NULL. */
char *modconf_options(const struct modconf *c, const char *module);
void modconf_free(struct modconf *c);

#endif
