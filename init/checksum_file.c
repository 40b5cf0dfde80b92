/* checksum_file.c — see checksum_file.h. The formats are coreutils' (sha256sum, sha256sum --tag) and
 * BSD's sha256(1); a line is taken apart from both ends, since a name may hold any byte but a newline. */
#include "checksum_file.h"
#include "hexdigit.h"

#include <stdio.h>
#include <string.h>

#define HEXLEN 64

/* 1 if the LEN bytes at S are exactly 64 hex digits (DIGEST filled), else 0. */
static int parse_hex(const char *s, size_t len, uint8_t digest[32])
{
	if (len != HEXLEN)
		return 0;
	for (size_t i = 0; i < 32; i++) {
		int hi = hex_digit(s[2 * i]), lo = hex_digit(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return 0;
		digest[i] = (uint8_t)(hi << 4 | lo);
	}
	return 1;
}

static const char *last_component(const char *s, size_t len, size_t *outlen)
{
	size_t i = len;
	while (i && s[i - 1] != '/')
		i--;
	*outlen = len - i;
	return s + i;
}

/* Does the name at S (LEN bytes, with sha256sum's escapes if ESCAPED) end in the component WANT?
 * 1 yes, 0 no, -1 a bad escape. An escape never stands for '/', so the last '/' of the written form
 * is the last '/' of the name. */
static int name_matches(const char *s, size_t len, int escaped, const char *want, size_t wantlen)
{
	size_t i = 0, w = 0;
	int same = 1;

	s = last_component(s, len, &len);
	while (i < len) {
		char c = s[i++];
		if (escaped && c == '\\') {
			if (i == len)
				return -1;
			c = s[i++];
			if (c == 'n')
				c = '\n';
			else if (c == 'r')
				c = '\r';
			else if (c != '\\')
				return -1;
		}
		if (w >= wantlen || c != want[w])
			same = 0; /* go on all the same: a bad escape later still makes the line malformed */
		w++;
	}
	return same && w == wantlen && wantlen > 0;
}

/* One line (without its end). 1 parsed (DIGEST; NAME/NAMELEN: the name as written, NULL for a bare
 * digest; ESCAPED), 0 not a checksum line. */
static int parse_line(const char *s, size_t len, uint8_t digest[32], const char **name, size_t *namelen,
		      int *escaped)
{
	*escaped = 0;
	*name = NULL;
	*namelen = 0;
	if (len && s[0] == '\\') /* sha256sum's mark: the name is escaped */
		*escaped = 1, s++, len--;

	/* SHA256 (NAME) = HEX, with the spaces optional as sha256sum -c takes them */
	if (len > 6 + HEXLEN && !memcmp(s, "SHA256", 6)) {
		size_t e = len - HEXLEN, b = 6;
		if (!parse_hex(s + e, HEXLEN, digest))
			return 0;
		if (e && s[e - 1] == ' ')
			e--;
		if (!e || s[--e] != '=')
			return 0;
		if (e && s[e - 1] == ' ')
			e--;
		if (!e || s[--e] != ')')
			return 0;
		if (b < e && s[b] == ' ')
			b++;
		if (b >= e || s[b++] != '(')
			return 0;
		*name = s + b;
		*namelen = e - b;
		return *namelen > 0;
	}
	/* HEX  NAME, HEX *NAME, HEX NAME, HEX<tab>NAME; or HEX alone */
	if (len < HEXLEN || !parse_hex(s, HEXLEN, digest))
		return 0;
	if (len == HEXLEN)
		return !*escaped;
	size_t b = HEXLEN;
	if (s[b] != ' ' && s[b] != '\t')
		return 0;
	b++;
	if (b < len && (s[b] == ' ' || s[b] == '*'))
		b++;
	*name = s + b;
	*namelen = len - b;
	return *namelen > 0;
}

int checksum_file_find(const char *text, size_t len, const char *name, uint8_t digest[32], char *err,
		       size_t errsize)
{
	size_t wantlen, pos = 0;
	const char *want = last_component(name, strlen(name), &wantlen);
	unsigned line = 0, lines = 0, found_line = 0, bare_line = 0;
	uint8_t d[32];

	if (errsize)
		err[0] = 0;
	while (pos < len) {
		const char *s = text + pos;
		const char *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;
		pos += n + (nl != NULL);
		line++;
		if (n && s[n - 1] == '\r')
			n--; /* written on Windows */
		while (n && (*s == ' ' || *s == '\t'))
			s++, n--;
		size_t t = n;
		while (t && (s[t - 1] == ' ' || s[t - 1] == '\t'))
			t--;
		if (!t)
			continue; /* blank */
		lines++;

		const char *lname;
		size_t lnamelen;
		int escaped;
		/* A bare digest may be followed by blanks; a name may end with them. */
		if (memchr(s, 0, n) || !parse_line(s, t == HEXLEN ? t : n, d, &lname, &lnamelen, &escaped)) {
			snprintf(err, errsize, "line %u: not a SHA-256 checksum line", line);
			return -1;
		}
		if (!lname) {
			bare_line = line; /* valid only alone: checked at the end */
			memcpy(digest, d, 32);
			continue;
		}
		int m = name_matches(lname, lnamelen, escaped, want, wantlen);
		if (m < 0) {
			snprintf(err, errsize, "line %u: a bad \\ escape in the file name", line);
			return -1;
		}
		if (m && found_line && memcmp(digest, d, 32)) {
			snprintf(err, errsize, "line %u: a second checksum for %s, not the one on line %u", line, want,
				 found_line);
			return -1;
		}
		if (m && !found_line) {
			memcpy(digest, d, 32);
			found_line = line;
		}
	}
	if (!lines) {
		snprintf(err, errsize, "no checksum in the file (it is empty)");
		return -1;
	}
	if (bare_line && lines > 1) {
		snprintf(err, errsize, "line %u: a digest without a file name, in a file of several lines", bare_line);
		return -1;
	}
	return bare_line || found_line ? 1 : 0;
}
