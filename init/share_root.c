/* share_root.c — see share_root.h.
 *
 * A 9p share's tag is in sysfs (the 9pnet_virtio device's mount_tag), so the wait knows when it is
 * there and the error can list the tags that are. A virtiofs tag is not (Linux 6.1 has no attribute
 * for it): the wait is for a virtiofs device, and the mount says whether the tag was one of them. */
#include "share_root.h"
#include "clock.h"
#include "fsutil.h"
#include "log.h"
#include "mount_root.h"
#include "rootdev.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#define P9_DRIVER "/sys/bus/virtio/drivers/9pnet_virtio"
#define VIRTIOFS_DRIVER "/sys/bus/virtio/drivers/virtiofs"

int share_root(const struct cmdline *cl)
{
	return cl->rootfstype && (!strcmp(cl->rootfstype, "9p") || !strcmp(cl->rootfstype, "virtiofs"));
}

static int is_9p(const struct cmdline *cl)
{
	return !strcmp(cl->rootfstype, "9p");
}

/* 1 when the share is there. SEEN gets what is there instead, for the error line: the 9p tags
 * ("a, b"), or how many virtiofs devices. */
static int share_present(const struct cmdline *cl, char *seen, size_t size)
{
	DIR *d = opendir(is_9p(cl) ? P9_DRIVER : VIRTIOFS_DRIVER);
	int found = 0, devices = 0;

	seen[0] = 0;
	if (!d)
		return 0; /* the driver is not loaded (yet) */
	for (struct dirent *e; (e = readdir(d));) {
		char path[PATH_MAX], tag[256];
		if (strncmp(e->d_name, "virtio", 6))
			continue;
		devices++;
		if (!is_9p(cl))
			continue;
		snprintf(path, sizeof path, P9_DRIVER "/%s/mount_tag", e->d_name);
		ssize_t n = read_small_file(path, tag, sizeof tag);
		if (n <= 0)
			continue;
		tag[strcspn(tag, "\n")] = 0; /* the kernel ends it with a NUL, older ones with a newline too */
		found |= !strcmp(tag, cl->root);
		size_t len = strlen(seen);
		snprintf(seen + len, size - len, "%s'%s'", len ? ", " : "", tag);
	}
	closedir(d);
	if (!is_9p(cl))
		snprintf(seen, size, "%d virtiofs device%s", devices, devices == 1 ? "" : "s");
	return is_9p(cl) ? found : devices > 0;
}

int share_root_wait(const struct cmdline *cl, struct uevents *ue, struct modules *mods, const char *kept_out,
		    char *device, size_t size)
{
	const char *type = cl->rootfstype;
	char seen[512];

	if (!cl->root || !*cl->root) {
		log_error("rootfstype=%s needs root=TAG, the tag the host gave the share (QEMU: mount_tag= of "
			  "-virtfs, tag= of vhost-user-fs-pci)", type);
		return -1;
	}
	modules_for_filesystem(mods, "", type); /* "fs-9p": 9p.ko and the 9pnet it needs */
	long long budget = root_wait_budget_ms(cl), start = now_ms();
	if (!share_present(cl, seen, sizeof seen))
		log_info("waiting for the %s share '%s'", type, cl->root);
	while (!share_present(cl, seen, sizeof seen)) {
		long long left = budget < 0 ? 1000 : start + budget - now_ms();
		if (left <= 0) {
			const char *none = is_9p(cl) ? "none" : "no virtiofs device";
			log_error("no %s share tagged '%s' after %lld s (the guest has %s)%s%s: root= must be the "
				  "host's tag; is the device attached, and %s in the image or built in?", type,
				  cl->root, budget / 1000, seen[0] ? seen : none, kept_out && *kept_out ? "; kept out by "
				  "module_blacklist=: " : "", kept_out ? kept_out : "",
				  is_9p(cl) ? "9pnet_virtio" : "virtiofs");
			return -1;
		}
		uevents_wait(ue, left > 1000 ? 1000 : left);
	}
	snprintf(device, size, "%s", cl->root);
	return 0;
}

int share_root_mount(const struct cmdline *cl)
{
	unsigned long flags = cl->readonly ? MS_RDONLY : 0;
	char opts[1024], data[1200];

	mount_root_flags(cl->rootflags, &flags, opts, sizeof opts);
	/* Without trans= the kernel's 9p tries a TCP server; 9p2000.L is the dialect QEMU serves Linux. */
	snprintf(data, sizeof data, "%s%s%s", is_9p(cl) && !strstr(opts, "trans=") ? "trans=virtio," : "",
		 is_9p(cl) && !strstr(opts, "version=") ? "version=9p2000.L," : "", opts);
	size_t len = strlen(data);
	if (len && data[len - 1] == ',')
		data[len - 1] = 0;
	if (mkdir(NEWROOT, 0755) < 0 && errno != EEXIST) {
		log_error("cannot create %s: %m", NEWROOT);
		return -1;
	}
	if (mount(cl->root, NEWROOT, cl->rootfstype, flags, *data ? data : NULL) < 0) {
		int err = errno;
		log_error("cannot mount the %s share '%s' on %s%s%s: %m%s", cl->rootfstype, cl->root, NEWROOT,
			  *data ? " with " : "", data,
			  err == ENODEV ? ": the kernel has no such filesystem (its module is not in the image)"
			  : !is_9p(cl) && (err == EINVAL || err == ENOENT) ? ": is root= the host's tag?" : "");
		return -1;
	}
	log_info("mounted the %s share '%s' (%s) on %s", cl->rootfstype, cl->root, flags & MS_RDONLY ? "ro" : "rw",
		 NEWROOT);
	return 0;
}
