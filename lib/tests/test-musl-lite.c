/* test-musl-lite.c — the init's stand-ins for musl members (lib/musl/) against musl's own, on real calls.
 *
 * Built statically with musl for each architecture (natively and under qemu-user): clock.c and fork.c
 * are compiled under other names (lite_clock_gettime, lite_fork), so both run side by side; alloc.c is
 * linked in place of musl's malloc, as in the init. clock.c's system calls go through
 * clock_syscall() below, which can refuse clock_gettime64 as a 32-bit kernel before 5.1 does. */
#include "tap.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int lite_clock_gettime(clockid_t clock, struct timespec *ts);
pid_t lite_fork(void);

#ifdef SYS_clock_gettime64
static int refuse_time64; /* clock_gettime64 fails with ENOSYS, as on Linux 4.11-5.0 */
#endif
static long last_nr = -1; /* the last call clock.c made */

long clock_syscall(long nr, ...);
long clock_syscall(long nr, ...)
{
	va_list ap;
	va_start(ap, nr);
	long a = va_arg(ap, long), b = va_arg(ap, long); /* clock_gettime's two */
	va_end(ap);
	last_nr = nr;
#ifdef SYS_clock_gettime64
	if (refuse_time64 && nr == SYS_clock_gettime64) {
		errno = ENOSYS;
		return -1;
	}
#endif
	return syscall(nr, a, b);
}

static long long ns(const struct timespec *t)
{
	return (long long)t->tv_sec * 1000000000 + t->tv_nsec;
}

/* musl's reading, ours, musl's again: ours must lie between them, in range, and return 0. */
static int clock_between(clockid_t clock, const char *name)
{
	struct timespec a, b, c;
	memset(&b, 0x55, sizeof b); /* a field left unwritten shows */
	int ra = clock_gettime(clock, &a), rb = lite_clock_gettime(clock, &b), rc = clock_gettime(clock, &c);
	int ok = ra == 0 && rb == 0 && rc == 0 && b.tv_nsec >= 0 && b.tv_nsec < 1000000000 && ns(&a) <= ns(&b) &&
		 ns(&b) <= ns(&c);
	if (!ok)
		printf("#   %s: musl %d %lld.%09ld, ours %d %lld.%09ld, musl %d %lld.%09ld\n", name, ra,
		       (long long)a.tv_sec, a.tv_nsec, rb, (long long)b.tv_sec, b.tv_nsec, rc, (long long)c.tv_sec,
		       c.tv_nsec);
	return ok;
}

static void test_clock(void)
{
	static const struct {
		clockid_t id;
		const char *name;
	} clocks[] = { { CLOCK_MONOTONIC, "CLOCK_MONOTONIC" }, { CLOCK_REALTIME, "CLOCK_REALTIME" },
		       { CLOCK_BOOTTIME, "CLOCK_BOOTTIME" } };
	for (size_t i = 0; i < sizeof clocks / sizeof clocks[0]; i++)
		CHECK(clock_between(clocks[i].id, clocks[i].name), "clock_gettime(%s): between two readings of musl's",
		      clocks[i].name);
	struct timespec t;
	lite_clock_gettime(CLOCK_REALTIME, &t);
	CHECK(t.tv_sec > 1577836800 && sizeof t.tv_sec == 8, "CLOCK_REALTIME is after 2020 in a %zu-byte time_t",
	      sizeof t.tv_sec);
	errno = 0;
	int r = lite_clock_gettime((clockid_t)12345, &t);
	CHECK(r == -1 && errno == EINVAL, "an unknown clock: -1 and EINVAL (%d, %s)", r, strerror(errno));
#if defined SYS_clock_gettime64 && defined SYS_clock_gettime32
	refuse_time64 = 1;
	int ok = clock_between(CLOCK_MONOTONIC, "CLOCK_MONOTONIC") && last_nr == SYS_clock_gettime32 &&
		 clock_between(CLOCK_REALTIME, "CLOCK_REALTIME") && last_nr == SYS_clock_gettime32;
	refuse_time64 = 0;
	CHECK(ok, "clock_gettime64 refused (ENOSYS, a kernel before 5.1): the 32-bit call, widened, gives the same "
		  "times");
#else
	printf("ok %d - clock_gettime64 refused # SKIP this architecture's clock_gettime is %s\n", ++tap_count,
#ifdef SYS_clock_gettime64
	       "clock_gettime64 alone (no 32-bit call to fall back to)"
#else
	       "64-bit already (no clock_gettime64)"
#endif
	);
#endif
}

static void test_fork(void)
{
	static int touched;
	pid_t parent = getpid();
	pid_t pid = lite_fork();
	if (pid == 0) {
		touched = 1; /* the child's own copy */
		_exit(getppid() == parent && getpid() != parent ? 42 : 1);
	}
	int status = -1;
	pid_t w = pid > 0 ? waitpid(pid, &status, 0) : -1;
	CHECK(pid > 0 && w == pid && WIFEXITED(status) && WEXITSTATUS(status) == 42 && !touched,
	      "fork: the child (its parent ours, its pid its own) exits 42, waitpid gets it back; the parent's "
	      "memory untouched (pid %d, status %#x)", (int)pid, (unsigned)status);
}

static void test_alloc(void)
{
	int aligned = 1, kept = 1;
	char *blocks[300];
	for (size_t n = 0; n < 300; n++) {
		blocks[n] = malloc(n);
		aligned &= blocks[n] && (uintptr_t)blocks[n] % _Alignof(max_align_t) == 0 && (uintptr_t)blocks[n] % 16 == 0;
		if (blocks[n])
			memset(blocks[n], (int)n, n);
	}
	for (size_t n = 0; n < 300; n++) {
		char *p = realloc(blocks[n], n * 3 + 1);
		aligned &= p && (uintptr_t)p % _Alignof(max_align_t) == 0;
		for (size_t i = 0; p && i < n; i++)
			kept &= p[i] == (char)n;
		free(p ? p : blocks[n]);
	}
	CHECK(aligned, "malloc and realloc of 0 to 900 bytes: aligned for max_align_t (%zu) and 16",
	      (size_t)_Alignof(max_align_t));
	CHECK(kept, "realloc keeps the contents");
	long double *d = malloc(3 * sizeof *d);
	d[0] = 1.5L, d[1] = -2.25L, d[2] = d[0] * d[1];
	CHECK(d[2] == -3.375L, "a long double array in a block");
	free(d);
	/* musl's setenv, the init's, frees the strings it replaced through this free(). */
	int ok = 1;
	for (int i = 0; i < 1000 && ok; i++) {
		char v[16];
		snprintf(v, sizeof v, "%d", i);
		ok = setenv("EARLYROOT_STAGE", v, 1) == 0 && !strcmp(getenv("EARLYROOT_STAGE"), v);
	}
	CHECK(ok, "musl's setenv replacing a variable 1000 times over this malloc and free");
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0); /* no buffered line duplicated by fork */
	test_clock();
	test_fork();
	test_alloc();
	return tap_finish();
}
