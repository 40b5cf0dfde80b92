/* test-fmt.c — lib/fmt.c against the host libc's snprintf, conversion by conversion.
 *
 * fmt.c is compiled into this test under other names (fmt_snprintf...), so both run side by side: for
 * every format the init's sources use, and the edge cases around them, the text and the return value
 * must be the libc's, whole and cut short by a small buffer. */
#include "tap.h"

#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

int fmt_snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...);
int fmt_vsnprintf(char *restrict buf, size_t size, const char *restrict fmt, va_list ap);

static int same(const char *fmt, ...)
{
	char ours[256], libc[256];
	va_list ap, ap2;
	int ok = 1;

	for (size_t size = sizeof ours; ok; size = size > 8 ? 7 : size - 1) {
		int n1, n2;
		memset(ours, 'X', sizeof ours);
		memset(libc, 'X', sizeof libc);
		va_start(ap, fmt);
		va_copy(ap2, ap);
		n1 = fmt_vsnprintf(ours, size, fmt, ap);
		n2 = vsnprintf(libc, size, fmt, ap2);
		va_end(ap2);
		va_end(ap);
		if (n1 != n2 || memcmp(ours, libc, sizeof ours)) {
			printf("#   \"%s\" size %zu: ours %d \"%.*s\", libc %d \"%.*s\"\n", fmt, size, n1,
			       (int)(size ? size : 1) - 1, ours, n2, (int)(size ? size : 1) - 1, libc);
			ok = 0;
		}
		if (size == 0)
			break;
	}
	return ok;
}

int main(void)
{
	CHECK(same("plain text, no conversion"), "text without conversions");
	CHECK(same("%s and %s", "one", "two"), "%%s");
	CHECK(same("[%10s|%-10s|%.3s|%.*s|%5.2s]", "right", "left", "precision", 4, "starprec", "ab"),
	      "%%s with width, '-', precision and '*'");
	CHECK(same("%s", ""), "an empty string");
	CHECK(same("%d %d %d %d", 0, 42, -42, INT_MIN), "%%d including INT_MIN");
	CHECK(same("%i %u %u", INT_MAX, 0u, UINT_MAX), "%%i and %%u at the limits");
	CHECK(same("%ld %lu %lld %llu", LONG_MIN, ULONG_MAX, LLONG_MIN, ULLONG_MAX), "l and ll at the limits");
	CHECK(same("%zu %zd", (size_t)SIZE_MAX, (ssize_t)-5), "z");
	/* j is intmax_t, 64 bits where size_t has 32: each followed by an argument that a misread shifts. */
	CHECK(same("%jd %s %ju %d %jx", INTMAX_MIN, "next", UINTMAX_MAX, 7, (uintmax_t)0x123456789abcdef0),
	      "j at the limits, the arguments after it read in their place");
	CHECK(same("%td %tu %zx %s", (ptrdiff_t)PTRDIFF_MIN, (size_t)PTRDIFF_MAX, (size_t)0xabc, "end"), "t and z");
	CHECK(same("%lld %s %llx %ld %lu", 1LL << 40, "mid", 0xfedcba9876543210ULL, -1L, (unsigned long)LONG_MAX),
	      "64-bit values before and after other arguments");
	CHECK(same("%hd %hu %hhd %hhu", (short)-3, (unsigned short)65535, (signed char)-7, (unsigned char)255),
	      "h and hh");
	CHECK(same("%x %X %lx %08x %02x %02X %02x", 0xdeadbeefu, 0xabcdefu, 0x858458f6ul, 0x2au, 7u, 0xfu, 0x1ffu),
	      "hex with zero padding (UUIDs, statfs magic)");
	CHECK(same("%o %04o %04o", 8u, 0644u, 04755u), "octal modes");
	CHECK(same("%5d|%-5d|%05d|%-05d|%05d", 42, 42, 42, 42, -42), "width, '-', '0' and a sign");
	CHECK(same("%.3d|%8.3d|%.0d|%.0d", 7, -7, 0, 3), "integer precision");
	CHECK(same("%c%c%3c%-3c|", 'a', 'b', 'c', 'd'), "%%c with width");
	CHECK(same("100%% sure, %s%%", "half"), "%%%%");
	CHECK(same("%*d|%-*d|%*d", 6, 1, 6, 2, -6, 3), "'*' width, negative means left");
	CHECK(same("%p %p", (void *)0x1234, (void *)&main), "%%p");
	CHECK(same("earlyroot: freed the initramfs: %lu files and %lu directories removed (%s)%s", 17ul, 23ul,
		   "2.7 MiB", ""), "a message of the init");
	CHECK(same("stage %s: started at %lld ms, took %lld ms", "modules", 2133LL, 419LL), "rd.debug timing");
	{
		char big[600];
		memset(big, 'y', sizeof big - 1);
		big[sizeof big - 1] = 0;
		CHECK(same("%s|%d", big, 5), "a string longer than every buffer: cut, and the full length returned");
	}
	/* A conversion fmt.c does not support: the rest of the format as written, no argument read (the
	 * build's fmtcheck suite keeps these out of the sources; this is what a miss would print). */
	{
		char buf[64];
		int n = fmt_snprintf(buf, sizeof buf, "a=%d b=%+d c=%s|", 1, 2, "three");
		CHECK(n == 15 && strcmp(buf, "a=1 b=%+d c=%s|") == 0,
		      "%%+d: the rest of the format as written, no argument read (\"%s\", %d)", buf, n);
		n = fmt_snprintf(buf, sizeof buf, "%s %f %d %s", "x", 1.5, 7, "y");
		CHECK(n == 10 && strcmp(buf, "x %f %d %s") == 0, "%%f: the same (\"%s\", %d)", buf, n);
		n = fmt_snprintf(buf, sizeof buf, "%#x %s", 255u, "z");
		CHECK(strcmp(buf, "%#x %s") == 0, "%%#x: the same (\"%s\")", buf);
		n = fmt_snprintf(buf, sizeof buf, "%ls|%d", L"wide", 3);
		CHECK(strcmp(buf, "%ls|%d") == 0, "%%ls: the same, not read as a char string (\"%s\")", buf);
		n = fmt_snprintf(buf, 6, "ab%+dcdefgh", 1);
		CHECK(n == 11 && strcmp(buf, "ab%+d") == 0, "cut short by the buffer, the full length returned (\"%s\", %d)",
		      buf, n);
		n = fmt_snprintf(buf, sizeof buf, "50%");
		CHECK(n == 3 && strcmp(buf, "50%") == 0, "a '%%' at the end stays (\"%s\")", buf);
	}
	{
		char buf[8];
		int n = fmt_snprintf(buf, 0, "%s", "abc");
		CHECK(n == 3, "size 0 writes nothing and returns the length (%d)", n);
	}
	return tap_finish();
}
