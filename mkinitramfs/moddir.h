/* moddir.h — `-m DIR/`: every module below a directory of the kernel's module tree
 * (e.g. kernel/drivers/block/), as mkinitcpio and dracut users name whole driver classes. */
#ifndef EARLYROOT_MODDIR_H
#define EARLYROOT_MODDIR_H
#include <stddef.h>

struct moddir_names {
	char **v; /* module names, sorted, each allocated */
	size_t n;
};

/* Add the names of the .ko, .ko.xz, .ko.zst and .ko.gz files below BASEDIR/lib/modules/KVER/DIR.
 * Returns 0, or -1 after one error line (no such directory, or no module in it). */
int moddir_expand(const char *basedir, const char *kver, const char *dir, struct moddir_names *out);
void moddir_free(struct moddir_names *names);

#endif
