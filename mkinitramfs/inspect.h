/* inspect.h — --list and --extract: show or unpack an existing image (ours or any other initramfs). */
#ifndef MKINITRAMFS_INSPECT_H
#define MKINITRAMFS_INSPECT_H

#include <stdbool.h>

/* One line per entry on stdout: mode, uid/gid, size (or major,minor), path [-> target]. verbose adds
 * a line per segment. 0, or -1 after one error line. */
int inspect_list(const char *image, bool verbose);
/* Unpack every entry below dir (created if missing), never outside it. */
int inspect_extract(const char *image, const char *dir, bool verbose);

#endif
