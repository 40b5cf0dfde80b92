/* hostonly.c — what this machine needs to boot.
 *
 * Devices: every modalias file below /sys/devices is looked up in the modules.alias of BASEDIR/lib/modules/KVER
 * through libkmod (the same fnmatch rules as modprobe); every loadable module that matches goes in, as
 * udev would load it at boot. Root: the last "/" line of /proc/self/mountinfo gives the filesystem
 * type (its module, or the fs-TYPE alias, goes in when loadable) and the device MAJ:MIN; the device's
 * UUID comes from its superblock through libblkid (every filesystem it knows), or from udev's
 * /dev/disk/by-uuid link when the device cannot be read (not root). It becomes
 * cmdline=root=UUID=... in image.conf, followed by the layers under the root (stack.c):
 * rd.luks.uuid=, rd.lvm.lv=, rd.md.uuid=. Without a UUID the image still builds, with one warning. */
#include "hostonly.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libkmod.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/* ARRAY lines of `mdadm --detail --scan`: the arrays this machine knows, which the image then
 * assembles under their names. None (or no mdadm) is nothing: AUTO +all assembles them anyway. */
static char *md_arrays(void)
{
	FILE *p = popen("mdadm --detail --scan 2>/dev/null", "re");
	if (!p)
		return NULL;
	struct buf b = { 0 };
	char line[1024];
	while (fgets(line, sizeof(line), p))
		if (strncmp(line, "ARRAY ", 6) == 0)
			buf_printf(&b, "%s%s", line, strchr(line, '\n') ? "" : "\n");
	pclose(p);
	return b.data;
}

int hostonly_scan(const char *basedir, const char *kver, bool verbose, struct hostonly *h)
{
	char *moddir = xasprintf("%s/lib/modules/%s", strcmp(basedir, "/") == 0 ? "" : basedir, kver);
	struct kmod_ctx *ctx = kmod_new(moddir, (const char *const[]){ NULL });
	const char *root = getenv(HOSTONLY_ROOT_ENV);
	h->root = xstrdup(root ? root : "");
	char *sysfs = xasprintf("%s/sys", h->root), *devdir = xasprintf("%s/dev", h->root);
	char *devices = xasprintf("%s/devices", sysfs), *mountinfo = xasprintf("%s/proc/self/mountinfo", h->root);
	int rc = -1;
	if (!ctx || kmod_load_resources(ctx) < 0) {
		errorf("--hostonly: cannot read the module indexes of %s", moddir);
		goto out;
	}
	walk(ctx, h, devices, verbose);
	h->ndevices = h->n;

	/* The root: the last mount on "/" is the one processes see. */
	FILE *f = fopen(mountinfo, "re");
	if (!f) {
		errorf("--hostonly: cannot read %s: %s", mountinfo, strerror(errno));
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
		errorf("--hostonly: no mount on / in %s", mountinfo);
		goto out;
	}
	char *alias = xasprintf("fs-%s", fstype);
	if (!lookup(ctx, h, fstype, verbose, "root filesystem"))
		lookup(ctx, h, alias, verbose, "root filesystem");
	free(alias);
	/* The root's UUID from its own superblock (libblkid knows every filesystem), then the layers
	 * under it. A root that is not a block device (0:N: tmpfs, NFS, overlay) has neither. */
	char why[512] = "the root is not a block device";
	char *node = maj ? stack_devnode(sysfs, devdir, maj, min, why, sizeof(why)) : NULL, *type = NULL, *uuid = NULL;
	int probed = node ? stack_probe(node, &type, &uuid, why, sizeof(why)) : -1;
	if (probed == 0 && !uuid)
		snprintf(why, sizeof(why), "%s (%s) has no UUID", node, type ? type : fstype);
	else if (probed < 0 && node)
		uuid = stack_uuid_link(devdir, maj, min); /* udev's link, when the device is not readable */
	free(node);
	free(type);
	if (maj)
		stack_scan(sysfs, devdir, maj, min, verbose, &h->stack);
	else
		h->stack.cmdline = xstrdup("");
	if (uuid || *h->stack.cmdline)
		h->cmdline = xasprintf("%s%s%s%s", uuid ? "root=UUID=" : "", uuid ? uuid : "",
				       uuid && *h->stack.cmdline ? " " : "", h->stack.cmdline);
	if (!uuid)
		fprintf(stderr, PROG ": warning: --hostonly: no root=UUID= for the image (%s)\n", why);
	free(uuid);
	if (hostcrypt_read(h->root, &h->stack, &h->crypt) < 0)
		goto out;
	if (h->stack.layers.md && !root)
		h->md_arrays = md_arrays();
	rc = 0;
out:
	kmod_unref(ctx);
	free(moddir);
	free(sysfs);
	free(devdir);
	free(devices);
	free(mountinfo);
	return rc;
}

void hostonly_free(struct hostonly *h)
{
	strv_free(h->modules, h->n);
	free(h->cmdline);
	free(h->root);
	free(h->md_arrays);
	stack_free(&h->stack);
	hostcrypt_free(&h->crypt);
	memset(h, 0, sizeof(*h));
}
