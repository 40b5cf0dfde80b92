/* live.h — a live medium (a CD, a USB stick, an ISO file on a disk, a disk holding an image) as the
 * root: its compressed image, read-only, under a writable overlay. */
#ifndef EARLYROOT_LIVE_H
#define EARLYROOT_LIVE_H
#include "cmdline.h"
#include "modules.h"
#include "uevent.h"
#include <stddef.h>

/* The mounts a live boot leaves for the running system: all under /run, which the hand-over moves
 * into the new root. The names are dracut's, so its users' scripts find them. */
#define LIVE_MEDIUM_DIR "/run/initramfs/live"     /* the medium, read-only (gone after rd.live.ram) */
#define LIVE_ISOSCAN_DIR "/run/initramfs/isoscan" /* iso-scan/filename=: the filesystem holding the ISO */
#define LIVE_BASE_DIR "/run/rootfsbase"           /* the image: the overlay's lowest layer */

/* Wait for the medium root=live: names, or with boot=live and no root= the first disk that has
 * live-boot's directory. Returns 0 with PATH filled, or -1 with the reason logged. */
int live_wait_medium(const struct cmdline *cl, struct uevents *ue, struct modules *mods, const char *kept_out,
		     char *path, size_t size);

/* Build the live root on NEWROOT from MEDIUM: mount it, find the image, check it (rd.live.check),
 * copy it to RAM (rd.live.ram), mount it, and the overlay on top. 0, or -1 with the reason logged
 * and every mount it made undone. */
int live_mount_root(const struct cmdline *cl, const char *medium, struct modules *mods, struct uevents *ue,
		    const char *kept_out);

#endif
