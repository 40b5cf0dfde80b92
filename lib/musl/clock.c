/* lib/musl/clock.c — clock_gettime() for the static musl init: the bare system call.
 *
 * musl looks the vDSO up on the first call (an ELF symbol-table walk, 1 KB of code) so that programs
 * reading the clock in a tight loop avoid the system call. The init reads it a few dozen times per boot
 * (stage timings, the root device's deadline), so the system call costs nothing measurable. Only the
 * musl build links this file.
 * 32-bit machines: musl's timespec has a 64-bit time_t (musl 1.2), the layout of clock_gettime64
 * (Linux 5.1). A 32-bit kernel from 4.11 (statx, which the init needs) to 5.0 lacks it: there the
 * 32-bit call, widened, as musl does too (its times are right until 2038).
 * Kept: saves 1 KB (x86-64), 0.2 KB (armhf); test-musl-lite matches musl's on all six, the fallback too. */
#include <errno.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int clock_gettime(clockid_t clock, struct timespec *ts)
{
#ifdef SYS_clock_gettime64
	int r = (int)syscall(SYS_clock_gettime64, clock, ts);
#ifdef SYS_clock_gettime32 /* riscv32, 32-bit but born after 5.1, has none */
	long old[2]; /* the 32-bit call's timespec: two longs */
	if (r < 0 && errno == ENOSYS && (r = (int)syscall(SYS_clock_gettime32, clock, old)) == 0) {
		ts->tv_sec = old[0];
		ts->tv_nsec = old[1];
	}
#endif
	return r;
#else
	return (int)syscall(SYS_clock_gettime, clock, ts);
#endif
}
