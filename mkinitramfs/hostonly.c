/* hostonly.c — what this machine needs to boot.
 *
 * Devices: every modalias file below /sys/devices is looked up in the modules.alias of BASEDIR/lib/modules/KVER
 * through libkmod (the same fnmatch rules as modprobe); every loadable module that matches goes in, as
 * udev would load it at boot. Root: the last "/" line of /proc/self/mountinfo gives the filesystem
 * type (its module, or the fs-TYPE alias, goes in when loadable) and the device MAJ:MIN; the device's
 * UUID comes from /dev/disk/by-uuid when udev made it, else from the superblock, for ext2/3/4 (the
 * only superblock read here; other filesystems need /dev/disk/by-uuid). It becomes
 * cmdline=root=UUID=... in image.conf. Without a UUID the image still builds, with one warning. */
#include "hostonly.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libkmod.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "util.h"

/* false if it was there already. */
static bool add_name(struct hostonly *h, const char *name)
{
	for (size_t i = 0; i < h->n; i++)
		if (strcmp(h->modules[i], name) == 0)
			return false;
	h->modules = xrealloc(h->modules, (h->n + 1) * sizeof(*h->modules));
	h->modules[h->n++] = xstrdup(name);
	return true;
}

/* Add the loadable modules alias resolves to; how many. */
static size_t lookup(struct kmod_ctx *ctx, struct hostonly *h, const char *alias, bool verbose, const char *why)
{
	struct kmod_list *list = NULL, *it;
	size_t n = 0;
	if (kmod_module_new_from_lookup(ctx, alias, &list) < 0)
		return 0;
	kmod_list_foreach(it, list)
	{
		struct kmod_module *m = kmod_module_get_module(it);
		if (kmod_module_get_path(m)) { /* built-ins have none */
			if (add_name(h, kmod_module_get_name(m)) && verbose)
				printf(PROG ": hostonly: %s (%s %s)\n", kmod_module_get_name(m), why, alias);
			n++;
		}
		kmod_module_unref(m);
	}
	kmod_module_unref_list(list);
	return n;
}

/* Depth-first over /sys/devices, not following symlinks (sysfs has loops through them). */
static void walk(struct kmod_ctx *ctx, struct hostonly *h, const char *dir, bool verbose)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char *p = xasprintf("%s/%s", dir, de->d_name);
		if (de->d_type == DT_DIR) {
			walk(ctx, h, p, verbose);
		} else if (strcmp(de->d_name, "modalias") == 0) {
			char alias[4096]; /* a sysfs attribute is at most a page; cpu: aliases are long */
			int fd = open(p, O_RDONLY | O_CLOEXEC);
			ssize_t n = fd >= 0 ? read(fd, alias, sizeof(alias) - 1) : -1;
			if (fd >= 0)
				close(fd);
			if (n > 0) {
				alias[n] = '\0';
				alias[strcspn(alias, "\n")] = '\0';
				if (alias[0])
					lookup(ctx, h, alias, verbose, "device");
			}
		}
		free(p);
	}
	closedir(d);
}

/* UUID of an ext2/3/4 superblock (magic 0xEF53 at 1024 + 0x38, UUID at 1024 + 0x68). */
static char *ext_uuid(const char *dev, char *why, size_t whylen)
{
	unsigned char sb[1024];
	int fd = open(dev, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || pread(fd, sb, sizeof(sb), 1024) != (ssize_t)sizeof(sb)) {
		snprintf(why, whylen, "cannot read %s: %s", dev, strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	close(fd);
	if (sb[0x38] != 0x53 || sb[0x39] != 0xef) {
		snprintf(why, whylen, "%s is not ext2/3/4 and /dev/disk/by-uuid has no link to it", dev);
		return NULL;
	}
	const unsigned char *u = sb + 0x68;
	return xasprintf("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0], u[1], u[2], u[3],
			 u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
}

static char *root_uuid(unsigned maj, unsigned min, char *why, size_t whylen)
{
	DIR *d = opendir("/dev/disk/by-uuid");
	if (d) {
		struct dirent *de;
		char *found = NULL;
		while (!found && (de = readdir(d))) {
			struct stat st;
			if (de->d_name[0] != '.' && fstatat(dirfd(d), de->d_name, &st, 0) == 0 && S_ISBLK(st.st_mode) &&
			    st.st_rdev == makedev(maj, min))
				found = xstrdup(de->d_name);
		}
		closedir(d);
		if (found)
			return found;
	}
	/* The device node, by its name in sysfs. */
	char *uevent = xasprintf("/sys/dev/block/%u:%u/uevent", maj, min);
	FILE *f = fopen(uevent, "re");
	char line[256], *dev = NULL;
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, "DEVNAME=", 8) == 0) {
			line[strcspn(line, "\n")] = '\0';
			dev = xasprintf("/dev/%s", line + 8);
		}
	if (f)
		fclose(f);
	free(uevent);
	if (!dev) {
		snprintf(why, whylen, "no block device %u:%u in /sys/dev/block", maj, min);
		return NULL;
	}
	char *u = ext_uuid(dev, why, whylen);
	free(dev);
	return u;
}

int hostonly_scan(const char *basedir, const char *kver, bool verbose, struct hostonly *h)
{
	char *moddir = xasprintf("%s/lib/modules/%s", strcmp(basedir, "/") == 0 ? "" : basedir, kver);
	struct kmod_ctx *ctx = kmod_new(moddir, (const char *const[]){ NULL });
	int rc = -1;
	if (!ctx || kmod_load_resources(ctx) < 0) {
		errorf("--hostonly: cannot read the module indexes of %s", moddir);
		goto out;
	}
	walk(ctx, h, "/sys/devices", verbose);
	h->ndevices = h->n;

	/* The root: the last mount on "/" is the one processes see. */
	FILE *f = fopen("/proc/self/mountinfo", "re");
	if (!f) {
		errorf("--hostonly: cannot read /proc/self/mountinfo: %s", strerror(errno));
		goto out;
	}
	char line[4096], fstype[64] = "";
	unsigned maj = 0, min = 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned a, b;
		char mnt[1024], *sep = strstr(line, " - ");
		if (sscanf(line, "%*u %*u %u:%u %*s %1023s", &a, &b, mnt) == 3 && strcmp(mnt, "/") == 0 && sep &&
		    sscanf(sep + 3, "%63s", fstype) == 1)
			maj = a, min = b;
	}
	fclose(f);
	if (!fstype[0]) {
		errorf("--hostonly: no mount on / in /proc/self/mountinfo");
		goto out;
	}
	char *alias = xasprintf("fs-%s", fstype);
	if (!lookup(ctx, h, fstype, verbose, "root filesystem"))
		lookup(ctx, h, alias, verbose, "root filesystem");
	free(alias);
	char why[512] = "";
	char *uuid = maj ? root_uuid(maj, min, why, sizeof(why)) : NULL;
	if (uuid) {
		h->cmdline = xasprintf("root=UUID=%s", uuid);
		free(uuid);
	} else {
		fprintf(stderr, PROG ": warning: --hostonly: no root=UUID= for the image (%s)\n",
			maj ? why : "the root is not a block device");
	}
	rc = 0;
out:
	kmod_unref(ctx);
	free(moddir);
	return rc;
}

void hostonly_free(struct hostonly *h)
{
	strv_free(h->modules, h->n);
	free(h->cmdline);
	memset(h, 0, sizeof(*h));
}
