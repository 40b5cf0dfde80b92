/* lvm.h — LVM logical volumes activated with the image's lvm (`mkinitramfs --lvm`). */
#ifndef EARLYROOT_LVM_H
#define EARLYROOT_LVM_H
#include "storage_conf.h"
#include <stddef.h>

#define LVM_TOOL "/sbin/lvm" /* where mkinitramfs puts it */

/* Activate what the command line asks for (rd.lvm.lv= volumes, else rd.lvm.vg= groups, else every
 * group found) among the physical volumes present now. Called again as more appear: a group whose
 * volumes are all there activates, one still missing some does not. 0 when lvm succeeded; -1 with
 * ERR set to lvm's last line (an incomplete group, a name that does not exist yet). */
int lvm_activate(const struct storage_conf *c, char *err, size_t errsize);

#endif
