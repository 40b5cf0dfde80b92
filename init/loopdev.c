/* loopdev.c — see loopdev.h. /dev/loop-control hands out a free device number (creating the device
 * if needed); LOOP_CONFIGURE (Linux 5.8) binds the file and sets the flags in one step, and older
 * kernels get LOOP_SET_FD then LOOP_SET_STATUS64. The kernel's loop interface is declared here from its
 * stable ABI (<linux/loop.h>): musl-gcc sees no kernel headers, and one declaration serves both libcs. */
#include "loopdev.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define ER_LOOP_SET_FD 0x4C00
#define ER_LOOP_CLR_FD 0x4C01
#define ER_LOOP_SET_STATUS64 0x4C04
#define ER_LOOP_CONFIGURE 0x4C0A
#define ER_LOOP_CTL_GET_FREE 0x4C82
#define ER_LO_FLAGS_READ_ONLY 1u
#define ER_LO_FLAGS_AUTOCLEAR 4u
#define ER_LO_FLAGS_PARTSCAN 8u

struct er_loop_info64 {
	uint64_t lo_device, lo_inode, lo_rdevice, lo_offset, lo_sizelimit;
	uint32_t lo_number, lo_encrypt_type, lo_encrypt_key_size, lo_flags;
	uint8_t lo_file_name[64], lo_crypt_name[64], lo_encrypt_key[32];
	uint64_t lo_init[2];
};

struct er_loop_config {
	uint32_t fd, block_size;
	struct er_loop_info64 info;
	uint64_t reserved[8];
};

/* Another process may take the free device between our two calls: try the next free one, a few times. */
#define LOOP_ATTACH_TRIES 16

/* Opens /dev/loopN; when /dev is not devtmpfs (or the node is gone), makes the node from the numbers
 * sysfs gives, instead of waiting for someone else to make it. */
static int open_node(int n, const char *dev, int mode)
{
	int fd = open(dev, mode | O_CLOEXEC);
	if (fd >= 0 || errno != ENOENT)
		return fd;

	char path[64], buf[32], *end;
	snprintf(path, sizeof path, "/sys/class/block/loop%d/dev", n);
	int sfd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t len = sfd < 0 ? -1 : read(sfd, buf, sizeof buf - 1);
	if (sfd >= 0)
		close(sfd);
	if (len <= 0) {
		errno = ENOENT;
		return -1;
	}
	buf[len] = 0;
	unsigned long maj = strtoul(buf, &end, 10), min = 0;
	int ok = *end == ':'; /* "MAJ:MIN\n" */
	if (ok)
		min = strtoul(end + 1, &end, 10);
	if (!ok || (*end && *end != '\n')) {
		errno = ENOENT;
		return -1;
	}
	if (mknod(dev, S_IFBLK | 0600, makedev(maj, min)) < 0 && errno != EEXIST)
		return -1;
	return open(dev, mode | O_CLOEXEC);
}

/* Binds FILE_FD to the loop device LOOP_FD with FLAGS (LO_FLAGS_*). 0, or -1 with errno (EBUSY: the
 * device was taken meanwhile) and the device left free. */
static int configure(int loop_fd, int file_fd, uint32_t lo_flags, const char *file)
{
	struct er_loop_config cfg;

	memset(&cfg, 0, sizeof cfg);
	cfg.fd = (uint32_t)file_fd;
	cfg.info.lo_flags = lo_flags;
	/* the name LOOP_GET_STATUS64 reports, cut to fit (sysfs has the whole path) */
	snprintf((char *)cfg.info.lo_file_name, sizeof cfg.info.lo_file_name, "%s", file);
	if (ioctl(loop_fd, ER_LOOP_CONFIGURE, &cfg) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOTTY)
		return -1;

	/* A kernel before 5.8. The read-only flag follows from how the file was opened; status sets the
	 * rest. */
	if (ioctl(loop_fd, ER_LOOP_SET_FD, file_fd) < 0)
		return -1;
	cfg.info.lo_flags &= ~ER_LO_FLAGS_READ_ONLY;
	if (ioctl(loop_fd, ER_LOOP_SET_STATUS64, &cfg.info) < 0) {
		int e = errno;
		ioctl(loop_fd, ER_LOOP_CLR_FD, 0);
		errno = e;
		return -1;
	}
	return 0;
}

int loop_attach(const char *file, int rw, unsigned flags, char *dev, size_t devsize)
{
	int mode = rw ? O_RDWR : O_RDONLY;
	uint32_t lo_flags = ER_LO_FLAGS_AUTOCLEAR | (rw ? 0 : ER_LO_FLAGS_READ_ONLY) |
			    (flags & LOOPDEV_PARTSCAN ? ER_LO_FLAGS_PARTSCAN : 0);
	int file_fd = open(file, mode | O_CLOEXEC);
	if (file_fd < 0)
		return -1;
	int ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
	if (ctl < 0) {
		if (errno == ENODEV || errno == ENXIO)
			errno = ENOENT; /* a static node without its driver: no loop support all the same */
		close(file_fd);
		return -1;
	}

	int loop_fd = -1, e = EBUSY;
	for (int tries = 0; tries < LOOP_ATTACH_TRIES && loop_fd < 0 && e == EBUSY; tries++) {
		int n = ioctl(ctl, ER_LOOP_CTL_GET_FREE, 0);
		if (n < 0) {
			e = errno;
			break;
		}
		if ((size_t)snprintf(dev, devsize, "/dev/loop%d", n) >= devsize) {
			e = ENAMETOOLONG;
			break;
		}
		int fd = open_node(n, dev, mode);
		if (fd < 0) {
			e = errno;
			break;
		}
		if (configure(fd, file_fd, lo_flags, file) == 0) {
			loop_fd = fd;
		} else {
			e = errno;
			close(fd);
		}
	}
	close(ctl);
	close(file_fd); /* the loop holds its own reference to the file */
	if (loop_fd < 0)
		errno = e;
	return loop_fd;
}
