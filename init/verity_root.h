/* verity_root.h — the dm-verity root: wait for the data and hash devices roothash= and
 * systemd.verity_root_data=/_hash= name, load dm-mod and dm-verity, read the hash device's
 * superblock, and make /dev/mapper/root read-only through the device-mapper ioctls. */
#ifndef EARLYROOT_VERITY_ROOT_H
#define EARLYROOT_VERITY_ROOT_H
#include "cmdline.h"
#include "storage_conf.h"
#include "uevent.h"
#include <stddef.h>

struct storage;

#define VERITY_ROOT_NAME "root"

/* Set up /dev/mapper/root from the roothash= of STACK's command line (non-empty), the data and hash
 * devices waited for through STACK (they may lie on LVM, LUKS or RAID) and put that path in PATH. Without
 * systemd.verity_root_data=/_hash=, systemd's convention: the data partition's PARTUUID is the root
 * hash's first 128 bits, the hash partition's its last 128 bits. A wrong root hash is found here (the
 * first data block is read through the new device) and the device removed. 0, or -1 with one line
 * logged; KEPT_OUT as for wait_for_device(). */
int verity_open_root(struct storage *stack, const struct cmdline *cl, struct uevents *ue, const char *kept_out,
		     char *path, size_t size);

#endif
