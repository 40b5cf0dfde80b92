/* share_root.h — a root that is a directory of the host, shared over virtio: root=TAG with
 * rootfstype=9p or rootfstype=virtiofs (QEMU's -virtfs and vhost-user-fs, virtme-ng, qemu-tests/boot
 * --rootdir). There is no block device: the wait is for the share's tag. */
#ifndef EARLYROOT_SHARE_ROOT_H
#define EARLYROOT_SHARE_ROOT_H
#include "cmdline.h"
#include "modules.h"
#include "uevent.h"

#include <stddef.h>

/* 1 when the command line names such a root. */
int share_root(const struct cmdline *cl);
/* Load the filesystem's modules and wait, as long as a root device would be waited for, until the
 * share is there. 0 with TAG (root=) in DEVICE, or -1 with the reason logged (KEPT_OUT: the modules
 * module_blacklist= kept from loading, for that message). */
int share_root_wait(const struct cmdline *cl, struct uevents *ue, struct modules *mods, const char *kept_out,
		    char *device, size_t size);
/* Mount the share on NEWROOT with ro/rw and rootflags= (9p: trans=virtio,version=9p2000.L unless
 * rootflags= says otherwise). 0, or -1 with the reason logged. */
int share_root_mount(const struct cmdline *cl);

#endif
