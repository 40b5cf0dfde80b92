/* early_mounts.h — the kernel's API filesystems, which the initramfs does not have yet. */
#ifndef EARLYROOT_EARLY_MOUNTS_H
#define EARLYROOT_EARLY_MOUNTS_H

/* /proc, /sys, /dev (devtmpfs), /run. Returns -1 (logged) when one is missing. */
int mount_early_filesystems(void);

#endif
