/* volatile_root.h — systemd.volatile=overlay: nothing the booted system writes reaches its root. */
#ifndef EARLYROOT_VOLATILE_ROOT_H
#define EARLYROOT_VOLATILE_ROOT_H
#include "cmdline.h"
#include "modules.h"
#include "uevent.h"

#define VOLATILE_BASE "/run/rootfsbase" /* the root as mounted, read-only under the overlay */

/* 1 when systemd.volatile=overlay is asked: the root is then mounted read-only from the start, so that
 * not even a mount count is written to it. */
int volatile_overlay_asked(const struct cmdline *cl);
/* With the root mounted on NEWROOT: as systemd.volatile= says, put it read-only under an overlayfs
 * whose upper layer is a tmpfs, on NEWROOT. 0 (also when nothing was asked), or -1 with the reason
 * logged and the root on NEWROOT as it was. */
int volatile_root(const struct cmdline *cl, struct modules *mods, struct uevents *ue, const char *kept_out);

#endif
