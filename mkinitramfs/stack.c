/* stack.c — the layers under the root (stack.h). */
#include "stack.h"

#include <blkid.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "util.h"

/* Far deeper than any real stack; sysfs links cannot loop, a hand-made tree might. */
#define MAX_DEPTH 16

int stack_probe(const char *path, char **type, char **uuid, char *why, size_t whylen)
{
	*type = *uuid = NULL;
	blkid_probe pr = blkid_new_probe_from_filename(path);
	if (!pr) {
		snprintf(why, whylen, "cannot read %s: %s", path, strerror(errno ? errno : EIO));
		return -1;
	}
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE | BLKID_SUBLKS_UUID);
	/* safeprobe: two signatures that disagree (a stale one) are no answer rather than a guess. */
	int rc = blkid_do_safeprobe(pr);
	const char *v;
	if (rc == 0) {
		if (blkid_probe_lookup_value(pr, "TYPE", &v, NULL) == 0)
			*type = xstrdup(v);
		if (blkid_probe_lookup_value(pr, "UUID", &v, NULL) == 0)
			*uuid = xstrdup(v);
	} else {
		snprintf(why, whylen, "%s: %s", path,
			 rc == -2 ? "several signatures that disagree (wipefs shows them)" : rc == 1 ? "no known signature" : "cannot probe it");
	}
	blkid_free_probe(pr);
	return rc == 0 ? 0 : -1;
}

char *stack_uuid_link(const char *devdir, unsigned maj, unsigned min)
{
	char *dir = xasprintf("%s/disk/by-uuid", devdir), *found = NULL;
	DIR *d = opendir(dir);
	free(dir);
	struct dirent *de;
	while (d && !found && (de = readdir(d))) {
		struct stat st;
		if (de->d_name[0] != '.' && fstatat(dirfd(d), de->d_name, &st, 0) == 0 && S_ISBLK(st.st_mode) &&
		    st.st_rdev == makedev(maj, min))
			found = xstrdup(de->d_name);
	}
	if (d)
		closedir(d);
	return found;
}

/* The first line of a sysfs attribute, or NULL. */
static char *read_attr(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(p, "re");
	free(p);
	if (!f)
		return NULL;
	char line[512];
	char *r = fgets(line, sizeof(line), f) ? xstrdup(line) : NULL;
	fclose(f);
	if (r)
		r[strcspn(r, "\n")] = '\0';
	return r;
}

static char *devnode_of(const char *sysdir, const char *devdir)
{
	char *p = xasprintf("%s/uevent", sysdir), *node = NULL;
	FILE *f = fopen(p, "re");
	free(p);
	char line[512];
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, "DEVNAME=", 8) == 0) {
			line[strcspn(line, "\n")] = '\0';
			free(node);
			node = xasprintf("%s/%s", devdir, line + 8);
		}
	if (f)
		fclose(f);
	return node;
}

char *stack_devnode(const char *sysfs, const char *devdir, unsigned maj, unsigned min, char *why, size_t whylen)
{
	char *sysdir = xasprintf("%s/dev/block/%u:%u", sysfs, maj, min);
	char *node = devnode_of(sysdir, devdir);
	if (!node)
		snprintf(why, whylen, "no block device %u:%u in %s/dev/block", maj, min, sysfs);
	free(sysdir);
	return node;
}

/* Add WORD to the command line unless it is there already (two paths down to one array). */
static void add_word(struct stack *s, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = s->cmdline; (p = strstr(p, word)); p += n)
		if ((p == s->cmdline || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return;
	char *c = xasprintf("%s%s%s", s->cmdline, *s->cmdline ? " " : "", word);
	free(s->cmdline);
	s->cmdline = c;
}

/* 32 hex digits of a UUID written with any separators, lowercase; false if it is not that. */
static bool uuid_hex(const char *in, char out[33])
{
	size_t n = 0;
	for (; *in; in++) {
		if (isxdigit((unsigned char)*in)) {
			if (n == 32)
				return false;
			out[n++] = (char)tolower((unsigned char)*in);
		} else if (*in != '-' && *in != ':' && *in != '.') {
			return false;
		}
	}
	out[n] = '\0';
	return n == 32;
}

/* The slaves of SYSDIR, sorted (the order of the words on the command line should not depend on the
 * directory's); their paths below SYSDIR/slaves. */
static size_t slaves_of(const char *sysdir, char ***out)
{
	char *p = xasprintf("%s/slaves", sysdir);
	DIR *d = opendir(p);
	char **v = NULL;
	size_t n = 0;
	struct dirent *de;
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		v = xrealloc(v, (n + 1) * sizeof(*v));
		v[n++] = xasprintf("%s/%s", p, de->d_name);
	}
	if (d)
		closedir(d);
	free(p);
	for (size_t i = 1; i < n; i++) /* a handful: insertion sort */
		for (size_t j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
			char *t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	*out = v;
	return n;
}

/* dm's VG-LV name, '-' in either doubled: "my--vg-root" is VG my-vg, LV root. false if no split. */
static bool split_lv(const char *dmname, char **vg, char **lv)
{
	size_t n = strlen(dmname);
	char *v = xmalloc(n + 1), *l = NULL;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (dmname[i] == '-' && dmname[i + 1] == '-') {
			v[k++] = '-';
			i++;
		} else if (dmname[i] == '-') {
			l = xmalloc(n + 1);
			size_t m = 0;
			for (i++; i < n; i++) {
				l[m++] = dmname[i];
				if (dmname[i] == '-' && dmname[i + 1] == '-')
					i++;
			}
			l[m] = '\0';
			break;
		} else {
			v[k++] = dmname[i];
		}
	}
	v[k] = '\0';
	if (!l || !k || !*l) {
		free(v);
		free(l);
		return false;
	}
	*vg = v;
	*lv = l;
	return true;
}

static void warn_layer(const char *what, const char *why)
{
	fprintf(stderr, PROG ": warning: --hostonly: %s (%s); the image then needs it on the kernel command line\n",
		what, why);
}

/* What the LUKS mapping at SYSDIR (dm name NAME, dm UUID DMUUID) unlocks: its slave, probed. */
static void luks_layer(struct stack *s, const char *sysdir, const char *devdir, const char *name, const char *dmuuid,
		       bool verbose)
{
	char **sl;
	size_t n = slaves_of(sysdir, &sl);
	char why[512] = "no device under it in sysfs", *type = NULL, *uuid = NULL, *node = NULL;
	unsigned maj = 0, min = 0;
	if (n) {
		char *dev = read_attr(sl[0], "dev");
		if (!dev || sscanf(dev, "%u:%u", &maj, &min) != 2)
			maj = min = 0;
		free(dev);
		node = devnode_of(sl[0], devdir);
		if (!node)
			snprintf(why, sizeof(why), "%s/uevent has no DEVNAME", sl[0]);
		else if (stack_probe(node, &type, &uuid, why, sizeof(why)) == 0 && (!type || strcmp(type, "crypto_LUKS") != 0))
			snprintf(why, sizeof(why), "%s is %s, not LUKS", node, type ? type : "of no known type");
		else if (!type) {
			/* Unreadable (not root): cryptsetup put the header's UUID in the dm UUID,
			 * CRYPT-LUKS2-<32 hex>-<name>. */
			char raw[33], hex[33];
			const char *h = dmuuid + 12, *dash = strchr(h, '-');
			if (dash && dash - h == 32 && snprintf(raw, sizeof(raw), "%.32s", h) == 32 && uuid_hex(raw, hex)) {
				type = xstrdup("crypto_LUKS");
				uuid = xasprintf("%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
			}
		}
	}
	if (uuid && type && strcmp(type, "crypto_LUKS") == 0) {
		char *w = xasprintf("rd.luks.uuid=%s", uuid);
		add_word(s, w);
		free(w);
		s->luks = xrealloc(s->luks, (s->nluks + 1) * sizeof(*s->luks));
		s->luks[s->nluks++] = (struct stack_luks){ .name = xstrdup(name), .uuid = xstrdup(uuid), .maj = maj, .min = min };
		if (verbose)
			printf(PROG ": hostonly: LUKS volume %s on %s (UUID %s)\n", name, node, uuid);
	} else {
		char *what = xasprintf("the root's LUKS volume %s has no UUID to name", name);
		warn_layer(what, why);
		free(what);
	}
	free(type);
	free(uuid);
	free(node);
	strv_free(sl, n);
}

/* An md array's UUID: md/uuid in sysfs, else a member's superblock (blkid's linux_raid_member). */
static void md_layer(struct stack *s, const char *sysdir, const char *devdir, bool verbose)
{
	char hex[33] = "", why[512] = "no md/uuid and no member to read";
	char *u = read_attr(sysdir, "md/uuid");
	if (!u || !uuid_hex(u, hex)) {
		hex[0] = '\0';
		char **sl;
		size_t n = slaves_of(sysdir, &sl);
		for (size_t i = 0; i < n && !hex[0]; i++) {
			char *node = devnode_of(sl[i], devdir), *type = NULL, *uuid = NULL;
			if (node && stack_probe(node, &type, &uuid, why, sizeof(why)) == 0 && type &&
			    strcmp(type, "linux_raid_member") == 0 && uuid && !uuid_hex(uuid, hex))
				hex[0] = '\0';
			free(node);
			free(type);
			free(uuid);
		}
		strv_free(sl, n);
	}
	free(u);
	if (!hex[0]) {
		warn_layer("the root's RAID array has no UUID to name", why);
		return;
	}
	/* mdadm's spelling, as dracut's rd.md.uuid= and mdadm.conf's ARRAY lines write it. */
	char *w = xasprintf("rd.md.uuid=%.8s:%.8s:%.8s:%.8s", hex, hex + 8, hex + 16, hex + 24);
	add_word(s, w);
	if (verbose)
		printf(PROG ": hostonly: RAID array %s (%s)\n", sysdir, w);
	free(w);
}

static void walk(struct stack *s, const char *sysdir, const char *devdir, bool under_lvm, int depth, bool verbose)
{
	if (depth > MAX_DEPTH)
		return;
	char *dmuuid = read_attr(sysdir, "dm/uuid"), *dmname = read_attr(sysdir, "dm/name");
	bool lvm = false;
	if (dmuuid && (strncmp(dmuuid, "CRYPT-LUKS1-", 12) == 0 || strncmp(dmuuid, "CRYPT-LUKS2-", 12) == 0)) {
		s->layers.luks = true;
		luks_layer(s, sysdir, devdir, dmname ? dmname : "?", dmuuid, verbose);
	} else if (dmuuid && strncmp(dmuuid, "LVM-", 4) == 0) {
		s->layers.lvm = lvm = true;
		s->layers.thin |= strstr(dmuuid, "-tpool") != NULL; /* a thin pool's dm device */
		/* Only the LV the layer above uses: the ones below it in dm (a thin pool's, a snapshot's
		 * origin) are lvm's own business when it activates that LV. */
		char *vg, *lv;
		if (!under_lvm && dmname && split_lv(dmname, &vg, &lv)) {
			char *w = xasprintf("rd.lvm.lv=%s/%s", vg, lv);
			add_word(s, w);
			if (verbose)
				printf(PROG ": hostonly: LVM logical volume %s/%s\n", vg, lv);
			free(w);
			free(vg);
			free(lv);
		} else if (!under_lvm) {
			warn_layer("the root's LVM volume has no VG-LV name in sysfs", dmname ? dmname : "no dm/name");
		}
	} else if (dmuuid && strncmp(dmuuid, "CRYPT-VERITY-", 13) == 0) {
		s->layers.verity = true;
		if (verbose)
			printf(PROG ": hostonly: dm-verity device %s (roothash= comes from the command line)\n",
			       dmname ? dmname : "?");
	}
	char *md = xasprintf("%s/md", sysdir);
	DIR *d = opendir(md);
	if (d) {
		closedir(d);
		s->layers.md = true;
		md_layer(s, sysdir, devdir, verbose);
	}
	free(md);
	free(dmuuid);
	free(dmname);
	/* A partition has no slaves: its disk is a device like any other, whose driver the modalias walk
	 * found. */
	char **sl;
	size_t n = slaves_of(sysdir, &sl);
	for (size_t i = 0; i < n; i++)
		walk(s, sl[i], devdir, lvm, depth + 1, verbose);
	strv_free(sl, n);
}

void stack_scan(const char *sysfs, const char *devdir, unsigned maj, unsigned min, bool verbose, struct stack *s)
{
	*s = (struct stack){ .cmdline = xstrdup("") };
	char *sysdir = xasprintf("%s/dev/block/%u:%u", sysfs, maj, min);
	walk(s, sysdir, devdir, false, 0, verbose);
	free(sysdir);
}

void stack_free(struct stack *s)
{
	for (size_t i = 0; i < s->nluks; i++) {
		free(s->luks[i].name);
		free(s->luks[i].uuid);
	}
	free(s->luks);
	free(s->cmdline);
	*s = (struct stack){ 0 };
}
