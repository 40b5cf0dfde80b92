/* image.h — the list of entries that make up an image, and the fixed contents the contract asks for
 * (docs/image-format.md). The list is filled in any order; image_finish() adds missing parent
 * directories, sorts it bytewise by path and rejects conflicting duplicates, so the writer only has
 * to walk it. */
#ifndef MKINITRAMFS_IMAGE_H
#define MKINITRAMFS_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "modules.h"

enum entry_kind { ENTRY_DIR, ENTRY_FILE, ENTRY_CHARDEV, ENTRY_BLOCKDEV, ENTRY_SYMLINK, ENTRY_FIFO, ENTRY_SOCKET };

struct entry {
	char *path; /* inside the image, without the leading '/': "etc/earlyroot/modules" */
	enum entry_kind kind;
	unsigned perm; /* permission bits only; the writer adds the file type */
	unsigned rmajor, rminor; /* device nodes */
	unsigned uid, gid; /* 0, except what a --from-list line asks for */
	/* File contents come from memory (data, size) when src is NULL, else are streamed from the host
	 * file src at write time; size is then its size when it was added, and the writer checks it.
	 * A symlink's target is its data (without a NUL), as newc stores it. */
	char *data;
	char *src;
	uint64_t size;
	uint32_t ino; /* set by image_finish(): from the path, unique, nonzero */
};

struct image {
	struct entry *v;
	size_t n, cap;
};

/* Contents owned by the image afterwards (data is freed with it). */
void image_add_dir(struct image *img, const char *path);
void image_add_data(struct image *img, const char *path, unsigned perm, char *data, size_t size);
void image_add_chardev(struct image *img, const char *path, unsigned perm, unsigned major, unsigned minor);
/* Any kind without contents (directory, device, fifo, socket); returns the entry to adjust. */
struct entry *image_add_node(struct image *img, const char *path, enum entry_kind kind, unsigned perm);
void image_add_symlink(struct image *img, const char *path, const char *target);
/* Is there already an entry for path (before image_finish())? */
const struct entry *image_find(const struct image *img, const char *path);
/* A host file. perm 0 means "0755 if any execute bit is set on src, else 0644". */
int image_add_file(struct image *img, const char *path, const char *src, unsigned perm);

/* Everything the contract requires besides the modules: /init, /dev/console, the mount points,
 * /etc/initrd-release and /etc/earlyroot/image.conf (kernel=KVER, then conf_extra's lines, if any). */
int image_add_base(struct image *img, const char *init_path, const char *kver, const char *conf_extra);
/* The module files (decompressed when the host stores them compressed) and /etc/earlyroot/modules. */
int image_add_modules(struct image *img, const struct modlist *mods, const char *kver);

/* Add parent directories, sort, merge duplicates that are the same (directories; the same host file
 * twice, as when two programs need one library; the same symlink), give each entry its inode number;
 * -1 on conflicting duplicates. */
int image_finish(struct image *img);
void image_free(struct image *img);

#endif
