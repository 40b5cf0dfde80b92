/* imgread.h — read an existing initramfs image back (for --list and --extract): every segment the kernel
 * would unpack (uncompressed newc archives, gzip/zstd/xz/lz4-legacy streams, zero padding between them),
 * parsed into one list of entries. Any byte the kernel would reject is one error line here. */
#ifndef MKINITRAMFS_IMGREAD_H
#define MKINITRAMFS_IMGREAD_H

#include <stddef.h>
#include <stdint.h>

struct rentry {
	const char *name; /* as stored (NUL-terminated inside the segment's buffer) */
	uint32_t ino, mode, uid, gid, nlink, mtime, size, devmajor, devminor, rmajor, rminor;
	const unsigned char *data; /* size bytes: file contents or symlink target */
	unsigned segment;          /* 1-based */
	unsigned archive;          /* trailers before it: hard links pair up within one archive, which may
				    * span segments (zstd frames) */
};

struct rsegment {
	uint64_t offset, length; /* in the image file */
	const char *method;      /* "uncompressed", "gzip", "zstd", "xz", "lz4" */
	uint64_t cpio_bytes;     /* decompressed size */
	size_t nentries;
};

struct rimage {
	struct rentry *v;
	size_t n, cap;
	struct rsegment *seg;
	size_t nseg, segcap;
	unsigned char **bufs; /* the file and the decompressed segments the entries point into */
	size_t nbufs, bufcap;
};

/* Read and check the whole image; -1 after one error line naming the file and the offset. */
int imgread(const char *path, struct rimage *img);
/* The same for an image already in memory (p[0..len) must outlive img); path names it in messages. */
int imgread_mem(const char *path, const unsigned char *p, size_t len, struct rimage *img);
void imgread_free(struct rimage *img);

#endif
