/* fsutil.c — see fsutil.h. */
#include "fsutil.h"
#include "linux-api.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

int fs_is_mount_point(int dirfd, const char *path)
{
	struct er_statx stx;
	int flags = AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | (*path ? 0 : AT_EMPTY_PATH);

	if (er_statx(dirfd, path, flags, ER_STATX_TYPE | ER_STATX_INO, &stx) == 0 &&
	    (stx.stx_attributes_mask & ER_STATX_ATTR_MOUNT_ROOT))
		return (stx.stx_attributes & ER_STATX_ATTR_MOUNT_ROOT) != 0;

	/* Kernels before 5.8: a mount root sits on another device than its parent, or is its own
	 * parent (the root). A bind mount of the same filesystem is not detectable this way. */
	struct stat self, parent;
	char up[4096];
	if (fstatat(dirfd, path, &self, flags & ~AT_NO_AUTOMOUNT) < 0)
		return -1;
	if (!S_ISDIR(self.st_mode))
		return 0;
	snprintf(up, sizeof up, "%s%s..", path, *path ? "/" : "");
	if (fstatat(dirfd, up, &parent, 0) < 0)
		return -1;
	return self.st_dev != parent.st_dev || self.st_ino == parent.st_ino;
}

unsigned long fs_magic_fd(int fd)
{
	struct statfs sfs;
	return fstatfs(fd, &sfs) == 0 ? (unsigned long)sfs.f_type : 0;
}

const char *fs_magic_name(unsigned long magic)
{
	static const struct {
		unsigned long magic;
		const char *name;
	} names[] = {
		{ER_RAMFS_MAGIC, "ramfs"}, {ER_TMPFS_MAGIC, "tmpfs"},   {0xef53, "ext2/3/4"},
		{0x58465342, "xfs"},       {0x9123683e, "btrfs"},       {0x73717368, "squashfs"},
		{0xe0f5e1e2, "erofs"},     {0x794c7630, "overlayfs"},   {0xf2f52010, "f2fs"},
		{0x4d44, "vfat"},          {0x6969, "nfs"},             {ER_PROC_MAGIC, "proc"},
		{ER_SYSFS_MAGIC, "sysfs"}, {0x01021997, "9p/v9fs"},
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].magic == magic)
			return names[i].name;
	return "unknown";
}

int fs_mountinfo_field(const char *line, int n, char *out, size_t size)
{
	size_t len = 0;

	while (n-- > 0) {
		line = strchr(line, ' ');
		if (!line)
			return -1;
		line++;
	}
	/* Byte by byte and forward: OUT may lie before LINE in the same buffer. */
	for (; *line && *line != ' ' && *line != '\n'; line++) {
		char c = *line;
		if (c == '\\' && line[1] >= '0' && line[1] <= '3' && line[2] >= '0' && line[2] <= '7' &&
		    line[3] >= '0' && line[3] <= '7') {
			c = (char)((line[1] - '0') << 6 | (line[2] - '0') << 3 | (line[3] - '0'));
			line += 3;
		}
		if (len + 1 >= size)
			return -1;
		out[len++] = c;
	}
	out[len] = 0;
	return 0;
}

char *fs_read_mountinfo(void)
{
	size_t cap = 64 * 1024;
	char *buf = NULL;
	ssize_t n;

	/* Read it whole: a system with many mounts has a long mountinfo; grow until it fits. */
	for (;;) {
		free(buf);
		if (!(buf = malloc(cap)))
			return NULL;
		n = read_small_file("/proc/self/mountinfo", buf, cap);
		if (n < 0) {
			free(buf);
			return NULL;
		}
		if ((size_t)n < cap - 1)
			return buf;
		cap *= 4;
	}
}

int fs_mount_fstype(const char *mountpoint, char *fstype, size_t size)
{
	char *buf = fs_read_mountinfo(), mnt[4096], type[64];
	int found = -1;

	for (char *line = buf, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		/* id parent maj:min root MOUNTPOINT opts [optional fields...] - FSTYPE source superopts */
		const char *dash = strstr(line, " - ");
		if (!dash || fs_mountinfo_field(line, 4, mnt, sizeof mnt) < 0 || strcmp(mnt, mountpoint))
			continue;
		if (fs_mountinfo_field(dash + 3, 0, type, sizeof type) == 0) {
			snprintf(fstype, size, "%s", type);
			found = 0; /* keep reading: the last mount at a path is the visible one */
		}
	}
	free(buf);
	return found;
}

int parse_majmin(const char *s, unsigned *maj, unsigned *min)
{
	unsigned long v[2];
	for (int i = 0; i < 2; i++) {
		char *end;
		if (*s < '0' || *s > '9')
			return -1;
		errno = 0;
		v[i] = strtoul(s, &end, 10);
		if (errno || v[i] > 0xfffff || *end != (i == 0 ? ':' : 0))
			return -1;
		s = end + 1;
	}
	*maj = (unsigned)v[0], *min = (unsigned)v[1];
	return 0;
}

ssize_t read_small_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t got = 0;
	ssize_t n;

	if (fd < 0)
		return -1;
	while (got < size - 1 && (n = read(fd, buf + got, size - 1 - got)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return -1;
		}
		got += (size_t)n;
	}
	buf[got] = 0;
	close(fd);
	return (ssize_t)got;
}
