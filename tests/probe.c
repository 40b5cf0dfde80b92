/* probe — a stand-in for the real /sbin/init that reports what it sees after the hand-over.
 *
 * Used by the namespace tests (as PID 1 of a PID namespace) and by the QEMU tier (as PID 1 of the guest).
 * Every fact is one line "PROBE: key=value" on stdout, so a test can grep for exactly what it asserts.
 *
 * Optional inputs, none required:
 *   env PROBE_OLDROOT_FD=N   an fd on the old root, inherited through the hand-over: list what is left
 *   env PROBE_CANARY_FD=N    an fd on a directory that must still hold a file named "canary"
 *   /etc/probe.conf          "exit=isa-debug-exit" (QEMU on x86: report through port 0xf4, then power off)
 *                            "exit=poweroff"       (power off)      default: exit(0), or sleep forever
 *                                                                   as PID 1 outside a PID namespace
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#if defined(__x86_64__) || defined(__i386__)
#include <sys/io.h>
#endif

#define ISA_DEBUG_EXIT_PORT 0xf4
#define EXIT_CODE_DONE 0x2a /* QEMU exits with (0x2a << 1) | 1 = 85: only this program can cause it */

static void report(const char *key, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void report(const char *key, const char *fmt, ...)
{
	va_list ap;
	printf("PROBE: %s=", key);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* The mountinfo line whose mount point is exactly PATH (the last one wins: it is the visible one). */
static int mount_at(const char *path, char *src, char *fstype, char *opts, char *superopts, size_t n)
{
	FILE *f = fopen("/proc/self/mountinfo", "r");
	char line[4096];
	int found = 0;
	if (!f)
		return 0;
	while (fgets(line, sizeof line, f)) {
		char mnt[1024], mopts[1024], fs[256], s[1024], sopts[1024];
		/* id parent maj:min root mountpoint mountopts [optional...] - fstype source superopts */
		if (sscanf(line, "%*s %*s %*s %*s %1023s %1023s", mnt, mopts) != 2 || strcmp(mnt, path))
			continue;
		char *dash = strstr(line, " - ");
		if (!dash || sscanf(dash + 3, "%255s %1023s %1023s", fs, s, sopts) != 3)
			continue;
		snprintf(src, n, "%s", s);
		snprintf(fstype, n, "%s", fs);
		snprintf(opts, n, "%s", mopts);
		snprintf(superopts, n, "%s", sopts);
		found = 1;
	}
	fclose(f);
	return found;
}

static void report_mount(const char *key, const char *path)
{
	char src[1024], fs[1024], opts[1024], superopts[1024];
	if (mount_at(path, src, fs, opts, superopts, sizeof src)) {
		report(key, "%s fstype=%s source=%s opts=%s", path, fs, src, opts);
		if (!strcmp(path, "/"))
			report("root-superopts", "%s", superopts);
	} else {
		report(key, "%s none", path);
	}
}

static long meminfo_kb(const char *field)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[256];
	long v = -1;
	size_t n = strlen(field);
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, field, n) && line[n] == ':')
			v = strtol(line + n + 1, NULL, 10);
	fclose(f);
	return v;
}

static int env_fd(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? atoi(v) : -1;
}

/* Everything left in the old root, one entry per line; "none" when it is empty. */
static void report_oldroot(int fd)
{
	DIR *d = fdopendir(dup(fd));
	struct dirent *e;
	int left = 0;
	if (!d) {
		report("oldroot", "unreadable (%s)", strerror(errno));
		return;
	}
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		report("oldroot-left", "%s", e->d_name);
		left++;
	}
	closedir(d);
	report("oldroot", "%s", left ? "not-empty" : "empty");
}

/* Processes besides this one that have a command line (kernel threads and zombies have none). */
static int other_processes(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		char path[64], c;
		int pid = atoi(e->d_name), fd;
		if (pid <= 0 || pid == getpid())
			continue;
		snprintf(path, sizeof path, "/proc/%d/cmdline", pid);
		if ((fd = open(path, O_RDONLY)) < 0)
			continue;
		if (read(fd, &c, 1) == 1) {
			n++;
			report("other-process", "%d", pid);
		}
		close(fd);
	}
	closedir(d);
	return n;
}

static void read_conf(char *exitmode, size_t n)
{
	FILE *f = fopen("/etc/probe.conf", "r");
	char line[256];
	snprintf(exitmode, n, "default");
	if (!f)
		return;
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, "exit=", 5)) {
			line[strcspn(line, "\n")] = 0;
			snprintf(exitmode, n, "%.*s", (int)n - 1, line + 5);
		}
	fclose(f);
}

static void finish(const char *exitmode)
{
	printf("PROBE: done\n");
	fflush(stdout);
	sync();
#if defined(__x86_64__) || defined(__i386__)
	if (!strcmp(exitmode, "isa-debug-exit")) {
		if (ioperm(ISA_DEBUG_EXIT_PORT, 4, 1) == 0)
			outb(EXIT_CODE_DONE, ISA_DEBUG_EXIT_PORT);
		printf("PROBE: isa-debug-exit unavailable (%s), powering off\n", strerror(errno));
		fflush(stdout);
	}
#endif
	if (strcmp(exitmode, "default"))
		reboot(RB_POWER_OFF);
	exit(0);
}

int main(int argc, char **argv)
{
	char exitmode[64], cwd[4096];
	struct statfs sfs;
	int fd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	read_conf(exitmode, sizeof exitmode);
	printf("PROBE: start\n");
	report("pid", "%d", (int)getpid());
	printf("PROBE: argc=%d\n", argc);
	for (int i = 0; i < argc; i++)
		printf("PROBE: argv[%d]=%s\n", i, argv[i]);
	report("cwd", "%s", getcwd(cwd, sizeof cwd) ? cwd : "?");
	report_mount("root", "/");
	if (statfs("/", &sfs) == 0)
		report("root-magic", "0x%lx", (unsigned long)sfs.f_type);
	report_mount("mount", "/dev");
	report_mount("mount", "/proc");
	report_mount("mount", "/sys");
	report_mount("mount", "/run");
	/* Submounts that tests place under the moved API mounts. */
	report_mount("submount", "/dev/shm");
	report_mount("submount", "/run/sub");
	for (char **e = environ; *e; e++)
		if (!strncmp(*e, "EARLYROOT_", 10))
			report("env", "%s", *e);
	report("other-processes", "%d", other_processes());
	report("memfree_kb", "%ld", meminfo_kb("MemFree"));
	report("memtotal_kb", "%ld", meminfo_kb("MemTotal"));
	report("shmem_kb", "%ld", meminfo_kb("Shmem"));
	if ((fd = env_fd("PROBE_OLDROOT_FD")) >= 0)
		report_oldroot(fd);
	if ((fd = env_fd("PROBE_CANARY_FD")) >= 0) {
		struct stat st;
		report("canary", "%s", fstatat(fd, "canary", &st, 0) == 0 ? "present" : "missing");
	}
	if (access("/canary-in-newroot", F_OK) == 0)
		report("newroot-canary", "present");
	finish(exitmode);
	return 0;
}
