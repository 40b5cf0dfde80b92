/* hexdigit.h — the value of one hexadecimal digit, for the init's small parsers of hex text (UUIDs,
 * root hashes, checksums, MAC addresses, HTTP chunk sizes, escapes). */
#ifndef EARLYROOT_HEXDIGIT_H
#define EARLYROOT_HEXDIGIT_H

/* 0..15, or -1 when C is not a hex digit (either case). */
static inline int hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif
