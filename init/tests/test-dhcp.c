/* test-dhcp — init/dhcp.c under the sanitizers (TAP): real replies (busybox udhcpd's OFFER and ACK,
 * captured on a veth pair), DISCOVER and REQUEST read back byte by byte with both checksums verified,
 * crafted replies for every check (NAK, overload, options running past their field, bad strings, wrong
 * xid, MAC, port, op, checksum, fragments), every truncation of a real reply, random mutations. */
#include "dhcp.h"
#include "tap.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

/* captures: busybox 1.35 udhcpd answering busybox udhcpc on a veth pair (xid 0xf0648230, MAC 52:54:00:12:34:56) */
static const unsigned char udhcpd_offer[] = {
  0x45, 0x00, 0x01, 0x7b, 0x00, 0x00, 0x00, 0x00, 0x40, 0x11, 0x6f, 0x25,
  0x0a, 0x4d, 0x00, 0x01, 0xff, 0xff, 0xff, 0xff, 0x00, 0x43, 0x00, 0x44,
  0x01, 0x67, 0x9b, 0xf3, 0x02, 0x01, 0x06, 0x00, 0xf0, 0x64, 0x82, 0x30,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x4d, 0x00, 0x94,
  0x0a, 0x4d, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x52, 0x54, 0x00, 0x12,
  0x34, 0x56, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x62, 0x6f, 0x6f, 0x74, 0x73, 0x72, 0x76, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x70, 0x78, 0x65, 0x6c, 0x69, 0x6e, 0x75, 0x78,
  0x2e, 0x30, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x63, 0x82, 0x53, 0x63, 0x35, 0x01, 0x02, 0x36, 0x04, 0x0a, 0x4d, 0x00,
  0x01, 0x33, 0x04, 0x00, 0x00, 0x0e, 0x10, 0x01, 0x04, 0xff, 0xff, 0xff,
  0x00, 0x03, 0x04, 0x0a, 0x4d, 0x00, 0x01, 0x06, 0x08, 0x0a, 0x4d, 0x00,
  0x01, 0x0a, 0x4d, 0x00, 0x02, 0x0f, 0x0c, 0x65, 0x78, 0x61, 0x6d, 0x70,
  0x6c, 0x65, 0x2e, 0x74, 0x65, 0x73, 0x74, 0x11, 0x16, 0x31, 0x30, 0x2e,
  0x37, 0x37, 0x2e, 0x30, 0x2e, 0x31, 0x3a, 0x2f, 0x73, 0x72, 0x76, 0x2f,
  0x6e, 0x66, 0x73, 0x72, 0x6f, 0x6f, 0x74, 0x1a, 0x02, 0x05, 0x78, 0x1c,
  0x04, 0x0a, 0x4d, 0x00, 0xff, 0x42, 0x09, 0x31, 0x30, 0x2e, 0x37, 0x37,
  0x2e, 0x30, 0x2e, 0x31, 0x43, 0x0c, 0x62, 0x6f, 0x6f, 0x74, 0x2f, 0x76,
  0x6d, 0x6c, 0x69, 0x6e, 0x75, 0x7a, 0xff
};
static const unsigned char udhcpd_ack[] = {
  0x45, 0x00, 0x01, 0x7b, 0x00, 0x00, 0x00, 0x00, 0x40, 0x11, 0x6f, 0x25,
  0x0a, 0x4d, 0x00, 0x01, 0xff, 0xff, 0xff, 0xff, 0x00, 0x43, 0x00, 0x44,
  0x01, 0x67, 0x98, 0xf3, 0x02, 0x01, 0x06, 0x00, 0xf0, 0x64, 0x82, 0x30,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x4d, 0x00, 0x94,
  0x0a, 0x4d, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x52, 0x54, 0x00, 0x12,
  0x34, 0x56, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x62, 0x6f, 0x6f, 0x74, 0x73, 0x72, 0x76, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x70, 0x78, 0x65, 0x6c, 0x69, 0x6e, 0x75, 0x78,
  0x2e, 0x30, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x63, 0x82, 0x53, 0x63, 0x35, 0x01, 0x05, 0x36, 0x04, 0x0a, 0x4d, 0x00,
  0x01, 0x33, 0x04, 0x00, 0x00, 0x0e, 0x10, 0x01, 0x04, 0xff, 0xff, 0xff,
  0x00, 0x03, 0x04, 0x0a, 0x4d, 0x00, 0x01, 0x06, 0x08, 0x0a, 0x4d, 0x00,
  0x01, 0x0a, 0x4d, 0x00, 0x02, 0x0f, 0x0c, 0x65, 0x78, 0x61, 0x6d, 0x70,
  0x6c, 0x65, 0x2e, 0x74, 0x65, 0x73, 0x74, 0x11, 0x16, 0x31, 0x30, 0x2e,
  0x37, 0x37, 0x2e, 0x30, 0x2e, 0x31, 0x3a, 0x2f, 0x73, 0x72, 0x76, 0x2f,
  0x6e, 0x66, 0x73, 0x72, 0x6f, 0x6f, 0x74, 0x1a, 0x02, 0x05, 0x78, 0x1c,
  0x04, 0x0a, 0x4d, 0x00, 0xff, 0x42, 0x09, 0x31, 0x30, 0x2e, 0x37, 0x37,
  0x2e, 0x30, 0x2e, 0x31, 0x43, 0x0c, 0x62, 0x6f, 0x6f, 0x74, 0x2f, 0x76,
  0x6d, 0x6c, 0x69, 0x6e, 0x75, 0x7a, 0xff
};

static const uint8_t cap_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
#define CAP_XID 0xf0648230u
static const uint8_t mac[6] = { 0x02, 0x00, 0x00, 0xaa, 0xbb, 0xcc };
#define XID 0x12345678u

static uint32_t ip(const char *s)
{
	struct in_addr a;
	inet_pton(AF_INET, s, &a);
	return a.s_addr;
}

static unsigned sum(const uint8_t *p, size_t len, unsigned s)
{
	for (size_t i = 0; i < len; i++)
		s += i & 1 ? p[i] : (unsigned)p[i] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return s;
}

/* A reply frame: OPTS (N bytes) after the cookie, the given op, xid, MAC, yiaddr 10.0.2.15, from
 * 10.0.2.2:67 to port 68; IP header checksum right. Returns its length. */
static size_t reply(uint8_t *f, const uint8_t *opts, size_t n, uint8_t op, uint32_t xid, const uint8_t *m)
{
	size_t blen = 240 + n, total = 28 + blen;
	memset(f, 0, total);
	f[0] = 0x45, f[2] = (uint8_t)(total >> 8), f[3] = (uint8_t)total, f[8] = 64, f[9] = 17;
	f[12] = 10, f[13] = 0, f[14] = 2, f[15] = 2;
	memset(f + 16, 0xff, 4);
	f[20] = 0, f[21] = 67, f[22] = 0, f[23] = 68, f[24] = (uint8_t)((8 + blen) >> 8), f[25] = (uint8_t)(8 + blen);
	uint8_t *b = f + 28;
	b[0] = op, b[1] = 1, b[2] = 6;
	b[4] = (uint8_t)(xid >> 24), b[5] = (uint8_t)(xid >> 16), b[6] = (uint8_t)(xid >> 8), b[7] = (uint8_t)xid;
	b[16] = 10, b[17] = 0, b[18] = 2, b[19] = 15;
	b[20] = 10, b[21] = 0, b[22] = 2, b[23] = 2;
	memcpy(b + 28, m, 6);
	b[236] = 99, b[237] = 130, b[238] = 83, b[239] = 99;
	memcpy(b + 240, opts, n);
	unsigned c = ~sum(f, 20, 0) & 0xffff;
	f[10] = (uint8_t)(c >> 8), f[11] = (uint8_t)c;
	return total;
}

static void fix_ip_sum(uint8_t *f)
{
	f[10] = f[11] = 0;
	unsigned c = ~sum(f, (size_t)(f[0] & 15) * 4, 0) & 0xffff;
	f[10] = (uint8_t)(c >> 8), f[11] = (uint8_t)c;
}

static int parse_opts(const uint8_t *opts, size_t n, struct dhcp_lease *l)
{
	uint8_t f[1600];
	return dhcp_parse(f, reply(f, opts, n, 2, XID, mac), XID, mac, l);
}

static void test_captures(void)
{
	struct dhcp_lease l;
	int r = dhcp_parse(udhcpd_offer, sizeof udhcpd_offer, CAP_XID, cap_mac, &l);
	CHECK(r == DHCP_OFFER && l.type == DHCP_OFFER, "udhcpd's OFFER is an OFFER (%d)", r);
	CHECK(l.yiaddr == ip("10.77.0.148") && l.siaddr == ip("10.77.0.1") && l.server_id == ip("10.77.0.1"),
	      "its address, next server and server id");
	CHECK(l.subnet_mask == ip("255.255.255.0") && l.router == ip("10.77.0.1") && l.broadcast == ip("10.77.0.255"),
	      "its mask, router and broadcast");
	CHECK(l.dns[0] == ip("10.77.0.1") && l.dns[1] == ip("10.77.0.2"), "both DNS servers");
	CHECK(l.lease_seconds == 3600 && l.mtu == 1400, "lease 3600 s, MTU 1400");
	CHECK(!strcmp(l.domain, "example.test") && !strcmp(l.root_path, "10.77.0.1:/srv/nfsroot"), "domain, root path");
	CHECK(!strcmp(l.tftp_server, "10.77.0.1") && !strcmp(l.bootfile, "boot/vmlinuz"),
	      "options 66 and 67 win over sname and file (%s, %s)", l.tftp_server, l.bootfile);
	CHECK(!l.hostname[0], "no host name offered");
	r = dhcp_parse(udhcpd_ack, sizeof udhcpd_ack, CAP_XID, cap_mac, &l);
	CHECK(r == DHCP_ACK && l.yiaddr == ip("10.77.0.148") && l.lease_seconds == 3600, "udhcpd's ACK is an ACK");
	CHECK(dhcp_parse(udhcpd_ack, sizeof udhcpd_ack, CAP_XID + 1, cap_mac, &l) == -1, "another xid: not ours");
	CHECK(dhcp_parse(udhcpd_ack, sizeof udhcpd_ack, CAP_XID, mac, &l) == -1, "another MAC: not ours");

	int bad = 0;
	for (size_t n = 0; n < sizeof udhcpd_ack; n++) {
		uint8_t *p = malloc(n ? n : 1); /* exact size: ASan sees any read past it */
		memcpy(p, udhcpd_ack, n);
		bad += dhcp_parse(p, n, CAP_XID, cap_mac, &l) != -1;
		free(p);
	}
	CHECK(!bad, "the ACK cut at each of its %zu lengths: refused every time", sizeof udhcpd_ack);
	uint8_t padded[sizeof udhcpd_ack + 64];
	memcpy(padded, udhcpd_ack, sizeof udhcpd_ack);
	memset(padded + sizeof udhcpd_ack, 0xee, 64);
	CHECK(dhcp_parse(padded, sizeof padded, CAP_XID, cap_mac, &l) == DHCP_ACK, "bytes after the IP length ignored");
}

/* The option CODE in a frame dhcp_build() made: its value's offset, or 0. */
static size_t find_opt(const uint8_t *f, size_t len, uint8_t code)
{
	size_t i = 28 + 240;
	while (i < len && f[i] != 255) {
		if (f[i] == 0) {
			i++;
			continue;
		}
		if (f[i] == code)
			return i + 2;
		i += 2 + f[i + 1];
	}
	return 0;
}

static void test_build(void)
{
	uint8_t f[DHCP_FRAME_MAX];
	size_t n = dhcp_build(f, sizeof f, DHCP_DISCOVER, XID, mac, ip("1.2.3.4"), ip("5.6.7.8"), "node-7", 3);
	CHECK(n >= 328 && n <= DHCP_FRAME_MAX, "a DISCOVER of %zu bytes (BOOTP's 300 at least)", n);
	CHECK(f[0] == 0x45 && f[9] == 17 && (size_t)(f[2] << 8 | f[3]) == n && sum(f, 20, 0) == 0xffff,
	      "IPv4, UDP, its length, the header checksum verifies");
	CHECK(!memcmp(f + 12, "\0\0\0\0\xff\xff\xff\xff", 8), "0.0.0.0 -> 255.255.255.255");
	unsigned ps = sum(f + 12, 8, 17 + (unsigned)(n - 20));
	CHECK(f[20] == 0 && f[21] == 68 && f[22] == 0 && f[23] == 67 && (f[26] | f[27]) && sum(f + 20, n - 20, ps) == 0xffff,
	      "UDP 68 -> 67, its checksum verifies");
	const uint8_t *b = f + 28;
	CHECK(b[0] == 1 && b[1] == 1 && b[2] == 6 && b[4] == 0x12 && b[7] == 0x78 && b[9] == 3 && b[10] == 0x80 &&
		      !memcmp(b + 28, mac, 6),
	      "BOOTREQUEST, Ethernet, xid, secs, broadcast flag, chaddr");
	size_t o = find_opt(f, n, 53);
	CHECK(o && f[o - 1] == 1 && f[o] == DHCP_DISCOVER, "option 53: DISCOVER");
	o = find_opt(f, n, 61);
	CHECK(o && f[o - 1] == 7 && f[o] == 1 && !memcmp(f + o + 1, mac, 6), "option 61: 1 + MAC");
	o = find_opt(f, n, 55);
	int want = o != 0;
	static const uint8_t asked[] = { 1, 3, 6, 12, 15, 28, 51, 54, 17, 66, 67, 26 };
	for (size_t i = 0; o && i < sizeof asked; i++)
		want &= memchr(f + o, asked[i], f[o - 1]) != NULL;
	CHECK(want, "option 55 asks for all twelve");
	o = find_opt(f, n, 12);
	CHECK(o && f[o - 1] == 6 && !memcmp(f + o, "node-7", 6), "option 12: the host name");
	CHECK(!find_opt(f, n, 50) && !find_opt(f, n, 54), "no requested address or server id in a DISCOVER");

	n = dhcp_build(f, sizeof f, DHCP_REQUEST, XID, mac, ip("10.0.2.15"), ip("10.0.2.2"), NULL, 0);
	o = find_opt(f, n, 53);
	CHECK(n && o && f[o] == DHCP_REQUEST, "a REQUEST");
	o = find_opt(f, n, 50);
	size_t s = find_opt(f, n, 54);
	CHECK(o && s && !memcmp(f + o, "\x0a\x00\x02\x0f", 4) && !memcmp(f + s, "\x0a\x00\x02\x02", 4),
	      "options 50 and 54: the offered address and its server");
	CHECK(!find_opt(f, n, 12), "no host name: no option 12");
	ps = sum(f + 12, 8, 17 + (unsigned)(n - 20));
	CHECK(sum(f, 20, 0) == 0xffff && sum(f + 20, n - 20, ps) == 0xffff, "both checksums verify");

	char longname[80];
	memset(longname, 'a', 79);
	longname[79] = 0;
	n = dhcp_build(f, sizeof f, DHCP_DISCOVER, XID, mac, 0, 0, longname, 0);
	CHECK(n && !find_opt(f, n, 12), "a host name over 63 bytes is not sent");
	longname[63] = 0;
	n = dhcp_build(f, sizeof f, DHCP_REQUEST, XID, mac, 1, 2, longname, 0);
	o = find_opt(f, n, 12);
	CHECK(n && o && f[o - 1] == 63, "one of 63 is");
	int small = 0;
	for (size_t sz = 0; sz < n; sz++) {
		uint8_t *p = malloc(sz ? sz : 1);
		small += dhcp_build(p, sz, DHCP_REQUEST, XID, mac, 1, 2, longname, 0) != 0;
		free(p);
	}
	CHECK(!small, "every buffer smaller than %zu bytes refused", n);
	CHECK(!dhcp_build(f, sizeof f, DHCP_ACK, XID, mac, 0, 0, NULL, 0), "an ACK is not ours to build");

	/* round trip: the DISCOVER turned into the reply a server makes */
	n = dhcp_build(f, sizeof f, DHCP_DISCOVER, XID, mac, 0, 0, NULL, 0);
	f[21] = 67, f[23] = 68, f[28] = 2;
	f[28 + 16] = 192, f[28 + 17] = 168, f[28 + 18] = 1, f[28 + 19] = 50;
	f[12] = 192, f[13] = 168, f[14] = 1, f[15] = 1;
	f[find_opt(f, n, 53)] = DHCP_OFFER;
	fix_ip_sum(f);
	struct dhcp_lease l;
	CHECK(dhcp_parse(f, n, XID, mac, &l) == DHCP_OFFER && l.yiaddr == ip("192.168.1.50") && l.server_id == ip("192.168.1.1"),
	      "a built frame turned into an OFFER: parsed, the server id from the IP source");
}

static void test_crafted(void)
{
	struct dhcp_lease l;
	uint8_t f[1600];
	size_t n;

	static const uint8_t nak[] = { 53, 1, 6, 54, 4, 10, 0, 2, 2, 255 };
	CHECK(parse_opts(nak, sizeof nak, &l) == DHCP_NAK && l.server_id == ip("10.0.2.2"), "a NAK");
	static const uint8_t none[] = { 1, 4, 255, 255, 255, 0, 255 };
	CHECK(parse_opts(none, sizeof none, &l) == -1, "no message type: refused");
	static const uint8_t disc[] = { 53, 1, 1, 255 };
	CHECK(parse_opts(disc, sizeof disc, &l) == -1, "a DISCOVER is not a reply");
	static const uint8_t type2[] = { 53, 2, 2, 0, 255 };
	CHECK(parse_opts(type2, sizeof type2, &l) == -1, "option 53 of length 2: refused");
	static const uint8_t past[] = { 53, 1, 2, 15, 40, 'a', 'b' };
	CHECK(parse_opts(past, sizeof past, &l) == -1, "an option running past the end: refused");
	static const uint8_t nolen[] = { 53, 1, 2, 15 };
	CHECK(parse_opts(nolen, sizeof nolen, &l) == -1, "an option without its length byte: refused");
	static const uint8_t noend[] = { 53, 1, 5, 0, 0, 51, 4, 0, 0, 0, 60 };
	CHECK(parse_opts(noend, sizeof noend, &l) == DHCP_ACK && l.lease_seconds == 60, "pads, and no end option");
	static const uint8_t after[] = { 53, 1, 5, 255, 51, 4, 0, 0, 0, 60 };
	CHECK(parse_opts(after, sizeof after, &l) == DHCP_ACK && l.lease_seconds == 0, "nothing read after the end");

	static const uint8_t odd[] = { 53, 1, 2, 1, 4, 255, 0, 255, 0, 26, 2, 0, 20, 3, 3, 1, 2, 3, 6, 5, 1, 2, 3, 4, 5,
				       51, 3, 0, 0, 1, 54, 2, 1, 1, 28, 4, 10, 0, 2, 255, 255 };
	int r = parse_opts(odd, sizeof odd, &l);
	CHECK(r == DHCP_OFFER && !l.subnet_mask && !l.mtu && !l.router && !l.dns[0] && !l.lease_seconds &&
		      l.server_id == ip("10.0.2.2") && l.broadcast == ip("10.0.2.255"),
	      "odd lengths and a split mask ignored, each on its own");
	static const uint8_t names[] = { 53, 1, 2, 12, 6, 'h', 'o', 's', 't', 0, 0, 15, 5, 'a', ' ', 'b', 'c', 'd',
					 17, 8, '/', 'r', 'o', 'o', 't', ';', 'x', '$', 67, 3, 'a', '\n', 'b',
					 66, 0, 255 };
	r = parse_opts(names, sizeof names, &l);
	CHECK(r == DHCP_OFFER && !strcmp(l.hostname, "host") && !l.domain[0] && !strcmp(l.root_path, "/root;x$") &&
		      !l.bootfile[0] && !l.tftp_server[0],
	      "strings: NUL-terminated kept, a space or a newline refused (hostname '%s', root '%s')", l.hostname,
	      l.root_path);
	uint8_t big[2 + 255 + 4] = { 53, 1, 2, 17, 255 };
	memset(big + 5, 'x', 255);
	big[5 + 255] = 255;
	CHECK(parse_opts(big, 5 + 255 + 1, &l) == DHCP_OFFER && strlen(l.root_path) == 255, "a 255-byte root path");
	big[4] = 12, big[3] = 12, big[4] = 64;
	CHECK(parse_opts(big, 5 + 64, &l) == DHCP_OFFER && !l.hostname[0], "a 64-byte host name does not fit: none");

	/* overload: options in file (52=1), in sname (52=2), both */
	static const uint8_t ov[] = { 53, 1, 5, 52, 1, 3, 255 };
	n = reply(f, ov, sizeof ov, 2, XID, mac);
	memcpy(f + 28 + 108, "\x03\x04\x0a\x00\x02\x02\x43\x04" "boot\xff", 13);
	memcpy(f + 28 + 44, "\x42\x03srv\xff", 6);
	fix_ip_sum(f);
	r = dhcp_parse(f, n, XID, mac, &l);
	CHECK(r == DHCP_ACK && l.router == ip("10.0.2.2") && !strcmp(l.bootfile, "boot") && !strcmp(l.tftp_server, "srv"),
	      "overloaded file and sname read for options");
	memset(f + 28 + 44, 0, 64);
	memcpy(f + 28 + 44, "\x42\x3f" "srv", 5); /* runs past sname's 64 bytes */
	fix_ip_sum(f);
	CHECK(dhcp_parse(f, n, XID, mac, &l) == -1, "an option running past sname: refused");
	static const uint8_t plain[] = { 53, 1, 5, 255 };
	n = reply(f, plain, sizeof plain, 2, XID, mac);
	memcpy(f + 28 + 108, "\x03\x04\x0a", 3);
	memcpy(f + 28 + 44, "tftp.local", 10);
	fix_ip_sum(f);
	r = dhcp_parse(f, n, XID, mac, &l);
	CHECK(r == DHCP_ACK && !l.router && !l.bootfile[0] && !strcmp(l.tftp_server, "tftp.local"),
	      "without option 52, file and sname are names (a file of control bytes refused)");

	static const uint8_t offer[] = { 53, 1, 2, 255 };
	n = reply(f, offer, sizeof offer, 2, XID, mac);
	CHECK(dhcp_parse(f, n, XID, mac, &l) == DHCP_OFFER, "the plain OFFER parses");
	uint8_t g[1600];
	struct {
		size_t off;
		uint8_t val;
		int sum;
		const char *what;
	} spoil[] = {
		{ 0, 0x65, 1, "IPv6's version" },  { 0, 0x44, 1, "a 16-byte IP header" }, { 9, 6, 1, "TCP" },
		{ 6, 0x20, 1, "a fragment (MF)" }, { 7, 0x01, 1, "a fragment (offset)" }, { 11, 0x00, 0, "a bad IP checksum" },
		{ 23, 69, 0, "port 69" },	   { 28, 1, 0, "a BOOTREQUEST" },	  { 29, 6, 0, "htype 6" },
		{ 30, 16, 0, "hlen 16" },	   { 264, 98, 0, "a bad magic cookie" },  { 2, 0x7f, 1, "an IP length past the end" },
		{ 25, 0xff, 0, "a UDP length past the IP length" }, { 25, 7, 0, "a UDP length under 8" },
	};
	for (size_t i = 0; i < sizeof spoil / sizeof *spoil; i++) {
		memcpy(g, f, n);
		g[spoil[i].off] = spoil[i].val;
		if (spoil[i].off == 25)
			g[24] = 0;
		if (spoil[i].sum)
			fix_ip_sum(g);
		CHECK(dhcp_parse(g, n, XID, mac, &l) == -1, "%s: refused", spoil[i].what);
	}
	memcpy(g, f, n);
	g[28 + 16] = 0, g[28 + 17] = 0, g[28 + 18] = 0, g[28 + 19] = 0;
	CHECK(dhcp_parse(g, n, XID, mac, &l) == -1, "an OFFER of 0.0.0.0: refused");
	g[28 + 16] = 224;
	CHECK(dhcp_parse(g, n, XID, mac, &l) == -1, "an OFFER of a multicast address: refused");
	g[28 + 16] = 127;
	CHECK(dhcp_parse(g, n, XID, mac, &l) == -1, "an OFFER of a loopback address: refused");
	n = reply(g, nak, sizeof nak, 2, XID, mac);
	memset(g + 28 + 16, 0, 4);
	CHECK(dhcp_parse(g, n, XID, mac, &l) == DHCP_NAK, "a NAK of 0.0.0.0 is a NAK");

	/* an IP header with options (IHL 6) */
	n = reply(f, offer, sizeof offer, 2, XID, mac);
	memmove(g + 24, f + 20, n - 20);
	memcpy(g, f, 20);
	g[0] = 0x46, g[3] = (uint8_t)(n + 4), g[2] = (uint8_t)((n + 4) >> 8), g[20] = 1, g[21] = 1, g[22] = 1, g[23] = 0;
	fix_ip_sum(g);
	CHECK(dhcp_parse(g, n + 4, XID, mac, &l) == DHCP_OFFER, "an IP header of 24 bytes");
}

static void test_prefix(void)
{
	CHECK(dhcp_prefix(ip("255.255.255.0")) == 24 && dhcp_prefix(ip("255.255.255.255")) == 32 &&
		      dhcp_prefix(0) == 0 && dhcp_prefix(ip("255.255.240.0")) == 20 && dhcp_prefix(ip("128.0.0.0")) == 1,
	      "prefix lengths of contiguous masks");
	CHECK(dhcp_prefix(ip("255.0.255.0")) == -1 && dhcp_prefix(ip("0.255.255.255")) == -1 &&
		      dhcp_prefix(ip("255.255.255.254")) == 31 && dhcp_prefix(ip("255.255.255.253")) == -1,
	      "split masks refused");
}

static void test_random(void)
{
	struct dhcp_lease l;
	uint8_t f[1600];
	srand(13);
	int odd = 0;
	for (int i = 0; i < 20000; i++) {
		size_t n = sizeof udhcpd_ack;
		memcpy(f, udhcpd_ack, n);
		for (int k = 1 + rand() % 8; k > 0; k--)
			f[28 + rand() % (int)(n - 28)] = (uint8_t)rand();
		if (rand() % 4 == 0)
			n = (size_t)rand() % n;
		fix_ip_sum(f);
		int r = dhcp_parse(f, n, CAP_XID, cap_mac, &l);
		odd += r != -1 && r != DHCP_OFFER && r != DHCP_ACK && r != DHCP_NAK;
		odd += r != -1 && (strnlen(l.root_path, sizeof l.root_path) == sizeof l.root_path ||
				   strnlen(l.hostname, sizeof l.hostname) == sizeof l.hostname);
	}
	CHECK(!odd, "20,000 mutated ACKs: a reply type or -1, strings terminated");
}

int main(void)
{
	test_captures();
	test_build();
	test_crafted();
	test_prefix();
	test_random();
	return tap_finish();
}
