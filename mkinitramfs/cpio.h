/* cpio.h — write an image's entry list as a newc ("070701") cpio archive, the format the kernel
 * unpacks into its rootfs (Documentation/driver-api/early-userspace/buffer-format.rst). */
#ifndef MKINITRAMFS_CPIO_H
#define MKINITRAMFS_CPIO_H

#include <stdint.h>

#include "compress.h"
#include "image.h"

/* The exact size of the archive cpio_write() will produce for img. */
uint64_t cpio_size(const struct image *img);

/* Write img (already finished: sorted, parents first) with every mtime set to mtime. Inode numbers
 * count from 1 in archive order; uid/gid are 0. -1 after one error line. */
int cpio_write(const struct image *img, uint32_t mtime, struct sink *out);

#endif
