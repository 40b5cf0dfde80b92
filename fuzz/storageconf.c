/* fuzz-storageconf — libFuzzer target for storage_conf_parse() (init/storage_conf.c), the stacked
 * storage words of the kernel command line. The first byte picks the way in and the error buffer:
 *   bit 0 set: the rest goes through cmdline_parse(), as at boot, and its storage words on;
 *   bit 0 clear: the rest is split into words here (whitespace; KEY=VALUE at the first '=', a word
 *              without '=' has no value), so that any key reaches storage_conf_parse();
 *   bits 1-7: the error buffer's size (0 and NULL, or up to 254 bytes).
 * Every answer is checked against what storage_conf.h promises. */
#include "cmdline.h"
#include "storage_conf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORDS 256

static void check(int ok)
{
	if (!ok)
		__builtin_trap();
}

static int terminated(const char *s, size_t size) { return strnlen(s, size) < size; }

static int lower_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

/* P is one of the N values (or inside one). */
static int is_value(const char *p, const char *const *values, int n)
{
	for (int i = 0; i < n; i++)
		if (values[i] && p >= values[i] && p <= values[i] + strlen(values[i]))
			return 1;
	return 0;
}

static void check_conf(const struct storage_conf *c, const char *const *values, int nwords)
{
	check(c->nluks >= 0 && c->nluks <= STORAGE_MAX);
	for (int i = 0; i < c->nluks; i++) {
		const struct luks_want *w = &c->luks[i];
		check(terminated(w->uuid, sizeof w->uuid) && terminated(w->name, sizeof w->name) &&
		      terminated(w->key, sizeof w->key) && terminated(w->keydev, sizeof w->keydev));
		/* the every-volume entry ("") comes last; a UUID is lowercase 8-4-4-4-12 */
		check(w->uuid[0] || i == c->nluks - 1);
		if (w->uuid[0]) {
			check(strlen(w->uuid) == 36 && w->uuid[8] == '-' && w->uuid[13] == '-' && w->uuid[18] == '-' &&
			      w->uuid[23] == '-' && lower_hex(w->uuid, 8) && lower_hex(w->uuid + 9, 4) &&
			      lower_hex(w->uuid + 14, 4) && lower_hex(w->uuid + 19, 4) && lower_hex(w->uuid + 24, 12));
			check(storage_conf_luks(c, w->uuid) == w);
			for (int j = 0; j < i; j++)
				check(strcmp(c->luks[j].uuid, w->uuid)); /* one entry per UUID */
		}
		check(!strchr(w->name, '/'));
		check(!w->key[0] || w->key[0] == '/');
	}
	check(c->nlvm_vg >= 0 && c->nlvm_vg <= STORAGE_MAX && c->nlvm_lv >= 0 && c->nlvm_lv <= STORAGE_MAX);
	for (int i = 0; i < c->nlvm_vg; i++)
		check(terminated(c->lvm_vg[i], sizeof c->lvm_vg[i]) && c->lvm_vg[i][0] && !strchr(c->lvm_vg[i], '/'));
	for (int i = 0; i < c->nlvm_lv; i++) {
		const char *lv = c->lvm_lv[i], *slash;
		check(terminated(lv, sizeof c->lvm_lv[i]));
		slash = strchr(lv, '/');
		check(slash && slash != lv && slash[1] && !strchr(slash + 1, '/'));
	}
	check(c->nmd_uuid >= 0 && c->nmd_uuid <= STORAGE_MAX);
	for (int i = 0; i < c->nmd_uuid; i++) {
		check(strnlen(c->md_uuid[i], 33) == 32 && lower_hex(c->md_uuid[i], 32));
		check(storage_conf_md_wanted(c, c->md_uuid[i]) == !c->md_off);
	}
	check(c->md_degraded_timeout_s >= -1 && c->md_degraded_timeout_s <= 86400);
	size_t h = strnlen(c->roothash, sizeof c->roothash);
	check(h < sizeof c->roothash && h % 2 == 0 && h <= 128 && lower_hex(c->roothash, h));
	check(c->resume_offset >= -1 && c->resume_offset <= (1LL << 53));
	/* the strings handed out are the caller's values */
	const char *strings[] = { c->verity_data, c->verity_hash, c->verity_options, c->resume };
	for (size_t i = 0; i < sizeof strings / sizeof *strings; i++)
		check(!strings[i] || is_value(strings[i], values, nwords));
	check(!c->resume || c->resume[0]);
	check(c->nwarnings >= 0 && c->nwarnings <= STORAGE_MAX_WARNINGS);
	for (int i = 0; i < c->nwarnings; i++)
		check(terminated(c->warnings[i], sizeof c->warnings[i]) && c->warnings[i][0]);
}

static void run(const char *const *keys, const char *const *values, int n, size_t errsize)
{
	static struct storage_conf c;
	char err[256];

	memset(err, 0x5A, sizeof err);
	int r = storage_conf_parse(keys, values, n, &c, errsize ? err : NULL, errsize);
	check(r == 0 || r == -1);
	if (errsize) {
		check(terminated(err, errsize));
		check(r == 0 || err[0]); /* a refusal says why */
		check(errsize == sizeof err || (unsigned char)err[errsize] == 0x5A); /* nothing past the buffer */
	}
	if (r == 0)
		check_conf(&c, values, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	size_t errsize = (size_t)(data[0] >> 1) * 2;
	char *text = malloc(size);
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = 0;
	if (data[0] & 1) {
		struct cmdline cl;
		if (cmdline_parse(text, &cl) == 0) {
			run(cl.storage_keys, cl.storage_values, cl.nstorage, errsize);
			cmdline_free(&cl);
		}
	} else {
		const char *keys[MAX_WORDS], *values[MAX_WORDS];
		int n = 0;
		for (char *p = text; *p && n < MAX_WORDS;) {
			while (*p == ' ' || *p == '\t' || *p == '\n')
				p++;
			if (!*p)
				break;
			char *w = p;
			while (*p && *p != ' ' && *p != '\t' && *p != '\n')
				p++;
			if (*p)
				*p++ = 0;
			char *eq = strchr(w, '=');
			if (eq)
				*eq = 0;
			keys[n] = w;
			values[n++] = eq ? eq + 1 : NULL;
		}
		run(keys, values, n, errsize);
	}
	free(text);
	return 0;
}
