/* hostcrypt.h — --hostonly: the lines of this machine's /etc/crypttab that open the root's LUKS
 * volumes, for the image's /etc/crypttab, and the key files they name. */
#ifndef MKINITRAMFS_HOSTCRYPT_H
#define MKINITRAMFS_HOSTCRYPT_H

#include <stddef.h>

#include "stack.h"

struct hostcrypt {
	char *text;  /* the lines, as written, or NULL when none concerns the root */
	char **keys; /* key files, absolute paths as crypttab names them (in the image at the same path) */
	size_t nkeys;
};

/* Read ROOT/etc/crypttab (ROOT "" for this machine) and keep the lines whose name is one of S's
 * LUKS mappings or whose device is one of their LUKS devices (UUID=, /dev/disk/by-uuid/, or any
 * node of the same device number). No crypttab: nothing. -1 after one error line (a key file it
 * names that is not there). */
int hostcrypt_read(const char *root, const struct stack *s, struct hostcrypt *hc);
void hostcrypt_free(struct hostcrypt *hc);

#endif
