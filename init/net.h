/* net.h — the network for a network root: the interface chosen and configured (DHCP or ip=), and
 * an NFS root mounted over it. The live image over HTTP is live.c's; it needs only the network up. */
#ifndef EARLYROOT_NET_H
#define EARLYROOT_NET_H
#include "cmdline.h"
#include "modules.h"
#include "netif.h"
#include "uevent.h"
#include <stdint.h>

struct net_state {
	int up;
	struct netif nif;          /* the interface configured */
	const char *proto;         /* "dhcp" or "none" (static), as /run/net-IFACE.conf says it */
	uint32_t addr, netmask, gateway, server, dns[2]; /* network byte order; server: the NFS default */
	int prefix;
	uint32_t lease_seconds;
	char hostname[64], domain[64], root_path[256], bootfile[128];
};

/* Does this boot need the network? ip= (not off), rd.neednet=1, an NFS root, a live image over HTTP. */
int net_wanted(const struct cmdline *cl);
/* Is the root itself on the network (nothing to wait for in /dev)? */
int net_root(const struct cmdline *cl);

/* Bring the interface up and configure it as ip= says (DHCP by default), the one BOOTIF= or ip=
 * names, else the first with a link, waiting for its driver as long as the root wait would. Writes
 * /run/net-IFACE.conf (initramfs-tools' format) for the real system; the interface stays up. 0, or
 * -1 with the reason logged. */
int net_up(const struct cmdline *cl, struct uevents *ue, struct net_state *ns);

/* root=nfs:, root=nfs4:, root=/dev/nfs: mount it on NEWROOT over the configured network. 0, or -1
 * with the reason logged. */
int net_mount_nfs_root(const struct cmdline *cl, const struct net_state *ns, struct modules *mods);

#endif
