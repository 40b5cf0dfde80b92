/* dhcp.h — DHCPv4 packets (RFC 2131/2132) as whole IPv4+UDP frames, built and parsed without a system
 * call: the exchange itself is dhcp_client.c's. A frame is what an AF_PACKET SOCK_DGRAM socket sends
 * and receives: the IPv4 header onwards, no Ethernet header. */
#ifndef EARLYROOT_DHCP_H
#define EARLYROOT_DHCP_H
#include <stddef.h>
#include <stdint.h>

/* Message types (option 53). */
enum { DHCP_DISCOVER = 1, DHCP_OFFER = 2, DHCP_REQUEST = 3, DHCP_ACK = 5, DHCP_NAK = 6 };

/* Room for any frame dhcp_build() makes (it makes at most 20 + 8 + 300 + hostname bytes). */
#define DHCP_FRAME_MAX 576
/* The largest DHCP message we say we accept (option 57): an Ethernet payload. Receive buffers must
 * hold a whole Ethernet payload anyway. */
#define DHCP_RECV_MAX 1500

/* What a reply says. Addresses are in network byte order; 0 where the reply has none. The strings are
 * NUL-terminated and empty when absent, too long or holding a byte outside their set: hostname and
 * domain only [A-Za-z0-9.-_], root_path, bootfile and tftp_server only printable ASCII without space
 * (0x21-0x7e) — they come from anyone on the link and end up in /run/net-IFACE.conf. */
struct dhcp_lease {
	int type;                   /* DHCP_OFFER, DHCP_ACK, DHCP_NAK */
	uint32_t yiaddr;            /* the address offered to us */
	uint32_t siaddr;            /* the next server (BOOTP's, for TFTP) */
	uint32_t server_id;         /* option 54; the IP source address when a server omits it */
	uint32_t subnet_mask;       /* option 1, contiguous masks only (see dhcp_prefix()) */
	uint32_t router;            /* option 3, its first address */
	uint32_t dns[2];            /* option 6, its first two */
	uint32_t broadcast;         /* option 28 */
	uint32_t lease_seconds;     /* option 51; 0xffffffff is infinite */
	uint16_t mtu;               /* option 26 when 68..65535, else 0 */
	char hostname[64];          /* option 12 */
	char domain[64];            /* option 15 */
	char root_path[256];        /* option 17 */
	char bootfile[128];         /* option 67, else BOOTP's file field */
	char tftp_server[64];       /* option 66, else BOOTP's sname field */
};

/* Writes a DISCOVER or REQUEST (TYPE) into BUF: broadcast from 0.0.0.0:68 to 255.255.255.255:67, the
 * BOOTP broadcast flag set (we have no address to receive unicast on), client id 1+MAC, option 55 for
 * everything struct dhcp_lease holds. A REQUEST names REQUESTED and SERVER_ID (the selecting state);
 * both are ignored for a DISCOVER. HOSTNAME (option 12) is sent when it is 1..63 bytes, else left out;
 * NULL for none. SECS: seconds since the exchange began. Returns the frame's length, 0 if SIZE is too
 * small (DHCP_FRAME_MAX always suffices) or TYPE is neither. */
size_t dhcp_build(uint8_t *buf, size_t size, int type, uint32_t xid, const uint8_t mac[6], uint32_t requested,
		  uint32_t server_id, const char *hostname, uint16_t secs);

/* Reads the frame PKT (LEN bytes, as received) as a reply to XID for MAC. Returns its message type
 * (DHCP_OFFER, DHCP_ACK, DHCP_NAK) with OUT filled, or -1 — not an IPv4/UDP datagram to port 68 whole
 * in LEN bytes, not a BOOTP reply to XID and MAC, no magic cookie, an option running past its field,
 * no or another message type, an OFFER or ACK without a usable address — and OUT then unspecified.
 * Overloaded sname/file fields (option 52) are read for options. A repeated option: the last wins (no
 * RFC 3396 concatenation). The UDP checksum is not checked: a received frame's may be left to the
 * hardware and still blank (veth, virtio with offload); the Ethernet CRC has covered it. */
int dhcp_parse(const uint8_t *pkt, size_t len, uint32_t xid, const uint8_t mac[6], struct dhcp_lease *out);

/* The prefix length of a contiguous netmask in network byte order (255.255.255.0 -> 24), -1 if the
 * mask is not contiguous. */
int dhcp_prefix(uint32_t mask);

#endif
