/* libc-lite.c — small stand-ins for libc members that are large in a static musl build.
 *
 * Like fmt.c, these definitions take the place of the libc's at link time (a static link pulls a libc
 * member only for a symbol nothing else defines), in every build of the init — musl, klibc and the
 * sanitizer one — so the tests run this code. What each keeps out of the static musl init:
 *   strtol, strtoul, atoi: musl reads numbers with its stdio scanner (__intscan through a FILE), which
 *     brings FILE locking and the exit-time flush along: 3.7 KB for a few sysfs and command-line numbers;
 *   strstr: musl's two-way search, 1.3 KB, for a handful of searches in short strings;
 *   qsort: musl's smoothsort, 2.2 KB, called only by scandir() on the hooks directory.
 * Each keeps the C standard's contract; lib/tests/test-libc-lite.c holds them against the host libc.
 * Kept: saves 6.3 KB (x86-64), 4 KB (armhf); no width assumed (long is 32-bit on armhf and i386): the
 * test also runs against musl's on all six architectures (a 32-bit long's overflow included). */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static int digit_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20; /* lower case */
	return c >= 'a' && c <= 'z' ? c - 'a' + 10 : 99;
}

/* What strtol and strtoul share: white space, a sign, the base's prefix, the digits. Returns the
 * magnitude, or LIMIT + 1 (as a flag, with *OVER set) when it does not fit in LIMIT. */
static unsigned long scan(const char *s, char **end, int base, unsigned long limit_pos, unsigned long limit_neg,
			  int *neg, int *over)
{
	const char *p = s;
	unsigned long v = 0, limit;
	int any = 0;

	*neg = *over = 0;
	if (base < 0 || base == 1 || base > 36) {
		errno = EINVAL;
		if (end)
			*end = (char *)s;
		return 0;
	}
	while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
		p++;
	if (*p == '-' || *p == '+')
		*neg = *p++ == '-';
	limit = *neg ? limit_neg : limit_pos;
	/* "0x" counts as a prefix only with a hex digit after it: "0xg" is the number 0, ending at 'x'. */
	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] | 0x20) == 'x' && digit_value((unsigned char)p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = *p == '0' ? 8 : 10;
	}
	for (int d; (d = digit_value((unsigned char)*p)) < base; p++) {
		any = 1;
		if (*over || v > (limit - (unsigned long)d) / (unsigned long)base)
			*over = 1; /* keep reading: *end goes past every digit */
		else
			v = v * (unsigned long)base + (unsigned long)d;
	}
	if (end)
		*end = (char *)(any ? p : s);
	if (*over)
		errno = ERANGE;
	return v;
}

long strtol(const char *restrict s, char **restrict end, int base)
{
	int neg, over;
	unsigned long v = scan(s, end, base, LONG_MAX, (unsigned long)LONG_MAX + 1, &neg, &over);
	if (over)
		return neg ? LONG_MIN : LONG_MAX;
	return neg ? (v ? -(long)(v - 1) - 1 : 0) : (long)v;
}

unsigned long strtoul(const char *restrict s, char **restrict end, int base)
{
	int neg, over;
	unsigned long v = scan(s, end, base, ULONG_MAX, ULONG_MAX, &neg, &over);
	if (over)
		return ULONG_MAX;
	return neg ? 0 - v : v; /* the standard's "negated in the return type": "-1" is ULONG_MAX */
}

int atoi(const char *s)
{
	return (int)strtol(s, NULL, 10);
}

char *strstr(const char *haystack, const char *needle)
{
	size_t n = strlen(needle);
	for (;; haystack++) {
		if (strncmp(haystack, needle, n) == 0)
			return (char *)haystack;
		if (!*haystack)
			return NULL;
	}
}

static void swap_bytes(char *a, char *b, size_t size)
{
	while (size--) {
		char t = *a;
		*a++ = *b;
		*b++ = t;
	}
}

/* Shell sort with Knuth's gaps (1, 4, 13, 40, ...): a few lines, and well under n^2 for any input. */
void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	char *b = base;
	size_t gap = 1;

	while (gap < n / 3)
		gap = 3 * gap + 1;
	for (; gap > 0; gap /= 3)
		for (size_t i = gap; i < n; i++)
			for (size_t j = i; j >= gap && cmp(b + (j - gap) * size, b + j * size) > 0; j -= gap)
				swap_bytes(b + (j - gap) * size, b + j * size, size);
}
