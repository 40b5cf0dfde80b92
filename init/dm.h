/* dm.h — device-mapper through its ioctls (/dev/mapper/control), no libdevmapper: create a device
 * with one table, and make it look to the real root's udev as libdevmapper would have made it. */
#ifndef EARLYROOT_DM_H
#define EARLYROOT_DM_H
#include <stddef.h>
#include <stdint.h>

struct dm_target {
	uint64_t start, length; /* in 512-byte sectors */
	const char *type;       /* "verity", "linear", "crypt", ... */
	const char *params;     /* the target's table line */
};

/* Create /dev/mapper/NAME (UUID may be NULL) with the N targets, READONLY or not, and resume it:
 * DM_DEV_CREATE, DM_TABLE_LOAD, DM_DEV_SUSPEND(resume), the last with udev's primary-source flag in
 * the cookie so that its uevent is one udev would act on. /dev/mapper/NAME is made a link to
 * ../dm-N, and /run/udev/data/bMAJ:MIN records DM_UDEV_PRIMARY_SOURCE_FLAG=1 for the real root's
 * udev (see dm.c). Returns 0 with *MAJ, *MIN filled, or -1 with errno and ERR set (the ioctl that
 * failed and why); nothing is left behind on failure. Loads dm-mod first if the control node is
 * missing is the caller's business (modules_for_name("dm_mod")). */
int dm_create(const char *name, const char *uuid, const struct dm_target *t, int n, int readonly,
	      unsigned *maj, unsigned *min, char *err, size_t errsize);

/* Record in /run/udev/data/bMAJ:MIN that the dm device NAME (UUID may be NULL) is complete, as
 * udev's dm rules would have after its resume: for one made here by a tool (cryptsetup, lvm) too. */
void dm_udev_ready(const char *name, const char *uuid, unsigned maj, unsigned min);

/* Remove /dev/mapper/NAME (and its link); 0 or -1 with errno. */
int dm_remove(const char *name);

/* The status line of NAME's first target (verity: "V" or "C"), 0 or -1. */
int dm_status(const char *name, char *out, size_t size);

#endif
