/* elfdeps.h — the program interpreter and shared libraries a dynamic ELF file needs, found the way
 * ld.so finds them on this host, added to the image at the paths where ld.so in the image will look. */
#ifndef MKINITRAMFS_ELFDEPS_H
#define MKINITRAMFS_ELFDEPS_H

#include <stdbool.h>

#include "image.h"

struct elfdeps;

struct elfdeps *elfdeps_new(bool verbose);
void elfdeps_free(struct elfdeps *d);

/* If the host file src is a dynamic ELF object, add its PT_INTERP and its DT_NEEDED closure. A file
 * that is not ELF, or is static, adds nothing. -1 after one error line (a library not found, a
 * corrupt ELF file). */
int elfdeps_add(struct elfdeps *d, struct image *img, const char *src);

#endif
