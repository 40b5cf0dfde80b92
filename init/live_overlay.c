/* live_overlay.c — see live_overlay.h.
 *
 * The writable layer is a tmpfs unless rd.live.overlay= names a device: then its /overlay (the upper
 * directory) and /ovlwork (overlayfs's work directory, which must be on the same filesystem) are
 * used, created on the first boot; SPEC:PATH puts the upper at PATH instead (work beside it), and a
 * PATH that is a file is a filesystem image holding the two. dracut's old file form (a dm-snapshot
 * COW file) is not read: this init makes no device-mapper tables. /run/overlayfs and /run/ovlwork
 * point at the two, as dracut has them. */
#include "live_overlay.h"
#include "blockprobe.h"
#include "log.h"
#include "loopdev.h"
#include "mount_root.h"
#include "rootdev.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define LIVE_OVERLAY_IMAGE_DIR "/run/initramfs/overlay-image" /* SPEC:PATH with PATH a file */

struct layer {
	char store[64];        /* where the store is mounted */
	char upper[PATH_MAX], work[PATH_MAX];
	char desc[480];        /* for the summary line */
};

/* Filesystems an overlayfs upper cannot live on (no xattrs or no d_type, or read-only by nature). */
static int unfit_upper(const char *type)
{
	static const char *const unfit[] = {"vfat", "iso9660", "squashfs", "erofs"};
	for (size_t i = 0; i < sizeof unfit / sizeof unfit[0]; i++)
		if (!strcmp(type, unfit[i]))
			return 1;
	return 0;
}

/* Mount DEV, probed, on DIR for the upper layer; read-only with RO. */
static int mount_store(const char *spec, const char *dev, const char *dir, int ro, struct mount_undo *u,
		       struct modules *mods, struct fs_id *id)
{
	if (fs_probe_path(dev, id, NULL) <= 0) {
		log_error("rd.live.overlay=%s: %s has no filesystem the init recognises: make one (mkfs.ext4 -L NAME)",
			  spec, dev);
		return -1;
	}
	if (unfit_upper(id->type)) {
		log_error("rd.live.overlay=%s: %s is %s, which cannot hold an overlay's upper layer (it needs "
			  "extended attributes): use ext4, xfs or btrfs", spec, dev, id->type);
		return -1;
	}
	modules_for_filesystem(mods, id->type, NULL);
	if (mount_undo_mount(u, dev, dir, id->type, ro ? MS_RDONLY : 0, NULL) < 0) {
		log_error("rd.live.overlay=%s: cannot mount %s (%s) on %s: %m", spec, dev, id->type, dir);
		return -1;
	}
	return 0;
}

static void set_dirs(struct layer *ly, const char *upper, const char *work)
{
	snprintf(ly->upper, sizeof ly->upper, "%s", upper);
	snprintf(ly->work, sizeof ly->work, "%s", work);
}

/* The persistent layer on the device SPEC names: /overlay and /ovlwork on it, or PATH. */
static int persistent_layer(const struct cmdline *cl, struct layer *ly, struct mount_undo *u, struct modules *mods,
			    struct uevents *ue, const char *kept_out)
{
	char devspec[256], dev[PATH_MAX], full[PATH_MAX];
	const char *colon = strchr(cl->live_overlay, ':'), *path = colon ? colon + 1 : NULL;
	int ro = cl->live_overlay_readonly;
	struct fs_id id;
	struct stat st;
	int image = 0;

	snprintf(devspec, sizeof devspec, "%.*s", colon ? (int)(colon - cl->live_overlay) : (int)strlen(cl->live_overlay),
		 cl->live_overlay);
	if (path && (!*path || strpbrk(path, ",:\\") || strstr(path, ".."))) {
		log_error("rd.live.overlay=%s: the path after ':' must be a plain path on the device (no ',', ':', "
			  "'\\' or \"..\": overlayfs options cannot carry them)", cl->live_overlay);
		return -1;
	}
	const struct device_wait w = {
		.key = "rd.live.overlay",
		.spec = devspec,
		.what = "persistence device",
		.hint = "check rd.live.overlay= (LABEL=, UUID=, PARTUUID=, /dev/NAME), or boot without it for a "
			"layer in RAM",
	};
	if (wait_for_device(&w, cl, ue, kept_out, dev, sizeof dev) < 0)
		return -1;
	snprintf(ly->store, sizeof ly->store, "%s", ro ? LIVE_PERSIST_RO_DIR : LIVE_OVERLAY_DIR);
	if (mount_store(cl->live_overlay, dev, ly->store, ro, u, mods, &id) < 0)
		return -1;
	snprintf(full, sizeof full, "%s/%s", ly->store, path ? path + (*path == '/') : "overlay");
	if (path && stat(full, &st) == 0 && S_ISREG(st.st_mode)) {
		char loopdev[64];
		int fd = loop_attach(full, !ro, 0, loopdev, sizeof loopdev);
		if (fd < 0 || mount_store(cl->live_overlay, loopdev, LIVE_OVERLAY_IMAGE_DIR, ro, u, mods, &id) < 0) {
			if (fd < 0)
				log_error("rd.live.overlay=%s: cannot attach %s to a loop device: %m", cl->live_overlay, path);
			else
				close(fd);
			return -1;
		}
		close(fd);
		image = 1;
		set_dirs(ly, LIVE_OVERLAY_IMAGE_DIR "/overlay", LIVE_OVERLAY_IMAGE_DIR "/ovlwork");
	} else {
		char work[PATH_MAX + 8];
		snprintf(work, sizeof work, "%s", full);
		*strrchr(work, '/') = 0;
		snprintf(work + strlen(work), sizeof work - strlen(work), "/ovlwork");
		set_dirs(ly, full, work);
	}
	if (!ro && (mkdir_parents(ly->upper) < 0 || mkdir_parents(ly->work) < 0)) {
		log_error("rd.live.overlay=%s: cannot create %s and %s on %s: %m", cl->live_overlay, ly->upper, ly->work, dev);
		return -1;
	}
	if (ro && stat(ly->upper, &st) < 0) {
		log_error("rd.live.overlay=%s: rd.live.overlay.readonly, but %s has no %s yet: boot once without "
			  "rd.live.overlay.readonly to create it", cl->live_overlay, dev, ly->upper + strlen(ly->store));
		return -1;
	}
	snprintf(ly->desc, sizeof ly->desc, "%.60s%s on %.40s (%s%s%s), persistent%s", path ? path : "/overlay",
		 image ? " (an image)" : "", dev, id.type, id.label[0] ? " LABEL=" : "", id.label,
		 ro ? ", read-only" : "");
	return 0;
}

/* A tmpfs for the upper layer: rd.live.overlay.size= MiB, else tmpfs's own default (half the RAM). */
static int tmpfs_layer(const struct cmdline *cl, struct layer *ly, struct mount_undo *u)
{
	char opts[64] = "mode=0755";

	if (cl->live_overlay_size_mib > 0)
		snprintf(opts, sizeof opts, "mode=0755,size=%dm", cl->live_overlay_size_mib);
	if (mount_undo_mount(u, "tmpfs", LIVE_OVERLAY_DIR, "tmpfs", MS_NOSUID | MS_NODEV, opts) < 0) {
		log_error("cannot mount a tmpfs on %s for the root's writable layer: %m", LIVE_OVERLAY_DIR);
		return -1;
	}
	set_dirs(ly, LIVE_OVERLAY_DIR "/overlay", LIVE_OVERLAY_DIR "/ovlwork");
	if (mkdir(ly->upper, 0755) < 0 || mkdir(ly->work, 0755) < 0) {
		log_error("cannot create the overlay's directories on %s: %m", LIVE_OVERLAY_DIR);
		return -1;
	}
	if (cl->live_overlay_size_mib > 0)
		snprintf(ly->desc, sizeof ly->desc, "tmpfs (%d MiB, lost at power-off)", cl->live_overlay_size_mib);
	else
		snprintf(ly->desc, sizeof ly->desc, "tmpfs (lost at power-off)");
	return 0;
}

int live_overlay_mount(const struct cmdline *cl, const char *lower, struct mount_undo *u, struct modules *mods,
		       struct uevents *ue, const char *kept_out, const char *what)
{
	struct layer persist = {0}, ly = {0};
	char lowers[PATH_MAX + 512], data[3 * PATH_MAX + 600];
	int persistent = cl->live_overlay && strcmp(cl->live_overlay, "none") && strcmp(cl->live_overlay, "tmpfs");

	snprintf(lowers, sizeof lowers, "%s", lower);
	if (persistent && persistent_layer(cl, cl->live_overlay_readonly ? &persist : &ly, u, mods, ue, kept_out) < 0)
		return -1;
	if (persistent && cl->live_overlay_readonly) {
		/* The saved layer read-only under a fresh one in RAM: this boot's changes are lost, the saved kept. */
		snprintf(lowers, sizeof lowers, "%s:%s", persist.upper, lower);
		if (tmpfs_layer(cl, &ly, u) < 0)
			return -1;
		snprintf(ly.desc, sizeof ly.desc, "tmpfs over %.460s", persist.desc);
	} else if (!persistent && tmpfs_layer(cl, &ly, u) < 0) {
		return -1;
	}
	if (mount_undo_symlink(u, ly.upper, "/run/overlayfs") < 0 || mount_undo_symlink(u, ly.work, "/run/ovlwork") < 0)
		log_warn("cannot make /run/overlayfs and /run/ovlwork: %m");
	modules_for_alias(mods, "fs-overlay");
	snprintf(data, sizeof data, "lowerdir=%s,upperdir=%s,workdir=%s", lowers, ly.upper, ly.work);
	if (mount_undo_mount(u, "LiveOS_rootfs", NEWROOT, "overlay", 0, data) < 0) {
		int err = errno;
		log_error("cannot mount the %s (overlay of %s under %s) on %s: %m%s", what, lowers, ly.upper, NEWROOT,
			  err == ENODEV ? ": the overlay module is not in the image (earlyroot-mkinitramfs --live or "
					  "-m overlay adds it)"
			  : err == EINVAL && persistent ? ": the persistence filesystem must keep extended attributes and "
							  "file types (ext4, xfs, btrfs), and /ovlwork must be empty"
							: "");
		return -1;
	}
	log_info("%s: overlay of %s and %s on %s", what, lowers, ly.desc, NEWROOT);
	return 0;
}
