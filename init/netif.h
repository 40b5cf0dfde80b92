/* netif.h — the network interface calls of network boot: which Ethernet interfaces there are, and
 * each step of configuring one (up, address, default route, MTU). No policy: net.c decides. */
#ifndef EARLYROOT_NETIF_H
#define EARLYROOT_NETIF_H
#include <stdint.h>

#define NETIF_MAX 16

struct netif {
	char name[16]; /* IFNAMSIZ */
	int ifindex;
	uint8_t mac[6];
};

/* The Ethernet interfaces (/sys/class/net/X/type 1; lo is not one) in a stable order: by the device's
 * place on its bus (the sysfs path, /sys/devices/pci0000:00/0000:00:03.0/...), then by name. ifindex
 * and ethN follow the order in which drivers registered them, which asynchronous probing can change
 * from one boot to the next; the bus address does not. Virtual ones (/sys/devices/virtual) come last.
 * Fills up to MAX; returns how many there are (may exceed MAX), or -1 with errno (no /sys). */
int netif_list(struct netif *out, int max);

/* Sets IFF_UP (SIOCSIFFLAGS). 0, or -1 with errno. */
int netif_up(const char *name);
/* 1: carrier, 0: none, -1: unknown (the interface is down, or no such interface). */
int netif_carrier(const char *name);
/* SIOCSIFMTU. 0, or -1 with errno. */
int netif_set_mtu(const char *name, int mtu);
/* ADDR/PREFIX on IFINDEX (RTM_NEWADDR; replaces the same address), with BROADCAST, or when 0 the
 * subnet's (ADDR with the host bits set; none for /31 and /32).
 * Addresses in network byte order. 0, or -1 with errno (the kernel's answer). */
int netif_add_address(int ifindex, uint32_t addr, int prefix, uint32_t broadcast);
/* The default route through GATEWAY on IFINDEX (RTM_NEWROUTE, main table, replacing one there is).
 * 0, or -1 with errno (ENETUNREACH: GATEWAY is not on a subnet of the interface). */
int netif_add_default_route(int ifindex, uint32_t gateway);

#endif
