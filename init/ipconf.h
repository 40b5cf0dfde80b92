/* ipconf.h — the network words of the command line, parsed: ip= (the kernel's and dracut's forms),
 * BOOTIF= (what pxelinux and iPXE pass) and the NFS root (root=nfs:, root=nfs4:, root=/dev/nfs with
 * nfsroot=). Pure: no system calls, so tested and fuzzed alone. Addresses are IPv4 in network byte
 * order, 0 when not given. */
#ifndef EARLYROOT_IPCONF_H
#define EARLYROOT_IPCONF_H

#include <stddef.h>
#include <stdint.h>

enum ipconf_method {
	IPCONF_DHCP,   /* ip=dhcp|on|any, an empty autoconf without a client address, no ip= at all */
	IPCONF_STATIC, /* a client address and netmask given, autoconf none|off|static or empty */
	IPCONF_OFF,    /* ip=off|none: no network configuration */
};

struct ipconf {
	enum ipconf_method method;
	char iface[16];      /* the device ("" = any: the first with a link); IFNAMSIZ with its NUL */
	uint32_t addr;       /* STATIC: the client's address */
	uint32_t netmask;    /* STATIC: contiguous, never 0 */
	int prefix;          /* the netmask's length, 1..32; 0 when there is no netmask */
	uint32_t gateway;    /* 0: none (on-link only) */
	uint32_t server;     /* the kernel's <server-ip> (dracut's <peer>): the NFS server by default */
	uint32_t dns[2];
	uint32_t ntp;
	char hostname[64];   /* [A-Za-z0-9.-] only: it ends up in /run/net-IFACE.conf, read by shells */
	unsigned mtu;        /* 0: the driver's; else 68..65535 */
	uint8_t mac[6];      /* dracut's <macaddr>: set this address on the device */
	int has_mac;
};

/* Parse the value of ip= (TEXT, without "ip="). Forms:
 *   dhcp | on | any | off | none | single-dhcp
 *   CLIENT:SERVER:GW:NETMASK:HOSTNAME:DEVICE:AUTOCONF:DNS0:DNS1:NTP0    (the kernel's; fields may be
 *       empty or missing at the end; AUTOCONF off|none|static|on|any|dhcp; NETMASK may be a length, 24)
 *   ...:none:MTU[:MACADDR] | ...:none:DNS0[:DNS1]                        (dracut's tail)
 *   DEVICE:dhcp[:MTU][:MACADDR]                                          (dracut's)
 * bootp, rarp and both, and the IPv6 forms (dhcp6, auto6, [addr]) are refused with a message.
 * Returns 0, or -1 with a message for the user in ERR. */
int ipconf_parse(const char *text, struct ipconf *ic, char *err, size_t errsize);

/* BOOTIF=01-52-54-00-12-34-56 (pxelinux's: ARP type 1, Ethernet, then the MAC), 52-54-00-12-34-56 or
 * 52:54:00:12:34:56, any case. Returns 0, or -1 with a message in ERR. */
int ipconf_parse_bootif(const char *text, uint8_t mac[6], char *err, size_t errsize);

/* "a.b.c.d" of ADDR (network order) into OUT (16 bytes are enough). */
void ipconf_ntoa(uint32_t addr, char out[16]);

/* The NFS root. Version policy: root=nfs4: tries NFSv4.2, 4.1, 4.0; root=nfs: and root=/dev/nfs the
 * same and then NFSv3 (what mount -t nfs does today), unless the options name one (nfsvers=3, vers=4.1). */
struct nfs_root {
	int vers_max, vers_min; /* versions to try, as 10*major+minor (42, 41, 40, 30), highest first */
	uint32_t server;        /* 0 until known: root= named none, nfsroot_complete() fills it */
	char path[256];         /* "%s" replaced by nfsroot_complete() */
	char options[256];      /* the user's, less those the init sets itself (vers, ro/rw, lock) */
	int readonly;           /* -1: as the command line says (ro/rw); 0/1: rw/ro in the options */
};

/* Is ROOT (root='s value) an NFS root? nfs:..., nfs4:... or /dev/nfs. */
int nfsroot_wanted(const char *root);

/* Parse root=ROOT (nfs:[SERVER:]/PATH[:OPTIONS], nfs4:..., or /dev/nfs with NFSROOT, the kernel's
 * nfsroot=[SERVER:]/PATH[,OPTIONS]; /dev/nfs without it is the kernel's /tftpboot/%s). A DHCP
 * root-path (option 17) goes in as NFSROOT with ROOT "/dev/nfs": it may also be in the nfs:/nfs4: form.
 * SERVER is an IPv4 address: the init has no DNS. Returns 0, or -1 with a message in ERR. */
int nfsroot_parse(const char *root, const char *nfsroot, struct nfs_root *r, char *err, size_t errsize);

/* Once the network is up: DEFAULT_SERVER (ip='s server-ip, or the DHCP reply's next-server or
 * server-id) when root= named none, and "%s" in the path replaced by CLIENT as text. Returns 0, or -1
 * with a message when no server is known or the path grows too long. */
int nfsroot_complete(struct nfs_root *r, uint32_t default_server, uint32_t client, char *err, size_t errsize);

#endif
