/* dhcp-client-cli — init/dhcp_client.c and init/netif.c driven from init/tests/dhcp-client-run.sh
 * (inside a network namespace): IFNAME SECONDS [apply]. Brings IFNAME up, runs the exchange with a
 * deadline SECONDS away, prints the lease (or why=... and the time it took) as KEY=VALUE lines; with
 * "apply", configures the address, MTU and default route through netif.c. Exit 0 with a lease, 2
 * without, 1 on a setup error. The list of interfaces is printed first (list=NAME,...). */
#include "clock.h"
#include "dhcp_client.h"
#include "log.h"
#include "netif.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *ip(uint32_t a)
{
	static char buf[8][16];
	static int i;
	const uint8_t *b = (const uint8_t *)&a;
	i = (i + 1) % 8;
	snprintf(buf[i], sizeof buf[i], "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
	return buf[i];
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: dhcp-client-cli IFNAME SECONDS [apply]\n");
		return 1;
	}
	log_setup("earlyroot", 0);
	struct netif nifs[NETIF_MAX], *nif = NULL;
	int n = netif_list(nifs, NETIF_MAX);
	printf("list=");
	for (int i = 0; i < n && i < NETIF_MAX; i++) {
		printf("%s%s", i ? "," : "", nifs[i].name);
		if (!strcmp(nifs[i].name, argv[1]))
			nif = &nifs[i];
	}
	printf("\n");
	if (!nif) {
		fprintf(stderr, "%s: not an Ethernet interface here\n", argv[1]);
		return 1;
	}
	printf("carrier_before=%d\n", netif_carrier(nif->name));
	if (netif_up(nif->name) < 0) {
		perror("netif_up");
		return 1;
	}
	struct dhcp_lease l;
	char why[200];
	long long start = now_ms();
	int r = dhcp_lease_get(nif->name, nif->ifindex, nif->mac, "er-test", start + atoi(argv[2]) * 1000LL, &l, why,
			       sizeof why);
	printf("ms=%lld\n", now_ms() - start);
	printf("carrier=%d\n", netif_carrier(nif->name));
	if (r < 0) {
		printf("why=%s\nerrno=%d\n", why, errno);
		return 2;
	}
	printf("yiaddr=%s\nserver=%s\nmask=%s\nrouter=%s\ndns=%s,%s\nlease=%u\nmtu=%u\ndomain=%s\nroot_path=%s\n",
	       ip(l.yiaddr), ip(l.server_id), ip(l.subnet_mask), ip(l.router), ip(l.dns[0]), ip(l.dns[1]),
	       l.lease_seconds, l.mtu, l.domain, l.root_path);
	if (argc > 3 && !strcmp(argv[3], "apply")) {
		int ok = netif_add_address(nif->ifindex, l.yiaddr, dhcp_prefix(l.subnet_mask), l.broadcast) == 0;
		printf("address=%s\n", ok ? "ok" : strerror(errno));
		ok = !l.mtu || netif_set_mtu(nif->name, l.mtu) == 0;
		printf("mtu_set=%s\n", ok ? "ok" : strerror(errno));
		ok = netif_add_default_route(nif->ifindex, l.router) == 0;
		printf("route=%s\n", ok ? "ok" : strerror(errno));
		ok = netif_add_address(nif->ifindex, l.yiaddr, dhcp_prefix(l.subnet_mask), l.broadcast) == 0;
		printf("address_again=%s\n", ok ? "ok" : strerror(errno));
		ok = netif_add_default_route(nif->ifindex, htonl(0x0a0a0a0a)) == 0;
		printf("route_offlink=%s\n", ok ? "ok" : strerror(errno));
	}
	return 0;
}
