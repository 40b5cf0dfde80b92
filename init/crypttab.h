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
};

/* Parse TEXT (LEN bytes, any bytes) into at most MAX entries; returns how many. Comment lines (#) and
 * blank lines are skipped; a line with fewer than two fields, an over-long field or more than MAX
 * entries is left out with a warning in WARN (the first such, "line N: ...", "" if none). Unknown
 * options are ignored (as systemd does, with a warning). */
int crypttab_parse(const char *text, size_t len, struct crypttab_entry *v, int max, char *warn, size_t warnsize);

#endif
