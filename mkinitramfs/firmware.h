/* firmware.h — firmware files of the included modules, and the early microcode archive. */
#ifndef MKINITRAMFS_FIRMWARE_H
#define MKINITRAMFS_FIRMWARE_H

#include <stdbool.h>
#include <stddef.h>

#include "image.h"
#include "modules.h"

/* Every firmware= file of mods found in BASEDIR/lib/firmware goes to /lib/firmware in the image; the
 * missing ones are one warning line (each one with verbose). *added counts the files. */
int firmware_add(struct image *img, const char *basedir, const struct modlist *mods, bool verbose, size_t *added);

/* The early archive's contents: kernel/x86/microcode/GenuineIntel.bin and AuthenticAMD.bin, each the
 * concatenation of BASEDIR/lib/firmware/intel-ucode/ and amd-ucode/ files. -1 after one error line if
 * there is neither. */
int microcode_image(struct image *early, const char *basedir, bool verbose);

#endif
