/* storage.c — stacked storage during the device wait (storage.h).
 *
 * Each block device is looked at once, when it can be read: by what its probe found (blockprobe.c)
 * it is a LUKS volume to unlock, an MD member to add to its array, or an LVM physical volume whose
 * group may now activate. What that makes (dm-N, mdN) is a new block device the kernel announces,
 * looked at in turn: so LUKS on LVM on RAID1, or RAID1 over two LUKS volumes, need no order given.
 * The waits that are not driven by an event (a degraded array's start) set a deadline for the loop. */
#include "storage.h"
#include "clock.h"
#include "crypttab.h"
#include "dm.h"
#include "fsutil.h"
#include "log.h"
#include "luks.h"
#include "lvm.h"
#include "md.h"
#include "rootspec.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define CRYPTTAB "/etc/crypttab"
#define MDADM_CONF "/etc/mdadm/mdadm.conf"
#define KEYDEV_MOUNT "/run/earlyroot/keydev"
/* A member of an array appears with its siblings within a second on one controller; a USB enclosure
 * or a slow SAN path takes a few. Ten seconds waits for those and still leaves two thirds of the
 * default 30 s root wait for the layers above the array. rd.md.degraded.timeout= changes it. */
#define MD_DEGRADED_TIMEOUT_S 10

struct md_array {
	char uuid[33];   /* 32 hex */
	char array[32];  /* md127 */
	char name[64];
	long long since; /* when its first member was added */
	int started;
};

/* A device the stack is done with, by MAJ:MIN and what was on it: a second wait (resume= after the
 * root, the verity hash device after the data device) or a change event must not unlock, add, list or
 * leave it alone again. What was on it is part of the key because minors are reused: cryptsetup's
 * temporary device and the mapping made after it may both be dm-1. */
struct handled {
	unsigned maj, min;
	char type[sizeof ((struct fs_id *)0)->type];
	char uuid[sizeof ((struct fs_id *)0)->uuid];
};

struct storage {
	struct storage_conf conf;
	struct modules *mods;
	struct crypttab_entry tab[CRYPTTAB_MAX];
	int ntab;
	int have_luks_mods, have_md_mods, have_dm_mods;
	int pv_new;                 /* a physical volume appeared since lvm last ran */
	char pvs[128];              /* their names, for messages */
	char lvm_err[256];          /* lvm's last complaint, "" after a success */
	char keydev_wait[400];      /* a LUKS volume waiting for its key's device */
	char left[256];             /* what the command line told us to leave alone, for the wait's error */
	struct md_array md[STORAGE_MAX];
	int nmd;
	char luks_seen[STORAGE_MAX][sizeof ((struct fs_id *)0)->uuid];
	int nluks_seen;
	struct handled *handled;    /* for the whole boot: every wait has its own device list */
	size_t nhandled, caphandled;
};

void storage_layer_modules(struct storage *s, const char *layer, const char *const *fallback)
{
	char path[64], list[2048], why[32];

	snprintf(path, sizeof path, "/etc/earlyroot/modules.%s", layer);
	snprintf(why, sizeof why, "%s", layer);
	if (read_small_file(path, list, sizeof list) < 0) {
		for (int i = 0; fallback[i]; i++)
			modules_for_name(s->mods, fallback[i], why);
		return;
	}
	for (char *save = NULL, *name = strtok_r(list, " \t\n", &save); name; name = strtok_r(NULL, " \t\n", &save))
		modules_for_name(s->mods, name, why);
}

struct storage *storage_new(const struct cmdline *cl, struct modules *mods)
{
	char err[320], text[16384];
	struct storage *s = calloc(1, sizeof *s);
	ssize_t len;

	if (!s) {
		log_error("out of memory for the storage stack");
		return NULL;
	}
	if (storage_conf_parse(cl->storage_keys, cl->storage_values, cl->nstorage, &s->conf, err, sizeof err) < 0) {
		log_error("%s", err);
		free(s);
		return NULL;
	}
	for (int i = 0; i < s->conf.nwarnings; i++)
		log_warn("%s", s->conf.warnings[i]);
	s->mods = mods;
	if (!s->conf.luks_off && !s->conf.luks_crypttab_off && (len = read_small_file(CRYPTTAB, text, sizeof text)) >= 0) {
		err[0] = 0;
		s->ntab = crypttab_parse(text, (size_t)len, s->tab, CRYPTTAB_MAX, err, sizeof err);
		if (err[0])
			log_warn("%s: %s", CRYPTTAB, err);
	}
	return s;
}

const struct storage_conf *storage_conf_of(const struct storage *s) { return &s->conf; }

void storage_free(struct storage *s)
{
	if (s)
		free(s->handled);
	free(s);
}

static int was_handled(const struct storage *s, const struct blockdev *d)
{
	for (size_t i = 0; i < s->nhandled; i++) {
		const struct handled *h = &s->handled[i];
		if (h->maj == d->maj && h->min == d->min && !strcmp(h->type, d->fs.type) && !strcmp(h->uuid, d->fs.uuid))
			return 1;
	}
	return 0;
}

/* Out of memory: D is looked at again in the next step, as if new. */
static void set_handled(struct storage *s, const struct blockdev *d)
{
	if (s->nhandled == s->caphandled) {
		size_t cap = s->caphandled ? s->caphandled * 2 : 16;
		struct handled *v = realloc(s->handled, cap * sizeof *v);
		if (!v)
			return;
		s->handled = v, s->caphandled = cap;
	}
	struct handled *h = &s->handled[s->nhandled++];
	h->maj = d->maj, h->min = d->min;
	snprintf(h->type, sizeof h->type, "%s", d->fs.type);
	snprintf(h->uuid, sizeof h->uuid, "%s", d->fs.uuid);
}

/* PART after what BUF holds, "; " between. */
static void append(char *buf, size_t size, const char *part)
{
	size_t len = strlen(buf);
	if (len + 3 < size)
		snprintf(buf + len, size - len, "%s%s", len ? "; " : "", part);
}

/* Say that D was left alone, and keep it for the wait's error line: a root behind it is not found. */
static void leave(struct storage *s, const char *layer, const struct blockdev *d, const char *why)
{
	char part[160];

	log_info("%s: %s left alone: %s", layer, d->name, why);
	snprintf(part, sizeof part, "%s %s (%s)", layer, d->name, why);
	append(s->left, sizeof s->left, part);
}

/* Does D already have a device built on it (opened, assembled, activated)? */
static int in_use(const struct blockdev *d)
{
	char path[96];
	int used = 0;

	snprintf(path, sizeof path, "/sys/class/block/%s/holders", d->name);
	DIR *dir = opendir(path);
	for (struct dirent *e; dir && (e = readdir(dir));)
		used |= e->d_name[0] != '.';
	if (dir)
		closedir(dir);
	return used;
}

/* Tell the real root's udev that a device-mapper device is complete: without udevd here, its rules
 * would take the replayed add event for one only half set up and never mark it ready, and systemd's
 * units for the /dev/mapper devices would time out (booster#21, systemd#34683). */
static void mark_dm_ready(const struct blockdev *d)
{
	char path[96], dmname[160], uuid[160];

	snprintf(path, sizeof path, "/sys/class/block/%s/dm/name", d->name);
	if (strncmp(d->name, "dm-", 3) || read_small_file(path, dmname, sizeof dmname) < 0)
		return;
	dmname[strcspn(dmname, "\n")] = 0;
	snprintf(path, sizeof path, "/sys/class/block/%s/dm/uuid", d->name);
	if (read_small_file(path, uuid, sizeof uuid) < 0)
		uuid[0] = 0;
	uuid[strcspn(uuid, "\n")] = 0;
	dm_udev_ready(dmname, uuid[0] ? uuid : NULL, d->maj, d->min);
}

/* The crypttab line for a LUKS device, by UUID= or its /dev path. */
static const struct crypttab_entry *crypttab_for(const struct storage *s, const struct blockdev *d)
{
	char spec[64];

	for (int i = 0; i < s->ntab; i++) {
		const char *dev = s->tab[i].device;
		snprintf(spec, sizeof spec, "/dev/%s", d->name);
		if ((!strncasecmp(dev, "UUID=", 5) && !strcasecmp(dev + 5, d->fs.uuid)) || !strcmp(dev, spec))
			return &s->tab[i];
	}
	return NULL;
}

/* Mount the key's device read-only on KEYDEV_MOUNT: 1 mounted, 0 not there yet, -1 cannot. */
static int mount_keydev(struct blockdevs *devs, const char *spec, const char *for_dev)
{
	struct rootspec rs;
	char err[320], path[sizeof rs.value];
	struct stat st;

	if (rootspec_parse_key("rd.luks.key", spec, &rs, err, sizeof err) < 0) {
		log_error("%s", err);
		return -1;
	}
	if (rs.kind == ROOT_PATH) {
		if (stat(rs.value, &st) < 0)
			return 0;
		snprintf(path, sizeof path, "%s", rs.value);
	} else {
		const struct blockdev *k = blockdevs_find(devs, &rs);
		if (!k)
			return 0;
		snprintf(path, sizeof path, "/dev/%s", k->name);
	}
	struct fs_id id;
	mkdir("/run/earlyroot", 0755);
	mkdir(KEYDEV_MOUNT, 0700);
	if (fs_probe_path(path, &id, NULL) <= 0 ||
	    mount(path, KEYDEV_MOUNT, id.type, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
		log_error("LUKS: cannot mount the key device %s (%s) for %s read-only: %s", spec, path, for_dev,
			  errno ? strerror(errno) : "no filesystem found on it");
		return -1;
	}
	return 1;
}

/* 1 done with D, 0 look again later (its key's device is not there yet), -1 the boot cannot go on. */
static int consider_luks(struct storage *s, struct blockdevs *devs, const struct blockdev *d, long long *paused_ms)
{
	static const char *const fallback[] = {"dm_mod", "dm_crypt", NULL};
	const struct luks_want *want = storage_conf_luks(&s->conf, d->fs.uuid);
	const struct luks_want *any = s->conf.nluks && !s->conf.luks[s->conf.nluks - 1].uuid[0] ?
					      &s->conf.luks[s->conf.nluks - 1] : NULL;
	const struct crypttab_entry *tab = crypttab_for(s, d);
	char dev[64], name[160], keyfile[PATH_MAX];
	struct stat st;
	int named = s->ntab > 0;

	for (int i = 0; i < s->conf.nluks; i++)
		named |= s->conf.luks[i].uuid[0] != 0;
	snprintf(dev, sizeof dev, "/dev/%s", d->name);
	if (s->conf.luks_off) {
		leave(s, "LUKS", d, "rd.luks=0");
		return 1;
	}
	if (!want && !tab && stat(LUKS_TOOL, &st) < 0) {
		log_debug("LUKS: %s (UUID %s) left locked: this image has no cryptsetup (mkinitramfs --luks)", dev,
			  d->fs.uuid);
		return 1;
	}
	if (!want && !tab && named && !s->conf.autodetect) {
		char why[96];
		snprintf(why, sizeof why, "UUID %s is not named by rd.luks.uuid= or crypttab", d->fs.uuid);
		leave(s, "LUKS", d, why);
		return 1;
	}
	if (tab && tab->noauto)
		return 1;
	if (tab && tab->unsupported[0])
		log_warn("LUKS: crypttab's '%s' for %s is not something earlyroot can do; it unlocks %s with a key "
			 "file or the passphrase instead",
			 tab->unsupported, tab->name, dev);
	if (want && want->name[0])
		snprintf(name, sizeof name, "%s", want->name);
	else if (tab)
		snprintf(name, sizeof name, "%s", tab->name);
	else
		snprintf(name, sizeof name, "luks-%s", d->fs.uuid);
	snprintf(keyfile, sizeof keyfile, "/dev/mapper/%s", name);
	if (lstat(keyfile, &st) == 0)
		return 1; /* opened already: a second path to the same volume */
	const struct luks_want *keyed = want && want->key[0] ? want : any && any->key[0] ? any : NULL;
	const char *key = keyed ? keyed->key : tab && tab->key[0] ? tab->key : NULL;
	const char *keydev = keyed && keyed->keydev[0] ? keyed->keydev : NULL;
	int mounted = 0;
	if (keydev) {
		if ((mounted = mount_keydev(devs, keydev, dev)) <= 0) {
			if (mounted == 0)
				snprintf(s->keydev_wait, sizeof s->keydev_wait, "LUKS %s waits for its key's device %s", dev,
					 keydev);
			return mounted;
		}
		snprintf(keyfile, sizeof keyfile, "%s%s", KEYDEV_MOUNT, key);
		key = keyfile;
		s->keydev_wait[0] = 0;
	}
	if (!s->have_luks_mods++)
		storage_layer_modules(s, "luks", fallback);
	const struct luks_want *opts = want ? want : any;
	struct luks_open r = {
		.device = dev,
		.uuid = d->fs.uuid,
		.name = name,
		.keyfile = key,
		.discard = (opts && opts->discard) || (tab && tab->discard),
		.no_read_workqueue = (opts && opts->no_read_workqueue) || (tab && tab->no_read_workqueue),
		.no_write_workqueue = (opts && opts->no_write_workqueue) || (tab && tab->no_write_workqueue),
		.readonly = tab && tab->readonly,
		/* systemd's tries=0 means ask forever; the console prompt keeps its bound of LUKS_TRIES. */
		.tries = tab && tab->tries > 0 ? tab->tries : 0,
		.keyfile_offset = tab && key == tab->key ? tab->keyfile_offset : 0,
		.keyfile_size = tab && key == tab->key ? tab->keyfile_size : 0,
	};
	int ret = luks_open(&r, paused_ms);
	if (mounted)
		umount2(KEYDEV_MOUNT, MNT_DETACH);
	if (ret < 0)
		return -1;
	if (s->nluks_seen < STORAGE_MAX)
		snprintf(s->luks_seen[s->nluks_seen++], sizeof s->luks_seen[0], "%s", d->fs.uuid);
	return 1;
}

static struct md_array *md_array_for(struct storage *s, const char *uuid)
{
	for (int i = 0; i < s->nmd; i++)
		if (!strcmp(s->md[i].uuid, uuid))
			return &s->md[i];
	if (s->nmd == STORAGE_MAX)
		return NULL;
	struct md_array *a = &s->md[s->nmd++];
	memset(a, 0, sizeof *a);
	snprintf(a->uuid, sizeof a->uuid, "%s", uuid);
	a->since = now_ms();
	return a;
}

static void consider_md(struct storage *s, const struct blockdev *d)
{
	static const char *const fallback[] = {"md_mod", NULL};
	char uuid[33], dev[64], alias[32], err[256];
	size_t n = 0;
	struct md_incremental r;

	for (const char *p = d->fs.uuid; *p && n < 32; p++)
		if (*p != '-' && *p != ':')
			uuid[n++] = (char)(*p >= 'A' && *p <= 'F' ? *p - 'A' + 'a' : *p);
	uuid[n] = 0;
	snprintf(dev, sizeof dev, "/dev/%s", d->name);
	struct stat st;
	if (!s->conf.nmd_uuid && stat(MD_TOOL, &st) < 0) {
		log_debug("RAID: %s left alone: this image has no mdadm (mkinitramfs --md)", dev);
		return;
	}
	if (!storage_conf_md_wanted(&s->conf, uuid)) {
		leave(s, "RAID", d, s->conf.md_off ? "rd.md=0" : "not named by rd.md.uuid=");
		return;
	}
	if (!s->have_md_mods++)
		storage_layer_modules(s, "md", fallback);
	/* The personality, as the kernel would request it when the array starts. */
	snprintf(alias, sizeof alias, "md-level-%s", d->fs.raid_level);
	if (d->fs.raid_level[0])
		modules_for_alias(s->mods, alias);
	if (md_add_member(dev, !s->conf.md_conf_off && stat(MDADM_CONF, &st) == 0, &r, err, sizeof err) < 0) {
		log_warn("RAID: mdadm did not add %s to its array (UUID %s): %s", dev, d->fs.uuid, err);
		return;
	}
	struct md_array *a = md_array_for(s, uuid);
	if (!a)
		return;
	snprintf(a->array, sizeof a->array, "%s", r.array);
	snprintf(a->name, sizeof a->name, "%s", r.name);
	if (r.started && !a->started)
		log_info("RAID: %s started with %s", a->array, dev);
	else if (!r.started)
		log_info("RAID: %s added to %s, which waits for more members", dev, a->array);
	a->started |= r.started;
}

/* Arrays still waiting for members: started degraded once their time is up. */
static void md_deadlines(struct storage *s, long long *deadline_ms)
{
	long long timeout = (s->conf.md_degraded_timeout_s >= 0 ? s->conf.md_degraded_timeout_s : MD_DEGRADED_TIMEOUT_S) * 1000LL;
	char state[32], err[256];
	int members, disks;

	for (int i = 0; i < s->nmd; i++) {
		struct md_array *a = &s->md[i];
		if (a->started || !a->array[0])
			continue;
		if (md_state(a->array, state, sizeof state, &members, &disks) == 0 && strcmp(state, "inactive") &&
		    strcmp(state, "clear")) {
			a->started = 1; /* mdadm or the kernel started it meanwhile */
			continue;
		}
		if (now_ms() < a->since + timeout) {
			if (a->since + timeout < *deadline_ms)
				*deadline_ms = a->since + timeout;
			continue;
		}
		if (md_run_degraded(a->array, err, sizeof err) < 0) {
			log_error("RAID: %s (UUID %s) has %d of %d members after %lld s and cannot start degraded: %s", a->array,
				  a->uuid, members, disks, timeout / 1000, err);
			a->started = -1;
			continue;
		}
		a->started = 1;
		/* An inactive array shows raid_disks 0: counted again now that it runs. */
		md_state(a->array, state, sizeof state, &members, &disks);
		log_warn("RAID: %s (UUID %s) started DEGRADED with %d of %d members after waiting %lld s for the rest: "
			 "the data has no redundancy until the missing member is re-added (mdadm --detail /dev/%s)",
			 a->array, a->uuid, members, disks, timeout / 1000, a->array);
	}
}

int storage_step(struct storage *s, struct blockdevs *devs, long long *deadline_ms, long long *paused_ms)
{
	static const char *const dm_fallback[] = {"dm_mod", NULL};
	struct stat st;

	for (size_t i = 0; i < devs->n; i++) {
		const struct blockdev *d = &devs->v[i];
		if (!blockdevs_probe(&devs->v[i]) || was_handled(s, d))
			continue;
		mark_dm_ready(d);
		if (in_use(d)) {
			set_handled(s, d);
			continue;
		}
		if (!strcmp(d->fs.type, "crypto_LUKS")) {
			int r = consider_luks(s, devs, d, paused_ms);
			if (r < 0)
				return -1;
			if (r)
				set_handled(s, d);
			continue;
		}
		set_handled(s, d);
		if (!strcmp(d->fs.type, "linux_raid_member")) {
			consider_md(s, d);
		} else if (!strcmp(d->fs.type, "LVM2_member") && !s->conf.lvm_off &&
			   (s->conf.nlvm_vg || s->conf.nlvm_lv || stat(LVM_TOOL, &st) == 0)) {
			size_t len = strlen(s->pvs);
			snprintf(s->pvs + len, sizeof s->pvs - len, "%s%s", len ? ", " : "", d->name);
			s->pv_new = 1;
		} else if (!strcmp(d->fs.type, "LVM2_member")) {
			leave(s, "LVM", d, "rd.lvm=0");
		}
	}
	if (s->pv_new) {
		s->pv_new = 0;
		if (!s->have_dm_mods++)
			storage_layer_modules(s, "lvm", dm_fallback);
		if (lvm_activate(&s->conf, s->lvm_err, sizeof s->lvm_err) == 0) {
			s->lvm_err[0] = 0;
			log_info("LVM: activated %s%s on %s", s->conf.nlvm_lv ? s->conf.lvm_lv[0] : s->conf.nlvm_vg ? "volume group " : "every volume group",
				 s->conf.nlvm_lv ? (s->conf.nlvm_lv > 1 ? " and more" : "") : s->conf.nlvm_vg ? s->conf.lvm_vg[0] : "",
				 s->pvs);
		} else
			log_debug("LVM: not yet: %s", s->lvm_err);
	}
	md_deadlines(s, deadline_ms);
	return 0;
}

void storage_describe(const struct storage *s, char *buf, size_t size)
{
	char what[160], part[600];

	buf[0] = 0;
	if (s->lvm_err[0]) {
		snprintf(part, sizeof part, "LVM: %s (physical volumes: %s)", s->lvm_err, s->pvs);
		append(buf, size, part);
	} else if (!s->pvs[0] && (s->conf.nlvm_vg || s->conf.nlvm_lv)) {
		snprintf(part, sizeof part, "LVM: no physical volume found for %s%s", s->conf.nlvm_lv ? "rd.lvm.lv=" : "rd.lvm.vg=",
			 s->conf.nlvm_lv ? s->conf.lvm_lv[0] : s->conf.lvm_vg[0]);
		append(buf, size, part);
	}
	for (int i = 0; i < s->nmd; i++) {
		char state[32];
		int members = 0, disks = 0;
		if (s->md[i].started == 1)
			continue;
		if (md_state(s->md[i].array, state, sizeof state, &members, &disks) < 0)
			snprintf(state, sizeof state, "gone");
		snprintf(what, sizeof what, "%s, %d of %d members", state, members, disks);
		snprintf(part, sizeof part, "RAID %s not started: %s", s->md[i].array, what);
		append(buf, size, part);
	}
	for (int i = 0; i < s->conf.nmd_uuid; i++) {
		int seen = 0;
		for (int j = 0; j < s->nmd; j++)
			seen |= !strcmp(s->md[j].uuid, s->conf.md_uuid[i]);
		if (!seen) {
			snprintf(part, sizeof part, "RAID: no member of rd.md.uuid=%s found", s->conf.md_uuid[i]);
			append(buf, size, part);
		}
	}
	for (int i = 0; i < s->conf.nluks; i++) {
		int seen = 0;
		if (!s->conf.luks[i].uuid[0])
			continue;
		for (int j = 0; j < s->nluks_seen; j++)
			seen |= !strcmp(s->luks_seen[j], s->conf.luks[i].uuid);
		if (!seen) {
			snprintf(part, sizeof part, "LUKS: rd.luks.uuid=%s not found", s->conf.luks[i].uuid);
			append(buf, size, part);
		}
	}
	if (s->keydev_wait[0])
		append(buf, size, s->keydev_wait);
	if (s->left[0]) {
		snprintf(part, sizeof part, "left alone as asked: %s", s->left);
		append(buf, size, part);
	}
}
