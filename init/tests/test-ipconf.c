/* test-ipconf.c — ip=, BOOTIF= and the NFS root spellings the init accepts, and the ones it refuses
 * (each refusal naming the field and what to type). */
#include "../ipconf.h"
#include "tap.h"

#include <string.h>

static struct ipconf ic;
static struct nfs_root nr;
static char err[400];

static int ip(const char *text)
{
	err[0] = 0;
	return ipconf_parse(text, &ic, err, sizeof err);
}

static int nfs(const char *root, const char *nfsroot)
{
	err[0] = 0;
	return nfsroot_parse(root, nfsroot, &nr, err, sizeof err);
}

static const char *a(uint32_t v)
{
	static char s[4][16];
	static int i;
	i = (i + 1) % 4;
	ipconf_ntoa(v, s[i]);
	return s[i];
}

/* Refused, with a message holding every one of the words. */
static int refused(const char *text, const char *w1, const char *w2)
{
	return ip(text) < 0 && strstr(err, w1) && (!w2 || strstr(err, w2));
}

int main(void)
{
	uint8_t mac[6];

	/* Short forms. */
	CHECK(ip("dhcp") == 0 && ic.method == IPCONF_DHCP && !ic.iface[0], "ip=dhcp");
	CHECK(ip("on") == 0 && ic.method == IPCONF_DHCP && ip("any") == 0 && ic.method == IPCONF_DHCP, "ip=on, ip=any");
	CHECK(ip("off") == 0 && ic.method == IPCONF_OFF && ip("none") == 0 && ic.method == IPCONF_OFF, "ip=off, ip=none");
	CHECK(ip("single-dhcp") == 0 && ic.method == IPCONF_DHCP, "ip=single-dhcp (dracut's) is DHCP");
	CHECK(refused("dhcp6", "dhcp6", "not supported yet"), "ip=dhcp6: IPv6 not supported yet (got: %s)", err);
	CHECK(refused("auto6", "IPv6", NULL), "ip=auto6: IPv6");
	CHECK(refused("bootp", "BOOTP and RARP are not supported", "dhcp") && refused("rarp", "'rarp'", NULL) &&
		      refused("both", "'both'", NULL),
	      "bootp, rarp, both refused, naming the word (got: %s)", err);
	CHECK(refused("garbage", "not understood", "ip=dhcp"), "ip=garbage: not understood, with examples (got: %s)", err);
	CHECK(refused("", "empty", "ip=dhcp"), "ip= empty");

	/* dracut's DEVICE:dhcp[:MTU][:MAC]. */
	CHECK(ip("eth0:dhcp") == 0 && ic.method == IPCONF_DHCP && !strcmp(ic.iface, "eth0"), "ip=eth0:dhcp");
	CHECK(ip("enp0s3:on:9000") == 0 && ic.mtu == 9000 && !ic.has_mac, "ip=enp0s3:on:9000 (MTU)");
	CHECK(ip("eth1:dhcp:1500:52:54:00:12:34:56") == 0 && ic.mtu == 1500 && ic.has_mac && ic.mac[0] == 0x52 &&
		      ic.mac[5] == 0x56,
	      "ip=eth1:dhcp:1500:52:54:00:12:34:56 (the MAC's colons joined back)");
	CHECK(ip("eth1:dhcp::52:54:00:AB:cd:EF") == 0 && ic.mtu == 0 && ic.has_mac && ic.mac[3] == 0xab &&
		      ic.mac[5] == 0xef,
	      "ip=eth1:dhcp::MAC (no MTU, mixed case)");
	CHECK(ip("eth0:off") == 0 && ic.method == IPCONF_OFF && !strcmp(ic.iface, "eth0"), "ip=eth0:off");
	CHECK(refused("eth0:none", "needs the long form", NULL), "ip=eth0:none: a static needs the long form");
	CHECK(refused("eth0:dhcp:20", "mtu '20'", "68..65535"), "an MTU of 20 refused (got: %s)", err);
	CHECK(refused("eth0:dhcp:1500:01:54:00:12:34:56", "multicast", NULL), "a multicast MAC refused (got: %s)", err);
	CHECK(refused("eth0:dhcp:1500:zz:54:00:12:34:56", "macaddr", "52:54:00:12:34:56"), "a bad MAC names the field");
	CHECK(refused("eth/0:dhcp", "device 'eth/0'", NULL) && refused("averyveryverylongname:dhcp", "device", NULL),
	      "an interface name with '/' or over 15 characters is refused");
	CHECK(refused("eth0:dhcp6", "IPv6", NULL), "ip=eth0:dhcp6: IPv6 not supported yet");

	/* The kernel's long form. */
	CHECK(ip("10.0.2.15::10.0.2.2:255.255.255.0::eth0:none") == 0 && ic.method == IPCONF_STATIC &&
		      !strcmp(a(ic.addr), "10.0.2.15") && !strcmp(a(ic.gateway), "10.0.2.2") &&
		      !strcmp(a(ic.netmask), "255.255.255.0") && ic.prefix == 24 && !ic.server && !strcmp(ic.iface, "eth0"),
	      "a static address (got: %s)", err);
	{
		const uint8_t *b = (const uint8_t *)&ic.addr;
		CHECK(b[0] == 10 && b[1] == 0 && b[2] == 2 && b[3] == 15, "addresses are in network byte order");
	}
	CHECK(ip("192.168.1.5:192.168.1.1:192.168.1.254:255.255.0.0:client1.example:eth2:off:192.168.1.53:9.9.9.9:192.168.1.123") ==
			      0 &&
		      ic.method == IPCONF_STATIC && ic.prefix == 16 && !strcmp(a(ic.server), "192.168.1.1") &&
		      !strcmp(ic.hostname, "client1.example") && !strcmp(a(ic.dns[0]), "192.168.1.53") &&
		      !strcmp(a(ic.dns[1]), "9.9.9.9") && !strcmp(a(ic.ntp), "192.168.1.123"),
	      "all ten fields (got: %s)", err);
	CHECK(ip("10.0.2.15::10.0.2.2:24::eth0:none:1400") == 0 && ic.prefix == 24 && ic.mtu == 1400 &&
		      !strcmp(a(ic.netmask), "255.255.255.0"),
	      "netmask as a prefix length, dracut's MTU after none");
	CHECK(ip("10.0.2.15::10.0.2.2:255.255.255.0::eth0:none:10.0.2.3") == 0 && !strcmp(a(ic.dns[0]), "10.0.2.3") &&
		      !ic.mtu,
	      "dracut's DNS after none");
	CHECK(ip("10.0.2.15::10.0.2.2:255.255.255.0::eth0:none::10.0.2.4") == 0 && !ic.dns[0] &&
		      !strcmp(a(ic.dns[1]), "10.0.2.4"),
	      "an empty dns0 and a dns1");
	CHECK(ip("10.0.2.15::10.0.2.2:255.255.255.0::eth0:none:1500:52:54:00:12:34:57") == 0 && ic.has_mac &&
		      ic.mac[5] == 0x57 && ic.mtu == 1500,
	      "MTU and MAC after none");
	CHECK(ip("10.0.2.15::10.0.2.2:255.255.255.0::eth0") == 0 && ic.method == IPCONF_STATIC,
	      "an address and no autoconf is static (the kernel configures only what is missing)");
	CHECK(ip("10.0.2.15:::255.255.255.255:::none") == 0 && ic.prefix == 32 && !ic.gateway, "a /32 without a gateway");
	CHECK(ip(":::::eth0:dhcp") == 0 && ic.method == IPCONF_DHCP && !strcmp(ic.iface, "eth0"), "long form with dhcp");
	CHECK(ip("::::myhost::dhcp") == 0 && ic.method == IPCONF_DHCP && !strcmp(ic.hostname, "myhost"),
	      "DHCP with a host name to send");
	CHECK(ip(":10.0.2.2::::eth0:") == 0 && ic.method == IPCONF_DHCP && !strcmp(a(ic.server), "10.0.2.2"),
	      "no address, an empty autoconf: DHCP, the server kept for NFS");
	CHECK(ip("0.0.0.0::::::dhcp") == 0 && ic.method == IPCONF_DHCP, "0.0.0.0 is 'not given', as for the kernel");
	CHECK(ip(":::::eth0:off") == 0 && ic.method == IPCONF_OFF, "long form off without an address: off");

	CHECK(refused("10.0.2.15::10.0.2.2:::eth0:none", "netmask", "255.255.255.0"),
	      "a static address without a netmask is refused, with what to type (got: %s)", err);
	CHECK(refused("10.0.2.15::10.0.2.2:255.0.255.0::eth0:none", "netmask '255.0.255.0'", "not contiguous"),
	      "a netmask that is not contiguous (got: %s)", err);
	CHECK(refused("10.0.2.15::10.0.2.2:0.0.0.0::eth0:none", "netmask", NULL) &&
		      refused("10.0.2.15::10.0.2.2:33::eth0:none", "1..32", NULL),
	      "netmask 0.0.0.0 and /33 refused");
	CHECK(refused("10.0.2.15::10.0.3.1:255.255.255.0::eth0:none", "gw-ip '10.0.3.1' is not in the client's subnet",
		      "10.0.2.15/24"),
	      "a gateway outside the subnet (got: %s)", err);
	CHECK(refused("10.0.2.0::10.0.2.2:255.255.255.0::eth0:none", "network or broadcast", NULL) &&
		      refused("10.0.2.255::10.0.2.2:255.255.255.0::eth0:none", "network or broadcast", NULL),
	      "the subnet's own and broadcast address refused");
	CHECK(refused("127.0.0.1::::::none", "client-ip", "not a host address") &&
		      refused("224.0.0.1:::24:::none", "client-ip", NULL),
	      "loopback and multicast client addresses refused");
	CHECK(refused("10.0.2.15::10.0.2.2:255.255.255.0::eth0:dhcp", "client-ip '10.0.2.15'", "autoconf dhcp"),
	      "an address with autoconf dhcp (got: %s)", err);
	CHECK(refused("10.0.2.300::10.0.2.2:255.255.255.0::eth0:none", "client-ip '10.0.2.300'", "IPv4") &&
		      refused("010.0.2.15:::24:::none", "client-ip", NULL) &&
		      refused("10.0.2:::24:::none", "client-ip", NULL) && refused("10.0.2.15.1:::24:::none", "client-ip", NULL),
	      "bad addresses (300, a leading zero, three or five parts) name the field (got: %s)", err);
	CHECK(refused("10.0.2.15:nfs.example:10.0.2.2:24::eth0:none", "server-ip 'nfs.example'", "no DNS"),
	      "a host name for the server: no DNS (got: %s)", err);
	CHECK(refused("10.0.2.15::10.0.2.2:24:bad_host!:eth0:none", "hostname", NULL) &&
		      refused("10.0.2.15::10.0.2.2:24:$(reboot):eth0:none", "hostname", NULL),
	      "a host name with shell characters refused (it goes into /run/net-IFACE.conf)");
	CHECK(refused("10.0.2.15::10.0.2.2:24::eth0:bootp", "BOOTP", NULL), "autoconf bootp in the long form");
	CHECK(refused("10.0.2.15::10.0.2.2:24::eth0:none:1.2.3.4:5.6.7.8:9.9.9.9:1.1.1.1", "too many fields", NULL),
	      "more than ten fields");
	CHECK(refused("[fd00::2]::[fd00::1]:64::eth0:none", "IPv6", NULL), "IPv6 addresses: not yet");
	CHECK(refused(":10.0.2.2:10.0.2.1:255.255.255.0::eth0:none", "client-ip", "needs the client's address"),
	      "a static configuration without the address (got: %s)", err);
	CHECK(refused("10.0.2.15", "netmask", NULL), "a bare address (Anaconda's ip=) needs a netmask");
	{
		char lng[700];
		memset(lng, ':', sizeof lng - 1);
		lng[sizeof lng - 1] = 0;
		CHECK(refused(lng, "too long", NULL), "an overlong ip= is refused");
		lng[100] = 0;
		CHECK(refused(lng, "too many fields", NULL), "a hundred colons");
	}

	/* BOOTIF. */
	CHECK(ipconf_parse_bootif("01-52-54-00-12-34-56", mac, err, sizeof err) == 0 && mac[0] == 0x52 && mac[5] == 0x56,
	      "BOOTIF=01-52-54-00-12-34-56 (the ARP type dropped)");
	CHECK(ipconf_parse_bootif("52:54:00:AB:CD:EF", mac, err, sizeof err) == 0 && mac[3] == 0xab,
	      "BOOTIF=52:54:00:AB:CD:EF");
	CHECK(ipconf_parse_bootif("52-54-00-12-34-58", mac, err, sizeof err) == 0 && mac[5] == 0x58,
	      "BOOTIF=52-54-00-12-34-58");
	CHECK(ipconf_parse_bootif("20-52-54-00-12-34-56", mac, err, sizeof err) < 0 && strstr(err, "not Ethernet"),
	      "another hardware type refused (got: %s)", err);
	CHECK(ipconf_parse_bootif("52:54:00:12:34", mac, err, sizeof err) < 0 && strstr(err, "BOOTIF=01-52-54-00-12-34-56"),
	      "five bytes refused, with what to type");
	CHECK(ipconf_parse_bootif("52:54-00:12:34:56", mac, err, sizeof err) < 0 &&
		      ipconf_parse_bootif("", mac, err, sizeof err) < 0 &&
		      ipconf_parse_bootif("01-52-54-00-12-34-56-", mac, err, sizeof err) < 0,
	      "mixed separators, empty, trailing junk refused");

	/* NFS roots. */
	CHECK(nfsroot_wanted("nfs:1.2.3.4:/x") && nfsroot_wanted("nfs4:1.2.3.4:/x") && nfsroot_wanted("/dev/nfs") &&
		      !nfsroot_wanted("/dev/nfsx") && !nfsroot_wanted("UUID=x") && !nfsroot_wanted(NULL),
	      "nfsroot_wanted");
	CHECK(nfs("nfs:10.0.2.2:/srv/root", NULL) == 0 && !strcmp(a(nr.server), "10.0.2.2") &&
		      !strcmp(nr.path, "/srv/root") && nr.vers_max == 42 && nr.vers_min == 30 && !nr.options[0] &&
		      nr.readonly == -1,
	      "root=nfs:SERVER:/PATH: v4.2 down to v3");
	CHECK(nfs("nfs4:10.0.2.2:/", NULL) == 0 && nr.vers_max == 42 && nr.vers_min == 40 && !strcmp(nr.path, "/"),
	      "root=nfs4: is v4 only");
	CHECK(nfs("nfs:10.0.2.2:/srv/root:nfsvers=3,rsize=4096,rw,nolock", NULL) == 0 && nr.vers_max == 30 &&
		      nr.vers_min == 30 && !strcmp(nr.options, "rsize=4096") && nr.readonly == 0,
	      "options: the version, rw and nolock taken out, the rest kept (got: %s)", nr.options);
	CHECK(nfs("nfs:10.0.2.2:/srv/root,vers=4.1,ro", NULL) == 0 && nr.vers_max == 41 && nr.vers_min == 41 &&
		      nr.readonly == 1,
	      "options after ',' in root=nfs:, vers=4.1, ro");
	CHECK(nfs("nfs4:10.0.2.2:/r:v4", NULL) == 0 && nr.vers_max == 42 && nr.vers_min == 40, "v4 alone keeps 4.2..4.0");
	CHECK(nfs("nfs:/srv/root", NULL) == 0 && !nr.server && !strcmp(nr.path, "/srv/root"), "root=nfs:/PATH, no server");
	CHECK(nfs("/dev/nfs", "10.0.2.2:/srv/%s,wsize=8192,tcp") == 0 && !strcmp(a(nr.server), "10.0.2.2") &&
		      !strcmp(nr.path, "/srv/%s") && !strcmp(nr.options, "wsize=8192,tcp") && nr.vers_min == 30,
	      "root=/dev/nfs nfsroot=SERVER:/PATH,OPTIONS");
	CHECK(nfs("/dev/nfs", "/export/a:b") == 0 && !nr.server && !strcmp(nr.path, "/export/a:b"),
	      "nfsroot=/PATH (the server from ip= or DHCP); a ':' in the kernel form's path is the path's");
	CHECK(nfs("/dev/nfs", NULL) == 0 && !strcmp(nr.path, "/tftpboot/%s"), "root=/dev/nfs alone: /tftpboot/%%s");
	CHECK(nfs("/dev/nfs", "nfs:192.168.50.3:/nfs/client:wsize=4096") == 0 && !strcmp(a(nr.server), "192.168.50.3") &&
		      !strcmp(nr.path, "/nfs/client") && !strcmp(nr.options, "wsize=4096") && nr.vers_min == 30,
	      "a DHCP root-path in dracut's form (nfs:SERVER:/PATH:OPTIONS) as nfsroot=");
	CHECK(nfs("/dev/nfs", "nfs4:192.168.50.3:/nfs/client") == 0 && nr.vers_min == 40, "... and nfs4:");
	CHECK(nfs("/dev/nfs", "/nfs/client,wsize=4096") == 0 && !nr.server && !strcmp(nr.options, "wsize=4096"),
	      "a DHCP root-path with only a path and options");
	CHECK(nfsroot_complete(&nr, 0, 0, err, sizeof err) < 0 && strstr(err, "names no server"),
	      "no server anywhere: said so (got: %s)", err);
	{
		uint32_t srv, cli;
		nfs("/dev/nfs", NULL);
		ipconf_parse("10.0.2.15:10.0.2.2::24:::none", &ic, err, sizeof err);
		srv = ic.server, cli = ic.addr;
		CHECK(nfsroot_complete(&nr, srv, cli, err, sizeof err) == 0 && !strcmp(a(nr.server), "10.0.2.2") &&
			      !strcmp(nr.path, "/tftpboot/10.0.2.15"),
		      "the default server filled in, %%s is the client's address (got: %s)", nr.path);
		nfs("nfs:10.0.2.9:/%s/%s", NULL);
		CHECK(nfsroot_complete(&nr, srv, cli, err, sizeof err) == 0 && !strcmp(a(nr.server), "10.0.2.9") &&
			      !strcmp(nr.path, "/10.0.2.15/10.0.2.15"),
		      "root='s server wins over the default; every %%s replaced");
		nfs("nfs:10.0.2.9:/%s", NULL);
		CHECK(nfsroot_complete(&nr, srv, 0, err, sizeof err) < 0 && strstr(err, "client's address is unknown"),
		      "%%s without a client address");
	}
	CHECK(nfs("nfs:server.example:/srv", NULL) < 0 && strstr(err, "'server.example' is not an IPv4 address") &&
		      strstr(err, "no DNS"),
	      "a server name: no DNS (got: %s)", err);
	CHECK(nfs("nfs4:10.0.2.2:/srv:vers=3", NULL) < 0 && strstr(err, "root=nfs:SERVER:/PATH:nfsvers=3"),
	      "nfs4: with vers=3 refused, with what to type (got: %s)", err);
	CHECK(nfs("nfs:10.0.2.2:/srv:vers=2", NULL) < 0 && strstr(err, "NFSv2"), "NFSv2 refused");
	CHECK(nfs("nfs:10.0.2.2:/srv:addr=1.2.3.4", NULL) < 0 && strstr(err, "sets it itself"), "addr= refused");
	CHECK(nfs("nfs:10.0.2.2:srv", NULL) < 0 && strstr(err, "must start with '/'"), "a relative path refused");
	CHECK(nfs("nfs:10.0.2.2", NULL) < 0 && strstr(err, "no path"), "no path");
	CHECK(nfs("nfs:[fd00::1]:/srv", NULL) < 0 && strstr(err, "IPv6"), "an IPv6 server: not yet");
	CHECK(nfs("nfs://10.0.2.2/srv", NULL) < 0 && strstr(err, "root=nfs:SERVER:/PATH"), "nfs:// URLs: what to type");
	CHECK(nfs("/dev/nfs", "10.0.2.2:/srv,sec=krb5 x") < 0 && strstr(err, "nfsroot="), "a space in the options, named by nfsroot=");
	CHECK(nfs("UUID=abc", NULL) < 0 && strstr(err, "not an NFS root"), "not an NFS root");
	CHECK(nfs("nfs:127.0.0.1:/srv", NULL) < 0, "a loopback server refused");
	return tap_finish();
}
