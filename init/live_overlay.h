/* live_overlay.h — the writable layer of a live root, and the overlayfs on NEWROOT. */
#ifndef EARLYROOT_LIVE_OVERLAY_H
#define EARLYROOT_LIVE_OVERLAY_H
#include "cmdline.h"
#include "modules.h"
#include "mount_undo.h"
#include "uevent.h"

#define LIVE_OVERLAY_DIR "/run/initramfs/overlay"         /* the upper layer's store: tmpfs, or persistence */
#define LIVE_PERSIST_RO_DIR "/run/initramfs/persistence"  /* rd.live.overlay.readonly: the store, read-only */

/* Mount the overlay root on NEWROOT over LOWER ("top:...:bottom"). The upper layer is on a tmpfs
 * (rd.live.overlay.size= MiB), or on the device rd.live.overlay=SPEC[:PATH] names (persistence;
 * with rd.live.overlay.readonly a read-only layer under a tmpfs). Mounts are recorded in U. WHAT names
 * the root in messages ("live root"). 0, or -1 with the reason logged. */
int live_overlay_mount(const struct cmdline *cl, const char *lower, struct mount_undo *u, struct modules *mods,
		       struct uevents *ue, const char *kept_out, const char *what);

#endif
