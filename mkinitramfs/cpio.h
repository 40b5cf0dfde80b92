/* cpio.h — write an image's entry list as a newc ("070701") cpio archive, the format the kernel
 * unpacks into its rootfs (Documentation/driver-api/early-userspace/buffer-format.rst). */
#ifndef MKINITRAMFS_CPIO_H
#define MKINITRAMFS_CPIO_H

#include <stdint.h>

#include "compress.h"
#include "image.h"

/* The exact size of the archive cpio_write() will produce for img. */
uint64_t cpio_size(const struct image *img);

/* The size of one entry's record (header, name, data, each padded to 4 bytes). */
uint64_t cpio_entry_size(const struct entry *e);

/* Write img (already finished: sorted, parents first, inode numbers set) with every mtime set to mtime,
 * then the trailer and the padding to 512 bytes. -1 after one error line. */
int cpio_write(const struct image *img, uint32_t mtime, struct sink *out);
/* The same in pieces: the records of entries [from, to), which never depend on what is before them,
 * and the trailer with the padding, after archive_pos bytes of records. */
int cpio_write_entries(const struct image *img, size_t from, size_t to, uint32_t mtime, struct sink *out);
int cpio_write_trailer(uint64_t archive_pos, struct sink *out);

#endif
