/* sys/statvfs.h for klibc, which has none (see compat.h): only what the init reads, the mount flags of
 * the filesystem holding an fd, taken from the kernel's own statfs (f_flags, Linux 2.6.36+). */
#ifndef EARLYROOT_KLIBC_STATVFS_H
#define EARLYROOT_KLIBC_STATVFS_H
#include <stdint.h>
#define ST_RDONLY 1
#define ST_NOSUID 2
#define ST_NODEV 4
#define ST_NOEXEC 8

struct statvfs {
	unsigned long f_flag;
};

/* The kernel's struct statfs on 64-bit architectures (x86_64 and the asm-generic layout of arm64). */
struct er_kernel_statfs {
	long f_type, f_bsize;
	uint64_t f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	int f_fsid[2];
	long f_namelen, f_frsize, f_flags, f_spare[4];
};

static inline int fstatvfs(int fd, struct statvfs *vfs)
{
	struct er_kernel_statfs k;
	if (syscall(SYS_fstatfs, fd, &k) < 0)
		return -1;
	vfs->f_flag = (unsigned long)k.f_flags;
	return 0;
}
#endif
