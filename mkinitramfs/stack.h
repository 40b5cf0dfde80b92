/* stack.h — --hostonly: the layers under this machine's root device, found through sysfs the way
 * the kernel links them (/sys/block/X/slaves: a dm device's targets, an md array's members) and
 * identified by their device-mapper UUID prefix (CRYPT-LUKS1-/CRYPT-LUKS2-, LVM-, CRYPT-VERITY-) or
 * their md/ directory; the UUIDs come from libblkid reading the devices' own bytes. The sysfs and
 * /dev directories are parameters, so a test can walk a tree of its own. */
#ifndef MKINITRAMFS_STACK_H
#define MKINITRAMFS_STACK_H

#include <stdbool.h>
#include <stddef.h>

#include "options.h"

/* A LUKS layer: the mapping (dm/name) and the LUKS device under it. */
struct stack_luks {
	char *name;          /* "luks-0f3c..." or crypttab's name */
	char *uuid;          /* the LUKS header's, 8-4-4-4-12 */
	unsigned maj, min;   /* the LUKS device */
};

struct stack {
	struct storage_layers layers; /* luks, lvm, md, verity found */
	char *cmdline;                 /* "rd.luks.uuid=U rd.lvm.lv=VG/LV rd.md.uuid=U", "" if nothing */
	struct stack_luks *luks;
	size_t nluks;
};

/* Walk down from the block device MAJ:MIN of SYSFS (a /sys); device nodes are DEVDIR/DEVNAME.
 * Layers whose UUID cannot be read are reported in one warning line each, and left off cmdline. */
void stack_scan(const char *sysfs, const char *devdir, unsigned maj, unsigned min, bool verbose, struct stack *s);
void stack_free(struct stack *s);

/* DEVDIR/DEVNAME of block device MAJ:MIN (its uevent in SYSFS), or NULL with why. */
char *stack_devnode(const char *sysfs, const char *devdir, unsigned maj, unsigned min, char *why, size_t whylen);

/* The name of the DEVDIR/disk/by-uuid link (udev's) to block device MAJ:MIN, or NULL: the UUID
 * when the device cannot be read (not root). */
char *stack_uuid_link(const char *devdir, unsigned maj, unsigned min);

/* libblkid on a device node (or an image file): its superblock's TYPE and UUID (malloc'd, NULL when
 * it has none). 0, or -1 with why when nothing was recognised or the device cannot be read. */
int stack_probe(const char *path, char **type, char **uuid, char *why, size_t whylen);

#endif
