/* cmdline.c — see cmdline.h. Kept free of system calls so it can be tested and fuzzed alone. */
#include "cmdline.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SECONDS (86400 * 7) /* a week: beyond that a value is a typo, not a wish */

static void warn(struct cmdline *cl, const char *fmt, ...)
{
	va_list ap;
	if (cl->nwarnings >= CMDLINE_MAX_WARNINGS)
		return;
	va_start(ap, fmt);
	vsnprintf(cl->warnings[cl->nwarnings++], sizeof cl->warnings[0], fmt, ap);
	va_end(ap);
}

int cmdline_seconds(const char *value)
{
	long v = 0;
	if (!value || !*value)
		return -1;
	for (const char *p = value; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (*p - '0');
		if (v > MAX_SECONDS)
			return -1;
	}
	return (int)v;
}

/* Cut the next word out of *P in place, as the kernel's next_arg() does: a quote at the start of the
 * word or of its value groups up to the closing quote, and the quotes are removed. */
static char *next_word(char **p, char **value)
{
	char *s = *p, *w, *eq = NULL;
	int in_quote = 0;

	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	if (!*s) {
		*p = s;
		return NULL;
	}
	w = s;
	for (; *s; s++) {
		if (!in_quote && (*s == ' ' || *s == '\t' || *s == '\n'))
			break;
		if (*s == '"')
			in_quote = !in_quote;
		else if (*s == '=' && !eq)
			eq = s;
	}
	*p = *s ? s + 1 : s;
	*s = 0;
	/* Remove the quotes by compacting the word (an unbalanced quote just runs to the end). */
	char *dst = w;
	for (char *src = w; *src; src++) {
		if (src == eq)
			eq = dst;
		if (*src != '"')
			*dst++ = *src;
	}
	*dst = 0;
	*value = eq ? (*eq = 0, eq + 1) : NULL;
	return w;
}

static void set_seconds(struct cmdline *cl, const char *key, const char *value, int *out)
{
	int s = cmdline_seconds(value);
	if (s < 0)
		warn(cl, "ignoring %s=%.40s: not a number of seconds from 0 to %d", key, value ? value : "",
		     MAX_SECONDS);
	else
		*out = s;
}

static void set_string(struct cmdline *cl, const char *key, const char *value, const char **out)
{
	if (!value || !*value) {
		warn(cl, "ignoring %s: it has no value", key);
		*out = NULL; /* an empty value cancels an earlier one, like any later duplicate */
		return;
	}
	*out = value;
}

static void set_panic(struct cmdline *cl, const char *value)
{
	char *end;
	long v = value ? strtol(value, &end, 10) : 0;
	if (!value || !*value || *end || v < -MAX_SECONDS || v > MAX_SECONDS) {
		warn(cl, "ignoring panic=%.40s: not a number of seconds", value ? value : "");
		return;
	}
	cl->panic_set = 1;
	cl->panic_s = (int)v;
}

/* rd.break=STAGE names a stage the init can stop before; anything else would never stop: say so. */
static void set_break(struct cmdline *cl, const char *value)
{
	static const char stages[] = " modules devices mount switch ";
	char word[16];

	if (!value || !*value) {
		cl->brk = "switch";
		return;
	}
	snprintf(word, sizeof word, " %.13s ", value);
	if (strlen(value) < 13 && strstr(stages, word))
		cl->brk = value;
	else
		warn(cl, "ignoring rd.break=%.40s: the stages it can stop before are modules, devices, mount "
			 "and switch", value);
}

static void set_switch(struct cmdline *cl, const char *value)
{
	if (value && (!strcmp(value, "move") || !strcmp(value, "pivot")))
		cl->rd_switch = value;
	else
		warn(cl, "ignoring rd.switch=%.40s: it is move or pivot", value ? value : "");
}

/* A size in MiB: 1 to 16 TiB. */
static void set_mib(struct cmdline *cl, const char *key, const char *value, int *out)
{
	long v = 0;
	const char *p = value;

	for (; p && *p >= '0' && *p <= '9' && v <= (1L << 24); p++)
		v = v * 10 + (*p - '0');
	if (!value || !*value || *p || v < 1 || v > (1L << 24))
		warn(cl, "ignoring %s=%.40s: not a size in MiB (a whole number, no unit)", key, value ? value : "");
	else
		*out = (int)v;
}

/* A path on the live medium: ".." could only climb out of it, into the initramfs. */
static void set_medium_path(struct cmdline *cl, const char *key, const char *value, const char **out)
{
	if (value && (!strcmp(value, "..") || !strncmp(value, "../", 3) || strstr(value, "/../") ||
		      (strlen(value) >= 3 && !strcmp(value + strlen(value) - 3, "/.."))))
		warn(cl, "ignoring %s=%.40s: a path on the medium cannot contain \"..\"", key, value);
	else
		set_string(cl, key, value, out);
}

/* A yes/no option: alone or =1 turns it on, =0 off. */
static int flag_value(const char *value)
{
	return !value || strcmp(value, "0");
}

/* A SHA-256 as 64 hex digits, nothing else. */
static void set_sha256(struct cmdline *cl, const char *key, const char *value, const char **out)
{
	size_t n = value ? strspn(value, "0123456789abcdefABCDEF") : 0;
	if (!value || n != 64 || value[n])
		warn(cl, "ignoring %s=%.40s: a SHA-256 is 64 hex digits (sha256sum prints it)", key, value ? value : "");
	else
		*out = value;
}

/* The words of stacked storage, kept for storage_conf_parse(): repeatable, and their syntax is
 * that layer's business. "systemd.verity_root_data" has a dot but is no module parameter. */
static int keep_storage_word(struct cmdline *cl, const char *key, const char *value)
{
	static const char *const prefixes[] = {"rd.luks", "rd.lvm", "rd.md", "systemd.verity", "rd.systemd.verity"};
	static const char *const words[] = {"rd.auto", "roothash", "resume", "resume_offset", "noresume",
					    "rd.fsck", "rd.skipfsck"};
	int hit = 0;

	for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes && !hit; i++)
		hit = !strncmp(key, prefixes[i], strlen(prefixes[i]));
	for (size_t i = 0; i < sizeof words / sizeof *words && !hit; i++)
		hit = !strcmp(key, words[i]);
	if (!hit)
		return 0;
	cl->storage_keys[cl->nstorage] = key;
	cl->storage_values[cl->nstorage++] = value;
	return 1;
}

/* The network's words: the kernel's ip= and nfsroot=, PXE's BOOTIF=, dracut's rd.neednet. */
static int parse_net_word(struct cmdline *cl, const char *key, const char *value)
{
	if (!strcmp(key, "ip"))
		set_string(cl, key, value, &cl->ip);
	else if (!strcmp(key, "BOOTIF"))
		set_string(cl, key, value, &cl->bootif);
	else if (!strcmp(key, "nfsroot"))
		set_string(cl, key, value, &cl->nfsroot);
	else if (!strcmp(key, "rd.live.sha256"))
		set_sha256(cl, key, value, &cl->live_sha256);
	else if (!strcmp(key, "rd.neednet"))
		cl->neednet = !value || strcmp(value, "0");
	else if (!strcmp(key, "rd.net.timeout.dhcp"))
		set_seconds(cl, key, value, &cl->dhcp_timeout_s);
	else
		return 0;
	return 1;
}

/* The live medium's words: dracut's rd.live.* names, and Debian live-boot's where they differ. */
static int parse_live_word(struct cmdline *cl, const char *key, const char *value)
{
	if (!strcmp(key, "rd.live.image") || (!strcmp(key, "liveimg") && !value))
		cl->live = flag_value(value);
	else if (!strcmp(key, "boot") && value && !strcmp(value, "live"))
		cl->live = cl->live_boot = 1;
	else if (!strcmp(key, "rd.live.dir"))
		set_medium_path(cl, key, value, &cl->live_dir);
	else if (!strcmp(key, "rd.live.squashimg"))
		set_medium_path(cl, key, value, &cl->live_squashimg);
	else if (!strcmp(key, "live-media-path"))
		set_medium_path(cl, key, value, &cl->live_media_path);
	else if (!strcmp(key, "iso-scan/filename") || !strcmp(key, "findiso"))
		set_medium_path(cl, key, value, &cl->live_isofile);
	else if (!strcmp(key, "rd.live.ram") || (!strcmp(key, "toram") && !value))
		cl->live_ram = flag_value(value);
	else if (!strcmp(key, "toram"))
		warn(cl, "ignoring toram=%.40s: the init copies the whole live image; use toram alone", value);
	else if (!strcmp(key, "rd.minmem"))
		set_mib(cl, key, value, &cl->live_minmem_mib);
	else if (!strcmp(key, "rd.live.check"))
		cl->live_check = flag_value(value);
	else if (!strcmp(key, "rd.live.overlay") || !strcmp(key, "rd.overlay"))
		set_string(cl, key, value, &cl->live_overlay);
	else if (!strcmp(key, "rd.live.overlay.size"))
		set_mib(cl, key, value, &cl->live_overlay_size_mib);
	else if (!strcmp(key, "rd.live.overlay.readonly") || !strcmp(key, "rd.overlay.readonly"))
		cl->live_overlay_readonly = flag_value(value);
	else
		return 0;
	return 1;
}

int cmdline_parse(const char *text, struct cmdline *cl)
{
	char *p, *key, *value;
	size_t words = 1;

	memset(cl, 0, sizeof *cl);
	cl->readonly = 1;
	cl->rootdelay_s = -1;
	cl->timeout_s = -1;
	cl->shell = 1;
	cl->live_minmem_mib = cl->live_overlay_size_mib = cl->dhcp_timeout_s = -1;
	if (!(cl->buf = strdup(text ? text : "")))
		return -1;
	for (const char *c = cl->buf; *c; c++)
		words += *c == ' ' || *c == '\t' || *c == '\n';
	cl->storage_keys = calloc(words, sizeof *cl->storage_keys);
	cl->storage_values = calloc(words, sizeof *cl->storage_values);
	if (!(cl->modparams = calloc(words, sizeof *cl->modparams)) || !cl->storage_keys || !cl->storage_values) {
		cmdline_free(cl);
		return -1;
	}
	p = cl->buf;
	while ((key = next_word(&p, &value))) {
		if (!strcmp(key, "--") && !value)
			break;
		if (!strcmp(key, "root"))
			set_string(cl, key, value, &cl->root);
		else if (!strcmp(key, "rootfstype"))
			set_string(cl, key, value, &cl->rootfstype);
		else if (!strcmp(key, "rootflags"))
			set_string(cl, key, value, &cl->rootflags);
		else if (!strcmp(key, "init"))
			set_string(cl, key, value, &cl->init);
		else if (!strcmp(key, "ro") && !value)
			cl->readonly = 1;
		else if (!strcmp(key, "rw") && !value)
			cl->readonly = 0;
		else if (!strcmp(key, "rootwait") && !value)
			cl->rootwait = ROOTWAIT_FOREVER;
		else if (!strcmp(key, "rootwait")) {
			int s = -1;
			set_seconds(cl, key, value, &s);
			if (s >= 0)
				cl->rootwait = ROOTWAIT_SECONDS, cl->rootwait_s = s;
		} else if (!strcmp(key, "rootdelay"))
			set_seconds(cl, key, value, &cl->rootdelay_s);
		else if (!strcmp(key, "rd.timeout"))
			set_seconds(cl, key, value, &cl->timeout_s);
		else if (!strcmp(key, "quiet") && !value)
			cl->quiet = 1;
		else if (!strcmp(key, "rd.debug") && !value)
			cl->debug = 1;
		else if (!strcmp(key, "panic"))
			set_panic(cl, value);
		else if (!strcmp(key, "rd.shell"))
			cl->shell = !value || strcmp(value, "0");
		else if (!strcmp(key, "rd.break"))
			set_break(cl, value);
		else if (!strcmp(key, "rd.root"))
			set_string(cl, key, value, &cl->rd_root);
		else if (!strcmp(key, "rd.init"))
			set_string(cl, key, value, &cl->rd_init);
		else if (!strcmp(key, "rd.switch"))
			set_switch(cl, value);
		else if (!strcmp(key, "rd.modules"))
			set_string(cl, key, value, &cl->rd_modules);
		else if (!strcmp(key, "module_blacklist"))
			set_string(cl, key, value, &cl->module_blacklist);
		else if (!strcmp(key, "systemd.volatile"))
			cl->volatile_mode = value ? value : "yes"; /* systemd's words; volatile_root.c judges them */
		else if (parse_live_word(cl, key, value) || parse_net_word(cl, key, value) ||
			 keep_storage_word(cl, key, value))
			;
		else if (value && strchr(key, '.') && strncmp(key, "rd.", 3) && key[0] != '.')
			cl->modparams[cl->nmodparams++] = key; /* "module.param", its value follows the NUL */
	}
	/* root=live:SPEC is SPEC, on which a live image lies (dracut's spelling). */
	if (cl->root && !strncmp(cl->root, "live:", 5)) {
		cl->root += 5;
		cl->live = 1;
	}
	return 0;
}

/* '-' and '_' are the same in module names, as modprobe has it. */
static int same_module(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char x = a[i] == '-' ? '_' : a[i], y = b[i] == '-' ? '_' : b[i];
		if (x != y || !x)
			return 0;
	}
	return 1;
}

int cmdline_module_params(const struct cmdline *cl, const char *name, char *out, size_t size)
{
	size_t n = strlen(name), len = strlen(out);
	int added = 0;

	for (int i = 0; i < cl->nmodparams; i++) {
		const char *key = cl->modparams[i];
		if (!same_module(key, name, n) || key[n] != '.')
			continue;
		const char *value = key + strlen(key) + 1;
		int w = snprintf(out + len, size - len, "%s%s=%s", len ? " " : "", key + n + 1, value);
		if (w < 0 || (size_t)w >= size - len) {
			out[len] = 0; /* no room: leave the parameter out rather than cut it */
			break;
		}
		len += (size_t)w;
		added++;
	}
	return added;
}

void cmdline_free(struct cmdline *cl)
{
	free(cl->buf);
	free(cl->modparams);
	free(cl->storage_keys);
	free(cl->storage_values);
	cl->buf = NULL;
	cl->modparams = NULL;
	cl->storage_keys = cl->storage_values = NULL;
	cl->nmodparams = cl->nstorage = 0;
}
