/* decompress.h — read a compressed kernel module (.ko.xz, .ko.zst, .ko.gz) into memory, plain. */
#ifndef MKINITRAMFS_DECOMPRESS_H
#define MKINITRAMFS_DECOMPRESS_H

#include "modules.h"
#include "util.h"

/* Appends the decompressed contents of path to out; -1 after one error line naming the file. */
int decompress_file(const char *path, enum module_compression c, struct buf *out);

#endif
