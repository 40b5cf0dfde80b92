/* dhcp_client.h — one DHCPv4 exchange on one interface (DISCOVER, OFFER, REQUEST, ACK) over an
 * AF_PACKET socket, since the interface has no address yet. Configuring the address is the caller's
 * (netif.c). */
#ifndef EARLYROOT_DHCP_CLIENT_H
#define EARLYROOT_DHCP_CLIENT_H
#include "dhcp.h"

#include <stddef.h>
#include <stdint.h>

/* The retransmission policy: the first wait, doubled each time up to the cap, plus 0-255 ms of
 * jitter from the xid so that machines booted together do not stay in step. */
#define DHCP_FIRST_WAIT_MS 1000
#define DHCP_MAX_WAIT_MS 8000

/* Obtains a lease for IFNAME (IFINDEX, MAC; up already) before DEADLINE_MS (now_ms()'s clock), sending
 * HOSTNAME (NULL: none) as option 12. Returns 0 with OUT the ACK; -1 with WHY (WHYSIZE bytes) saying
 * what happened ("no DHCP server answered on eth0 in 30 s (5 DISCOVERs sent)"), errno ETIMEDOUT, or
 * the socket's error. A NAK starts over with a new xid; packets not ours are ignored. Logs one line per
 * retransmission once the exchange has lasted over a second. */
int dhcp_lease_get(const char *ifname, int ifindex, const uint8_t mac[6], const char *hostname, long long deadline_ms,
		   struct dhcp_lease *out, char *why, size_t whysize);

#endif
