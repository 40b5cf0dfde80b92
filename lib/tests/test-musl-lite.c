/* test-musl-lite.c — the init's stand-ins for musl members (lib/musl/) against musl's own, on real calls.
 *
 * Built statically with musl for each architecture (natively and under qemu-user): clock.c, statfs.c,
 * fcntl.c, fork.c and setenv.c are compiled under other names (lite_clock_gettime...), so both run side
 * by side; alloc.c is linked in place of musl's malloc, as in the init. clock.c's system calls go through
 * clock_syscall() below, which can refuse clock_gettime64 as a 32-bit kernel before 5.1 does. */
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int lite_clock_gettime(clockid_t clock, struct timespec *ts);
int lite_fstatfs(int fd, struct statfs *buf);
int lite_fstatvfs(int fd, struct statvfs *buf);
int lite_fcntl(int fd, int cmd, ...);
pid_t lite_fork(void);
int lite_setenv(const char *name, const char *value, int overwrite);

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

/* Between musl's readings before and after ours: free counts move while the tests run. */
#define BETWEEN(a, b, c) (((a) <= (b) && (b) <= (c)) || ((c) <= (b) && (b) <= (a)))

static int same_statfs(int fd, const char *path)
{
	struct statfs a, b, c;
	memset(&b, 0x55, sizeof b);
	int ra = fstatfs(fd, &a), rb = lite_fstatfs(fd, &b), rc = fstatfs(fd, &c);
	int ok = ra == 0 && rb == 0 && rc == 0 && a.f_type == b.f_type && a.f_bsize == b.f_bsize &&
		 a.f_blocks == b.f_blocks && BETWEEN(a.f_bfree, b.f_bfree, c.f_bfree) &&
		 BETWEEN(a.f_bavail, b.f_bavail, c.f_bavail) && a.f_files == b.f_files &&
		 BETWEEN(a.f_ffree, b.f_ffree, c.f_ffree) && !memcmp(&a.f_fsid, &b.f_fsid, sizeof a.f_fsid) &&
		 a.f_namelen == b.f_namelen && a.f_frsize == b.f_frsize && a.f_flags == b.f_flags;
	if (!ok)
		printf("#   %s: musl type %lx bsize %lu blocks %llu bfree %llu files %llu flags %lx namelen %lu; "
		       "ours %d type %lx bsize %lu blocks %llu bfree %llu files %llu flags %lx namelen %lu\n",
		       path, (unsigned long)a.f_type, (unsigned long)a.f_bsize, (unsigned long long)a.f_blocks,
		       (unsigned long long)a.f_bfree, (unsigned long long)a.f_files, (unsigned long)a.f_flags,
		       (unsigned long)a.f_namelen, rb, (unsigned long)b.f_type, (unsigned long)b.f_bsize,
		       (unsigned long long)b.f_blocks, (unsigned long long)b.f_bfree, (unsigned long long)b.f_files,
		       (unsigned long)b.f_flags, (unsigned long)b.f_namelen);
	return ok;
}

static int same_statvfs(int fd, const char *path)
{
	struct statvfs a, b, c;
	memset(&b, 0x55, sizeof b);
	int ra = fstatvfs(fd, &a), rb = lite_fstatvfs(fd, &b), rc = fstatvfs(fd, &c);
	int ok = ra == 0 && rb == 0 && rc == 0 && a.f_bsize == b.f_bsize && a.f_frsize == b.f_frsize &&
		 a.f_blocks == b.f_blocks && BETWEEN(a.f_bfree, b.f_bfree, c.f_bfree) &&
		 BETWEEN(a.f_bavail, b.f_bavail, c.f_bavail) && a.f_files == b.f_files &&
		 BETWEEN(a.f_ffree, b.f_ffree, c.f_ffree) && BETWEEN(a.f_favail, b.f_favail, c.f_favail) &&
		 a.f_fsid == b.f_fsid && a.f_flag == b.f_flag && a.f_namemax == b.f_namemax;
	if (!ok)
		printf("#   %s: musl bsize %lu frsize %lu blocks %llu bfree %llu bavail %llu files %llu fsid %lx flag %lx "
		       "namemax %lu; ours %d bsize %lu frsize %lu blocks %llu bfree %llu bavail %llu files %llu fsid %lx "
		       "flag %lx namemax %lu\n",
		       path, a.f_bsize, a.f_frsize, (unsigned long long)a.f_blocks, (unsigned long long)a.f_bfree,
		       (unsigned long long)a.f_bavail, (unsigned long long)a.f_files, a.f_fsid, a.f_flag, a.f_namemax,
		       rb, b.f_bsize, b.f_frsize, (unsigned long long)b.f_blocks, (unsigned long long)b.f_bfree,
		       (unsigned long long)b.f_bavail, (unsigned long long)b.f_files, b.f_fsid, b.f_flag, b.f_namemax);
	return ok;
}

static void test_statfs(void)
{
	/* /, /proc (nosuid, nodev, noexec here: f_flag is not 0) and a tmpfs (f_files counted). */
	static const char *const paths[] = { "/", "/proc", "/dev/shm", "/run", "/tmp" };
	int tmpfs_seen = 0;
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		int fd = open(paths[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		struct statfs s;
		if (i >= 2 && (tmpfs_seen || fd < 0 || fstatfs(fd, &s) < 0 || s.f_type != 0x01021994)) {
			if (fd >= 0)
				close(fd);
			continue; /* one tmpfs is enough */
		}
		tmpfs_seen |= i >= 2;
		CHECK(fd >= 0 && same_statfs(fd, paths[i]), "fstatfs(%s): every field as musl's", paths[i]);
		CHECK(fd >= 0 && same_statvfs(fd, paths[i]), "fstatvfs(%s): every field as musl's", paths[i]);
		if (fd >= 0)
			close(fd);
	}
	if (!tmpfs_seen)
		printf("ok %d - fstatfs on a tmpfs # SKIP none of /dev/shm, /run, /tmp is a tmpfs here\n", ++tap_count);
	struct statfs s;
	struct statvfs v;
	errno = 0;
	int r = lite_fstatfs(-1, &s);
	CHECK(r == -1 && errno == EBADF, "fstatfs on a bad descriptor: -1 and EBADF");
	errno = 0;
	r = lite_fstatvfs(-1, &v);
	CHECK(r == -1 && errno == EBADF, "fstatvfs on a bad descriptor: -1 and EBADF");
}

static void test_fcntl(void)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0) {
		CHECK(0, "pipe2: %s", strerror(errno));
		return;
	}
	int a = lite_fcntl(p[0], F_GETFD), b = fcntl(p[0], F_GETFD);
	CHECK(a == FD_CLOEXEC && a == b, "F_GETFD on a close-on-exec descriptor: %d, musl's %d", a, b);
	int r = lite_fcntl(p[0], F_SETFD, 0);
	b = fcntl(p[0], F_GETFD);
	CHECK(r == 0 && b == 0, "F_SETFD 0 clears it: musl reads %d", b);
	r = lite_fcntl(p[0], F_SETFD, FD_CLOEXEC);
	b = fcntl(p[0], F_GETFD);
	CHECK(r == 0 && b == FD_CLOEXEC, "F_SETFD FD_CLOEXEC sets it: musl reads %d", b);
	a = lite_fcntl(p[1], F_GETFL), b = fcntl(p[1], F_GETFL);
	CHECK(a == b && (a & O_ACCMODE) == O_WRONLY, "F_GETFL of a pipe's write end: %#x, musl's %#x", (unsigned)a,
	      (unsigned)b);
	r = lite_fcntl(p[1], F_SETFL, a | O_NONBLOCK);
	b = fcntl(p[1], F_GETFL);
	CHECK(r == 0 && b == (a | O_NONBLOCK), "F_SETFL O_NONBLOCK: musl reads %#x", (unsigned)b);
	close(p[0]);
	close(p[1]);
	errno = 0;
	r = lite_fcntl(p[0], F_GETFD);
	CHECK(r == -1 && errno == EBADF, "F_GETFD on a closed descriptor: -1 and EBADF");

	/* A lock: struct flock has musl's 64-bit off_t, which only fcntl64 reads on a 32-bit kernel (qemu-user
	 * takes either call, so under emulation this shows the argument passed through, not the call). */
	char path[] = "/tmp/musl-lite-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0) {
		printf("ok %d - F_SETLK/F_GETLK # SKIP no file in /tmp: %s\n", ++tap_count, strerror(errno));
		return;
	}
	unlink(path);
	struct flock lk = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 100, .l_len = 50 };
	r = lite_fcntl(fd, F_SETLK, &lk);
	int child_saw = -1;
	pid_t pid = fork();
	if (pid == 0) { /* another process sees the lock, as musl's fcntl reports it */
		struct flock q = { .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
		_exit(fcntl(fd, F_GETLK, &q) == 0 && q.l_type == F_WRLCK && q.l_start == 100 && q.l_len == 50 &&
		      q.l_pid == getppid() ? 0 : 1);
	}
	if (pid > 0 && waitpid(pid, &child_saw, 0) != pid)
		child_saw = -1;
	CHECK(r == 0 && child_saw == 0, "F_SETLK on bytes 100-149: another process's F_GETLK (musl's) sees it "
		  "(%d, child status %#x)", r, (unsigned)child_saw);
	close(fd);
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

static int env_count(void)
{
	extern char **environ;
	int n = 0;
	while (environ && environ[n])
		n++;
	return n;
}

/* The same steps through ours (names ER_L_*) and musl's (ER_M_*): the same results. */
static int env_steps(int (*set)(const char *, const char *, int), const char *prefix, char *log, size_t size)
{
	char a[32], b[32];
	snprintf(a, sizeof a, "%s_A", prefix);
	snprintf(b, sizeof b, "%s_B", prefix);
	char v[4][16]; /* copies: musl frees a string it replaced */
	int n0 = env_count(), r[4];
	const char *steps[4][3] = { { a, "one", "1" }, { a, "two", "1" }, { a, "three", "0" }, { b, "", "0" } };
	for (int i = 0; i < 4; i++) {
		r[i] = set(steps[i][0], steps[i][1], steps[i][2][0] - '0');
		const char *got = getenv(steps[i][0]);
		snprintf(v[i], sizeof v[i], "%s", got ? got : "(none)");
	}
	errno = 0;
	int r5 = set("", "x", 1), e5 = errno;
	errno = 0;
	int r6 = set("A=B", "x", 1), e6 = errno;
	return snprintf(log, size, "add %d %s, replace %d %s, no overwrite %d %s, empty value %d [%s], %d new, "
			"empty name %d %s, '=' in name %d %s",
			r[0], v[0], r[1], v[1], r[2], v[2], r[3], v[3], env_count() - n0, r5, strerror(e5), r6,
			strerror(e6));
}

static void test_setenv(void)
{
	char ours[512], musl[512];
	env_steps(lite_setenv, "ER_L", ours, sizeof ours);
	env_steps(setenv, "ER_M", musl, sizeof musl);
	CHECK(!strcmp(ours, musl) && strstr(ours, "add 0 one, replace 0 two, no overwrite 0 two, empty value 0 [], 2 new"),
	      "setenv: add, replace, no overwrite, an empty value, EINVAL; as musl's (%s)", ours);
	if (strcmp(ours, musl))
		printf("#   musl: %s\n", musl);
	CHECK(!strcmp(getenv("ER_L_A"), "two") && !strcmp(getenv("ER_M_A"), "two"),
	      "each variable still there after the other's were added");
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
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0); /* no buffered line duplicated by fork */
	test_clock();
	test_statfs();
	test_fcntl();
	test_fork();
	test_setenv();
	test_alloc();
	return tap_finish();
}
