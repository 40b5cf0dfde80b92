/* hostonly.h — --hostonly: the modules this machine needs (its devices' modaliases, its root
 * filesystem), its root device and the layers under it (LUKS, LVM, MD, dm-verity: stack.h), for an
 * image that boots this machine only. */
#ifndef MKINITRAMFS_HOSTONLY_H
#define MKINITRAMFS_HOSTONLY_H

#include <stdbool.h>
#include <stddef.h>

#include "hostcrypt.h"
#include "stack.h"

/* Tests point --hostonly at a tree of their own: DIR/sys, DIR/dev, DIR/proc/self/mountinfo and
 * DIR/etc/crypttab are read instead of this machine's. */
#define HOSTONLY_ROOT_ENV "EARLYROOT_HOSTONLY_ROOT"

struct hostonly {
	char **modules; /* module names for modules_resolve(): the devices' first, then the root's */
	size_t n;
	size_t ndevices; /* modules[0..ndevices) are for devices: loaded when the device is there */
	char *cmdline; /* "root=UUID=... rd.luks.uuid=..." or NULL when there is nothing to say */
	char *root;    /* "" or the tree of HOSTONLY_ROOT_ENV: key files are read below it */
	struct stack stack;     /* the layers under the root */
	struct hostcrypt crypt; /* the root's lines of /etc/crypttab, and their key files */
	char *md_arrays;        /* ARRAY lines of `mdadm --detail --scan` when the root is on md, or NULL */
};

/* Modules are looked up in BASEDIR/lib/modules/KVER; devices and the root are this machine's.
 * -1 after one error line. */
int hostonly_scan(const char *basedir, const char *kver, bool verbose, struct hostonly *h);
void hostonly_free(struct hostonly *h);

#endif
