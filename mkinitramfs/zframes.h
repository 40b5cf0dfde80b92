/* zframes.h — write an image as concatenated zstd frames, each holding whole cpio records, so that the
 * expensive ones are compressed once and taken from the frame cache afterwards (framecache.h):
 *   - the run of records under lib/modules/KVER/ with the kernel modules (.ko files and the directories
 *     between them): one solid frame, cached;
 *   - every other regular file of 16 KiB or more (/init, busybox, firmware, libraries): a frame of its
 *     own, cached;
 *   - the records between them: small frames compressed at every build; the trailer and the padding
 *     go in the last one.
 * The frames decompress, one after the other, to exactly the archive cpio_write() writes. */
#ifndef MKINITRAMFS_ZFRAMES_H
#define MKINITRAMFS_ZFRAMES_H

#include <stdbool.h>
#include <stdint.h>

#include "compress.h"
#include "framecache.h"
#include "image.h"

/* Write img (finished) to out (a plain sink on the output file) at the zstd level (1..19); *cpio_bytes
 * is the size of the archive the frames hold. Says what each cached frame came from when verbose.
 * -1 after one error line. */
int zframes_write(const struct image *img, uint32_t mtime, const char *kver, int level, struct framecache *fc,
		  bool verbose, struct sink *out, uint64_t *cpio_bytes);

#endif
