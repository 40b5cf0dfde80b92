/* rootspec.c — see rootspec.h. No system calls: tested and fuzzed alone. */
#include "rootspec.h"
#include "fsutil.h"
#include "hexdigit.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define FORMS "/dev/NAME, MAJOR:MINOR, UUID=, LABEL=, PARTUUID=, PARTLABEL="
#define KEY(rs) ((rs)->key ? (rs)->key : "root")

/* udev escapes '/' and unsafe bytes in /dev/disk/by-label names as \xNN: undo it. */
static int unescape(const char *in, char *out, size_t size)
{
	size_t n = 0;
	while (*in) {
		if (in[0] == '\\' && in[1] == 'x' && isxdigit((unsigned char)in[2]) &&
		    isxdigit((unsigned char)in[3])) {
			if (n + 1 >= size)
				return -1;
			out[n++] = (char)(hex_digit(in[2]) * 16 + hex_digit(in[3]));
			in += 4;
			continue;
		}
		if (n + 1 >= size)
			return -1;
		out[n++] = *in++;
	}
	out[n] = 0;
	return 0;
}

static int set_value(struct rootspec *rs, enum root_kind kind, const char *v, char *err, size_t errsize)
{
	rs->kind = kind;
	if (!*v) {
		snprintf(err, errsize, "%s=%s has an empty value", KEY(rs), rs->text);
		return -1;
	}
	if (unescape(v, rs->value, sizeof rs->value) < 0) {
		snprintf(err, errsize, "%s=%.40s... is too long", KEY(rs), rs->text);
		return -1;
	}
	if (kind == ROOT_UUID || kind == ROOT_PARTUUID)
		for (char *p = rs->value; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	return 0;
}

static int all_hex(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isxdigit((unsigned char)*s))
			return 0;
	return 1;
}

int rootspec_parse(const char *root, struct rootspec *rs, char *err, size_t errsize)
{
	return rootspec_parse_key(NULL, root, rs, err, errsize);
}

int rootspec_parse_key(const char *key, const char *root, struct rootspec *rs, char *err, size_t errsize)
{
	static const struct {
		const char *prefix;
		enum root_kind kind;
	} named[] = {
		{"UUID=", ROOT_UUID},
		{"LABEL=", ROOT_LABEL},
		{"CDLABEL=", ROOT_LABEL}, /* dracut's name for a disc's label: the same probe */
		{"PARTUUID=", ROOT_PARTUUID},
		{"PARTLABEL=", ROOT_PARTLABEL},
		{"/dev/disk/by-uuid/", ROOT_UUID},
		{"/dev/disk/by-label/", ROOT_LABEL},
		{"/dev/disk/by-partuuid/", ROOT_PARTUUID},
		{"/dev/disk/by-partlabel/", ROOT_PARTLABEL},
	};
	memset(rs, 0, sizeof *rs);
	rs->text = root;
	rs->key = key;
	if (!root || !*root) {
		snprintf(err, errsize, "no %s= on the kernel command line: add one (%s)", KEY(rs), FORMS);
		return -1;
	}
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
		size_t n = strlen(named[i].prefix);
		if (strncmp(root, named[i].prefix, n))
			continue;
		if (set_value(rs, named[i].kind, root + n, err, errsize) < 0)
			return -1;
		if (rs->kind == ROOT_PARTUUID) {
			char *off = strstr(rs->value, "/partnroff=");
			if (off) {
				char *e;
				long v = strtol(off + 11, &e, 10);
				if (off[11] == 0 || *e || v < -255 || v > 255) {
					snprintf(err, errsize, "%s=%s: PARTNROFF= takes a small number", KEY(rs), root);
					return -1;
				}
				rs->partnroff = (int)v;
				*off = 0;
			}
		}
		return 0;
	}
	if (!strncmp(root, "/dev/", 5) && root[5]) {
		rs->kind = ROOT_PATH;
		snprintf(rs->value, sizeof rs->value, "%s", root);
		if (strlen(root) >= sizeof rs->value) {
			snprintf(err, errsize, "%s=%.40s... is too long", KEY(rs), root);
			return -1;
		}
		return 0;
	}
	if (strchr(root, ':') && parse_majmin(root, &rs->maj, &rs->min) == 0) {
		rs->kind = ROOT_DEVNUM;
		return 0;
	}
	/* Hex, as the kernel's own root= parser: 0x801 or 801 is major 8, minor 1 (the old 8:8 layout
	 * for small numbers, the new 12:20 one for bigger, like new_decode_dev). */
	const char *h = !strncmp(root, "0x", 2) || !strncmp(root, "0X", 2) ? root + 2 : root;
	if (all_hex(h) && strlen(h) <= 8) {
		unsigned long v = strtoul(h, NULL, 16);
		rs->kind = ROOT_DEVNUM;
		rs->maj = (unsigned)((v & 0xfff00) >> 8);
		rs->min = (unsigned)((v & 0xff) | ((v >> 12) & 0xfff00));
		return 0;
	}
	snprintf(err, errsize, "%s=%s is not understood: use %s", KEY(rs), root, FORMS);
	return -1;
}

int rootspec_matches(const struct rootspec *rs, const char *value)
{
	if (!value || !*value)
		return 0;
	if (rs->kind == ROOT_UUID || rs->kind == ROOT_PARTUUID)
		return !strcasecmp(rs->value, value);
	return !strcmp(rs->value, value);
}
