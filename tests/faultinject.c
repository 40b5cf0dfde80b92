/* faultinject.c — make the Nth call of a system call fail, in a test build of earlyroot.
 *
 * Linked with -Wl,--wrap=mount,--wrap=umount2,--wrap=chroot,--wrap=unlinkat,--wrap=execve: each call
 * of those in earlyroot's code comes here first. The production binary is not built with it.
 *   EARLYROOT_FAULT=CALL:N:ERRNO  the Nth call of CALL fails with ERRNO (a number), once
 *   EARLYROOT_FAULT_TRACE=1       every wrapped call is written to stderr as "FAULT-TRACE: CALL #K"
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

static struct {
	int parsed, trace;
	char call[32];
	long n, err;
	long counts[8];
} fi;

static const char *const calls[] = {"mount", "umount2", "chroot", "unlinkat", "execve"};

static int fail_now(int which)
{
	if (!fi.parsed) {
		const char *spec = getenv("EARLYROOT_FAULT");
		fi.parsed = 1;
		fi.trace = getenv("EARLYROOT_FAULT_TRACE") != NULL;
		if (spec && sscanf(spec, "%31[^:]:%ld:%ld", fi.call, &fi.n, &fi.err) != 3)
			fi.call[0] = 0;
	}
	long k = ++fi.counts[which];
	if (fi.trace)
		dprintf(2, "FAULT-TRACE: %s #%ld\n", calls[which], k);
	if (strcmp(fi.call, calls[which]) || k != fi.n)
		return 0;
	dprintf(2, "FAULT: %s #%ld fails with errno %ld\n", calls[which], k, fi.err);
	errno = (int)fi.err;
	return 1;
}

int __real_mount(const char *, const char *, const char *, unsigned long, const void *);
int __wrap_mount(const char *s, const char *t, const char *type, unsigned long f, const void *d)
{
	return fail_now(0) ? -1 : __real_mount(s, t, type, f, d);
}
int __real_umount2(const char *, int);
int __wrap_umount2(const char *t, int f)
{
	return fail_now(1) ? -1 : __real_umount2(t, f);
}
int __real_chroot(const char *);
int __wrap_chroot(const char *p)
{
	return fail_now(2) ? -1 : __real_chroot(p);
}
int __real_unlinkat(int, const char *, int);
int __wrap_unlinkat(int fd, const char *p, int f)
{
	return fail_now(3) ? -1 : __real_unlinkat(fd, p, f);
}
int __real_execve(const char *, char *const[], char *const[]);
int __wrap_execve(const char *p, char *const a[], char *const e[])
{
	return fail_now(4) ? -1 : __real_execve(p, a, e);
}
