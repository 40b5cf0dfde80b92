/* live.h — `--live`: the modules a live medium needs (earlyroot-mklive's ISO on a CD, a USB stick or a
 * virtual disk; the squashfs or erofs image loop-mounted under an overlay). Compiled in, so the option
 * works without the source tree or the installed configs. */
#ifndef MKINITRAMFS_LIVE_H
#define MKINITRAMFS_LIVE_H

#include <stddef.h>

#include "modules.h"

/* Append --live's modules to want (room for live_nmodules() more): at_boot picks the ones loaded at
 * every boot (filesystems, loop, NLS: nothing announces a need for them), else the device drivers,
 * loaded when a device's modalias asks. */
void live_modules(struct modwant *want, size_t *n, bool at_boot);
size_t live_nmodules(void);

#endif
