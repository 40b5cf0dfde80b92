/* storage.h — the layers under a stacked root: --luks, --lvm, --md, --verity and --fsck add the
 * tools the init runs (at fixed paths: /sbin/cryptsetup, /sbin/lvm, /sbin/mdadm, /sbin/fsck.TYPE)
 * with their libraries, the udev-less configuration they need (/etc/lvm/lvm.conf,
 * /etc/mdadm/mdadm.conf), and the kernel modules, listed by name for the init
 * (/etc/earlyroot/modules.luks, .lvm, .md, .verity). */
#ifndef MKINITRAMFS_STORAGE_H
#define MKINITRAMFS_STORAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "elfdeps.h"
#include "image.h"
#include "modset.h"
#include "options.h"

/* The module sets of the layers turned on, in a fixed order; how many (at most STORAGE_NSETS). */
#define STORAGE_NSETS 4
size_t storage_modsets(const struct storage_layers *l, const struct modset **sets);

/* The tools, their libraries and the configuration files of the layers turned on. md_arrays: ARRAY
 * lines for mdadm.conf (--hostonly), or NULL. -1 after one error line (a tool not installed: the line
 * names the Debian package). */
int storage_add_files(const struct storage_layers *l, const char *md_arrays, struct image *img,
		      struct elfdeps *deps, bool verbose);

#endif
