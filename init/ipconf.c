/* ipconf.c — see ipconf.h. No system calls: tested and fuzzed alone. */
#include "ipconf.h"
#include "hexdigit.h"

#include <stdio.h>
#include <string.h>

#define IP_EXAMPLE "ip=dhcp, ip=eth0:dhcp or ip=10.0.2.15::10.0.2.2:255.255.255.0::eth0:none"
#define MAXFIELDS 24

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static uint32_t to_host(uint32_t net)
{
	uint8_t b[4];
	memcpy(b, &net, 4);
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static uint32_t to_net(uint32_t host)
{
	uint8_t b[4] = { (uint8_t)(host >> 24), (uint8_t)(host >> 16), (uint8_t)(host >> 8), (uint8_t)host };
	uint32_t v;
	memcpy(&v, b, 4);
	return v;
}

void ipconf_ntoa(uint32_t addr, char out[16])
{
	uint32_t h = to_host(addr);
	snprintf(out, 16, "%u.%u.%u.%u", (unsigned)(h >> 24), (unsigned)(h >> 16 & 255), (unsigned)(h >> 8 & 255),
		 (unsigned)(h & 255));
}

/* Strict dotted quad: four decimal parts of 1-3 digits, no leading zero (inet_aton would read 010
 * as octal 8: refused rather than guessed). */
static int parse_addr(const char *s, uint32_t *out)
{
	uint32_t v = 0;
	for (int part = 0; part < 4; part++) {
		unsigned n = 0, digits = 0;
		while (is_digit(*s) && digits < 4) {
			n = n * 10 + (unsigned)(*s++ - '0');
			digits++;
		}
		if (!digits || digits > 3 || n > 255 || (digits > 1 && s[-(int)digits] == '0'))
			return -1;
		v = v << 8 | n;
		if (part < 3 && *s++ != '.')
			return -1;
	}
	if (*s)
		return -1;
	*out = to_net(v);
	return 0;
}

/* "52:54:00:12:34:56" or with '-': six groups of one or two hex digits. */
static int parse_mac_sep(const char *s, char sep, int groups, uint8_t *out)
{
	for (int g = 0; g < groups; g++) {
		int hi = hex_digit(s[0]), lo = hi < 0 ? -1 : hex_digit(s[1]);
		if (hi < 0)
			return -1;
		out[g] = (uint8_t)(lo < 0 ? hi : hi * 16 + lo);
		s += lo < 0 ? 1 : 2;
		if (g < groups - 1 && *s++ != sep)
			return -1;
	}
	return *s ? -1 : 0;
}

int ipconf_parse_bootif(const char *text, uint8_t mac[6], char *err, size_t errsize)
{
	uint8_t b[7];
	if (!text || !*text) {
		snprintf(err, errsize, "BOOTIF= is empty: give the boot interface's MAC, BOOTIF=01-52-54-00-12-34-56");
		return -1;
	}
	/* pxelinux prefixes the ARP hardware type: 01 is Ethernet, the only one with a 6-byte address. */
	if (parse_mac_sep(text, '-', 7, b) == 0) {
		if (b[0] != 1) {
			snprintf(err, errsize, "BOOTIF=%.40s: hardware type %02x is not Ethernet (01): only Ethernet is supported",
				 text, b[0]);
			return -1;
		}
		memcpy(mac, b + 1, 6);
		return 0;
	}
	if (parse_mac_sep(text, '-', 6, mac) == 0 || parse_mac_sep(text, ':', 6, mac) == 0)
		return 0;
	snprintf(err, errsize, "BOOTIF=%.40s is not a MAC address: use BOOTIF=01-52-54-00-12-34-56 or 52:54:00:12:34:56",
		 text);
	return -1;
}

static const char *const field_names[] = { "client-ip", "server-ip", "gw-ip",   "netmask", "hostname",
					   "device",    "autoconf",  "dns0-ip", "dns1-ip", "ntp0-ip" };

struct ctx {
	const char *text; /* ip='s value, for messages */
	char *err;
	size_t errsize;
};

static int fail(const struct ctx *c, const char *what, const char *value, const char *hint)
{
	snprintf(c->err, c->errsize, "ip=%.80s: %s%s%.40s%s: %s", c->text, what, *value ? " '" : "", value,
		 *value ? "'" : "", hint);
	return -1;
}

/* An address field: empty or 0.0.0.0 is "not given" (the kernel's reading). */
static int addr_field(const struct ctx *c, const char *name, const char *v, uint32_t *out)
{
	char what[48];
	*out = 0;
	if (!*v)
		return 0;
	if (*v == '[') {
		snprintf(what, sizeof what, "%s", name);
		return fail(c, what, v, "IPv6 is not supported yet: use an IPv4 address or ip=dhcp");
	}
	if (parse_addr(v, out) < 0) {
		snprintf(what, sizeof what, "%s", name);
		return fail(c, what, v, "not an IPv4 address (a.b.c.d, no host names: the init has no DNS); " IP_EXAMPLE);
	}
	return 0;
}

/* A unicast host address: not 0/8, loopback, multicast or reserved, nor the broadcast address. */
static int host_addr_ok(uint32_t a)
{
	uint32_t h = to_host(a);
	return h >> 24 != 0 && h >> 24 != 127 && h >> 24 < 224;
}

static int is_keyword(const char *s)
{
	static const char *const words[] = { "dhcp", "on",    "any",   "off",   "none",  "static",      "dhcp6",
					     "auto6", "either6", "link6", "bootp", "rarp", "both", "single-dhcp", "ibft" };
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (!strcmp(s, words[i]))
			return 1;
	return 0;
}

/* The autoconf word: 0 DHCP, 1 a static configuration (none/off/static), -1 refused (message set). */
static int autoconf(const struct ctx *c, const char *w)
{
	if (!strcmp(w, "dhcp") || !strcmp(w, "on") || !strcmp(w, "any") || !strcmp(w, "single-dhcp"))
		return 0;
	if (!strcmp(w, "off") || !strcmp(w, "none") || !strcmp(w, "static"))
		return 1;
	if (!strcmp(w, "dhcp6") || !strcmp(w, "auto6") || !strcmp(w, "either6") || !strcmp(w, "link6"))
		return fail(c, "autoconf", w, "IPv6 is not supported yet: use ip=dhcp or a static IPv4 configuration");
	if (!strcmp(w, "bootp") || !strcmp(w, "rarp") || !strcmp(w, "both"))
		return fail(c, "autoconf", w, "BOOTP and RARP are not supported (dracut refuses them too): use dhcp");
	if (!strcmp(w, "ibft"))
		return fail(c, "autoconf", w, "iBFT is not supported: use dhcp or none");
	return fail(c, "autoconf", w, "not understood: use dhcp, on, any, off, none or static");
}

/* Interface names end up in file names (/run/net-IFACE.conf): a small, safe alphabet. */
static int iface_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 15 || !strcmp(s, ".") || !strcmp(s, ".."))
		return 0;
	for (; *s; s++)
		if (!(is_digit(*s) || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_' || *s == '-' ||
		      *s == '.'))
			return 0;
	return 1;
}

/* A host name as RFC 1123 allows, also with dots (the kernel splits off the NIS domain there). */
static int hostname_ok(const char *s)
{
	if (strlen(s) > 63 || *s == '-' || *s == '.')
		return 0;
	for (; *s; s++)
		if (!(is_digit(*s) || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '-' || *s == '.'))
			return 0;
	return 1;
}

static int netmask_field(const struct ctx *c, const char *v, struct ipconf *ic)
{
	uint32_t h;
	if (!*v)
		return 0;
	/* A prefix length is accepted too (dracut does): 24 for 255.255.255.0. */
	if (strlen(v) <= 2 && is_digit(v[0]) && (!v[1] || is_digit(v[1]))) {
		int len = v[1] ? (v[0] - '0') * 10 + v[1] - '0' : v[0] - '0';
		if (len < 1 || len > 32)
			return fail(c, "netmask", v, "a prefix length is 1..32, e.g. 24 for 255.255.255.0");
		ic->prefix = len;
		ic->netmask = to_net(len == 32 ? 0xffffffffu : ~(0xffffffffu >> len));
		return 0;
	}
	if (parse_addr(v, &ic->netmask) < 0)
		return fail(c, "netmask", v, "not a netmask: use 255.255.255.0 or a prefix length, 24");
	h = to_host(ic->netmask);
	/* Contiguous: the ones, then only zeros. */
	if (!h || (~h & (~h + 1)) != 0)
		return fail(c, "netmask", v, "not contiguous: use e.g. 255.255.255.0 (24) or 255.255.0.0 (16)");
	while (h & 0x80000000u) {
		ic->prefix++;
		h <<= 1;
	}
	return 0;
}

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!is_digit(*s))
			return 0;
	return 1;
}

/* The fields after autoconf: the kernel's DNS0:DNS1:NTP0, or dracut's MTU[:MACADDR] (the MAC's own
 * colons split it into six more fields; they are joined back) or DNS1[:DNS2]. A bare number is an MTU. */
static int tail_fields(const struct ctx *c, char **t, int nt, struct ipconf *ic)
{
	int i = 0, mtu_form = 0;
	if (nt == 0)
		return 0;
	if (all_digits(t[0]) || (!*t[0] && (nt == 7 || (nt == 2 && strchr(t[1], '-'))))) {
		mtu_form = 1;
		if (*t[0]) {
			unsigned long v = 0;
			for (const char *p = t[0]; *p && v <= 65535; p++)
				v = v * 10 + (unsigned long)(*p - '0');
			if (v < 68 || v > 65535)
				return fail(c, "mtu", t[0], "an MTU is 68..65535 (1500 for Ethernet)");
			ic->mtu = (unsigned)v;
		}
		i = 1;
	}
	if (mtu_form) {
		char mac[40];
		if (i == nt)
			return 0;
		if (nt - i == 6) {
			snprintf(mac, sizeof mac, "%.2s:%.2s:%.2s:%.2s:%.2s:%.2s", t[i], t[i + 1], t[i + 2], t[i + 3],
				 t[i + 4], t[i + 5]);
			for (int k = i; k < nt; k++)
				if (strlen(t[k]) > 2)
					mac[0] = 'x';
		} else if (nt - i == 1) {
			snprintf(mac, sizeof mac, "%.39s", t[i]);
		} else {
			return fail(c, "macaddr", "", "after the MTU comes one MAC address, 52:54:00:12:34:56");
		}
		if (parse_mac_sep(mac, ':', 6, ic->mac) < 0 && parse_mac_sep(mac, '-', 6, ic->mac) < 0)
			return fail(c, "macaddr", mac, "not a MAC address: use 52:54:00:12:34:56");
		/* The device refuses a multicast or zero address: say so now rather than at ifup. */
		if ((ic->mac[0] & 1) || !(ic->mac[0] | ic->mac[1] | ic->mac[2] | ic->mac[3] | ic->mac[4] | ic->mac[5]))
			return fail(c, "macaddr", mac, "a multicast or zero MAC cannot be a device's address");
		ic->has_mac = 1;
		return 0;
	}
	if (nt > 3)
		return fail(c, "too many fields", "", "after autoconf come at most dns0-ip:dns1-ip:ntp0-ip; " IP_EXAMPLE);
	uint32_t *dst[3] = { &ic->dns[0], &ic->dns[1], &ic->ntp };
	for (int k = 0; k < nt; k++)
		if (addr_field(c, field_names[7 + k], t[k], dst[k]) < 0)
			return -1;
	return 0;
}

/* The static configuration's checks, where a mistake would otherwise show up far later as an
 * unreachable server. */
static int check_static(const struct ctx *c, char **f, struct ipconf *ic)
{
	char a[16], g[16];
	if (!host_addr_ok(ic->addr))
		return fail(c, "client-ip", f[0], "not a host address (0/8, 127/8, multicast and reserved are not)");
	/* No netmask: the kernel falls back to the classful default (/8 for 10.x), which is rarely the
	 * network's real mask; a wrong mask shows up much later as an unreachable gateway or server, so
	 * ask for it here, as dracut does. */
	if (!ic->prefix)
		return fail(c, "netmask", "",
			    "a static address needs one (the classful guess is rarely right): "
			    "ip=10.0.2.15::10.0.2.2:255.255.255.0::eth0:none");
	uint32_t h = to_host(ic->addr), m = to_host(ic->netmask);
	if (ic->prefix <= 30 && ((h & ~m) == 0 || (h & ~m) == ~m)) {
		ipconf_ntoa(ic->addr, a);
		return fail(c, "client-ip", a, "is the subnet's network or broadcast address under that netmask");
	}
	if (ic->gateway && ic->prefix < 32 && (to_host(ic->gateway) & m) != (h & m)) {
		ipconf_ntoa(ic->gateway, g);
		ipconf_ntoa(ic->addr, a);
		snprintf(c->err, c->errsize, "ip=%.80s: gw-ip '%s' is not in the client's subnet (%s/%d): check the netmask",
			 c->text, g, a, ic->prefix);
		return -1;
	}
	if (ic->gateway && (!host_addr_ok(ic->gateway) || ic->gateway == ic->addr))
		return fail(c, "gw-ip", f[2], "not a usable gateway address");
	return 0;
}

int ipconf_parse(const char *text, struct ipconf *ic, char *err, size_t errsize)
{
	struct ctx c = { text ? text : "", err, errsize };
	char buf[512], *f[MAXFIELDS];
	int nf = 0;

	memset(ic, 0, sizeof *ic);
	ic->method = IPCONF_DHCP;
	if (!text || !*text)
		return fail(&c, "empty", "", "use " IP_EXAMPLE);
	if (strlen(text) >= sizeof buf)
		return fail(&c, "too long", "", "use " IP_EXAMPLE);
	if (strchr(text, '['))
		return fail(&c, "IPv6 addresses are not supported yet", "", "use IPv4 or ip=dhcp");
	memcpy(buf, text, strlen(text) + 1);
	for (char *p = buf;; p++) {
		if (nf == MAXFIELDS)
			return fail(&c, "too many fields", "", IP_EXAMPLE);
		f[nf++] = p;
		p = strchr(p, ':');
		if (!p)
			break;
		*p = 0;
	}

	if (nf == 1 && is_keyword(f[0])) {
		if (!strcmp(f[0], "off") || !strcmp(f[0], "none")) {
			ic->method = IPCONF_OFF;
			return 0;
		}
		if (!strcmp(f[0], "static"))
			return fail(&c, "autoconf", f[0], "a static configuration needs its fields: " IP_EXAMPLE);
		return autoconf(&c, f[0]) < 0 ? -1 : 0;
	}
	if (nf == 1 && parse_addr(f[0], &ic->addr) < 0)
		return fail(&c, "not understood", "", "use " IP_EXAMPLE);

	/* dracut's DEVICE:AUTOCONF[:MTU][:MACADDR]: the second field is a word, never an address. */
	if (nf >= 2 && is_keyword(f[1]) && *f[0] && parse_addr(f[0], &ic->addr) < 0) {
		ic->addr = 0;
		if (!iface_ok(f[0]))
			return fail(&c, "device", f[0], "not an interface name (up to 15 of A-Z a-z 0-9 _ - .)");
		snprintf(ic->iface, sizeof ic->iface, "%s", f[0]);
		int a = autoconf(&c, f[1]);
		if (a < 0)
			return -1;
		if (a == 1) {
			if (!strcmp(f[1], "off")) {
				ic->method = IPCONF_OFF;
				return 0;
			}
			return fail(&c, "autoconf", f[1], "a static configuration needs the long form: " IP_EXAMPLE);
		}
		return tail_fields(&c, f + 2, nf - 2, ic);
	}

	/* The kernel's CLIENT:SERVER:GW:NETMASK:HOSTNAME:DEVICE:AUTOCONF:..., missing fields empty. */
	static char empty[1];
	for (int k = nf; k < 7; k++)
		f[k] = empty;
	if (addr_field(&c, "client-ip", f[0], &ic->addr) < 0 || addr_field(&c, "server-ip", f[1], &ic->server) < 0 ||
	    addr_field(&c, "gw-ip", f[2], &ic->gateway) < 0 || netmask_field(&c, f[3], ic) < 0)
		return -1;
	if (*f[4] && !hostname_ok(f[4]))
		return fail(&c, "hostname", f[4], "a host name is up to 63 of A-Z a-z 0-9 - . (not first)");
	snprintf(ic->hostname, sizeof ic->hostname, "%s", f[4]);
	if (*f[5] && !iface_ok(f[5]))
		return fail(&c, "device", f[5], "not an interface name (up to 15 of A-Z a-z 0-9 _ - .)");
	snprintf(ic->iface, sizeof ic->iface, "%s", f[5]);
	if (tail_fields(&c, f + 7, nf > 7 ? nf - 7 : 0, ic) < 0)
		return -1;

	int a = *f[6] ? autoconf(&c, f[6]) : ic->addr != 0;
	if (a < 0)
		return -1;
	if (a == 0) {
		/* DHCP chooses the address: one given as well is a contradiction (dracut refuses it too). */
		if (ic->addr)
			return fail(&c, "client-ip", f[0],
				    "given with autoconf dhcp: leave it out for DHCP, or use none for a static address");
		ic->method = IPCONF_DHCP;
		return 0;
	}
	if (!ic->addr) {
		if (!ic->gateway && !ic->prefix && !ic->dns[0] && !ic->dns[1]) {
			ic->method = IPCONF_OFF;
			return 0;
		}
		return fail(&c, "client-ip", "", "a static configuration needs the client's address first: "
						 "ip=10.0.2.15::10.0.2.2:255.255.255.0::eth0:none");
	}
	ic->method = IPCONF_STATIC;
	return check_static(&c, f, ic);
}

/* ---- NFS root ---------------------------------------------------------------------------------- */

int nfsroot_wanted(const char *root)
{
	return root && (!strncmp(root, "nfs:", 4) || !strncmp(root, "nfs4:", 5) || !strcmp(root, "/dev/nfs"));
}

struct nctx {
	const char *key, *text; /* "root" or "nfsroot", and its value, for messages */
	char *err;
	size_t errsize;
};

static int nfail(const struct nctx *c, const char *what)
{
	snprintf(c->err, c->errsize, "%s=%.100s: %s", c->key, c->text, what);
	return -1;
}

static int opt_char_ok(char ch)
{
	return is_digit(ch) || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || strchr("=._-/+", ch);
}

/* A version word: 3, 4, 4.0, 4.1, 4.2 → 30..42; -1 if not one. */
static int version_of(const char *v)
{
	if (!strcmp(v, "3"))
		return 30;
	if (!strcmp(v, "4"))
		return 0; /* any v4: the range is kept */
	if (v[0] == '4' && v[1] == '.' && v[2] >= '0' && v[2] <= '2' && !v[3])
		return 40 + v[2] - '0';
	return -1;
}

static int nfs_option(const struct nctx *c, const char *o, struct nfs_root *r, int nfs4)
{
	const char *ver = !strncmp(o, "vers=", 5) ? o + 5 : !strncmp(o, "nfsvers=", 8) ? o + 8 : o[0] == 'v' && is_digit(o[1]) ? o + 1 : NULL;
	char msg[160];
	for (const char *p = o; *p; p++)
		if (!opt_char_ok(*p)) {
			snprintf(msg, sizeof msg, "the option '%.40s' has a character NFS options never have", o);
			return nfail(c, msg);
		}
	if (ver) {
		int v = version_of(ver);
		if (v < 0 || (nfs4 && v == 30)) {
			snprintf(msg, sizeof msg, "'%.40s': %s", o,
				 nfs4 ? "root=nfs4: is NFSv4 (4, 4.0, 4.1, 4.2); for NFSv3 use root=nfs:SERVER:/PATH:nfsvers=3"
				      : "the versions are 3, 4, 4.0, 4.1, 4.2 (NFSv2 is not supported)");
			return nfail(c, msg);
		}
		if (v == 0) {
			r->vers_max = 42;
			r->vers_min = 40;
		} else {
			r->vers_max = r->vers_min = v;
		}
		return 0;
	}
	if (!strcmp(o, "ro") || !strcmp(o, "rw")) {
		r->readonly = o[1] == 'o';
		return 0;
	}
	/* NFSv3 locking needs rpc.statd, which the initramfs does not run: v3 always mounts nolock and
	 * v4 locks within the protocol, so neither word changes anything. */
	if (!strcmp(o, "lock") || !strcmp(o, "nolock"))
		return 0;
	if (!strncmp(o, "addr=", 5) || !strncmp(o, "clientaddr=", 11) || !strncmp(o, "mountaddr=", 10) ||
	    !strncmp(o, "minorversion=", 13)) {
		snprintf(msg, sizeof msg, "'%.40s': the init sets it itself (addr= from SERVER; the version with vers=4.N)", o);
		return nfail(c, msg);
	}
	size_t n = strlen(r->options);
	if (n + 1 + strlen(o) >= sizeof r->options)
		return nfail(c, "the options are too long");
	snprintf(r->options + n, sizeof r->options - n, "%s%s", n ? "," : "", o);
	return 0;
}

int nfsroot_parse(const char *root, const char *nfsroot, struct nfs_root *r, char *err, size_t errsize)
{
	struct nctx c = { "root", root ? root : "", err, errsize };
	char buf[sizeof r->path + sizeof r->options + 64], server[64];
	const char *spec;
	int kernel_form, nfs4 = 0;

	memset(r, 0, sizeof *r);
	r->readonly = -1;
	r->vers_max = 42;
	r->vers_min = 30;
	if (!nfsroot_wanted(root))
		return nfail(&c, "not an NFS root: use root=nfs:SERVER:/PATH, root=nfs4:SERVER:/PATH or root=/dev/nfs");
	kernel_form = !strcmp(root, "/dev/nfs");
	/* A DHCP root-path (option 17) handed over as nfsroot= may be in dracut's form too. */
	if (kernel_form && nfsroot && (!strncmp(nfsroot, "nfs:", 4) || !strncmp(nfsroot, "nfs4:", 5)))
		return nfsroot_parse(nfsroot, NULL, r, err, errsize);
	if (kernel_form) {
		/* The kernel's default directory, when neither nfsroot= nor DHCP's root-path names one. */
		spec = nfsroot && *nfsroot ? nfsroot : "/tftpboot/%s";
		c.key = "nfsroot";
		c.text = spec;
	} else {
		nfs4 = root[3] == '4';
		spec = root + (nfs4 ? 5 : 4);
		if (nfs4)
			r->vers_min = 40;
	}
	if (strlen(spec) >= sizeof buf)
		return nfail(&c, "too long");
	memcpy(buf, spec, strlen(spec) + 1);

	/* [SERVER:]PATH: a path starts with '/', so anything before it up to a ':' is the server. */
	char *p = buf;
	if (*p == '[')
		return nfail(&c, "IPv6 servers are not supported yet: give an IPv4 address");
	if (!strncmp(p, "//", 2))
		return nfail(&c, "nfs:// URLs are not supported: use root=nfs:SERVER:/PATH");
	if (*p != '/') {
		char *colon = strchr(p, ':');
		if (!colon)
			return nfail(&c, kernel_form ? "no path: use nfsroot=SERVER:/PATH[,OPTIONS]"
						     : "no path: use root=nfs:SERVER:/PATH[:OPTIONS]");
		*colon = 0;
		snprintf(server, sizeof server, "%.63s", p);
		if (parse_addr(p, &r->server) < 0 || !host_addr_ok(r->server)) {
			char msg[160];
			snprintf(msg, sizeof msg, "the server '%.40s' is not an IPv4 address (the init has no DNS): "
				 "e.g. %s10.0.2.2:/srv/root", server, kernel_form ? "nfsroot=" : nfs4 ? "root=nfs4:" : "root=nfs:");
			return nfail(&c, msg);
		}
		p = colon + 1;
	}
	if (*p != '/')
		return nfail(&c, "the path must start with '/': e.g. 10.0.2.2:/srv/root");
	/* The path ends at the options: after ',' (the kernel's) or, in root=nfs:, also after ':'. */
	size_t plen = strcspn(p, kernel_form ? "," : ",:");
	char *opts = p[plen] ? p + plen + 1 : p + plen;
	p[plen] = 0;
	if (plen >= sizeof r->path)
		return nfail(&c, "the path is too long");
	for (const char *q = p; *q; q++)
		if ((unsigned char)*q <= ' ' || *q == 127)
			return nfail(&c, "the path has a space or a control character");
	memcpy(r->path, p, plen + 1);
	for (char *o = opts; *o;) {
		size_t n = strcspn(o, ",");
		char save = o[n];
		o[n] = 0;
		if (n && nfs_option(&c, o, r, nfs4) < 0)
			return -1;
		o += n + (save != 0);
	}
	return 0;
}

int nfsroot_complete(struct nfs_root *r, uint32_t default_server, uint32_t client, char *err, size_t errsize)
{
	char out[sizeof r->path], a[16];
	size_t n = 0;

	if (!r->server)
		r->server = default_server;
	if (!r->server) {
		snprintf(err, errsize, "the NFS root %s names no server and none came from ip= or DHCP: "
			 "use root=nfs:SERVER:%s", r->path, r->path);
		return -1;
	}
	ipconf_ntoa(client, a);
	for (const char *p = r->path; *p;) {
		if (p[0] == '%' && p[1] == 's') {
			if (!client) {
				snprintf(err, errsize, "the NFS path %s has %s, but the client's address is unknown", r->path, "%s");
				return -1;
			}
			if (n + strlen(a) >= sizeof out)
				goto toolong;
			memcpy(out + n, a, strlen(a));
			n += strlen(a);
			p += 2;
			continue;
		}
		if (n + 1 >= sizeof out)
			goto toolong;
		out[n++] = *p++;
	}
	out[n] = 0;
	memcpy(r->path, out, n + 1);
	return 0;
toolong:
	snprintf(err, errsize, "the NFS path %s is too long with the client's address in it", r->path);
	return -1;
}
