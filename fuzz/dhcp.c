/* fuzz-dhcp — libFuzzer target for dhcp_parse(), the reader of DHCP replies from anyone on the boot
 * network. The input is the frame as an AF_PACKET socket hands it over (IPv4 header onwards); the xid
 * and MAC it is checked against are read from where a 20-byte IP header would put them, so that real
 * captures (fuzz/corpus/dhcp: busybox udhcpd's OFFER and ACK) get past those checks and into the
 * options. Every answer must be -1 or a reply type, and every string terminated and in its set. */
#include "dhcp.h"

#include <string.h>

static int clean(const char *s, size_t size, int name)
{
	size_t n = strnlen(s, size);
	if (n == size)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= 0x20 || c >= 0x7f || (name && !(c == '-' || c == '.' || c == '_' || (c >= '0' && c <= '9') ||
							  ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))))
			return 0;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t mac[6] = { 0 };
	uint32_t xid = 0;
	struct dhcp_lease l;

	if (size >= 28 + 34) {
		xid = (uint32_t)data[32] << 24 | (uint32_t)data[33] << 16 | (uint32_t)data[34] << 8 | data[35];
		memcpy(mac, data + 56, 6);
	}
	int r = dhcp_parse(data, size, xid, mac, &l);
	if (r != -1 && r != DHCP_OFFER && r != DHCP_ACK && r != DHCP_NAK)
		__builtin_trap();
	if (r != -1 && (r != l.type || !clean(l.hostname, sizeof l.hostname, 1) || !clean(l.domain, sizeof l.domain, 1) ||
			!clean(l.root_path, sizeof l.root_path, 0) || !clean(l.bootfile, sizeof l.bootfile, 0) ||
			!clean(l.tftp_server, sizeof l.tftp_server, 0) || (l.subnet_mask && dhcp_prefix(l.subnet_mask) < 0)))
		__builtin_trap();
	return 0;
}
