/* cpio.c — newc archive writer. Every field is derived from the entry list alone (never from the host's
 * inode numbers, owners, times or umask), which is what makes the output byte-for-byte reproducible. */
#include "cpio.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

#define HEADER_SIZE 110 /* "070701" and 13 fields of 8 hex digits */
#define TRAILER "TRAILER!!!"
/* GNU cpio and the kernel's gen_init_cpio pad the archive to 512 bytes; tools reading it in blocks
 * expect that, and the kernel skips the zeros. */
#define BLOCK 512

static uint64_t align4(uint64_t n)
{
	return (n + 3) & ~(uint64_t)3;
}

static uint64_t record_size(const char *name, uint64_t filesize)
{
	return align4(HEADER_SIZE + strlen(name) + 1) + align4(filesize);
}

/* Files and symlinks have data (a symlink's is its target). */
static bool has_data(const struct entry *e)
{
	return e->kind == ENTRY_FILE || e->kind == ENTRY_SYMLINK;
}

uint64_t cpio_entry_size(const struct entry *e)
{
	return record_size(e->path, has_data(e) ? e->size : 0);
}

static uint32_t file_type(enum entry_kind k)
{
	switch (k) {
	case ENTRY_DIR: return S_IFDIR;
	case ENTRY_CHARDEV: return S_IFCHR;
	case ENTRY_BLOCKDEV: return S_IFBLK;
	case ENTRY_SYMLINK: return S_IFLNK;
	case ENTRY_FIFO: return S_IFIFO;
	case ENTRY_SOCKET: return S_IFSOCK;
	default: return S_IFREG;
	}
}

uint64_t cpio_size(const struct image *img)
{
	uint64_t n = 0;
	for (size_t i = 0; i < img->n; i++)
		n += cpio_entry_size(&img->v[i]);
	n += record_size(TRAILER, 0);
	return (n + BLOCK - 1) / BLOCK * BLOCK;
}

static const char zeros[BLOCK];

static int write_header(struct sink *out, uint64_t *pos, const char *name, uint32_t ino, uint32_t mode,
			uint32_t uid, uint32_t gid, uint32_t nlink, uint32_t mtime, uint32_t filesize, uint32_t rmajor,
			uint32_t rminor)
{
	char h[HEADER_SIZE + 1];
	size_t namesize = strlen(name) + 1;
	/* Fields: ino mode uid gid nlink mtime filesize devmajor devminor rdevmajor rdevminor namesize
	 * check. The device of the archived file and the checksum (070701 has none) are 0. */
	snprintf(h, sizeof(h), "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", ino, mode, uid, gid,
		 nlink, mtime, filesize, 0, 0, rmajor, rminor, (uint32_t)namesize, 0);
	uint64_t len = HEADER_SIZE + namesize;
	if (sink_write(out, h, HEADER_SIZE) < 0 || sink_write(out, name, namesize) < 0 ||
	    sink_write(out, zeros, align4(len) - len) < 0)
		return -1;
	*pos += align4(len);
	return 0;
}

/* Stream a host file into the archive, checking it still has the size its header announced. The file
 * is read straight into the sink's memory (the records buffer, or the stage of a stream). */
static int copy_file(struct sink *out, const struct entry *e)
{
	int fd = open(e->src, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		errorf("cannot read %s: %s", e->src, strerror(errno));
		return -1;
	}
	uint64_t total = 0;
	int rc = 0;
	for (;;) {
		/* One byte more than is left: a file that grew is seen without another read. */
		uint64_t left = e->size - total + 1;
		size_t room;
		char *p = sink_space(out, left < SIZE_MAX ? (size_t)left : SIZE_MAX, &room);
		if (room > left)
			room = (size_t)left;
		ssize_t n = read(fd, p, room);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			errorf("cannot read %s: %s", e->src, strerror(errno));
			rc = -1;
			break;
		}
		if (n == 0)
			break;
		total += (uint64_t)n;
		if (total > e->size)
			break;
		if (sink_commit(out, (size_t)n) < 0) {
			rc = -1;
			break;
		}
	}
	close(fd);
	if (rc == 0 && total != e->size) {
		errorf("cannot read %s: it changed size while the image was written", e->src);
		rc = -1;
	}
	return rc;
}

/* Every record is a multiple of 4 bytes long and starts 4-aligned, so its bytes do not depend on where
 * it is: a range of records can be written (and compressed) on its own. */
int cpio_write_entries(const struct image *img, size_t from, size_t to, uint32_t mtime, struct sink *out)
{
	uint64_t pos = 0;
	for (size_t i = from; i < to; i++) {
		const struct entry *e = &img->v[i];
		uint32_t size = has_data(e) ? (uint32_t)e->size : 0;
		if (write_header(out, &pos, e->path, e->ino, file_type(e->kind) | (e->perm & 07777), e->uid, e->gid,
				 e->kind == ENTRY_DIR ? 2 : 1, mtime, size, e->rmajor, e->rminor) < 0)
			return -1;
		if (!has_data(e))
			continue;
		if (e->src ? copy_file(out, e) < 0 : sink_write(out, e->data, size) < 0)
			return -1;
		if (sink_write(out, zeros, align4(size) - size) < 0)
			return -1;
		pos += align4(size);
	}
	return 0;
}

int cpio_write_trailer(uint64_t archive_pos, struct sink *out)
{
	/* The trailer ends the archive and resets the kernel's hard-link table (nlink 1, like GNU cpio). */
	uint64_t pos = archive_pos;
	if (write_header(out, &pos, TRAILER, 0, 0, 0, 0, 1, 0, 0, 0, 0) < 0)
		return -1;
	return sink_write(out, zeros, (BLOCK - pos % BLOCK) % BLOCK);
}

int cpio_write(const struct image *img, uint32_t mtime, struct sink *out)
{
	uint64_t pos = 0;
	for (size_t i = 0; i < img->n; i++)
		pos += cpio_entry_size(&img->v[i]);
	if (cpio_write_entries(img, 0, img->n, mtime, out) < 0)
		return -1;
	return cpio_write_trailer(pos, out);
}
