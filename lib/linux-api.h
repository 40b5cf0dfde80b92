/* linux-api.h — the few kernel interfaces the static init needs that its libc may not wrap.
 *
 * musl 1.2.3 (Debian 12) has no statx() or openat2() and musl-gcc sees no <linux/...> headers, so the
 * structures are declared here from the kernel's stable ABI, and the calls go through syscall(2).
 * Keeping this self-contained also keeps the init buildable against klibc. */
#ifndef EARLYROOT_LINUX_API_H
#define EARLYROOT_LINUX_API_H
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

/* statfs f_type values */
#define ER_RAMFS_MAGIC 0x858458f6
#define ER_TMPFS_MAGIC 0x01021994
#define ER_PROC_MAGIC 0x9fa0
#define ER_SYSFS_MAGIC 0x62656572

/* statx(2) */
struct er_statx_timestamp {
	int64_t tv_sec;
	uint32_t tv_nsec;
	int32_t reserved;
};
struct er_statx {
	uint32_t stx_mask, stx_blksize;
	uint64_t stx_attributes;
	uint32_t stx_nlink, stx_uid, stx_gid;
	uint16_t stx_mode, spare0;
	uint64_t stx_ino, stx_size, stx_blocks, stx_attributes_mask;
	struct er_statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
	uint32_t stx_rdev_major, stx_rdev_minor, stx_dev_major, stx_dev_minor;
	uint64_t stx_mnt_id;
	uint64_t spare2[13];
};
#define ER_STATX_TYPE 0x1U
#define ER_STATX_MODE 0x2U
#define ER_STATX_NLINK 0x4U
#define ER_STATX_INO 0x100U
#define ER_STATX_SIZE 0x200U
#define ER_STATX_BLOCKS 0x400U
#define ER_STATX_BASIC_STATS 0x7ffU
#define ER_STATX_ATTR_MOUNT_ROOT 0x2000ULL
#ifndef AT_STATX_DONT_SYNC
#define AT_STATX_DONT_SYNC 0x4000
#endif
#ifndef AT_NO_AUTOMOUNT
#define AT_NO_AUTOMOUNT 0x800
#endif
#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif
#ifndef SYS_statx /* musl has it for every architecture; lib/klibc/compat.h maps the kernel's */
#error "this libc's <sys/syscall.h> has no SYS_statx: map it to the kernel's __NR_statx, as lib/klibc/compat.h does"
#endif
static inline int er_statx(int dirfd, const char *path, int flags, unsigned mask, struct er_statx *stx)
{
	return (int)syscall(SYS_statx, dirfd, path, flags, mask, stx);
}

/* openat2(2) */
struct er_open_how {
	uint64_t flags, mode, resolve;
};
#define ER_RESOLVE_NO_MAGICLINKS 0x02
#define ER_RESOLVE_IN_ROOT 0x10
#ifndef SYS_openat2 /* 437 on most architectures, not all (alpha, mips): the libc's number or none */
#error "this libc's <sys/syscall.h> has no SYS_openat2: map it to the kernel's __NR_openat2, as lib/klibc/compat.h does"
#endif
static inline int er_openat2(int dirfd, const char *path, struct er_open_how *how)
{
	return (int)syscall(SYS_openat2, dirfd, path, how, sizeof *how);
}

/* netlink(7), for the kernel's uevents */
#ifndef AF_NETLINK
#define AF_NETLINK 16
#endif
#define ER_NETLINK_KOBJECT_UEVENT 15
struct er_sockaddr_nl {
	unsigned short nl_family, nl_pad;
	uint32_t nl_pid, nl_groups;
};

static inline int er_pivot_root(const char *new_root, const char *put_old)
{
	return (int)syscall(SYS_pivot_root, new_root, put_old);
}

static inline int er_finit_module(int fd, const char *params, int flags)
{
	return (int)syscall(SYS_finit_module, fd, params, flags);
}

#endif
