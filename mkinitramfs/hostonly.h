/* hostonly.h — --hostonly: the modules this machine needs (its devices' modaliases, its root
 * filesystem) and its root device, for an image that boots this machine only. */
#ifndef MKINITRAMFS_HOSTONLY_H
#define MKINITRAMFS_HOSTONLY_H

#include <stdbool.h>
#include <stddef.h>

struct hostonly {
	char **modules; /* module names for modules_resolve(): the devices' first, then the root's */
	size_t n;
	size_t ndevices; /* modules[0..ndevices) are for devices: loaded when the device is there */
	char *cmdline; /* "root=UUID=..." or NULL when the root's UUID could not be read */
};

/* Modules are looked up in BASEDIR/lib/modules/KVER; devices and the root are this machine's.
 * -1 after one error line. */
int hostonly_scan(const char *basedir, const char *kver, bool verbose, struct hostonly *h);
void hostonly_free(struct hostonly *h);

#endif
