/* check.c — is / really the initramfs, and is NEWROOT a root we can switch to? */
#include "internal.h"
#include "switchroot.h"
#include "fsutil.h"
#include "linux-api.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int sr_root_is_initramfs(char *why, unsigned why_size)
{
	char type[64];
	int fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	unsigned long magic = fd >= 0 ? fs_magic_fd(fd) : 0;

	if (fd >= 0)
		close(fd);
	if (magic != ER_RAMFS_MAGIC && magic != ER_TMPFS_MAGIC) {
		snprintf(why, why_size, "it is %s, not ramfs/tmpfs", fs_magic_name(magic));
		return 0;
	}
	/* A tmpfs can also be a running system's real root. The kernel's own initramfs shows up as
	 * "rootfs"; other early roots say what they are with systemd's marker file. */
	if (fs_mount_fstype("/", type, sizeof type) == 0 && !strcmp(type, "rootfs"))
		return 1;
	if (access("/etc/initrd-release", F_OK) == 0)
		return 1;
	snprintf(why, why_size, "it is a %s, but not the kernel's rootfs and has no /etc/initrd-release",
		 fs_magic_name(magic));
	return 0;
}

/* Lexical clean-up for messages: collapse "//" and "/./", resolve ".." (never above /), drop a
 * trailing "/". The switch itself uses the opened fd, so this never decides anything. */
static void normalise(const char *in, char *out, size_t size)
{
	size_t len = 0;
	const char *p = in;

	while (*p) {
		while (*p == '/')
			p++;
		const char *end = strchrnul(p, '/');
		size_t n = (size_t)(end - p);
		if (n == 0 || (n == 1 && p[0] == '.')) {
			/* nothing */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			while (len > 0 && out[len - 1] != '/')
				len--;
			if (len > 0)
				len--;
		} else if (len + n + 2 < size) {
			out[len++] = '/';
			memcpy(out + len, p, n);
			len += n;
		}
		p = end;
	}
	if (len == 0)
		out[len++] = '/';
	out[len] = 0;
}

int sr_open_newroot(const char *path, struct sr_newroot *nr)
{
	struct stat st, root;

	nr->fd = -1;
	if (!path || !*path) {
		log_error("NEWROOT is empty: give the directory where the real root is mounted");
		return -1;
	}
	if (path[0] != '/') {
		log_error("NEWROOT '%s' is not an absolute path: give the full path, e.g. /newroot", path);
		return -1;
	}
	if (strlen(path) >= PATH_MAX) {
		log_error("NEWROOT is %zu bytes long, more than PATH_MAX (%d)", strlen(path), PATH_MAX);
		return -1;
	}
	normalise(path, nr->name, sizeof nr->name);
	nr->fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (nr->fd < 0) {
		if (errno == ENOTDIR)
			log_error("NEWROOT %s is not a directory", nr->name);
		else
			log_error("cannot open NEWROOT %s: %m", nr->name);
		return -1;
	}
	if (fstat(nr->fd, &st) < 0 || stat("/", &root) < 0) {
		log_error("cannot stat NEWROOT %s or /: %m", nr->name);
		goto fail;
	}
	if (st.st_dev == root.st_dev && st.st_ino == root.st_ino) {
		log_error("NEWROOT %s is the current root: there is nothing to switch to", nr->name);
		goto fail;
	}
	int mp = fs_is_mount_point(nr->fd, "");
	if (mp < 0) {
		log_error("cannot tell whether NEWROOT %s is a mount point: %m", nr->name);
		goto fail;
	}
	if (!mp) {
		log_error("NEWROOT %s is not a mount point: mount the real root there first "
			  "(a directory can be made one with mount --bind %s %s)", nr->name, nr->name, nr->name);
		goto fail;
	}
	if (st.st_dev == root.st_dev) {
		log_error("NEWROOT %s is on the same filesystem as / (a bind mount of part of the early "
			  "root?): it would be deleted with the initramfs", nr->name);
		goto fail;
	}
	return 0;
fail:
	close(nr->fd);
	nr->fd = -1;
	return -1;
}
