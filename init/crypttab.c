/* crypttab.c — the image's /etc/crypttab (crypttab.h): "NAME DEVICE [KEY [OPTIONS]]" per line. */
#include "crypttab.h"

#include <stdio.h>
#include <string.h>

/* The next whitespace-separated field of LINE (LEN bytes) from *POS into OUT: 1 found, 0 none left,
 * -1 longer than SIZE allows. */
static int field(const char *line, size_t len, size_t *pos, char *out, size_t size)
{
	size_t i = *pos, start;

	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	start = i;
	while (i < len && line[i] != ' ' && line[i] != '\t')
		i++;
	*pos = i;
	if (i == start)
		return 0;
	if (i - start >= size)
		return -1;
	memcpy(out, line + start, i - start);
	out[i - start] = 0;
	return 1;
}

static void option(struct crypttab_entry *e, const char *o, size_t n)
{
#define IS(word) (n == sizeof word - 1 && !memcmp(o, word, n))
	if (IS("discard"))
		e->discard = 1;
	else if (IS("noauto") || IS("swap") || IS("tmp"))
		e->noauto = 1;
	else if (IS("read-only") || IS("readonly"))
		e->readonly = 1;
	else if (IS("no-read-workqueue"))
		e->no_read_workqueue = 1;
	else if (IS("no-write-workqueue"))
		e->no_write_workqueue = 1;
	else if (IS("plain"))
		e->plain = 1;
#undef IS
}

static void first_warning(char *warn, size_t warnsize, unsigned lineno, const char *what)
{
	if (warnsize && !warn[0])
		snprintf(warn, warnsize, "line %u: %s", lineno, what);
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
		int r;

		at += ll + (nl != NULL);
		lineno++;
		while (pos < ll && (line[pos] == ' ' || line[pos] == '\t' || line[pos] == '\r'))
			pos++;
		if (pos == ll || line[pos] == '#')
			continue;
		if (memchr(line, 0, ll)) {
			first_warning(warn, warnsize, lineno, "a NUL byte; line ignored");
			continue;
		}
		memset(&e, 0, sizeof e);
		opts[0] = 0;
		if (ll && line[ll - 1] == '\r')
			ll--;
		if (field(line, ll, &pos, e.name, sizeof e.name) != 1 || (r = field(line, ll, &pos, e.device, sizeof e.device)) < 0) {
			first_warning(warn, warnsize, lineno, "a field is too long; line ignored");
			continue;
		}
		if (r == 0) {
			first_warning(warn, warnsize, lineno, "needs at least NAME and DEVICE; line ignored");
			continue;
		}
		if (field(line, ll, &pos, e.key, sizeof e.key) < 0 || field(line, ll, &pos, opts, sizeof opts) < 0) {
			first_warning(warn, warnsize, lineno, "a field is too long; line ignored");
			continue;
		}
		if (!strcmp(e.key, "none") || !strcmp(e.key, "-"))
			e.key[0] = 0;
		for (const char *o = opts; *o; o += strcspn(o, ","), o += *o == ',')
			option(&e, o, strcspn(o, ","));
		if (n == max) {
			first_warning(warn, warnsize, lineno, "too many entries; the rest are ignored");
			break;
		}
		v[n++] = e;
	}
	return n;
}
