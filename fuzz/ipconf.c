/* fuzz target: the network words of the command line (init/ipconf.c) on arbitrary bytes. The first
 * byte picks the parser: 0 ip=, 1 BOOTIF=, 2 the NFS root (the rest split at the first newline into
 * root= and nfsroot=), then nfsroot_complete() on what parsed. */
#include "ipconf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check_err(const char *err, size_t size)
{
	if (!err[0] || strlen(err) >= size)
		abort(); /* every refusal explains itself */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text, err[320];
	struct ipconf ic;
	struct nfs_root nr;
	uint8_t mac[6];

	if (size < 1)
		return 0;
	text = malloc(size);
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = 0;
	err[0] = 0;
	switch (data[0] % 3) {
	case 0:
		if (ipconf_parse(text, &ic, err, sizeof err) < 0) {
			check_err(err, sizeof err);
			break;
		}
		if (ic.iface[sizeof ic.iface - 1] || ic.hostname[sizeof ic.hostname - 1] || ic.prefix < 0 || ic.prefix > 32)
			abort();
		/* A static configuration always has an address and a netmask of its prefix's length. */
		if (ic.method == IPCONF_STATIC && (!ic.addr || !ic.prefix))
			abort();
		if (ic.mtu && (ic.mtu < 68 || ic.mtu > 65535))
			abort();
		/* The netmask is exactly its prefix's. */
		if (ic.prefix) {
			uint32_t m = ic.prefix == 32 ? 0xffffffffu : ~(0xffffffffu >> ic.prefix);
			uint8_t b[4] = { (uint8_t)(m >> 24), (uint8_t)(m >> 16), (uint8_t)(m >> 8), (uint8_t)m };
			if (memcmp(b, &ic.netmask, 4))
				abort();
		} else if (ic.netmask) {
			abort();
		}
		break;
	case 1:
		if (ipconf_parse_bootif(text, mac, err, sizeof err) < 0)
			check_err(err, sizeof err);
		break;
	default: {
		char *nl = strchr(text, '\n');
		if (nl)
			*nl = 0;
		if (nfsroot_parse(text, nl ? nl + 1 : NULL, &nr, err, sizeof err) < 0) {
			check_err(err, sizeof err);
			break;
		}
		if (nr.path[0] != '/' || nr.vers_min > nr.vers_max || nr.vers_min < 30 || nr.vers_max > 42 ||
		    strlen(nr.options) >= sizeof nr.options)
			abort();
		err[0] = 0;
		if (nfsroot_complete(&nr, 0x0202000a, 0x0f02000a, err, sizeof err) < 0)
			check_err(err, sizeof err);
		else if (!nr.server || strlen(nr.path) >= sizeof nr.path)
			abort();
	}
	}
	free(text);
	return 0;
}
