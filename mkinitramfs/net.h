/* net.h — `--net`: the modules of a network boot (DHCP in the init, root=live:http://, an NFS root):
 * the usual NIC drivers and the NFS client. Compiled in, like live.h, so the option works without the
 * source tree or the installed configs. */
#ifndef MKINITRAMFS_NET_H
#define MKINITRAMFS_NET_H

#include <stddef.h>

#include "modules.h"

/* Append --net's modules to want (room for net_nmodules() more): at_boot picks those loaded at every
 * boot (the DHCP socket family, the NFS client), else the NIC drivers, loaded when a device asks. */
void net_modules(struct modwant *want, size_t *n, bool at_boot);
size_t net_nmodules(void);

#endif
