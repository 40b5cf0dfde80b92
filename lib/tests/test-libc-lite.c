/* test-libc-lite.c — lib/libc-lite.c against the host libc: strtol, strtoul, atoi, strstr, qsort.
 *
 * libc-lite.c is compiled into this test under other names (lite_strtol...), so both run side by side on
 * the same input: the value, where parsing stopped and errno must be the libc's. */
#include "tap.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

long lite_strtol(const char *s, char **end, int base);
unsigned long lite_strtoul(const char *s, char **end, int base);
int lite_atoi(const char *s);
char *lite_strstr(const char *h, const char *n);
void lite_qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));

static const char *const numbers[] = {
	"0", "1", "-1", "+1", "42", "  \t\n42", " -42x", "007", "08", "0x", "0x1f", "0X1F", "-0x10", "0xg", "x1",
	"", " ", "-", "+", "+-1", "--1", "z", "Zz", "1e3", "9223372036854775807", "9223372036854775808",
	"-9223372036854775808", "-9223372036854775809", "18446744073709551615", "18446744073709551616",
	"-18446744073709551615", "-18446744073709551616", "99999999999999999999999999999", "0777", "0b101",
	"1:2", "255\n", "-255", "4096", "0xffffffffffffffff", "0x10000000000000000", "ffff", "7fffffff",
};
static const int bases[] = { 0, 2, 8, 10, 16, 36 };

/* No digits: POSIX allows EINVAL there ("may fail"); musl sets it, glibc and libc-lite do not. */
static int no_conversion(const char *s, const char *end, int err1, int err2)
{
	return end == s && err1 == 0 && (err2 == 0 || err2 == EINVAL);
}

static int same_strtol(const char *s, int base)
{
	char *e1, *e2;
	errno = 0;
	long a = lite_strtol(s, &e1, base);
	int err1 = errno;
	errno = 0;
	long b = strtol(s, &e2, base);
	int err2 = errno;
	if (a == b && e1 == e2 && (err1 == err2 || no_conversion(s, e1, err1, err2)))
		return 1;
	printf("#   strtol(\"%s\", %d): ours %ld end+%td errno %d, libc %ld end+%td errno %d\n", s, base, a, e1 - s,
	       err1, b, e2 - s, err2);
	return 0;
}

static int same_strtoul(const char *s, int base)
{
	char *e1, *e2;
	errno = 0;
	unsigned long a = lite_strtoul(s, &e1, base);
	int err1 = errno;
	errno = 0;
	unsigned long b = strtoul(s, &e2, base);
	int err2 = errno;
	if (a == b && e1 == e2 && (err1 == err2 || no_conversion(s, e1, err1, err2)))
		return 1;
	printf("#   strtoul(\"%s\", %d): ours %lu end+%td errno %d, libc %lu end+%td errno %d\n", s, base, a,
	       e1 - s, err1, b, e2 - s, err2);
	return 0;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

struct rec {
	char name[21]; /* an odd size, to catch a sort that assumes aligned words */
};
static int cmp_rec(const void *a, const void *b)
{
	return strcmp(((const struct rec *)a)->name, ((const struct rec *)b)->name);
}

static uint32_t rng = 12345;
static uint32_t next(void)
{
	rng ^= rng << 13, rng ^= rng >> 17, rng ^= rng << 5;
	return rng;
}

int main(void)
{
	int ok = 1, n = 0;
	for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++)
		for (size_t j = 0; j < sizeof bases / sizeof bases[0]; j++, n++)
			ok &= same_strtol(numbers[i], bases[j]);
	CHECK(ok, "strtol: value, end and errno as the libc's for %d inputs (signs, prefixes, overflow, no digits)", n);
	ok = 1;
	for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++)
		for (size_t j = 0; j < sizeof bases / sizeof bases[0]; j++)
			ok &= same_strtoul(numbers[i], bases[j]);
	CHECK(ok, "strtoul: value, end and errno as the libc's (\"-1\" is ULONG_MAX, overflow is ERANGE)");
	{
		/* The libc leaves *end as it was here (glibc) or at the start (musl): the standard says nothing. */
		const char *s = "12";
		char *e;
		errno = 0;
		long a = lite_strtol(s, &e, 1);
		CHECK(a == 0 && e == s && errno == EINVAL, "strtol with base 1: 0, EINVAL, nothing read");
	}
	ok = 1;
	for (int i = 0; i < 100000; i++) { /* random short strings over the characters that matter */
		static const char alphabet[] = "0123456789abcdefxXzZ +-\t";
		char s[12];
		int len = (int)(next() % sizeof s);
		for (int k = 0; k < len; k++)
			s[k] = alphabet[next() % (sizeof alphabet - 1)];
		s[len] = 0;
		int base = bases[next() % (sizeof bases / sizeof bases[0])];
		ok &= same_strtol(s, base) && same_strtoul(s, base);
		if (!ok)
			break;
	}
	CHECK(ok, "strtol and strtoul as the libc's on 100000 random strings");
	CHECK(lite_atoi("512\n") == 512 && lite_atoi(" -3") == -3 && lite_atoi("x") == 0 && lite_atoi("") == 0,
	      "atoi: sysfs numbers with their newline, signs, nothing");

	ok = 1;
	for (int i = 0; i < 200000 && ok; i++) {
		char h[16], nd[5];
		int hl = (int)(next() % sizeof h), nl = (int)(next() % sizeof nd);
		for (int k = 0; k < hl; k++)
			h[k] = "ab"[next() % 2];
		h[hl] = 0;
		for (int k = 0; k < nl; k++)
			nd[k] = "ab"[next() % 2];
		nd[nl] = 0;
		if (lite_strstr(h, nd) != strstr(h, nd)) {
			printf("#   strstr(\"%s\", \"%s\") differs\n", h, nd);
			ok = 0;
		}
	}
	CHECK(ok, "strstr: the same match as the libc's on 200000 random pairs, empty needle and haystack included");
	CHECK(lite_strstr("x DEVNAME=vda", "DEVNAME=") == strstr("x DEVNAME=vda", "DEVNAME=") &&
	      lite_strstr("a - b", " - ") != NULL && lite_strstr("abc", "abcd") == NULL,
	      "strstr: the init's own searches");

	ok = 1;
	for (size_t len = 0; len <= 600 && ok; len += len < 20 ? 1 : 37) {
		int a[600], b[600];
		for (size_t k = 0; k < len; k++)
			a[k] = b[k] = (int)(next() % (len / 2 + 1)); /* duplicates on purpose */
		lite_qsort(a, len, sizeof a[0], cmp_int);
		qsort(b, len, sizeof b[0], cmp_int);
		ok = !memcmp(a, b, len * sizeof a[0]);
	}
	CHECK(ok, "qsort: ints of every length 0..20 and up to 600, with duplicates, sorted as the libc sorts them");
	{
		struct rec r[300], s[300];
		for (int k = 0; k < 300; k++) {
			snprintf(r[k].name, sizeof r[k].name, "%02u-hook-%u", next() % 100, next() % 1000);
			s[k] = r[k];
		}
		lite_qsort(r, 300, sizeof r[0], cmp_rec);
		qsort(s, 300, sizeof s[0], cmp_rec);
		ok = 1;
		for (int k = 0; k < 300; k++)
			ok &= !strcmp(r[k].name, s[k].name);
		CHECK(ok, "qsort: 21-byte records by name (the hooks directory's order)");
	}
	return tap_finish();
}
