/* fmtcheck.c — every format string of the static programs against what lib/fmt.c supports.
 *
 * lib/fmt.c replaces the libc's snprintf in the init and switch_root. A conversion it does not know
 * (%+d, %#x, %f...) leaves its argument unread, and -Wformat cannot say so: GCC has no way to narrow
 * the conversions a format function accepts. So this reads the preprocessor's output (cc -E, the
 * same flags as the build), where macros such as log_error() are expanded, adjacent literals can be
 * joined and escapes decoded, and checks each literal passed as the format of a printf-like function:
 * the libc's printf family and every function declared __attribute__((format(printf, N, M))).
 *
 *   fmtcheck [-m FUNC]... < preprocessed.i
 *
 * -m FUNC: FUNC also takes "%m" (lib/log.c's log_msg expands it before formatting). Prints one line
 * "FILE:LINE: ..." per problem and exits 1 if there was one; the last line on stdout is
 * "fmtcheck: N formats checked". Code in system headers is not checked. */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum kind { IDENT, STRING, NUMBER, PUNCT };
struct tok {
	enum kind kind;
	const char *s; /* the text as written (a STRING keeps its quotes and prefix) */
	size_t len;
	const char *file;
	int line;
	bool sys; /* in a system header (line marker flag 3) */
};
static struct tok *toks;
static size_t ntoks;

struct fmtfunc {
	char name[64];
	int arg;    /* the format is argument ARG (from 1) */
	bool va;    /* takes a va_list: its format is the caller's, passed on */
	bool pct_m; /* %m is expanded before formatting */
};
static struct fmtfunc funcs[256] = {
	{ "printf", 1, false, false },   { "fprintf", 2, false, false },  { "dprintf", 2, false, false },
	{ "sprintf", 2, false, false },  { "snprintf", 3, false, false }, { "asprintf", 2, false, false },
	{ "vprintf", 1, true, false },   { "vfprintf", 2, true, false },  { "vdprintf", 2, true, false },
	{ "vsprintf", 2, true, false },  { "vsnprintf", 3, true, false }, { "vasprintf", 2, true, false },
};
static size_t nfuncs = 12;
static int problems, checked;

static void *xrealloc(void *p, size_t n)
{
	if (!(p = realloc(p, n))) {
		fputs("fmtcheck: out of memory\n", stderr);
		exit(2);
	}
	return p;
}

static struct fmtfunc *find_func(const char *s, size_t len)
{
	for (size_t i = 0; i < nfuncs; i++)
		if (strlen(funcs[i].name) == len && memcmp(funcs[i].name, s, len) == 0)
			return &funcs[i];
	return NULL;
}

static bool is(const struct tok *t, const char *s)
{
	return t->len == strlen(s) && memcmp(t->s, s, t->len) == 0;
}

/* The preprocessed text as tokens; '#' lines are line markers or pragmas. */
static void lex(char *p)
{
	const char *file = "?";
	int line = 1;
	bool sys = false, bol = true;
	size_t cap = 0;

	while (*p) {
		if (*p == '\n') {
			line++, p++, bol = true;
			continue;
		}
		if (isspace((unsigned char)*p)) {
			p++;
			continue;
		}
		if (bol && *p == '#') { /* # LINE "FILE" FLAGS */
			char *end = strchr(p, '\n');
			if (end)
				*end = 0;
			char *q = p + 1, *name;
			long n = strtol(q, &q, 10);
			if (q != p + 1 && (name = strchr(q, '"'))) {
				char *close = strrchr(name + 1, '"');
				if (close) {
					*close = 0;
					file = name + 1;
					line = (int)n;
					sys = strstr(close + 1, " 3") != NULL;
				}
			}
			if (!end)
				break;
			p = end + 1; /* the marker names the line after it: no increment */
			continue;
		}
		bol = false;
		if (ntoks == cap)
			toks = xrealloc(toks, (cap = cap ? cap * 2 : 4096) * sizeof(*toks));
		struct tok *t = &toks[ntoks++];
		*t = (struct tok){ PUNCT, p, 1, file, line, sys };
		const char *q = p;
		if (*q == 'L' || *q == 'U' || (*q == 'u' && q[1] == '8') || *q == 'u') {
			const char *r = q + (*q == 'u' && q[1] == '8' ? 2 : 1);
			if (*r == '"' || *r == '\'')
				q = r;
		}
		if (*q == '"' || *q == '\'') {
			char quote = *q++;
			while (*q && *q != quote && *q != '\n')
				q += *q == '\\' && q[1] ? 2 : 1;
			if (*q == quote)
				q++;
			t->kind = quote == '"' ? STRING : NUMBER; /* a character constant is a number here */
		} else if (isalpha((unsigned char)*q) || *q == '_') {
			while (isalnum((unsigned char)*q) || *q == '_')
				q++;
			t->kind = IDENT;
		} else if (isdigit((unsigned char)*q) || (*q == '.' && isdigit((unsigned char)q[1]))) {
			while (isalnum((unsigned char)*q) || *q == '_' || *q == '.' ||
			       ((*q == '+' || *q == '-') && strchr("eEpP", q[-1])))
				q++;
			t->kind = NUMBER;
		} else {
			q++;
		}
		t->len = (size_t)(q - p);
		p = (char *)q;
	}
}

/* The index of the token closing the bracket at I, or ntoks. */
static size_t closing(size_t i)
{
	int depth = 0;
	for (; i < ntoks; i++) {
		if (is(&toks[i], "(") || is(&toks[i], "[") || is(&toks[i], "{"))
			depth++;
		else if ((is(&toks[i], ")") || is(&toks[i], "]") || is(&toks[i], "}")) && --depth == 0)
			return i;
	}
	return ntoks;
}

/* __attribute__((format(printf, N, M))) at I: add the function it is attached to. */
static void attribute(size_t i)
{
	size_t a = i + 3;
	if (a + 6 >= ntoks || !is(&toks[i + 1], "(") || !is(&toks[i + 2], "(") ||
	    !(is(&toks[a], "format") || is(&toks[a], "__format__")) || !is(&toks[a + 1], "(") ||
	    !(is(&toks[a + 2], "printf") || is(&toks[a + 2], "__printf__") || is(&toks[a + 2], "gnu_printf")) ||
	    toks[a + 4].kind != NUMBER || toks[a + 6].kind != NUMBER)
		return;
	int arg = atoi(toks[a + 4].s), first = atoi(toks[a + 6].s);
	/* The declared name: the first IDENT ( of the declaration before the attribute, else after it. */
	size_t start = i, name = ntoks;
	while (start > 0 && !is(&toks[start - 1], ";") && !is(&toks[start - 1], "}") && !is(&toks[start - 1], "{"))
		start--;
	for (size_t j = start; j < i && name == ntoks; j++)
		if (toks[j].kind == IDENT && is(&toks[j + 1], "(") && !is(&toks[j], "__attribute__"))
			name = j;
	for (size_t j = closing(i + 1) + 1; j + 1 < ntoks && name == ntoks && !is(&toks[j], ";"); j++) {
		if (is(&toks[j], "__attribute__"))
			j = closing(j + 1);
		else if (toks[j].kind == IDENT && is(&toks[j + 1], "("))
			name = j;
	}
	if (name == ntoks || toks[name].len >= sizeof(funcs[0].name) || find_func(toks[name].s, toks[name].len))
		return;
	if (nfuncs == sizeof(funcs) / sizeof(funcs[0])) {
		fputs("fmtcheck: too many format functions\n", stderr);
		exit(2);
	}
	struct fmtfunc *f = &funcs[nfuncs++];
	memcpy(f->name, toks[name].s, toks[name].len);
	f->arg = arg;
	f->va = first == 0;
}

static void report(const struct tok *t, const char *fn, const char *what)
{
	printf("%s:%d: %s(): %s\n", t->file, t->line, fn, what);
	problems++;
}

/* One conversion at s[0] == '%' of a format of F; returns its length, or 0 after a report. */
static size_t conversion(const char *s, const char *end, const struct tok *t, const struct fmtfunc *f)
{
	const char *p = s + 1, *flags = p;
	char msg[256];

	while (p < end && strchr("-+ #0'I", *p) && *p)
		p++;
	size_t nflags = (size_t)(p - flags), badflag = strspn(flags, "-0");
	if (p < end && *p == '*')
		p++;
	else
		while (p < end && isdigit((unsigned char)*p))
			p++;
	bool prec = p < end && *p == '.';
	if (prec) {
		p++;
		if (p < end && *p == '*')
			p++;
		else
			while (p < end && isdigit((unsigned char)*p))
				p++;
	}
	const char *len = p;
	while (p < end && *p && strchr("hlLqjzZt", *p))
		p++;
	size_t nlen = (size_t)(p - len);
	if (p >= end) {
		report(t, f->name, "a '%' at the end of the format (write %% for a percent sign)");
		return 0;
	}
	char c = *p++;
	size_t n = (size_t)(p - s);
	bool lenok = nlen == 0 || (nlen == 1 && strchr("hlzjt", *len)) ||
		     (nlen == 2 && len[0] == len[1] && (*len == 'h' || *len == 'l'));
	const char *why = NULL;
	if (c == '%' || c == 'm') {
		if (n != 2)
			why = "takes nothing between the '%' and the conversion";
		else if (c == 'm' && !f->pct_m)
			why = "is not known to lib/fmt.c (only log_*() expand %m)";
	} else if (!c || !strchr("diuxXocsp", c)) {
		why = "is not a conversion lib/fmt.c supports (d i u x X o c s p %)";
	} else if (badflag < nflags) {
		why = "has a flag lib/fmt.c does not support (only - and 0)";
	} else if (!lenok) {
		why = "has a length lib/fmt.c does not support (hh h l ll z j t)";
	} else if (strchr("csp", c) && (nlen || (nflags && memchr(flags, '0', nflags)) || (prec && c != 's'))) {
		why = "takes only '-', a width and (for %s) a precision in lib/fmt.c";
	}
	if (why) {
		snprintf(msg, sizeof msg, "\"%.*s\" %s: its argument and every later one would be misread",
			 (int)n, s, why);
		report(t, f->name, msg);
		return 0;
	}
	return n;
}

/* Decode the literal T (without its quotes) onto BUF. false for a wide or unterminated one. */
static bool decode(const struct tok *t, char **buf, size_t *n)
{
	const char *p = t->s, *end = t->s + t->len - 1;
	if (*p != '"' || t->len < 2 || *end != '"')
		return false;
	*buf = xrealloc(*buf, *n + t->len + 1);
	for (p++; p < end; p++) {
		char c = *p;
		if (c == '\\') {
			c = *++p;
			const char *simple = strchr("n\nt\tr\rv\vf\fa\ab\be\033", c);
			if (c >= '0' && c <= '7') {
				int v = 0, k = 0;
				for (; k < 3 && p < end && *p >= '0' && *p <= '7'; k++)
					v = v * 8 + (*p++ - '0');
				p--;
				c = (char)v;
			} else if (c == 'x') {
				int v = 0;
				while (p + 1 < end && isxdigit((unsigned char)p[1])) {
					p++;
					v = v * 16 + (isdigit((unsigned char)*p) ? *p - '0' : (tolower(*p) - 'a' + 10));
				}
				c = (char)v;
			} else if (simple && ((simple - "n\nt\tr\rv\vf\fa\ab\be\033") % 2) == 0) {
				c = simple[1];
			}
		}
		(*buf)[(*n)++] = c;
	}
	return true;
}

/* The format argument: each run of adjacent literals in tokens [a, b) is one format. */
static void check_arg(size_t a, size_t b, const struct tok *call, const struct fmtfunc *f)
{
	bool literal = false;
	for (size_t i = a; i < b; i++) {
		if (toks[i].kind != STRING)
			continue;
		char *buf = NULL;
		size_t n = 0, starts[64], ns = 0;
		for (; i < b && toks[i].kind == STRING; i++) {
			if (ns < 64)
				starts[ns++] = n;
			if (!decode(&toks[i], &buf, &n))
				report(&toks[i], f->name, "a wide string literal as the format");
		}
		literal = true;
		checked++;
		for (size_t k = 0; k < n; k++) {
			if (buf[k] != '%')
				continue;
			size_t piece = 0; /* the literal the '%' is in, for its line */
			while (piece + 1 < ns && starts[piece + 1] <= k)
				piece++;
			size_t len = conversion(buf + k, buf + n, &toks[i - ns + piece], f);
			if (!len)
				break; /* one report per format: after a bad one the rest is unreliable */
			k += len - 1;
		}
		free(buf);
	}
	if (!literal && !f->va)
		report(call, f->name, "a format that is not a string literal cannot be checked (use a literal)");
}

int main(int argc, char **argv)
{
	size_t size = 0, cap = 1 << 20;
	char *text = xrealloc(NULL, cap);
	size_t r;
	while ((r = fread(text + size, 1, cap - size - 1, stdin)) > 0)
		if ((size += r) == cap - 1)
			text = xrealloc(text, cap *= 2);
	text[size] = 0;
	lex(text);
	for (size_t i = 0; i < ntoks; i++)
		if (is(&toks[i], "__attribute__") || is(&toks[i], "__attribute"))
			attribute(i);
	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "-m") != 0) {
			fprintf(stderr, "fmtcheck: unknown argument %s (usage: fmtcheck [-m FUNC]... < FILE.i)\n", argv[i]);
			return 2;
		}
		struct fmtfunc *f = find_func(argv[i + 1], strlen(argv[i + 1]));
		if (f) /* else not declared in this source: nothing calls it */
			f->pct_m = true;
	}
	/* Calls: a format function's name and '(' inside a function body (a declaration is outside). */
	int depth = 0;
	for (size_t i = 0; i + 1 < ntoks; i++) {
		const struct tok *t = &toks[i];
		if (is(t, "{"))
			depth++;
		else if (is(t, "}"))
			depth--;
		const struct fmtfunc *f;
		if (depth < 1 || t->kind != IDENT || t->sys || !is(&toks[i + 1], "(") || !(f = find_func(t->s, t->len)) ||
		    (i > 0 && (is(&toks[i - 1], ".") || is(&toks[i - 1], ">"))))
			continue;
		size_t end = closing(i + 1), a = i + 2;
		for (int arg = 1; a < end; arg++) {
			size_t b = a;
			while (b < end && !is(&toks[b], ",")) {
				if (is(&toks[b], "(") || is(&toks[b], "[") || is(&toks[b], "{"))
					b = closing(b);
				b++;
			}
			if (arg == f->arg) {
				check_arg(a, b, t, f);
				break;
			}
			a = b + 1;
		}
	}
	printf("fmtcheck: %d formats checked\n", checked);
	return problems ? 1 : 0;
}
