/* fuzz target: the init's module table reader and matcher (init/modtable.c) on arbitrary bytes. The
 * table comes from the image, which a person may have built by hand or damaged: the init must never
 * read out of bounds or loop on it. The last line of the input doubles as a device's modalias. */
#include "modtable.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const struct modtab *current;

static void check(void *ctx, size_t module)
{
	(void)ctx;
	if (module >= current->nmods)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), alias[512];
	struct modtab t;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	/* A modalias from the input's last line (before the parser cuts it). */
	const char *last = strrchr(text, '\n');
	last = last ? last + 1 : text;
	size_t n = strlen(last) < sizeof alias - 1 ? strlen(last) : sizeof alias - 1;
	memcpy(alias, last, n);
	alias[n] = 0;
	if (modtab_parse(text, &t) == 0) {
		const char *end = t.buf + size;
		for (size_t i = 0; i < t.nmods; i++) {
			const struct modtab_module *m = &t.mods[i];
			const char *s[] = {m->name, m->path, m->pre, m->post, m->params};
			for (size_t j = 0; j < sizeof s / sizeof s[0]; j++)
				if (!s[j] || ((s[j] < t.buf || s[j] > end) && !(s[j][0] == 0)))
					abort();
			/* Every dependency name resolves or not, without running off the list. */
			for (const char *p = m->pre; *p; p += strcspn(p, ","), p += *p == ',')
				(void)modtab_find(&t, p, strcspn(p, ","));
		}
		for (size_t i = 0; i < t.naliases; i++)
			if (t.aliases[i].module >= t.nmods || t.aliases[i].pattern < t.buf || t.aliases[i].pattern > end)
				abort();
		current = &t;
		modtab_match(&t, alias, check, NULL);
		modtab_match(&t, "pci:v00001AF4d00001042sv00001AF4sd00001042bc01sc80i00", check, NULL);
		modtab_free(&t);
	} else {
		modtab_free(&t);
	}
	return 0;
}
