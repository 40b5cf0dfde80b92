/* fromlist.h — --from-list: extra entries described in the kernel's usr/gen_init_cpio list format. */
#ifndef MKINITRAMFS_FROMLIST_H
#define MKINITRAMFS_FROMLIST_H

#include "image.h"

/* Add every entry of the list file path; -1 after one error line naming FILE:LINE. */
int fromlist_add(struct image *img, const char *path);
/* The same for the list's text (NUL-terminated, changed in place); path names it in messages. */
int fromlist_add_text(struct image *img, char *text, const char *path);

#endif
