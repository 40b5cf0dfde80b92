/* lib/musl/clock.c — clock_gettime() for the static musl init: the bare system call.
 *
 * musl looks the vDSO up on the first call (an ELF symbol-table walk, 1 KB of code) so that programs
 * reading the clock in a tight loop avoid the system call. The init reads it a few dozen times per boot
 * (stage timings, the root device's deadline), so the system call costs nothing measurable. Only the
 * musl build links this file. */
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int clock_gettime(clockid_t clock, struct timespec *ts)
{
#ifdef SYS_clock_gettime64
	/* 32-bit machines: musl's timespec has a 64-bit time_t (musl 1.2), the layout of this call. */
	return (int)syscall(SYS_clock_gettime64, clock, ts);
#else
	return (int)syscall(SYS_clock_gettime, clock, ts);
#endif
}
