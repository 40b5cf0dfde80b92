/* mount_root.h — mount the root device at NEWROOT. */
#ifndef EARLYROOT_MOUNT_ROOT_H
#define EARLYROOT_MOUNT_ROOT_H
#include "cmdline.h"
#include "modules.h"

#define NEWROOT "/newroot"

/* Mount DEVICE at NEWROOT as the command line says, after loading its filesystem's module from the
 * image (MODS), and checking it first with the image's fsck.TYPE unless FSCK_OFF (rd.fsck=0). Returns 0,
 * or -1 with the reason logged. */
int mount_root(const struct cmdline *cl, const char *device, struct modules *mods, int fsck_off);

/* rootflags= the way mount -o takes it: generic words become FLAGS bits (set or cleared), the rest is
 * the filesystem's DATA (size SIZE), comma-separated. */
void mount_root_flags(const char *rootflags, unsigned long *flags, char *data, size_t size);

#endif
