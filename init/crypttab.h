/* crypttab.h — the image's /etc/crypttab (crypttab(5), the systemd and Debian format): which LUKS
 * volumes to open, under what name, with which key. Parsed here, acted on by storage.c. */
#ifndef EARLYROOT_CRYPTTAB_H
#define EARLYROOT_CRYPTTAB_H
#include <stddef.h>

#define CRYPTTAB_MAX 16

struct crypttab_entry {
	char name[128];    /* the mapping: /dev/mapper/NAME */
	char device[256];  /* UUID=..., PARTUUID=..., LABEL=..., /dev/... as written */
	char key[256];     /* "" (absent, "none" or "-"): ask; else a path in the image */
	int discard;       /* "discard" */
	int noauto;        /* "noauto", "swap" or "tmp": not opened at boot */
	int readonly;      /* "read-only" / "readonly" */
	int no_read_workqueue, no_write_workqueue;
	int plain;         /* "plain": not LUKS, which earlyroot does not open (warned) */
	int tries;         /* "tries=N" (0..1000; 0 = ask forever in systemd's terms), -1 not given */
	unsigned long long keyfile_offset, keyfile_size; /* "keyfile-offset=", "keyfile-size=" (0: whole) */
	/* The first option that asks for an unlocking earlyroot cannot do ("keyscript=...", "header=...",
	 * "tcrypt", "bitlk", "plain", "fido2-device=...", "tpm2-device=...", "pkcs11-uri=..."), as written
	 * (cut to fit); "" if none. The caller says so and falls back to a key file or the passphrase. */
	char unsupported[48];
};

/* Parse TEXT (LEN bytes, any bytes) into at most MAX entries; returns how many. The format is
 * crypttab(5)'s (systemd and Debian): per line NAME DEVICE [KEY [OPTIONS]], separated by spaces or
 * tabs; a field may be quoted ("..." or '...') to hold spaces; OPTIONS are comma-separated, "\," a
 * comma inside one (cipher=xchacha12\,aes-adiantum-plain64). Comment lines (#) and blank lines are
 * skipped; a line with fewer than two fields or more than four, an over-long field, an unterminated
 * quote, a NUL byte, a NAME that is no device-mapper name (empty, ".", "..", a '/'), or more than MAX
 * entries is left out with a warning in WARN (the first such, "line N: ...", "" if none). Unknown
 * options are ignored with a warning, as systemd does; systemd's and Debian's options that change
 * nothing at boot (luks, nofail, timeout=, cipher=, initramfs, ...) silently. */
int crypttab_parse(const char *text, size_t len, struct crypttab_entry *v, int max, char *warn, size_t warnsize);

#endif
