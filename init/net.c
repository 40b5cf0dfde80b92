/* net.c — the network of a network boot, step by step:
 *
 *   ip= and BOOTIF= read (ipconf.c) → the interface waited for (its driver comes by modalias, like a
 *   disk's) → up, and the one with a link chosen → DHCP (dhcp_client.c) or ip='s static address →
 *   address, route, MTU (netif.c) → /run/net-IFACE.conf for the real system.
 *
 * Debian's kernel has no IP autoconfiguration (CONFIG_IP_PNP), so this is the only thing that can
 * give a diskless machine its address before the root is mounted. */
#include "net.h"
#include "clock.h"
#include "dhcp_client.h"
#include "ipconf.h"
#include "log.h"
#include "mount_root.h"
#include "nfsroot.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define DEFAULT_WAIT_S 30      /* for the interface to appear, as for a root disk */
#define DEFAULT_DHCP_S 30      /* rd.net.timeout.dhcp=: QEMU's and a LAN's server answer in well under 1 s */
#define LINK_WAIT_MS 5000      /* after up, for a carrier: an Ethernet link negotiates in 1-3 s */
#define LINK_POLL_MS 50        /* carrier changes come as rtnetlink messages, not uevents: look again */
#define NFS_CONNECT_MS 10000   /* a server on the boot network answers a TCP connect in milliseconds */

int net_root(const struct cmdline *cl)
{
	if (!cl->root)
		return 0;
	if (cl->live)
		return !strncmp(cl->root, "http://", 7) || !strncmp(cl->root, "https://", 8);
	return nfsroot_wanted(cl->root);
}

int net_wanted(const struct cmdline *cl)
{
	if (net_root(cl) || cl->neednet)
		return 1;
	return cl->ip && strcmp(cl->ip, "off") && strcmp(cl->ip, "none");
}

static long long wait_ms(const struct cmdline *cl)
{
	if (cl->rootwait == ROOTWAIT_FOREVER)
		return -1;
	if (cl->rootwait == ROOTWAIT_SECONDS)
		return cl->rootwait_s * 1000LL;
	return (cl->timeout_s >= 0 ? cl->timeout_s : DEFAULT_WAIT_S) * 1000LL;
}

static int wanted_iface(const struct netif *n, const struct ipconf *ic, const uint8_t *bootif)
{
	if (ic->iface[0] && strcmp(n->name, ic->iface))
		return 0;
	return !bootif || !memcmp(n->mac, bootif, 6);
}

static void mac_text(const uint8_t *m, char *out, size_t size)
{
	snprintf(out, size, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

/* "eth0 (52:54:00:12:34:56), eth1 (...)" for messages. */
static void describe_ifaces(const struct netif *v, int n, char *out, size_t size)
{
	size_t len = 0;
	out[0] = 0;
	for (int i = 0; i < n && len + 40 < size; i++) {
		char mac[18];
		mac_text(v[i].mac, mac, sizeof mac);
		len += (size_t)snprintf(out + len, size - len, "%s%s (%s)", len ? ", " : "", v[i].name, mac);
	}
	if (!out[0])
		snprintf(out, size, "none");
}

/* The interface to configure: ip='s or BOOTIF='s once its driver made it, else, of all of them up,
 * the first (in bus order) with a link. */
static int choose_iface(const struct cmdline *cl, struct uevents *ue, const struct ipconf *ic, const uint8_t *bootif,
			struct netif *out)
{
	struct netif v[NETIF_MAX];
	char list[600], want[80];
	long long start = now_ms(), budget = wait_ms(cl), next_report = start + 5000;
	int n, found = -1;

	if (ic->iface[0])
		snprintf(want, sizeof want, "%s", ic->iface);
	else if (bootif)
		mac_text(bootif, want, sizeof want);
	else
		snprintf(want, sizeof want, "an Ethernet interface");
	for (;;) {
		n = netif_list(v, NETIF_MAX);
		if (n > NETIF_MAX)
			n = NETIF_MAX;
		for (int i = 0; i < n && found < 0; i++)
			if (wanted_iface(&v[i], ic, bootif))
				found = i;
		if (found >= 0)
			break;
		long long now = now_ms();
		if (budget >= 0 && now - start >= budget) {
			describe_ifaces(v, n < 0 ? 0 : n, list, sizeof list);
			log_error("network interface %s not found after %lld s (interfaces: %s): is the network card's "
				  "driver in the image (earlyroot-mkinitramfs --net)? %s", want, (now - start) / 1000, list,
				  ic->iface[0] ? "Check the name in ip=" : bootif ? "Check BOOTIF=" : "");
			return -1;
		}
		if (now >= next_report) {
			log_info("waiting for network interface %s (%lld s so far)", want, (now - start) / 1000);
			next_report += 5000;
		}
		uevents_wait(ue, budget >= 0 && start + budget - now < 1000 ? start + budget - now : 1000);
	}
	if (ic->iface[0] || bootif) {
		*out = v[found];
		if (netif_up(out->name) < 0) {
			log_error("cannot bring %s up: %m", out->name);
			return -1;
		}
		/* A DHCP request sent before the link is up is lost: wait for it, a little. */
		for (long long t0 = now_ms(); netif_carrier(out->name) != 1 && now_ms() - t0 < LINK_WAIT_MS;)
			usleep(LINK_POLL_MS * 1000);
		return 0;
	}
	/* Any interface: all up at once (links negotiate in parallel), the first with a carrier taken. */
	for (int i = 0; i < n; i++)
		if (netif_up(v[i].name) < 0)
			log_warn("cannot bring %s up: %m", v[i].name);
	for (long long t0 = now_ms(); now_ms() - t0 < LINK_WAIT_MS; usleep(LINK_POLL_MS * 1000))
		for (int i = 0; i < n; i++)
			if (netif_carrier(v[i].name) == 1) {
				*out = v[i];
				if (n > 1)
					log_info("%s has a link: using it (of %d interfaces; ip=IFACE:dhcp or BOOTIF= "
						 "chooses another)", out->name, n);
				return 0;
			}
	*out = v[0];
	log_warn("no interface has a link after %d s: trying %s", LINK_WAIT_MS / 1000, out->name);
	return 0;
}

static void apply_lease(struct net_state *ns, const struct dhcp_lease *l)
{
	ns->proto = "dhcp";
	ns->addr = l->yiaddr;
	ns->netmask = l->subnet_mask;
	ns->gateway = l->router;
	ns->dns[0] = l->dns[0];
	ns->dns[1] = l->dns[1];
	ns->lease_seconds = l->lease_seconds;
	ns->server = l->siaddr ? l->siaddr : l->server_id;
	snprintf(ns->hostname, sizeof ns->hostname, "%s", l->hostname);
	snprintf(ns->domain, sizeof ns->domain, "%s", l->domain);
	snprintf(ns->root_path, sizeof ns->root_path, "%s", l->root_path);
	snprintf(ns->bootfile, sizeof ns->bootfile, "%s", l->bootfile);
	ns->prefix = 0;
	for (uint32_t m = ntohl(l->subnet_mask); m & 0x80000000u; m <<= 1)
		ns->prefix++;
}

/* VALUE in single quotes for a shell, a ' inside as '\'' (a DHCP server's root path and boot file
 * may hold any printable byte). */
static size_t put_var(char *out, size_t size, size_t len, const char *name, const char *value)
{
	if (len + 40 >= size)
		return size; /* no room: the caller sees the text did not fit */
	len += (size_t)snprintf(out + len, size - len, "%s='", name);
	for (; *value && len + 5 < size; value++)
		len += (size_t)snprintf(out + len, size - len, "%s", *value == '\'' ? "'\\''" : (char[]){*value, 0});
	return len + (size_t)snprintf(out + len, len < size ? size - len : 0, "'\n");
}

/* /run/net-IFACE.conf, as initramfs-tools' ipconfig writes it: what the real system's scripts read
 * (Debian's ifupdown, open-iscsi and NFS root helpers source it). */
static void write_net_conf(const struct net_state *ns)
{
	char path[64], text[2048], a[6][16], lease[16];
	uint32_t addrs[6] = {ns->addr, ns->netmask, ns->gateway, ns->dns[0], ns->dns[1], ns->server};
	size_t len = 0;
	int fd;

	for (int i = 0; i < 6; i++)
		ipconf_ntoa(addrs[i], a[i]);
	snprintf(lease, sizeof lease, "%u", ns->lease_seconds);
	const char *vars[][2] = {{"DEVICE", ns->nif.name}, {"PROTO", ns->proto},     {"IPV4ADDR", a[0]},
				 {"IPV4NETMASK", a[1]},    {"IPV4GATEWAY", a[2]},   {"IPV4DNS0", a[3]},
				 {"IPV4DNS1", a[4]},       {"HOSTNAME", ns->hostname}, {"DNSDOMAIN", ns->domain},
				 {"ROOTSERVER", a[5]},     {"ROOTPATH", ns->root_path}, {"filename", ns->bootfile},
				 {"DHCPLEASETIME", lease}};
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
		len = put_var(text, sizeof text, len, vars[i][0], vars[i][1]);
	snprintf(path, sizeof path, "/run/net-%s.conf", ns->nif.name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || len >= sizeof text || write(fd, text, len) != (ssize_t)len)
		log_warn("cannot write %s: %m", path);
	if (fd >= 0)
		close(fd);
}

int net_up(const struct cmdline *cl, struct uevents *ue, struct net_state *ns)
{
	struct ipconf ic;
	uint8_t bootif[6];
	char err[300], a[16], g[16];
	int have_bootif = 0;

	memset(ns, 0, sizeof *ns);
	if (ipconf_parse(cl->ip ? cl->ip : "dhcp", &ic, err, sizeof err) < 0) {
		log_error("%s", err);
		return -1;
	}
	if (ic.method == IPCONF_OFF) {
		log_error("ip=%s turns the network off, but %s needs it: use ip=dhcp, or a static "
			  "ip=CLIENT::GATEWAY:NETMASK::IFACE:none", cl->ip, net_root(cl) ? "root=" : "rd.neednet=1");
		return -1;
	}
	if (cl->bootif && !ic.iface[0]) {
		if (ipconf_parse_bootif(cl->bootif, bootif, err, sizeof err) < 0)
			log_warn("%s: choosing the interface by its link instead", err);
		else
			have_bootif = 1;
	}
	if (choose_iface(cl, ue, &ic, have_bootif ? bootif : NULL, &ns->nif) < 0)
		return -1;
	if (ic.mtu && netif_set_mtu(ns->nif.name, (int)ic.mtu) < 0)
		log_warn("%s: cannot set the MTU to %u: %m", ns->nif.name, ic.mtu);
	if (ic.method == IPCONF_DHCP) {
		struct dhcp_lease lease;
		long long secs = cl->dhcp_timeout_s >= 0 ? cl->dhcp_timeout_s : DEFAULT_DHCP_S;
		if (dhcp_lease_get(ns->nif.name, ns->nif.ifindex, ns->nif.mac, ic.hostname[0] ? ic.hostname : NULL,
				   now_ms() + secs * 1000, &lease, err, sizeof err) < 0) {
			log_error("%s; rd.net.timeout.dhcp= waits longer, ip=CLIENT::GATEWAY:NETMASK::%s:none sets an "
				  "address without DHCP", err, ns->nif.name);
			return -1;
		}
		apply_lease(ns, &lease);
		if (!ns->prefix) {
			log_error("%s: the DHCP server gave %s no subnet mask, or not a contiguous one", ns->nif.name,
				  ns->nif.name);
			return -1;
		}
		if (lease.mtu && !ic.mtu && netif_set_mtu(ns->nif.name, lease.mtu) < 0)
			log_warn("%s: cannot set the MTU the DHCP server gives (%u): %m", ns->nif.name, lease.mtu);
	} else {
		ns->proto = "none";
		ns->addr = ic.addr;
		ns->netmask = ic.netmask;
		ns->prefix = ic.prefix;
		ns->gateway = ic.gateway;
		ns->server = ic.server;
		ns->dns[0] = ic.dns[0];
		ns->dns[1] = ic.dns[1];
	}
	if (ic.hostname[0])
		snprintf(ns->hostname, sizeof ns->hostname, "%s", ic.hostname);
	ipconf_ntoa(ns->addr, a);
	if (netif_add_address(ns->nif.ifindex, ns->addr, ns->prefix, 0) < 0) {
		log_error("%s: cannot set the address %s/%d: %m", ns->nif.name, a, ns->prefix);
		return -1;
	}
	ipconf_ntoa(ns->gateway, g);
	if (ns->gateway && netif_add_default_route(ns->nif.ifindex, ns->gateway) < 0) {
		log_error("%s: cannot route through %s: %m%s", ns->nif.name, g,
			  errno == ENETUNREACH ? " (the gateway is not on the interface's subnet: check ip=)" : "");
		return -1;
	}
	ns->up = 1;
	if (!strcmp(ns->proto, "dhcp"))
		log_info("%s: %s/%d via %s (DHCP, lease %u s)", ns->nif.name, a, ns->prefix, ns->gateway ? g : "none",
			 ns->lease_seconds);
	else
		log_info("%s: %s/%d via %s (ip=)", ns->nif.name, a, ns->prefix, ns->gateway ? g : "none");
	write_net_conf(ns);
	return 0;
}

/* An NFS server that does not answer would hold mount(2) for minutes (the RPC client's retries), with
 * nothing on the console: a bounded TCP connect first says so in one line. 0 reachable, else errno. */
static int tcp_reachable(uint32_t addr, unsigned port, int timeout_ms)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port), .sin_addr.s_addr = addr};
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), err = 0;
	socklen_t len = sizeof err;
	struct pollfd p = {.fd = fd, .events = POLLOUT};

	if (fd < 0)
		return errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0 && errno != EINPROGRESS)
		err = errno;
	else if (poll(&p, 1, timeout_ms) <= 0)
		err = ETIMEDOUT;
	else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	close(fd);
	return err;
}

/* port= among the NFS options (not mountport=), else NFS's 2049. */
static unsigned nfs_port(const char *options)
{
	for (const char *p = options; p && *p; p += strcspn(p, ","), p += *p == ',')
		if (!strncmp(p, "port=", 5) && atoi(p + 5) > 0 && atoi(p + 5) < 65536)
			return (unsigned)atoi(p + 5);
	return 2049;
}

int net_mount_nfs_root(const struct cmdline *cl, const struct net_state *ns, struct modules *mods)
{
	struct nfs_root r;
	char err[400];
	/* root=/dev/nfs without nfsroot=: the DHCP server's root path (option 17), as the kernel takes it. */
	const char *nfsroot = cl->nfsroot ? cl->nfsroot : ns->root_path[0] ? ns->root_path : NULL;

	if (nfsroot_parse(cl->root, nfsroot, &r, err, sizeof err) < 0 ||
	    nfsroot_complete(&r, ns->server, ns->addr, err, sizeof err) < 0) {
		log_error("%s", err);
		return -1;
	}
	char server[16];
	unsigned port = nfs_port(r.options);
	ipconf_ntoa(r.server, server);
	int err_tcp = tcp_reachable(r.server, port, NFS_CONNECT_MS);
	if (err_tcp) {
		log_error("NFS server %s does not answer on port %u (%s%s): is it running, and is %s the right "
			  "address (root=nfs:SERVER:/PATH, or ip='s or the DHCP server's)?", server, port, strerror(err_tcp),
			  err_tcp == ETIMEDOUT ? " after 10 s" : "", server);
		return -1;
	}
	/* What mount(2) and the NFS client would have the kernel request, by alias and by name. */
	modules_for_alias(mods, "fs-nfs4");
	modules_for_alias(mods, "fs-nfs");
	modules_for_name(mods, "nfsv4", "the NFS root");
	modules_for_name(mods, "nfsv3", "the NFS root");
	if (nfs_mount_root(&r, ns->addr, r.readonly >= 0 ? r.readonly : cl->readonly, err, sizeof err) < 0) {
		log_error("%s", err);
		return -1;
	}
	return 0;
}
