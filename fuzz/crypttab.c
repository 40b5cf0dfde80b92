/* fuzz-crypttab — libFuzzer target for crypttab_parse() (init/crypttab.c), the image's /etc/crypttab.
 * The first byte picks how many entries the caller has room for (1-16) and the warning buffer's size
 * (0-255); the rest is the file. Every entry must be a valid device-mapper name with NUL-terminated
 * fields, the count within the room, and the warning NUL-terminated inside its buffer. */
#include "crypttab.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int terminated(const char *s, size_t size) { return strnlen(s, size) < size; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crypttab_entry v[CRYPTTAB_MAX + 1];
	char warn[256];

	if (!size)
		return 0;
	int max = 1 + (data[0] & 15);
	size_t warnsize = data[0] & 0x80 ? (size_t)(data[0] & 0x7F) * 2 : sizeof warn;
	memset(v, 0x5A, sizeof v);
	memset(warn, 0x5A, sizeof warn);
	/* a copy of exactly SIZE - 1 bytes, so that a read past the end is caught */
	char *text = malloc(size - 1 ? size - 1 : 1);
	memcpy(text, data + 1, size - 1);
	int n = crypttab_parse(text, size - 1, v, max, warnsize ? warn : NULL, warnsize);
	free(text);
	if (n < 0 || n > max || (warnsize && !terminated(warn, warnsize)))
		__builtin_trap();
	if (v[max].name[0] != 0x5A) /* nothing written past the caller's room */
		__builtin_trap();
	for (int i = 0; i < n; i++) {
		const struct crypttab_entry *e = &v[i];
		if (!terminated(e->name, sizeof e->name) || !terminated(e->device, sizeof e->device) ||
		    !terminated(e->key, sizeof e->key) || !terminated(e->unsupported, sizeof e->unsupported))
			__builtin_trap();
		if (!e->name[0] || !e->device[0] || strchr(e->name, '/') || !strcmp(e->name, ".") ||
		    !strcmp(e->name, "..") || !strcmp(e->key, "none") || !strcmp(e->key, "-"))
			__builtin_trap();
		if (e->tries < -1 || e->tries > 1000 || e->keyfile_size > (8u << 20))
			__builtin_trap();
	}
	return 0;
}
