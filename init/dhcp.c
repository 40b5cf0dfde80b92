/* dhcp.c — see dhcp.h. Every field is read with its offset checked against the datagram's own length,
 * never the buffer's: a reply is from anyone on the link. Byte order by hand (no htonl): the file is
 * pure, the same on both libcs and in the fuzzer. */
#include "dhcp.h"

#include <string.h>

#define IP_HDR 20
#define UDP_HDR 8
#define BOOTP_FIXED 236 /* op .. file, before the magic cookie */
#define BOOTP_MIN 300   /* what BOOTP relays and old servers expect at the least: padded with zeros */
#define PORT_SERVER 67
#define PORT_CLIENT 68

/* BOOTP offsets, from the start of the BOOTP message */
#define B_OP 0
#define B_HTYPE 1
#define B_HLEN 2
#define B_XID 4
#define B_SECS 8
#define B_FLAGS 10
#define B_YIADDR 16
#define B_SIADDR 20
#define B_CHADDR 28
#define B_SNAME 44
#define B_FILE 108
#define B_COOKIE 236
#define B_OPTIONS 240
#define SNAME_LEN 64
#define FILE_LEN 128

/* Option codes */
enum {
	OPT_PAD = 0, OPT_SUBNET = 1, OPT_ROUTER = 3, OPT_DNS = 6, OPT_HOSTNAME = 12, OPT_DOMAIN = 15,
	OPT_ROOT_PATH = 17, OPT_MTU = 26, OPT_BROADCAST = 28, OPT_REQUESTED = 50, OPT_LEASE = 51,
	OPT_OVERLOAD = 52, OPT_MSGTYPE = 53, OPT_SERVER_ID = 54, OPT_PARAMS = 55, OPT_MAX_SIZE = 57,
	OPT_CLIENT_ID = 61, OPT_TFTP_SERVER = 66, OPT_BOOTFILE = 67, OPT_END = 255,
};

static const uint8_t cookie[4] = { 99, 130, 83, 99 };
static const uint8_t params[] = { OPT_SUBNET, OPT_ROUTER,	   OPT_DNS,	 OPT_HOSTNAME,
				  OPT_DOMAIN, OPT_BROADCAST,  OPT_LEASE,	 OPT_SERVER_ID,
				  OPT_ROOT_PATH, OPT_TFTP_SERVER, OPT_BOOTFILE, OPT_MTU };

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Addresses stay in network byte order in memory: copy the bytes as they are. */
static uint32_t get_addr(const uint8_t *p)
{
	uint32_t a;
	memcpy(&a, p, 4);
	return a;
}

static void put_addr(uint8_t *p, uint32_t a)
{
	memcpy(p, &a, 4);
}

/* RFC 1071's one's-complement sum, folded, not yet inverted; SUM carries a pseudo-header's part. */
static uint32_t sum16(const uint8_t *p, size_t len, uint32_t sum)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += get16(p + i);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

size_t dhcp_build(uint8_t *buf, size_t size, int type, uint32_t xid, const uint8_t mac[6], uint32_t requested,
		  uint32_t server_id, const char *hostname, uint16_t secs)
{
	if (type != DHCP_DISCOVER && type != DHCP_REQUEST)
		return 0;
	size_t hlen = hostname ? strnlen(hostname, 64) : 0;
	if (hlen > 63)
		hlen = 0; /* a longer name is not a host name (RFC 1035's label limit); send none */
	/* options: 53, 61, 57, 55, [50, 54], [12], end */
	size_t opts = 3 + 9 + 4 + 2 + sizeof params + (type == DHCP_REQUEST ? 12 : 0) + (hlen ? 2 + hlen : 0) + 1;
	size_t bootp = B_OPTIONS + opts < BOOTP_MIN ? BOOTP_MIN : B_OPTIONS + opts;
	size_t total = IP_HDR + UDP_HDR + bootp;
	if (total > size)
		return 0;
	memset(buf, 0, total);

	uint8_t *b = buf + IP_HDR + UDP_HDR;
	b[B_OP] = 1; /* BOOTREQUEST */
	b[B_HTYPE] = 1;
	b[B_HLEN] = 6;
	put32(b + B_XID, xid);
	put16(b + B_SECS, secs);
	put16(b + B_FLAGS, 0x8000); /* broadcast: we cannot take a unicast reply before we have the address */
	memcpy(b + B_CHADDR, mac, 6);
	memcpy(b + B_COOKIE, cookie, 4);

	uint8_t *o = b + B_OPTIONS;
	*o++ = OPT_MSGTYPE, *o++ = 1, *o++ = (uint8_t)type;
	*o++ = OPT_CLIENT_ID, *o++ = 7, *o++ = 1; /* hardware type Ethernet, then the MAC */
	memcpy(o, mac, 6), o += 6;
	*o++ = OPT_MAX_SIZE, *o++ = 2;
	put16(o, DHCP_RECV_MAX), o += 2;
	*o++ = OPT_PARAMS, *o++ = sizeof params;
	memcpy(o, params, sizeof params), o += sizeof params;
	if (type == DHCP_REQUEST) {
		*o++ = OPT_REQUESTED, *o++ = 4;
		put_addr(o, requested), o += 4;
		*o++ = OPT_SERVER_ID, *o++ = 4;
		put_addr(o, server_id), o += 4;
	}
	if (hlen) {
		*o++ = OPT_HOSTNAME, *o++ = (uint8_t)hlen;
		memcpy(o, hostname, hlen), o += hlen;
	}
	*o = OPT_END;

	/* UDP: 68 -> 67, its checksum over the pseudo-header (0.0.0.0, 255.255.255.255, 17, length) */
	uint8_t *u = buf + IP_HDR;
	put16(u, PORT_CLIENT);
	put16(u + 2, PORT_SERVER);
	put16(u + 4, (uint16_t)(UDP_HDR + bootp));
	uint32_t pseudo = 0xffff + 0xffff + 17 + (uint32_t)(UDP_HDR + bootp);
	uint16_t csum = (uint16_t)~sum16(u, UDP_HDR + bootp, pseudo);
	put16(u + 6, csum ? csum : 0xffff); /* 0 would mean "no checksum" */

	buf[0] = 0x45; /* IPv4, 5 words */
	put16(buf + 2, (uint16_t)total);
	buf[8] = 64; /* TTL */
	buf[9] = 17; /* UDP */
	put32(buf + 16, 0xffffffff);
	put16(buf + 10, (uint16_t)~sum16(buf, IP_HDR, 0));
	return total;
}

int dhcp_prefix(uint32_t mask)
{
	uint8_t b[4];
	memcpy(b, &mask, 4);
	uint32_t m = get32(b);
	int n = 0;
	while (n < 32 && (m & (0x80000000u >> n)))
		n++;
	if (n < 32 && (m << n))
		return -1; /* a one after the first zero */
	return n;
}

/* Copies an option's string of LEN bytes into OUT (SIZE) if every byte is in its set (NAME: host
 * names; else printable without space). A NUL ends it early (some servers count the terminator);
 * anything else makes it empty. */
static void take_string(char *out, size_t size, const uint8_t *p, size_t len, int name)
{
	out[0] = 0;
	const uint8_t *nul = memchr(p, 0, len);
	if (nul)
		len = (size_t)(nul - p);
	if (len == 0 || len >= size)
		return;
	for (size_t i = 0; i < len; i++) {
		uint8_t c = p[i];
		int ok = name ? (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
					c == '-' || c == '.' || c == '_'
			      : c > 0x20 && c < 0x7f;
		if (!ok)
			return;
	}
	memcpy(out, p, len);
	out[len] = 0;
}

struct walk {
	int type;
	int overload; /* option 52's value: 1 file, 2 sname, 3 both */
	int have_server_id;
	int bad;
};

/* Reads the options in P[0..LEN): every option's length is checked against what is left of the field.
 * An option without room for its length byte or its value makes the whole reply malformed. */
static void walk_options(const uint8_t *p, size_t len, struct dhcp_lease *out, struct walk *w)
{
	size_t i = 0;
	while (i < len && !w->bad) {
		uint8_t code = p[i++];
		if (code == OPT_PAD)
			continue;
		if (code == OPT_END)
			return;
		if (i >= len || p[i] > len - i - 1) {
			w->bad = 1;
			return;
		}
		size_t n = p[i++];
		const uint8_t *v = p + i;
		i += n;
		switch (code) {
		case OPT_MSGTYPE:
			if (n != 1)
				w->bad = 1;
			else
				w->type = v[0];
			break;
		case OPT_OVERLOAD:
			if (n == 1 && v[0] >= 1 && v[0] <= 3)
				w->overload = v[0];
			break;
		case OPT_SERVER_ID:
			if (n == 4) {
				out->server_id = get_addr(v);
				w->have_server_id = 1;
			}
			break;
		case OPT_SUBNET:
			if (n == 4)
				out->subnet_mask = dhcp_prefix(get_addr(v)) >= 0 ? get_addr(v) : 0;
			break;
		case OPT_ROUTER:
			if (n >= 4 && n % 4 == 0)
				out->router = get_addr(v);
			break;
		case OPT_DNS:
			if (n >= 4 && n % 4 == 0) {
				out->dns[0] = get_addr(v);
				out->dns[1] = n >= 8 ? get_addr(v + 4) : 0;
			}
			break;
		case OPT_BROADCAST:
			if (n == 4)
				out->broadcast = get_addr(v);
			break;
		case OPT_LEASE:
			if (n == 4)
				out->lease_seconds = get32(v);
			break;
		case OPT_MTU:
			if (n == 2)
				out->mtu = get16(v) >= 68 ? get16(v) : 0;
			break;
		case OPT_HOSTNAME:
			take_string(out->hostname, sizeof out->hostname, v, n, 1);
			break;
		case OPT_DOMAIN:
			take_string(out->domain, sizeof out->domain, v, n, 1);
			break;
		case OPT_ROOT_PATH:
			take_string(out->root_path, sizeof out->root_path, v, n, 0);
			break;
		case OPT_TFTP_SERVER:
			take_string(out->tftp_server, sizeof out->tftp_server, v, n, 0);
			break;
		case OPT_BOOTFILE:
			take_string(out->bootfile, sizeof out->bootfile, v, n, 0);
			break;
		default:
			break;
		}
	}
}

int dhcp_parse(const uint8_t *pkt, size_t len, uint32_t xid, const uint8_t mac[6], struct dhcp_lease *out)
{
	/* IPv4: version, header length, total length within what arrived (Ethernet may pad after it),
	 * not a fragment, UDP, the header's checksum (always computed in software, unlike UDP's) */
	if (len < IP_HDR || pkt[0] >> 4 != 4)
		return -1;
	size_t ihl = (size_t)(pkt[0] & 15) * 4, total = get16(pkt + 2);
	if (ihl < IP_HDR || total < ihl + UDP_HDR || total > len || pkt[9] != 17 || (get16(pkt + 6) & 0x3fff))
		return -1;
	if (sum16(pkt, ihl, 0) != 0xffff)
		return -1;
	const uint8_t *u = pkt + ihl;
	size_t ulen = get16(u + 4);
	if (get16(u + 2) != PORT_CLIENT || ulen < UDP_HDR || ulen > total - ihl)
		return -1;

	const uint8_t *b = u + UDP_HDR;
	size_t blen = ulen - UDP_HDR;
	if (blen < B_OPTIONS || b[B_OP] != 2 || b[B_HTYPE] != 1 || b[B_HLEN] != 6 || get32(b + B_XID) != xid ||
	    memcmp(b + B_CHADDR, mac, 6) || memcmp(b + B_COOKIE, cookie, 4))
		return -1;

	memset(out, 0, sizeof *out);
	struct walk w = { 0 };
	walk_options(b + B_OPTIONS, blen - B_OPTIONS, out, &w);
	/* RFC 2131 4.1: the options field first, then file, then sname (an option 52 in those is not
	 * followed: the first one decides) */
	int overload = w.overload;
	if (overload & 1)
		walk_options(b + B_FILE, FILE_LEN, out, &w);
	else if (!out->bootfile[0])
		take_string(out->bootfile, sizeof out->bootfile, b + B_FILE, FILE_LEN, 0);
	if (overload & 2)
		walk_options(b + B_SNAME, SNAME_LEN, out, &w);
	else if (!out->tftp_server[0])
		take_string(out->tftp_server, sizeof out->tftp_server, b + B_SNAME, SNAME_LEN, 0);
	if (w.bad || (w.type != DHCP_OFFER && w.type != DHCP_ACK && w.type != DHCP_NAK))
		return -1;

	out->type = w.type;
	out->yiaddr = get_addr(b + B_YIADDR);
	out->siaddr = get_addr(b + B_SIADDR);
	if (!w.have_server_id)
		out->server_id = get_addr(pkt + 12); /* RFC 2131 requires option 54; some servers forget it */
	if (w.type != DHCP_NAK) {
		/* an address we could use: not 0.0.0.0, not broadcast, not loopback, multicast or class E */
		uint8_t first = b[B_YIADDR];
		if (out->yiaddr == 0 || out->yiaddr == 0xffffffff || first == 127 || first >= 224)
			return -1;
	}
	return w.type;
}
