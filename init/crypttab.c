/* crypttab.c — the image's /etc/crypttab (crypttab.h): "NAME DEVICE [KEY [OPTIONS]]" per line, as
 * crypttab(5) describes it for systemd and Debian. The text comes from the image, which a person wrote
 * by hand: every field is bounded, every bad line is left out with the first problem named, and nothing
 * here allocates. */
#include "crypttab.h"

#include <stdio.h>
#include <string.h>

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/* The next field of LINE (LEN bytes) from *POS into OUT: 1 found, 0 none left, -1 longer than SIZE
 * allows, -2 a quote without its end. Quotes group (and are dropped); a backslash is an ordinary
 * character here, so that the options' "\," reaches option() as written. */
static int field(const char *line, size_t len, size_t *pos, char *out, size_t size)
{
	size_t i = *pos, o = 0;
	char quote = 0;

	while (i < len && is_blank(line[i]))
		i++;
	if (i == len)
		return *pos = i, 0;
	for (; i < len && (quote || !is_blank(line[i])); i++) {
		char c = line[i];
		if (quote && c == quote) {
			quote = 0;
			continue;
		}
		if (!quote && (c == '"' || c == '\'')) {
			quote = c;
			continue;
		}
		if (o + 1 >= size)
			return -1;
		out[o++] = line[i];
	}
	*pos = i;
	if (quote)
		return -2;
	out[o] = 0;
	return 1;
}

static void warn_once(char *warn, size_t warnsize, unsigned lineno, const char *what, const char *arg)
{
	if (warnsize && !warn[0])
		snprintf(warn, warnsize, "line %u: %s%s%s", lineno, what, arg ? arg : "", arg ? "'" : "");
}

/* A decimal number, all of S, up to MAX: 1 and *V, or 0. (By hand: strtoull would pull musl's
 * scanner into the static init, which lib/libc-lite.c keeps out.) */
static int number(const char *s, unsigned long long max, unsigned long long *v)
{
	unsigned long long x = 0;

	if (!*s)
		return 0;
	for (; *s; s++) {
		unsigned d = (unsigned)(*s - '0');
		if (d > 9 || x > (max - d) / 10)
			return 0;
		x = x * 10 + d;
	}
	*v = x;
	return 1;
}

/* Options that change nothing at boot for earlyroot (systemd's and Debian's): taken silently. The
 * ones ending in '=' take a value. */
static const char *const quiet_options[] = {
	"luks", "nofail", "_netdev", "x-initrd.attach", "initramfs", "noearly", "loud", "quiet", "headless",
	"verify", "same-cpu-crypt", "submit-from-crypt-cpus", "try-empty-password", "timeout=",
	"keyfile-timeout=", "token-timeout=", "password-echo=", "cipher=", "hash=", "size=", "sector-size=",
	"key-slot=", "keyslot=", "offset=", "skip=", "check=", "checkargs=", "fixed-iv", "nofail", "auto",
	"luks2", "link-volume-key=", "keyfile-erase", "token-slot=", "tmp=", "swap=",
};

/* Options asking for an unlocking earlyroot does not do (prefixes: "tcrypt" covers tcrypt-hidden...). */
static const char *const unsupported_options[] = {
	"keyscript=", "header=", "tcrypt", "bitlk", "plain", "fido2-", "tpm2-", "pkcs11-uri=", "veracrypt",
};

static int starts(const char *o, const char *prefix) { return !strncmp(o, prefix, strlen(prefix)); }

/* One option, its "\," turned into ','. */
static void option(struct crypttab_entry *e, const char *raw, size_t n, unsigned lineno, char *warn, size_t warnsize)
{
	char o[256];
	size_t k = 0;

	for (size_t i = 0; i < n && k + 1 < sizeof o; i++) {
		if (raw[i] == '\\' && i + 1 < n)
			i++;
		o[k++] = raw[i];
	}
	o[k] = 0;
	if (!*o)
		return; /* "a,,b" */

	const char *eq = strchr(o, '=');
	unsigned long long v;
	if (!strcmp(o, "discard"))
		e->discard = 1;
	else if (!strcmp(o, "noauto") || !strcmp(o, "swap") || !strcmp(o, "tmp") || starts(o, "tmp="))
		e->noauto = 1; /* swap and tmp volumes get a fresh random key: not something to boot from */
	else if (!strcmp(o, "read-only") || !strcmp(o, "readonly"))
		e->readonly = 1;
	else if (!strcmp(o, "no-read-workqueue"))
		e->no_read_workqueue = 1;
	else if (!strcmp(o, "no-write-workqueue"))
		e->no_write_workqueue = 1;
	else if (starts(o, "tries="))
		number(eq + 1, 1000, &v) ? (void)(e->tries = (int)v)
					 : warn_once(warn, warnsize, lineno, "tries= wants a number up to 1000; ignored: '", o);
	else if (starts(o, "keyfile-offset="))
		number(eq + 1, ~0ull, &v) ? (void)(e->keyfile_offset = v)
					  : warn_once(warn, warnsize, lineno, "keyfile-offset= wants bytes; ignored: '", o);
	else if (starts(o, "keyfile-size="))
		number(eq + 1, 8u << 20, &v) ? (void)(e->keyfile_size = v)
					     : warn_once(warn, warnsize, lineno, "keyfile-size= wants bytes up to 8 MiB; ignored: '", o);
	else {
		for (size_t i = 0; i < sizeof unsupported_options / sizeof *unsupported_options; i++)
			if (starts(o, unsupported_options[i])) {
				if (!strcmp(o, "plain"))
					e->plain = 1;
				if (!e->unsupported[0])
					snprintf(e->unsupported, sizeof e->unsupported, "%.*s", (int)sizeof e->unsupported - 1, o);
				return;
			}
		for (size_t i = 0; i < sizeof quiet_options / sizeof *quiet_options; i++) {
			const char *q = quiet_options[i];
			size_t ql = strlen(q);
			if (q[ql - 1] == '=' ? !strncmp(o, q, ql) : !strcmp(o, q))
				return;
		}
		warn_once(warn, warnsize, lineno, "unknown option ignored: '", o);
	}
}

/* A device-mapper name: /dev/mapper/NAME must be one file there. */
static int good_name(const char *n)
{
	return *n && strcmp(n, ".") && strcmp(n, "..") && !strchr(n, '/');
}

int crypttab_parse(const char *text, size_t len, struct crypttab_entry *v, int max, char *warn, size_t warnsize)
{
	int n = 0;
	unsigned lineno = 0;

	if (warnsize)
		warn[0] = 0;
	for (size_t at = 0; at < len;) {
		const char *line = text + at;
		const char *nl = memchr(line, '\n', len - at);
		size_t ll = nl ? (size_t)(nl - line) : len - at, pos = 0;
		char opts[512];
		struct crypttab_entry e;
		int r[4];

		at += ll + (nl != NULL);
		lineno++;
		while (pos < ll && is_blank(line[pos]))
			pos++;
		if (pos == ll || line[pos] == '#')
			continue;
		if (memchr(line, 0, ll)) {
			warn_once(warn, warnsize, lineno, "a NUL byte; line ignored", NULL);
			continue;
		}
		memset(&e, 0, sizeof e);
		e.tries = -1;
		opts[0] = 0;
		r[0] = field(line, ll, &pos, e.name, sizeof e.name);
		r[1] = r[0] == 1 ? field(line, ll, &pos, e.device, sizeof e.device) : 0;
		r[2] = r[1] == 1 ? field(line, ll, &pos, e.key, sizeof e.key) : 0;
		r[3] = r[2] == 1 ? field(line, ll, &pos, opts, sizeof opts) : 0;
		while (pos < ll && is_blank(line[pos]))
			pos++;
		int more = r[3] == 1 && pos < ll, bad = 0;
		for (int i = 0; i < 4; i++)
			bad = bad ? bad : r[i] < 0 ? r[i] : 0;
		if (bad == -1) {
			warn_once(warn, warnsize, lineno, "a field is too long; line ignored", NULL);
			continue;
		}
		if (bad == -2) {
			warn_once(warn, warnsize, lineno, "a quote is not closed; line ignored", NULL);
			continue;
		}
		if (r[1] != 1 || !e.device[0]) { /* a quoted "" is no device either */
			warn_once(warn, warnsize, lineno, "needs at least NAME and DEVICE; line ignored", NULL);
			continue;
		}
		if (more) {
			warn_once(warn, warnsize, lineno, "more than 4 fields (NAME DEVICE KEY OPTIONS); line ignored", NULL);
			continue;
		}
		if (!good_name(e.name)) {
			warn_once(warn, warnsize, lineno, "the name is no device-mapper name; line ignored: '", e.name);
			continue;
		}
		/* "none" and "-" (systemd) say: ask for the passphrase */
		if (!strcmp(e.key, "none") || !strcmp(e.key, "-"))
			e.key[0] = 0;
		for (const char *o = opts; *o;) {
			size_t k = 0;
			while (o[k] && o[k] != ',')
				k += o[k] == '\\' && o[k + 1] ? 2 : 1;
			option(&e, o, k, lineno, warn, warnsize);
			o += k + (o[k] == ',');
		}
		if (n == max) {
			warn_once(warn, warnsize, lineno, "too many entries; the rest are ignored", NULL);
			break;
		}
		v[n++] = e;
	}
	return n;
}
