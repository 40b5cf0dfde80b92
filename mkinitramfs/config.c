/* config.c — read a -c CONFIG file. One "key = value" per line; spaces around both are dropped; a line
 * whose first non-blank character is '#' is a comment (a '#' after a value is part of it, so paths may
 * contain it). No quoting, no continuation lines: the file stays greppable and obvious. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	char *e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

int config_parse(const char *path, config_apply apply, void *ctx)
{
	struct buf b = { 0 };
	if (read_file(path, &b) < 0)
		return -1;
	buf_append(&b, "", 1);
	if (memchr(b.data, '\0', b.len - 1)) {
		errorf("%s: not a text file", path);
		buf_free(&b);
		return -1;
	}
	int rc = 0, lineno = 0;
	char *save = NULL;
	/* strtok_r would skip empty lines and so miscount; split by hand. */
	for (char *line = b.data; line && rc == 0; line = save) {
		char *nl = strchr(line, '\n');
		save = nl ? nl + 1 : NULL;
		if (nl)
			*nl = '\0';
		lineno++;
		char *s = trim(line);
		if (!*s || *s == '#')
			continue;
		char *where = xasprintf("%s:%d", path, lineno);
		char *eq = strchr(s, '=');
		if (!eq) {
			errorf("%s: expected key = value, got '%s'", where, s);
			rc = -1;
		} else {
			*eq = '\0';
			char *key = trim(s), *value = trim(eq + 1);
			if (!*key) {
				errorf("%s: no key before '='", where);
				rc = -1;
			} else {
				rc = apply(ctx, key, value, where);
			}
		}
		free(where);
	}
	buf_free(&b);
	return rc;
}

int config_bool(const char *value, const char *where, const char *key, bool *v)
{
	static const char *const yes[] = { "yes", "true", "on", "1" }, *const no[] = { "no", "false", "off", "0" };
	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(value, yes[i]) == 0) {
			*v = true;
			return 0;
		}
		if (strcasecmp(value, no[i]) == 0) {
			*v = false;
			return 0;
		}
	}
	errorf("%s: %s must be yes or no, not '%s'", where, key, value);
	return -1;
}
