/* dhcp_client.c — see dhcp_client.h. A state machine of two states, SELECTING (DISCOVER sent,
 * waiting for an OFFER) and REQUESTING (REQUEST sent to the server that offered, waiting for its ACK
 * or NAK); each retransmission waits twice as long as the one before, up to DHCP_MAX_WAIT_MS. The
 * first OFFER wins: a boot network normally has one server, and waiting for more only slows the boot. */
#include "dhcp_client.h"
#include "clock.h"
#include "log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netpacket/packet.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define ER_ETH_P_IP 0x0800
#define ER_PACKET_OUTGOING 4 /* <linux/if_packet.h>: our own frames, looped back to packet sockets */
#define REQUEST_TRIES 3       /* REQUESTs without an answer before starting over with a DISCOVER */
#define NAK_PAUSE_MS 500      /* after a NAK: never a tight loop with a server that refuses at once */

/* An xid nobody else on the link picks: the kernel's random pool (never blocks: /dev/urandom), mixed
 * with the MAC and the clock in case it cannot be read. */
static uint32_t new_xid(const uint8_t mac[6])
{
	uint32_t x = (uint32_t)now_ms() * 2654435761u;
	for (int i = 0; i < 6; i++)
		x = (x ^ mac[i]) * 16777619u;
	uint32_t r = 0;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (read(fd, &r, sizeof r) != sizeof r)
			r = 0;
		close(fd);
	}
	return x ^ r;
}

static const char *addr(uint32_t a, char *buf)
{
	const uint8_t *b = (const uint8_t *)&a;
	snprintf(buf, 16, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
	return buf;
}

struct exchange {
	const char *ifname;
	int ifindex;
	const uint8_t *mac;
	const char *hostname;
	int fd;
	long long start;
	uint32_t xid;
	int requesting;                /* 0: SELECTING, 1: REQUESTING */
	uint32_t offered, server;      /* from the OFFER being requested */
	int discovers, requests, naks; /* sent, sent, received */
	int tries;                     /* transmissions in this state, for the backoff */
	int offers;                    /* seen, for the final message */
};

static int send_frame(struct exchange *x, int type)
{
	uint8_t frame[DHCP_FRAME_MAX];
	long long secs = (now_ms() - x->start) / 1000;
	size_t n = dhcp_build(frame, sizeof frame, type, x->xid, x->mac, x->offered, x->server, x->hostname,
			      (uint16_t)(secs > 0xffff ? 0xffff : secs));
	struct sockaddr_ll to;
	memset(&to, 0, sizeof to);
	to.sll_family = AF_PACKET;
	to.sll_protocol = htons(ER_ETH_P_IP);
	to.sll_ifindex = x->ifindex;
	to.sll_halen = 6;
	memset(to.sll_addr, 0xff, 6);
	if (sendto(x->fd, frame, n, 0, (struct sockaddr *)&to, sizeof to) < 0)
		return -1;
	if (type == DHCP_DISCOVER)
		x->discovers++;
	else
		x->requests++;
	x->tries++;
	return 0;
}

/* The wait after the TRIES-th transmission: 1, 2, 4, 8, 8 ... s, and up to 255 ms of jitter. */
static long long backoff(const struct exchange *x)
{
	long long wait = DHCP_FIRST_WAIT_MS;
	for (int i = 1; i < x->tries && wait < DHCP_MAX_WAIT_MS; i++)
		wait *= 2;
	if (wait > DHCP_MAX_WAIT_MS)
		wait = DHCP_MAX_WAIT_MS;
	return wait + ((x->xid >> (x->tries % 24)) & 0xff);
}

static void start_over(struct exchange *x)
{
	x->xid = new_xid(x->mac) ^ (uint32_t)x->discovers;
	x->requesting = 0;
	x->offered = x->server = 0;
	x->tries = 0;
}

int dhcp_lease_get(const char *ifname, int ifindex, const uint8_t mac[6], const char *hostname, long long deadline_ms,
		   struct dhcp_lease *out, char *why, size_t whysize)
{
	struct exchange x = { .ifname = ifname, .ifindex = ifindex, .mac = mac, .hostname = hostname };
	char a1[16], a2[16];

	x.fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ER_ETH_P_IP));
	if (x.fd < 0) {
		int e = errno;
		snprintf(why, whysize, "%s: cannot open a packet socket for DHCP: %s", ifname, strerror(e));
		errno = e;
		return -1;
	}
	struct sockaddr_ll me;
	memset(&me, 0, sizeof me);
	me.sll_family = AF_PACKET;
	me.sll_protocol = htons(ER_ETH_P_IP);
	me.sll_ifindex = ifindex;
	if (bind(x.fd, (struct sockaddr *)&me, sizeof me) < 0) {
		int e = errno;
		snprintf(why, whysize, "%s: cannot listen for DHCP: %s", ifname, strerror(e));
		close(x.fd);
		errno = e;
		return -1;
	}

	x.start = now_ms();
	start_over(&x);
	int result = -1, err = ETIMEDOUT;
	long long next = x.start; /* when to (re)transmit */
	for (;;) {
		long long now = now_ms();
		if (now >= deadline_ms)
			break;
		if (now >= next) {
			if (x.tries && now - x.start >= 1000) {
				if (x.requesting)
					log_info("%s: asked %s for %s, no answer yet (attempt %d, %lld s)", ifname,
						 addr(x.server, a1), addr(x.offered, a2), x.tries + 1,
						 (now - x.start) / 1000);
				else
					log_info("%s: no DHCP answer yet (attempt %d, %lld s)", ifname, x.tries + 1,
						 (now - x.start) / 1000);
			}
			if (x.requesting && x.tries >= REQUEST_TRIES)
				start_over(&x); /* the server went quiet: ask everyone again */
			if (send_frame(&x, x.requesting ? DHCP_REQUEST : DHCP_DISCOVER) < 0) {
				err = errno;
				snprintf(why, whysize, "%s: cannot send DHCP: %s", ifname, strerror(err));
				goto done;
			}
			next = now + backoff(&x);
		}
		long long wait = (next < deadline_ms ? next : deadline_ms) - now;
		struct pollfd p = { .fd = x.fd, .events = POLLIN };
		int r = poll(&p, 1, (int)(wait > 0 ? wait : 0));
		if (r < 0 && errno != EINTR) {
			err = errno;
			snprintf(why, whysize, "%s: waiting for DHCP: %s", ifname, strerror(err));
			goto done;
		}
		if (r <= 0)
			continue;

		uint8_t pkt[DHCP_RECV_MAX + 64];
		struct sockaddr_ll from;
		socklen_t fromlen = sizeof from;
		ssize_t n = recvfrom(x.fd, pkt, sizeof pkt, MSG_DONTWAIT, (struct sockaddr *)&from, &fromlen);
		if (n <= 0 || from.sll_pkttype == ER_PACKET_OUTGOING)
			continue;
		struct dhcp_lease l;
		int type = dhcp_parse(pkt, (size_t)n, x.xid, mac, &l);
		if (type == DHCP_OFFER && !x.requesting) {
			x.offers++;
			x.requesting = 1;
			x.offered = l.yiaddr;
			x.server = l.server_id;
			x.tries = 0;
			next = now_ms(); /* the REQUEST goes out at once */
		} else if (type == DHCP_ACK && x.requesting && l.server_id == x.server) {
			*out = l;
			result = 0;
			goto done;
		} else if (type == DHCP_NAK && x.requesting && l.server_id == x.server) {
			x.naks++;
			log_info("%s: %s refused %s (DHCPNAK), asking again", ifname, addr(x.server, a1),
				 addr(x.offered, a2));
			start_over(&x);
			next = now_ms() + NAK_PAUSE_MS;
		}
		/* anything else: another client's, another server's, a stale xid, garbage — ignored */
	}

	long long secs = (now_ms() - x.start + 500) / 1000;
	if (x.naks)
		snprintf(why, whysize,
			 "no DHCP lease on %s in %lld s: the server refused %d time%s (DHCPNAK; %d DISCOVERs sent)",
			 ifname, secs, x.naks, x.naks == 1 ? "" : "s", x.discovers);
	else if (x.offers)
		snprintf(why, whysize,
			 "no DHCP lease on %s in %lld s: %d offer%s, never acknowledged (%d DISCOVERs, %d REQUESTs sent)",
			 ifname, secs, x.offers, x.offers == 1 ? "" : "s", x.discovers, x.requests);
	else
		snprintf(why, whysize, "no DHCP server answered on %s in %lld s (%d DISCOVER%s sent)", ifname, secs,
			 x.discovers, x.discovers == 1 ? "" : "s");
done:
	close(x.fd);
	errno = result ? err : 0;
	return result;
}
