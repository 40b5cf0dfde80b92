/* netif.c — see netif.h. The list comes from sysfs (no netlink dump to parse); up and the MTU are one
 * ioctl each; the address and the route go over NETLINK_ROUTE, the only interface that takes a prefix
 * length. The rtnetlink structures are declared here from the kernel's stable ABI: musl-gcc sees no
 * <linux/rtnetlink.h>, and one declaration serves both libcs. */
#include "netif.h"
#include "hexdigit.h"
#include "linux-api.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define SYS_NET "/sys/class/net"
#define NETIF_SCAN 32 /* interfaces looked at; a machine with more has bigger problems than the order */

/* <linux/netlink.h>, <linux/rtnetlink.h>, <linux/if_addr.h> */
#define ER_NETLINK_ROUTE 0
#define ER_NLMSG_ERROR 2
#define ER_NLM_F_REQUEST 0x1
#define ER_NLM_F_ACK 0x4
#define ER_NLM_F_REPLACE 0x100
#define ER_NLM_F_CREATE 0x400
#define ER_RTM_NEWADDR 20
#define ER_RTM_NEWROUTE 24
#define ER_IFA_ADDRESS 1
#define ER_IFA_LOCAL 2
#define ER_IFA_BROADCAST 4
#define ER_RTA_OIF 4
#define ER_RTA_GATEWAY 5
#define ER_RT_TABLE_MAIN 254
#define ER_RTPROT_BOOT 3 /* what ip(8) shows as "proto boot": set up while booting */
#define ER_RT_SCOPE_UNIVERSE 0
#define ER_RTN_UNICAST 1

struct er_nlmsghdr {
	uint32_t nlmsg_len;
	uint16_t nlmsg_type, nlmsg_flags;
	uint32_t nlmsg_seq, nlmsg_pid;
};
struct er_ifaddrmsg {
	uint8_t ifa_family, ifa_prefixlen, ifa_flags, ifa_scope;
	uint32_t ifa_index;
};
struct er_rtmsg {
	uint8_t rtm_family, rtm_dst_len, rtm_src_len, rtm_tos, rtm_table, rtm_protocol, rtm_scope, rtm_type;
	uint32_t rtm_flags;
};
struct er_rtattr {
	uint16_t rta_len, rta_type;
};

/* A small sysfs attribute's first line into BUF; -1 if it cannot be read (errno). */
static int read_attr(const char *ifname, const char *attr, char *buf, size_t size)
{
	char path[96];
	if ((size_t)snprintf(path, sizeof path, SYS_NET "/%s/%s", ifname, attr) >= sizeof path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, size - 1);
	int e = errno;
	close(fd);
	if (n < 0) {
		errno = e;
		return -1;
	}
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

/* "52:54:00:12:34:56" */
static int parse_mac(const char *s, uint8_t mac[6])
{
	for (int i = 0; i < 6; i++) {
		int hi = hex_digit(s[3 * i]), lo = hi < 0 ? -1 : hex_digit(s[3 * i + 1]);
		if (lo < 0 || s[3 * i + 2] != (i == 5 ? 0 : ':'))
			return -1;
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

struct found {
	struct netif nif;
	int is_virtual;
	char where[256]; /* the device's sysfs path: its place on the bus */
};

static int before(const struct found *a, const struct found *b)
{
	if (a->is_virtual != b->is_virtual)
		return b->is_virtual;
	int c = strcmp(a->where, b->where);
	return c ? c < 0 : strcmp(a->nif.name, b->nif.name) < 0;
}

int netif_list(struct netif *out, int max)
{
	static struct found f[NETIF_SCAN]; /* 9 KB: not on PID 1's stack */
	int n = 0, total = 0;
	DIR *d = opendir(SYS_NET);
	if (!d)
		return -1;
	struct dirent *de;
	while ((de = readdir(d))) {
		char buf[64], link[300];
		if (de->d_name[0] == '.' || strlen(de->d_name) >= sizeof f[0].nif.name)
			continue;
		if (read_attr(de->d_name, "type", buf, sizeof buf) < 0 || strcmp(buf, "1"))
			continue; /* ARPHRD_ETHER only: not lo (772), tunnels, CAN ... */
		struct found x;
		memset(&x, 0, sizeof x);
		strcpy(x.nif.name, de->d_name); /* its length checked above */
		if (read_attr(de->d_name, "ifindex", buf, sizeof buf) < 0 || (x.nif.ifindex = atoi(buf)) <= 0)
			continue;
		if (read_attr(de->d_name, "address", buf, sizeof buf) < 0 || parse_mac(buf, x.nif.mac) < 0)
			continue;
		strcpy(buf, SYS_NET "/");
		strcat(buf, x.nif.name); /* 15 + 16 bytes */
		ssize_t len = readlink(buf, link, sizeof link - 1);
		link[len > 0 ? len : 0] = 0;
		/* "../../devices/pci0000:00/0000:00:03.0/virtio0/net/eth0" */
		const char *dev = strstr(link, "/devices/");
		size_t wl = strnlen(dev ? dev : link, sizeof x.where - 1); /* a deeper one is cut: still an order */
		memcpy(x.where, dev ? dev : link, wl);
		x.is_virtual = !strncmp(x.where, "/devices/virtual/", 17);
		total++;
		if (n == NETIF_SCAN)
			continue;
		int i = n++;
		for (; i > 0 && before(&x, &f[i - 1]); i--)
			f[i] = f[i - 1];
		f[i] = x;
	}
	closedir(d);
	for (int i = 0; i < n && i < max; i++)
		out[i] = f[i].nif;
	return total;
}

static int ifreq_ioctl(const char *name, unsigned long req, struct ifreq *ifr)
{
	if (strlen(name) >= sizeof ifr->ifr_name) {
		errno = ENODEV;
		return -1;
	}
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -1;
	strcpy(ifr->ifr_name, name);
	int r = ioctl(s, req, ifr);
	int e = errno;
	close(s);
	errno = e;
	return r < 0 ? -1 : 0;
}

int netif_up(const char *name)
{
	struct ifreq ifr;
	memset(&ifr, 0, sizeof ifr);
	if (ifreq_ioctl(name, SIOCGIFFLAGS, &ifr) < 0)
		return -1;
	if (ifr.ifr_flags & IFF_UP)
		return 0;
	ifr.ifr_flags |= IFF_UP;
	return ifreq_ioctl(name, SIOCSIFFLAGS, &ifr);
}

int netif_carrier(const char *name)
{
	char buf[8];
	/* the kernel answers EINVAL while the interface is down */
	if (read_attr(name, "carrier", buf, sizeof buf) < 0)
		return -1;
	return buf[0] == '1' ? 1 : buf[0] == '0' ? 0 : -1;
}

int netif_set_mtu(const char *name, int mtu)
{
	struct ifreq ifr;
	memset(&ifr, 0, sizeof ifr);
	ifr.ifr_mtu = mtu;
	return ifreq_ioctl(name, SIOCSIFMTU, &ifr);
}

/* One request, 4-byte aligned pieces: header, body, attributes. */
struct nlreq {
	union {
		struct er_nlmsghdr h;
		uint8_t buf[128];
	} u;
};

static void add_attr(struct nlreq *r, uint16_t type, const void *data, uint16_t len)
{
	struct er_rtattr a = { (uint16_t)(sizeof a + len), type };
	uint8_t *p = r->u.buf + r->u.h.nlmsg_len;
	memcpy(p, &a, sizeof a);
	memcpy(p + sizeof a, data, len);
	r->u.h.nlmsg_len += (sizeof a + len + 3) & ~3u;
}

/* Sends R to the kernel and reads its acknowledgement: 0, or -1 with the kernel's errno. */
static int nl_talk(struct nlreq *r)
{
	int s = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, ER_NETLINK_ROUTE);
	if (s < 0)
		return -1;
	struct er_sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	r->u.h.nlmsg_flags |= ER_NLM_F_REQUEST | ER_NLM_F_ACK;
	r->u.h.nlmsg_seq = 1;
	int e = 0;
	if (sendto(s, r->u.buf, r->u.h.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof kernel) < 0) {
		e = errno;
	} else {
		/* the answer: an nlmsgerr (int error, then our header) */
		uint8_t ans[256];
		ssize_t n;
		do
			n = recv(s, ans, sizeof ans, 0);
		while (n < 0 && errno == EINTR);
		struct er_nlmsghdr h;
		int32_t err;
		if (n < 0)
			e = errno;
		else if ((size_t)n < sizeof h + sizeof err)
			e = EPROTO;
		else {
			memcpy(&h, ans, sizeof h);
			memcpy(&err, ans + sizeof h, sizeof err);
			e = h.nlmsg_type != ER_NLMSG_ERROR ? EPROTO : -err;
		}
	}
	close(s);
	errno = e;
	return e ? -1 : 0;
}

/* A request that creates or replaces: the header, then BODY (an ifaddrmsg or rtmsg). */
static void nl_start(struct nlreq *r, uint16_t type, const void *body, size_t len)
{
	memset(r, 0, sizeof *r);
	r->u.h.nlmsg_type = type;
	r->u.h.nlmsg_flags = ER_NLM_F_CREATE | ER_NLM_F_REPLACE;
	r->u.h.nlmsg_len = sizeof r->u.h;
	memcpy(r->u.buf + r->u.h.nlmsg_len, body, len);
	r->u.h.nlmsg_len += (uint32_t)len;
}

int netif_add_address(int ifindex, uint32_t addr, int prefix, uint32_t broadcast)
{
	if (prefix < 0 || prefix > 32 || ifindex <= 0) {
		errno = EINVAL;
		return -1;
	}
	struct nlreq r;
	struct er_ifaddrmsg ifa = { AF_INET, (uint8_t)prefix, 0, ER_RT_SCOPE_UNIVERSE, (uint32_t)ifindex };
	nl_start(&r, ER_RTM_NEWADDR, &ifa, sizeof ifa);
	add_attr(&r, ER_IFA_LOCAL, &addr, 4);
	add_attr(&r, ER_IFA_ADDRESS, &addr, 4);
	if (!broadcast && prefix < 31) {
		/* the kernel does not derive it, and a lease may lack option 28 */
		uint8_t b[4];
		uint32_t host = prefix ? (1u << (32 - prefix)) - 1 : 0xffffffffu;
		memcpy(b, &addr, 4);
		for (int i = 0; i < 4; i++)
			b[i] |= (uint8_t)(host >> (24 - 8 * i));
		memcpy(&broadcast, b, 4);
	}
	if (broadcast)
		add_attr(&r, ER_IFA_BROADCAST, &broadcast, 4);
	return nl_talk(&r);
}

int netif_add_default_route(int ifindex, uint32_t gateway)
{
	if (ifindex <= 0) {
		errno = EINVAL;
		return -1;
	}
	struct nlreq r;
	struct er_rtmsg rt = { .rtm_family = AF_INET, .rtm_table = ER_RT_TABLE_MAIN, .rtm_protocol = ER_RTPROT_BOOT,
			       .rtm_scope = ER_RT_SCOPE_UNIVERSE, .rtm_type = ER_RTN_UNICAST };
	nl_start(&r, ER_RTM_NEWROUTE, &rt, sizeof rt);
	uint32_t oif = (uint32_t)ifindex;
	add_attr(&r, ER_RTA_GATEWAY, &gateway, 4);
	add_attr(&r, ER_RTA_OIF, &oif, 4);
	return nl_talk(&r);
}
