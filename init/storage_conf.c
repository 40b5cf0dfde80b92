/* storage_conf.c — the stacked-storage words of the command line, checked (storage_conf.h).
 *
 * Repeatable words accumulate; for a single-valued one the last wins, as on the kernel's command line.
 * A value that is wrong in a way that would boot something else than asked (a malformed UUID, a root
 * hash that is not hex) stops the boot with one line; a harmless one is a warning. */
#include "storage_conf.h"
#include "hexdigit.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void warn(struct storage_conf *c, const char *fmt, ...)
{
	va_list ap;

	if (c->nwarnings >= STORAGE_MAX_WARNINGS)
		return;
	va_start(ap, fmt);
	vsnprintf(c->warnings[c->nwarnings++], sizeof c->warnings[0], fmt, ap);
	va_end(ap);
}

static int fail(char *err, size_t errsize, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errsize, fmt, ap);
	va_end(ap);
	return -1;
}

static int is_hex(char ch) { return hex_digit(ch) >= 0; }
static char lower(char ch) { return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch; }

/* "0"/"no"/"false"/"off" is off; no value or anything else is on. */
static int flag_on(const char *value)
{
	return !value || !(!strcmp(value, "0") || !strcmp(value, "no") || !strcmp(value, "false") || !strcmp(value, "off"));
}

/* A LUKS UUID in any case, with or without dashes, "luks-" in front (dracut's names) or not, to
 * lowercase 8-4-4-4-12. 0, or -1 when it is not 32 hex digits. */
static int norm_luks_uuid(const char *in, char out[37])
{
	char hex[33];
	size_t n = 0;

	if (!strncmp(in, "luks-", 5))
		in += 5;
	for (; *in; in++) {
		if (*in == '-')
			continue;
		if (!is_hex(*in) || n == 32)
			return -1;
		hex[n++] = lower(*in);
	}
	if (n != 32)
		return -1;
	snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
	return 0;
}

/* An md UUID as mdadm (a:b:c:d), blkid (8-4-4-4-12) or anyone writes it, to 32 lowercase hex. */
static int norm_md_uuid(const char *in, char out[33])
{
	size_t n = 0;

	for (; *in; in++) {
		if (*in == '-' || *in == ':' || *in == '.')
			continue;
		if (!is_hex(*in) || n == 32)
			return -1;
		out[n++] = lower(*in);
	}
	out[n] = 0;
	return n == 32 ? 0 : -1;
}

/* The entry for UUID ("" = for every volume), made if new. NULL when the list is full (warned). */
static struct luks_want *luks_entry(struct storage_conf *c, const char *uuid, const char *key)
{
	for (int i = 0; i < c->nluks; i++)
		if (!strcmp(c->luks[i].uuid, uuid))
			return &c->luks[i];
	if (c->nluks == STORAGE_MAX) {
		warn(c, "%s: more than %d LUKS volumes named; this one is ignored", key, STORAGE_MAX);
		return NULL;
	}
	struct luks_want *w = &c->luks[c->nluks++];
	memset(w, 0, sizeof *w);
	snprintf(w->uuid, sizeof w->uuid, "%s", uuid);
	return w;
}

/* rd.luks.uuid=, rd.luks.name=UUID=NAME: the volumes to open. */
static int luks_name(struct storage_conf *c, const char *key, const char *value, int with_name, char *err,
		     size_t errsize)
{
	char uuid[37], buf[256];
	const char *name = NULL;

	if (!value || !*value)
		return fail(err, errsize, "%s needs a value: %s", key,
			    with_name ? "rd.luks.name=UUID=NAME" : "rd.luks.uuid=UUID (the LUKS header's UUID, as blkid shows it)");
	snprintf(buf, sizeof buf, "%s", value);
	if (with_name) {
		char *eq = strchr(buf, '=');
		if (!eq || !eq[1])
			return fail(err, errsize, "%s=%s: write rd.luks.name=UUID=NAME", key, value);
		*eq = 0;
		name = eq + 1;
		if (strlen(name) >= sizeof c->luks[0].name || strchr(name, '/'))
			return fail(err, errsize, "%s=%s: the name must be a /dev/mapper name (no '/', under 128 bytes)", key,
				    value);
	}
	if (norm_luks_uuid(buf, uuid) < 0)
		return fail(err, errsize, "%s=%s: not a LUKS UUID (32 hex digits, as `blkid` or `cryptsetup luksUUID` shows)", key,
			    value);
	struct luks_want *w = luks_entry(c, uuid, key);
	if (w && name)
		snprintf(w->name, sizeof w->name, "%s", name);
	return 0;
}

/* [UUID=]REST: the UUID's entry (made if new) and REST, or the every-volume entry and all of it. */
static struct luks_want *luks_scoped(struct storage_conf *c, const char *key, const char *value, const char **rest)
{
	char uuid[37], head[64];
	const char *eq = strchr(value, '=');

	*rest = value;
	if (eq && (size_t)(eq - value) < sizeof head) {
		memcpy(head, value, (size_t)(eq - value));
		head[eq - value] = 0;
		if (norm_luks_uuid(head, uuid) == 0) {
			*rest = eq + 1;
			return luks_entry(c, uuid, key);
		}
	}
	return luks_entry(c, "", key);
}

/* rd.luks.key=PATH[:KEYDEV] or UUID=PATH[:KEYDEV]: systemd's form; dracut's third field (the LUKS
 * device) is not taken, and said so. */
static int luks_key(struct storage_conf *c, const char *key, const char *value, char *err, size_t errsize)
{
	const char *rest;

	if (!value || !*value)
		return fail(err, errsize, "%s needs a value: rd.luks.key=/PATH/IN/IMAGE or rd.luks.key=UUID=/PATH[:KEYDEV]", key);
	struct luks_want *w = luks_scoped(c, key, value, &rest);
	if (!w)
		return 0;
	if (rest[0] != '/')
		return fail(err, errsize, "%s=%s: the key file must be an absolute path (rd.luks.key=/etc/keyfile)", key, value);
	const char *colon = strchr(rest, ':');
	size_t plen = colon ? (size_t)(colon - rest) : strlen(rest);
	if (plen >= sizeof w->key || (colon && strlen(colon + 1) >= sizeof w->keydev))
		return fail(err, errsize, "%s=%s: too long", key, value);
	memcpy(w->key, rest, plen);
	w->key[plen] = 0;
	w->keydev[0] = 0;
	if (colon) {
		snprintf(w->keydev, sizeof w->keydev, "%s", colon + 1);
		char *second = strchr(w->keydev, ':');
		/* UUID=..., LABEL=... have no colon; a third field is dracut's LUKS device. */
		if (second && strncmp(w->keydev, "/dev/", 5) && !strchr(w->keydev, '=')) {
			*second = 0;
			warn(c, "%s=%s: the third field (dracut's LUKS device) is not used; write UUID=PATH:KEYDEV", key, value);
		}
	}
	return 0;
}

/* rd.luks.options=[UUID=]discard,no-read-workqueue,...: the crypttab options earlyroot applies. */
static void luks_options(struct storage_conf *c, const char *key, const char *value)
{
	const char *rest;
	char opts[256];

	if (!value || !*value) {
		warn(c, "%s without a value is ignored", key);
		return;
	}
	struct luks_want *w = luks_scoped(c, key, value, &rest);
	if (!w)
		return;
	snprintf(opts, sizeof opts, "%s", rest);
	for (char *save = NULL, *o = strtok_r(opts, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		if (!strcmp(o, "discard") || !strcmp(o, "allow-discards"))
			w->discard = 1;
		else if (!strcmp(o, "no-read-workqueue"))
			w->no_read_workqueue = 1;
		else if (!strcmp(o, "no-write-workqueue"))
			w->no_write_workqueue = 1;
		else
			warn(c, "%s: option '%s' is not one earlyroot applies (discard, no-read-workqueue, no-write-workqueue); ignored",
			     key, o);
	}
}

static void add_name(struct storage_conf *c, const char *key, const char *value, char (*list)[128], int *n)
{
	if (!value || !*value || strlen(value) >= 128 || strchr(value, '/')) {
		warn(c, "%s=%s: not a volume group name; ignored", key, value ? value : "");
		return;
	}
	if (*n == STORAGE_MAX) {
		warn(c, "%s: more than %d given; %s ignored", key, STORAGE_MAX, value);
		return;
	}
	snprintf(list[(*n)++], 128, "%s", value);
}

static int lvm_lv(struct storage_conf *c, const char *key, const char *value, char *err, size_t errsize)
{
	const char *slash = value ? strchr(value, '/') : NULL;

	if (!slash || slash == value || !slash[1] || strchr(slash + 1, '/') || strlen(value) >= sizeof c->lvm_lv[0])
		return fail(err, errsize, "%s=%s: write rd.lvm.lv=VG/LV (the volume group, a slash, the logical volume)", key,
			    value ? value : "");
	if (c->nlvm_lv == STORAGE_MAX) {
		warn(c, "%s: more than %d given; %s ignored", key, STORAGE_MAX, value);
		return 0;
	}
	snprintf(c->lvm_lv[c->nlvm_lv++], sizeof c->lvm_lv[0], "%s", value);
	return 0;
}

static int md_uuid(struct storage_conf *c, const char *key, const char *value, char *err, size_t errsize)
{
	char uuid[33];

	if (!value || norm_md_uuid(value, uuid) < 0)
		return fail(err, errsize, "%s=%s: not an md array UUID (32 hex digits, as `mdadm --detail` shows it)", key,
			    value ? value : "");
	if (c->nmd_uuid == STORAGE_MAX) {
		warn(c, "%s: more than %d given; %s ignored", key, STORAGE_MAX, value);
		return 0;
	}
	memcpy(c->md_uuid[c->nmd_uuid++], uuid, 33);
	return 0;
}

static int roothash(struct storage_conf *c, const char *key, const char *value, char *err, size_t errsize)
{
	size_t n = value ? strlen(value) : 0;

	if (n < 2 || n > 128 || n % 2)
		return fail(err, errsize, "%s=%s: a root hash is an even number of hex digits (64 for sha256, as "
			    "`veritysetup format` prints it), here %zu", key, value ? value : "", n);
	for (size_t i = 0; i < n; i++) {
		if (!is_hex(value[i]))
			return fail(err, errsize, "%s=%s: '%c' is not a hex digit", key, value, value[i]);
		c->roothash[i] = lower(value[i]);
	}
	c->roothash[n] = 0;
	return 0;
}

/* A decimal number 0..LIMIT, all of S; -1 otherwise. */
static long long number(const char *s, long long limit)
{
	long long v = 0;

	if (!s || !*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (limit - (*s - '0')) / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

static int parse_word(struct storage_conf *c, const char *key, const char *value, char *err, size_t errsize)
{
	if (!strcmp(key, "rd.luks"))
		c->luks_off = !flag_on(value);
	else if (!strcmp(key, "rd.luks.crypttab"))
		c->luks_crypttab_off = !flag_on(value);
	else if (!strcmp(key, "rd.luks.uuid"))
		return luks_name(c, key, value, 0, err, errsize);
	else if (!strcmp(key, "rd.luks.name"))
		return luks_name(c, key, value, 1, err, errsize);
	else if (!strcmp(key, "rd.luks.key"))
		return luks_key(c, key, value, err, errsize);
	else if (!strcmp(key, "rd.luks.options"))
		luks_options(c, key, value);
	else if (!strcmp(key, "rd.luks.allow-discards")) {
		const char *rest;
		struct luks_want *w = value ? luks_scoped(c, key, value, &rest) : luks_entry(c, "", key);
		if (w)
			w->discard = 1;
	} else if (!strcmp(key, "rd.lvm"))
		c->lvm_off = !flag_on(value);
	else if (!strcmp(key, "rd.lvm.vg"))
		add_name(c, key, value, c->lvm_vg, &c->nlvm_vg);
	else if (!strcmp(key, "rd.lvm.lv"))
		return lvm_lv(c, key, value, err, errsize);
	else if (!strcmp(key, "rd.md"))
		c->md_off = !flag_on(value);
	else if (!strcmp(key, "rd.md.conf"))
		c->md_conf_off = !flag_on(value);
	else if (!strcmp(key, "rd.md.uuid"))
		return md_uuid(c, key, value, err, errsize);
	else if (!strcmp(key, "rd.md.degraded.timeout")) {
		long long s = number(value, 86400);
		if (s < 0)
			warn(c, "%s=%s: not a number of seconds (0..86400); the default is used", key, value ? value : "");
		else
			c->md_degraded_timeout_s = (int)s;
	} else if (!strcmp(key, "rd.auto"))
		c->autodetect = flag_on(value);
	else if (!strcmp(key, "roothash"))
		return roothash(c, key, value, err, errsize);
	else if (!strcmp(key, "systemd.verity") || !strcmp(key, "rd.systemd.verity"))
		c->verity_off = !flag_on(value);
	else if (!strcmp(key, "systemd.verity_root_data"))
		c->verity_data = value;
	else if (!strcmp(key, "systemd.verity_root_hash"))
		c->verity_hash = value;
	else if (!strcmp(key, "systemd.verity_root_options"))
		c->verity_options = value;
	else if (!strcmp(key, "resume"))
		c->resume = value && *value ? value : NULL;
	else if (!strcmp(key, "resume_offset")) {
		long long off = number(value, (1LL << 53));
		if (off < 0)
			warn(c, "%s=%s: not a number of pages; ignored", key, value ? value : "");
		else
			c->resume_offset = off;
	} else if (!strcmp(key, "noresume") && !value)
		c->noresume = 1;
	else if (!strcmp(key, "rd.fsck"))
		c->fsck_off = !flag_on(value);
	else if (!strcmp(key, "rd.skipfsck") && !value)
		c->fsck_off = 1;
	else
		warn(c, "%s%s%s: not a parameter earlyroot knows; ignored", key, value ? "=" : "", value ? value : "");
	return 0;
}

/* Entries for every volume ("" UUID) last, so a lookup by UUID finds the specific one first. */
static void every_volume_last(struct storage_conf *c)
{
	for (int i = 0; i + 1 < c->nluks; i++)
		if (!c->luks[i].uuid[0]) {
			struct luks_want any = c->luks[i];
			memmove(&c->luks[i], &c->luks[i + 1], (size_t)(c->nluks - i - 1) * sizeof c->luks[0]);
			c->luks[c->nluks - 1] = any;
			return;
		}
}

int storage_conf_parse(const char *const *keys, const char *const *values, int n, struct storage_conf *c,
		       char *err, size_t errsize)
{
	memset(c, 0, sizeof *c);
	c->md_degraded_timeout_s = -1;
	c->resume_offset = -1;
	if (errsize)
		err[0] = 0;
	for (int i = 0; i < n; i++)
		if (parse_word(c, keys[i], values[i], err, errsize) < 0)
			return -1;
	every_volume_last(c);
	return 0;
}

const struct luks_want *storage_conf_luks(const struct storage_conf *c, const char *uuid)
{
	for (int i = 0; i < c->nluks; i++)
		if (c->luks[i].uuid[0] && !strcasecmp(c->luks[i].uuid, uuid))
			return &c->luks[i];
	return NULL;
}

int storage_conf_md_wanted(const struct storage_conf *c, const char *uuid_hex)
{
	if (c->md_off)
		return 0;
	if (!c->nmd_uuid)
		return 1;
	for (int i = 0; i < c->nmd_uuid; i++)
		if (!strcasecmp(c->md_uuid[i], uuid_hex))
			return 1;
	return 0;
}
