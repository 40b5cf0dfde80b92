/* net.h — `--net`: the modules of a network boot (DHCP in the init, root=live:http://, an NFS root):
 * the usual NIC drivers and the NFS client. Compiled in, like live.h, so the option works without the
 * source tree or the installed configs. */
#ifndef MKINITRAMFS_NET_H
#define MKINITRAMFS_NET_H

#include "modset.h"

/* At every boot: the DHCP socket family; on demand: the NFS client (loaded by name before an NFS
 * mount) and the NIC drivers, loaded when a device asks. */
extern const struct modset net_modset;

#endif
