/* live.h — `--live`: the modules a live medium needs (earlyroot-mklive's ISO on a CD, a USB stick or a
 * virtual disk; the squashfs or erofs image loop-mounted under an overlay). Compiled in, so the option
 * works without the source tree or the installed configs. */
#ifndef MKINITRAMFS_LIVE_H
#define MKINITRAMFS_LIVE_H

#include "modset.h"

/* At every boot: filesystems, loop, NLS (nothing announces a need for them); on demand: the device
 * drivers, loaded when a device's modalias asks. */
extern const struct modset live_modset;

#endif
