/* addfiles.h — host files in the image: --add SRC[:DEST] (files, trees, symlinks, hooks, with the
 * libraries of dynamic ELF files) and --shell (busybox and its applet links). */
#ifndef MKINITRAMFS_ADDFILES_H
#define MKINITRAMFS_ADDFILES_H

#include "elfdeps.h"
#include "image.h"

/* SRC[:DEST]. Everything is checked and listed now, before the output is opened; -1 after one error. */
int add_spec(struct image *img, struct elfdeps *deps, const char *spec);

/* busybox (a host file) at /bin/busybox, /bin/sh and every applet busybox --list names as symlinks in
 * /bin, except where the image already has an entry of that name. */
int add_shell(struct image *img, struct elfdeps *deps, const char *busybox);

#endif
