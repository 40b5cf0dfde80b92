/* md.h — MD RAID arrays assembled member by member, with the image's mdadm (`mkinitramfs --md`). */
#ifndef EARLYROOT_MD_H
#define EARLYROOT_MD_H
#include <stddef.h>

#define MD_TOOL "/sbin/mdadm" /* where mkinitramfs puts it */

struct md_incremental {
	char array[32]; /* the kernel's name of the array: "md127" */
	char name[64];  /* its name, for /dev/md/NAME: "root", or "" */
	int started;    /* 1: running (all members, or enough and mdadm chose to) */
};

/* Add MEMBER (/dev/vdb) to its array (mdadm --incremental; USE_CONF 0: mdadm.conf ignored,
 * rd.md.conf=0). 0 with R filled, or -1 with ERR set to mdadm's last line. */
int md_add_member(const char *member, int use_conf, struct md_incremental *r, char *err, size_t errsize);

/* Start ARRAY ("md127") with the members it has (mdadm --run): a degraded array. 0, or -1 with ERR. */
int md_run_degraded(const char *array, char *err, size_t errsize);

/* What sysfs says of ARRAY: *STATE ("inactive", "clean", "active", ...) and how many members it has
 * and wants; 0, or -1 when ARRAY is gone. */
int md_state(const char *array, char *state, size_t size, int *members, int *raid_disks);

#endif
