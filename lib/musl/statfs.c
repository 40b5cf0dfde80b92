/* lib/musl/statfs.c — fstatfs() and fstatvfs() for the static musl init: the bare system call.
 *
 * musl keeps statfs, fstatfs, statvfs and fstatvfs in one member (0.6 KB with the fallbacks for
 * kernels older than 2.6); the init asks only about open file descriptors. fstatvfs fills every field
 * from the kernel's statfs the way POSIX defines them (f_flag from f_flags: Linux 2.6.36 and later).
 * Only the musl build links this file.
 * Where the architecture has fstatfs64 (the 32-bit ones, also ppc64 and s390x), musl's struct statfs is
 * the kernel's statfs64 (64-bit counts), which only that call fills, given the struct's size as musl
 * passes it; plain fstatfs there fills the kernel's 32-bit struct, whose f_flags lands in musl's f_ffree
 * (no read-only root seen on armhf or i386). */
#include <string.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

int fstatfs(int fd, struct statfs *buf)
{
	memset(buf, 0, sizeof *buf); /* armhf's kernel writes 84 bytes of musl's 88 */
#ifdef SYS_fstatfs64
	return (int)syscall(SYS_fstatfs64, fd, sizeof *buf, buf);
#else
	return (int)syscall(SYS_fstatfs, fd, buf);
#endif
}

int fstatvfs(int fd, struct statvfs *out)
{
	struct statfs in;
	if (fstatfs(fd, &in) < 0)
		return -1;
	memset(out, 0, sizeof *out);
	out->f_bsize = (unsigned long)in.f_bsize;
	out->f_frsize = (unsigned long)(in.f_frsize ? in.f_frsize : in.f_bsize);
	out->f_blocks = in.f_blocks;
	out->f_bfree = in.f_bfree;
	out->f_bavail = in.f_bavail;
	out->f_files = in.f_files;
	out->f_ffree = in.f_ffree;
	out->f_favail = in.f_ffree;
	out->f_fsid = (unsigned long)in.f_fsid.__val[0];
	out->f_flag = (unsigned long)in.f_flags;
	out->f_namemax = (unsigned long)in.f_namelen;
	return 0;
}
