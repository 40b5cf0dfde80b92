/* storage_conf.h — what the command line says about stacked storage (LUKS, LVM, MD RAID, dm-verity,
 * resume, fsck), parsed from the words cmdline.c kept (storage_keys/values) into one checked struct.
 * The names are dracut's and systemd's (see earlyroot(7)). Nothing here touches a device. */
#ifndef EARLYROOT_STORAGE_CONF_H
#define EARLYROOT_STORAGE_CONF_H
#include <stddef.h>

#define STORAGE_MAX 16          /* per list: more is ignored with a warning */
#define STORAGE_MAX_WARNINGS 8

/* A LUKS volume the command line names. */
struct luks_want {
	char uuid[37];      /* lowercase 8-4-4-4-12; "" for a key or option that applies to every volume */
	char name[128];     /* rd.luks.name=UUID=NAME, else "" (the mapping is then luks-UUID) */
	char key[256];      /* rd.luks.key: path of a key file ("" none: ask) */
	char keydev[256];   /* ...on this device (a root= spelling: UUID=, LABEL=, /dev/..), "" the image */
	int discard;        /* rd.luks.options=discard, or rd.luks.allow-discards */
	int no_read_workqueue, no_write_workqueue;
};

struct storage_conf {
	/* LUKS: rd.luks=0 turns it off; rd.luks.uuid= (repeatable; a "luks-" prefix is dropped),
	 * rd.luks.name=UUID=NAME, rd.luks.key=PATH[:KEYDEV] or UUID=PATH[:KEYDEV],
	 * rd.luks.options=[UUID=]OPTS, rd.luks.crypttab=0 (ignore the image's /etc/crypttab). */
	int luks_off, luks_crypttab_off;
	struct luks_want luks[STORAGE_MAX]; /* in the order named; entries with uuid "" come last */
	int nluks;
	/* LVM: rd.lvm=0, rd.lvm.vg=VG (repeatable), rd.lvm.lv=VG/LV (repeatable). */
	int lvm_off;
	char lvm_vg[STORAGE_MAX][128];
	int nlvm_vg;
	char lvm_lv[STORAGE_MAX][256]; /* "VG/LV" */
	int nlvm_lv;
	/* MD: rd.md=0, rd.md.uuid= (repeatable; '-', ':' and '.' ignored, stored as 32 lowercase hex),
	 * rd.md.conf=0 (ignore the image's mdadm.conf), rd.md.degraded.timeout=SECONDS (-1: not given). */
	int md_off, md_conf_off;
	char md_uuid[STORAGE_MAX][33];
	int nmd_uuid;
	int md_degraded_timeout_s;
	/* rd.auto=1: unlock/assemble/activate what is found even when nothing is named. */
	int autodetect;
	/* dm-verity: roothash=HEX (lowercase, even length, 2..128 hex digits), systemd.verity_root_data=,
	 * systemd.verity_root_hash= (root= spellings or paths), systemd.verity_root_options= (kept as
	 * given), systemd.verity=0 / rd.systemd.verity=0 turn it off. */
	int verity_off;
	char roothash[129];
	const char *verity_data, *verity_hash, *verity_options;
	/* resume=SPEC (root= spellings, or MAJ:MIN), resume_offset=N (in pages), noresume. */
	const char *resume;
	long long resume_offset; /* -1: not given */
	int noresume;
	/* rd.fsck=0 or rd.skipfsck: no check before the mount. */
	int fsck_off;
	int nwarnings;
	char warnings[STORAGE_MAX_WARNINGS][160];
};

/* Parse the N words KEYS[i]=VALUES[i] (the strings C points to stay theirs: keep them alive) (VALUES[i] NULL for a bare word) into C. A bad value is left
 * out with a warning that names the word and says what is expected (warnings[]); returns 0, or -1
 * with ERR (one line: the parameter, what is wrong, what to write instead) when a value is so wrong
 * that booting would do something else than asked: a roothash= that is not hex or has an odd length,
 * a malformed rd.luks.uuid=, rd.md.uuid= or rd.lvm.lv= (no '/'). */
int storage_conf_parse(const char *const *keys, const char *const *values, int n, struct storage_conf *c,
		       char *err, size_t errsize);

/* Does the command line name this LUKS UUID (lowercase 8-4-4-4-12)? The entry, or NULL. With no
 * rd.luks.uuid/name at all, NULL too: the caller decides (crypttab, rd.auto). */
const struct luks_want *storage_conf_luks(const struct storage_conf *c, const char *uuid);

/* Is this md array (UUID as 32 lowercase hex) wanted: 1 yes, 0 no (rd.md=0, or rd.md.uuid= names
 * others). */
int storage_conf_md_wanted(const struct storage_conf *c, const char *uuid_hex);

#endif
