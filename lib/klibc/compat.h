/* lib/klibc/compat.h — what the init needs from a libc that klibc (Debian's libklibc-dev) lacks.
 *
 * Forced into every file of the klibc build (klcc -include), with this directory first on the include
 * path for the two headers klibc does not have (<strings.h>, <sys/statvfs.h>). The sources stay one:
 * nothing here is used by the musl build. 64-bit architectures only (x86_64, aarch64): the raw system
 * call and the kernel's struct statfs below are written for them. */
#ifndef EARLYROOT_KLIBC_COMPAT_H
#define EARLYROOT_KLIBC_COMPAT_H
#ifdef __KLIBC__
#include <errno.h>
#include <sys/syscall.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/ioctl.h>
#include <string.h>
#include <time.h>
#include <unistd.h> /* mkdir() and mkdirat() are declared here in klibc, not in <sys/stat.h> */

/* Mount flags newer than klibc's <sys/mount.h> (values from the kernel's uapi). */
#ifndef MS_PRIVATE
#define MS_UNBINDABLE (1 << 17)
#define MS_PRIVATE (1 << 18)
#define MS_SLAVE (1 << 19)
#define MS_SHARED (1 << 20)
#endif
#ifndef MS_RELATIME
#define MS_RELATIME (1 << 21)
#endif
#ifndef MS_STRICTATIME
#define MS_STRICTATIME (1 << 24)
#endif
#ifndef MS_LAZYTIME
#define MS_LAZYTIME (1 << 25)
#endif

#define SYS_pivot_root __NR_pivot_root
#define SYS_finit_module __NR_finit_module
#define SYS_statx __NR_statx
#define SYS_openat2 __NR_openat2
#define SYS_fstatfs __NR_fstatfs

/* klibc wraps each system call it knows with a stub and exports no generic syscall(2); these four
 * (finit_module, statx, openat2, and fstatfs for its flags) need one. */
static inline long er_raw_syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	long ret;
#if defined(__x86_64__)
	register long r10 __asm__("r10") = d, r8 __asm__("r8") = e, r9 __asm__("r9") = f;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
#elif defined(__aarch64__)
	register long x8 __asm__("x8") = n, x0 __asm__("x0") = a, x1 __asm__("x1") = b,
		      x2 __asm__("x2") = c, x3 __asm__("x3") = d, x4 __asm__("x4") = e, x5 __asm__("x5") = f;
	__asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5) : "memory");
	ret = x0;
#else
#error "lib/klibc/compat.h: no raw system call for this architecture"
#endif
	if (ret < 0 && ret > -4096) {
		errno = (int)-ret;
		return -1;
	}
	return ret;
}
/* The time since boot, by the vDSO-less system call (klibc has no clock_gettime). */
static inline int clock_gettime(int clock, struct timespec *ts)
{
	return (int)er_raw_syscall6(__NR_clock_gettime, clock, (long)ts, 0, 0, 0, 0);
}

static inline char *strchrnul(const char *s, int c)
{
	while (*s && *s != (char)c)
		s++;
	return (char *)s;
}

/* klibc's ioctl() takes a pointer; the init passes an integer argument in one place (TIOCSCTTY). */
#define ioctl(fd, request, arg) ioctl((fd), (request), (void *)(long)(arg))

#define er_syscall_(n, a, b, c, d, e, f, ...)                                                          \
	er_raw_syscall6((long)(n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))
#define syscall(...) er_syscall_(__VA_ARGS__, 0, 0, 0, 0, 0, 0)
#endif
#endif
