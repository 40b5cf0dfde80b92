/* fmt.c — the printf formatting the init uses, in place of the libc's.
 *
 * musl's printf is one engine for every conversion, so any snprintf() links its floating-point code
 * too: about 12 KB of a static PID 1 that never prints a double. These definitions take the place of
 * the libc's snprintf, vsnprintf and sprintf at link time (a static link pulls a libc member only for a
 * symbol nothing else defines), for every build of the init: musl, klibc and the sanitizer one, so the
 * tests exercise this code. Nothing in the init may use another member of the printf family.
 *
 * Supported: flags '-' and '0'; a width and a precision, each a number or '*'; the lengths hh, h, l,
 * ll, z, j, t; conversions d i u x X o c s p %. At anything else the rest of the format is copied as
 * written and no further argument is read: the size of the one it cannot convert is unknown, so every
 * later one would be misread. lib/tests/fmtcheck.c keeps such formats out of the sources.
 * lib/tests/test-fmt.c holds it against glibc's here and against musl's on all six architectures. */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct out {
	char *buf;
	size_t size, len; /* len counts every byte, written or not, as snprintf returns it */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

/* One converted field: SIGN (or 0), then DIGITS, padded to WIDTH, with zeros when ZERO. */
static void field(struct out *o, const char *s, size_t n, char sign, int width, int left, int zero)
{
	int fill = width - (int)n - (sign != 0);

	if (!left && !zero)
		pad(o, ' ', fill);
	if (sign)
		put(o, sign);
	if (!left && zero)
		pad(o, '0', fill);
	while (n--)
		put(o, *s++);
	if (left)
		pad(o, ' ', fill);
}

int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt, va_list ap)
{
	struct out o = {buf, size, 0};

	for (const char *p = fmt; *p; p++) {
		const char *start = p;
		int left = 0, zero = 0, width = 0, prec = -1, lng = 0, sz = 0;
		char digits[24], *d = digits + sizeof digits, sign = 0;
		uintmax_t u;

		if (*p != '%') {
			put(&o, *p);
			continue;
		}
		for (p++;; p++) {
			if (*p == '-')
				left = 1;
			else if (*p == '0')
				zero = 1;
			else
				break;
		}
		if (*p == '*') {
			width = va_arg(ap, int);
			if (width < 0)
				left = 1, width = -width;
			p++;
		}
		while (*p >= '0' && *p <= '9')
			width = width * 10 + (*p++ - '0');
		if (*p == '.') {
			prec = 0;
			if (*++p == '*') {
				prec = va_arg(ap, int);
				p++;
			}
			while (*p >= '0' && *p <= '9')
				prec = prec * 10 + (*p++ - '0');
		}
		for (;; p++) {
			if (*p == 'l')
				lng++;
			else if (*p == 'h')
				lng--;
			else if (*p == 'z' || *p == 't')
				sz = 1;
			else if (*p == 'j')
				sz = 2; /* intmax_t: wider than size_t on 32-bit machines */
			else
				break;
		}
		switch (*p) {
		case '%':
			put(&o, '%');
			continue;
		case 'c':
			if (lng | sz)
				goto unsupported; /* %lc: a wide character */
			digits[0] = (char)va_arg(ap, int);
			field(&o, digits, 1, 0, width, left, 0);
			continue;
		case 's': {
			if (lng | sz)
				goto unsupported; /* %ls: a wide string */
			const char *s = va_arg(ap, const char *);
			size_t n;
			if (!s)
				s = "(null)";
			n = prec >= 0 ? strnlen(s, (size_t)prec) : strlen(s);
			field(&o, s, n, 0, width, left, 0);
			continue;
		}
		case 'd':
		case 'i': {
			intmax_t v = sz == 2 ? va_arg(ap, intmax_t)
				 : sz ? va_arg(ap, ptrdiff_t)
				 : lng >= 2 ? va_arg(ap, long long)
				 : lng == 1 ? va_arg(ap, long)
					    : va_arg(ap, int);
			if (lng == -1)
				v = (short)v;
			else if (lng <= -2)
				v = (signed char)v;
			if (v < 0)
				sign = '-', u = -(uintmax_t)v;
			else
				u = (uintmax_t)v;
			break;
		}
		case 'u':
		case 'x':
		case 'X':
		case 'o':
		case 'p':
			u = *p == 'p'    ? (uintptr_t)va_arg(ap, void *)
			    : sz == 2    ? va_arg(ap, uintmax_t)
			    : sz         ? va_arg(ap, size_t)
			    : lng >= 2   ? va_arg(ap, unsigned long long)
			    : lng == 1   ? va_arg(ap, unsigned long)
					 : va_arg(ap, unsigned);
			if (lng == -1)
				u = (unsigned short)u;
			else if (lng <= -2)
				u = (unsigned char)u;
			break;
		default:
		unsupported:
			while (*start)
				put(&o, *start++);
			goto done;
		}
		/* An integer: digits from the right, then the precision's leading zeros. */
		{
			unsigned base = *p == 'o' ? 8 : (*p == 'x' || *p == 'X' || *p == 'p') ? 16 : 10;
			const char *set = *p == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
			if (u || prec != 0) /* C: zero with precision 0 converts to no digits */
				do
					*--d = set[u % base];
				while ((u /= base) && d > digits);
			while (prec > 0 && digits + sizeof digits - d < prec && d > digits)
				*--d = '0';
			if (*p == 'p') {
				put(&o, '0');
				put(&o, 'x');
			}
			field(&o, d, (size_t)(digits + sizeof digits - d), sign, width, left, zero && prec < 0);
		}
	}
done:
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int sprintf(char *restrict buf, const char *restrict fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, INT_MAX, fmt, ap); /* no bound, as sprintf; INT_MAX is what it can return */
	va_end(ap);
	return n;
}
