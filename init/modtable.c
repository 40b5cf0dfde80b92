/* modtable.c — see modtable.h. The table is text so that a person can read it in a rescue shell. */
#include "modtable.h"

#include <stdlib.h>
#include <string.h>

static int starts(const char *line, const char *word)
{
	size_t n = strlen(word);
	return !strncmp(line, word, n) && line[n] == ' ';
}

/* Cut the next space-separated field out of *P; NULL when there is none. */
static char *field(char **p)
{
	char *s = *p, *end;

	if (!*s)
		return NULL;
	end = strchr(s, ' ');
	if (end) {
		*end = 0;
		*p = end + 1;
	} else {
		*p = s + strlen(s);
	}
	return s;
}

static const char *list_field(const char *s)
{
	return strcmp(s, "-") ? s : "";
}

int modtab_parse(char *text, struct modtab *t)
{
	size_t nmods = 0, naliases = 0;

	memset(t, 0, sizeof *t);
	t->buf = text;
	/* Count first: one allocation of the right size for each array. */
	for (const char *line = text; *line; line++) {
		if (starts(line, "module"))
			nmods++;
		else if (starts(line, "alias"))
			naliases++;
		line = strchr(line, '\n');
		if (!line)
			break;
	}
	t->mods = calloc(nmods + 1, sizeof *t->mods);
	t->aliases = calloc(naliases + 1, sizeof *t->aliases);
	if (!t->mods || !t->aliases)
		return -1;
	for (char *line = text, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		if (!*line || *line == '#')
			continue;
		if (starts(line, "module") && t->nmods < nmods) {
			char *p = line + 7, *name = field(&p), *path = field(&p), *pre = field(&p), *post = field(&p);
			if (!name || !post || !*name || *path != '/') {
				t->nbad++;
				continue;
			}
			t->mods[t->nmods++] = (struct modtab_module){
				.name = name, .path = path, .pre = list_field(pre), .post = list_field(post), .params = p};
		} else if (starts(line, "alias") && line[6] && t->nmods && t->naliases < naliases) {
			/* The pattern is the rest of the line; it belongs to the module line above it. */
			t->aliases[t->naliases++] = (struct modtab_alias){.pattern = line + 6, .module = t->nmods - 1};
		} else {
			t->nbad++; /* unknown kinds of line are for newer inits */
		}
	}
	return 0;
}

void modtab_free(struct modtab *t)
{
	free(t->buf);
	free(t->mods);
	free(t->aliases);
	memset(t, 0, sizeof *t);
}

static int same_char(char a, char b)
{
	return (a == '-' ? '_' : a) == (b == '-' ? '_' : b);
}

long modtab_find(const struct modtab *t, const char *name, size_t len)
{
	for (size_t i = 0; i < t->nmods; i++) {
		const char *m = t->mods[i].name;
		size_t j = 0;
		while (j < len && m[j] && same_char(m[j], name[j]))
			j++;
		if (j == len && !m[j])
			return (long)i;
	}
	return -1;
}

void modtab_normalize(const char *alias, char *out, size_t size)
{
	size_t i = 0;
	int in_class = 0;

	if (!size)
		return;
	for (; alias[i] && i + 1 < size; i++) {
		char c = alias[i];
		if (c == '[')
			in_class = 1;
		else if (c == ']')
			in_class = 0;
		out[i] = c == '-' && !in_class ? '_' : c;
	}
	out[i] = 0;
}

/* One pattern element at P against the byte C: the element's length when it matches, 0 when not.
 * An unclosed '[' is an ordinary character, as for fnmatch(3). */
static size_t element(const char *p, unsigned char c)
{
	if (!c)
		return 0;
	if (*p == '?')
		return 1;
	if (*p == '\\' && p[1])
		return (unsigned char)p[1] == c ? 2 : 0;
	if (*p == '[') {
		const char *q = p + 1;
		int neg = *q == '!' || *q == '^', hit = 0;
		q += neg;
		/* A ']' first in the set is one of its characters. */
		for (int first = 1; *q && (first || *q != ']'); first = 0) {
			unsigned char lo, hi;
			if (*q == '\\' && q[1])
				q++;
			lo = hi = (unsigned char)*q++;
			if (*q == '-' && q[1] && q[1] != ']') {
				q++;
				if (*q == '\\' && q[1])
					q++;
				hi = (unsigned char)*q++;
			}
			hit |= c >= lo && c <= hi;
		}
		if (*q == ']')
			return hit != neg ? (size_t)(q + 1 - p) : 0;
	}
	return (unsigned char)*p == c ? 1 : 0;
}

/* The shell pattern P against S, as fnmatch(3) without flags reads it, byte by byte (aliases are ASCII;
 * musl's fnmatch would add 20 KB of wide-character tables to the init). A '*' that fails to extend is
 * retried one byte further on from the last '*' only: earlier stars never need to give back. */
static int glob_match(const char *p, const char *s)
{
	const char *star_p = NULL, *star_s = NULL;

	for (;;) {
		size_t n;
		if (*p == '*') {
			while (*p == '*')
				p++;
			star_p = p;
			star_s = s;
			continue;
		}
		if (!*p && !*s)
			return 1;
		if (*p && (n = element(p, (unsigned char)*s))) {
			p += n;
			s++;
			continue;
		}
		if (!star_p || !*star_s)
			return 0;
		p = star_p;
		s = ++star_s;
	}
}

size_t modtab_match(const struct modtab *t, const char *modalias, void (*fn)(void *ctx, size_t module),
		    void *ctx)
{
	char alias[4096]; /* a sysfs attribute is at most a page */
	size_t calls = 0;

	modtab_normalize(modalias, alias, sizeof alias);
	for (size_t i = 0; i < t->naliases; i++) {
		const char *p = t->aliases[i].pattern, *a = alias;
		/* Most patterns differ from the alias in their literal start ("usb:v046D..." against
		 * "pci:v..."): a plain comparison up to the first special character rejects them cheaply. */
		while (*p && *p == *a && *p != '*' && *p != '?' && *p != '[' && *p != '\\')
			p++, a++;
		if (*p != '*' && *p != '?' && *p != '[' && *p != '\\' && *p != *a)
			continue;
		if (glob_match(t->aliases[i].pattern, alias)) {
			fn(ctx, t->aliases[i].module);
			calls++;
		}
	}
	return calls;
}
