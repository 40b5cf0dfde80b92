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
 *                            "exit=poweroff-marker" (QEMU without isa-debug-exit, e.g. aarch64 -M virt:
 *                                                   the line PROBE_MARKER, then power off; the harness
 *                                                   takes the two together for isa-debug-exit's 0x2a)
 *   On the kernel command line (each repeatable, in this order; the probe's other output comes first):
 *   probe.mounts=PREFIX      one "mountinfo=" line per mount at PREFIX or below it (e.g. /run), with its
 *                            source, mount options and the filesystem's own (superopts=, last)
 *   probe.write_file=PATH:TEXT  write TEXT and a newline to PATH (parents created), fsync'd: a file that
 *                            must survive into the next boot (persistence); reports "wrote=PATH ok|error"
 *   probe.wait_input=WORD    wait (60 s at most) for a console line that is exactly WORD: the harness does
 *                            something to the machine first (ejects the medium) and then types it
 *   probe.drop_caches        after the waits: drop the clean page cache, dentries and inodes, so that the
 *                            files read next come from their device, not from memory read before
 *   probe.want_file=PATH     report whether PATH exists in the new root, its size, the mount that holds
 *                            it (symlinks followed) and its first line (or that it could not be read)
 *   probe.swap=/dev/X        swapon(2) on X (an mkswap'd disk), for probe.hibernate
 *   probe.hibernate=VALUE    keep VALUE in memory, say "hibernating value=VALUE", write "disk" to
 *                            /sys/power/state (the kernel writes the image to the swap and powers off);
 *                            when that write returns after a resume, "resumed value=VALUE" from memory,
 *                            then the usual rest. Runs after probe.write_file, before probe.wait_input.
 *   probe.run=PATH           run the program PATH (no arguments, the probe's environment and console) and
 *                            wait for it: "run=PATH status=N" (its exit status, or signal=N); a script
 *                            in the test's own root image (stacks/storage-hostonly). Runs last.
 *
 * With EARLYROOT_HANDOVER_MS in the environment it also reports handover_ms: the time from the init's
 * hand-over (after its checks, before moving the mounts and freeing the initramfs) to this program.
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
#include <poll.h>
#include <sys/mman.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#if defined(__x86_64__) || defined(__i386__)
#include <sys/io.h>
#endif

#define ISA_DEBUG_EXIT_PORT 0xf4
#define EXIT_CODE_DONE 0x2a /* QEMU exits with (0x2a << 1) | 1 = 85: only this program can cause it */
/* exit=poweroff-marker: printed just before the power-off; qemu-tests/lib.sh looks for exactly this. */
#define PROBE_MARKER "PROBE: poweroff-marker=0x2a"

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

/* The mount that holds PATH: the mountinfo entry with the longest mount point that is a prefix of it. */
static void mount_of(const char *path, char *mnt_out, char *fstype_out, size_t n)
{
	FILE *f = fopen("/proc/self/mountinfo", "r");
	char line[4096];
	size_t best = 0;
	snprintf(mnt_out, n, "?");
	snprintf(fstype_out, n, "?");
	if (!f)
		return;
	while (fgets(line, sizeof line, f)) {
		char mnt[1024], fs[256];
		char *dash = strstr(line, " - ");
		if (sscanf(line, "%*s %*s %*s %*s %1023s", mnt) != 1 || !dash || sscanf(dash + 3, "%255s", fs) != 1)
			continue;
		size_t l = strlen(mnt);
		int prefix = !strcmp(mnt, "/") || (!strncmp(path, mnt, l) && (path[l] == '/' || !path[l]));
		if (prefix && l >= best) {
			best = l;
			snprintf(mnt_out, n, "%s", mnt);
			snprintf(fstype_out, n, "%s", fs);
		}
	}
	fclose(f);
}

/* The kernel command line's words that start with KEY (e.g. "probe.want_file="), in order: calls FN with
 * what follows KEY in each. The probe's own options come from here, not from argv, which the init sets. */
static void for_each_arg(const char *key, void (*fn)(const char *val))
{
	char cmdline[4096], *save = NULL;
	int fd = open("/proc/cmdline", O_RDONLY | O_CLOEXEC);
	ssize_t len = fd >= 0 ? read(fd, cmdline, sizeof cmdline - 1) : -1;
	size_t klen = strlen(key);
	if (fd >= 0)
		close(fd);
	if (len <= 0)
		return;
	cmdline[len] = 0;
	for (char *w = strtok_r(cmdline, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save))
		if (!strncmp(w, key, klen))
			fn(w + klen);
}

/* probe.want_file=PATH: is PATH there, how big, on what, what does it say. */
static void report_wanted_file(const char *path)
{
	struct stat st;
	char mnt[1024], fs[256], first[128] = "";
	if (stat(path, &st) < 0) {
		report("want_file", "%s missing (%s)", path, strerror(errno));
		return;
	}
	FILE *f = fopen(path, "r");
	if (f) {
		if (!fgets(first, sizeof first, f))
			first[0] = 0;
		/* A file whose device is gone (an ejected medium) stats from the inode cache but cannot be read. */
		if (ferror(f) && S_ISREG(st.st_mode)) {
			report("want_file", "%s unreadable (%s)", path, strerror(errno));
			fclose(f);
			return;
		}
		first[strcspn(first, "\n")] = 0;
		fclose(f);
	} else if (S_ISREG(st.st_mode)) {
		report("want_file", "%s unreadable (%s)", path, strerror(errno));
		return;
	}
	/* The mount that holds the file itself: /run/overlayfs/x is on what the symlink points to. */
	char *real = realpath(path, NULL);
	mount_of(real ? real : path, mnt, fs, sizeof mnt);
	free(real);
	report("want_file", "%s present bytes=%lld mount=%s fstype=%s first_line=%s", path, (long long)st.st_size,
	       mnt, fs, first);
}

/* probe.mounts=PREFIX: every mount at PREFIX or below it, in mountinfo's order (the kernel's, parents
 * first), so a test sees what the init left under /run and how. */
static void report_mounts_under(const char *prefix)
{
	FILE *f = fopen("/proc/self/mountinfo", "r");
	char line[4096];
	size_t pl = strlen(prefix);
	if (!f) {
		report("mountinfo", "unreadable (%s)", strerror(errno));
		return;
	}
	while (pl > 1 && prefix[pl - 1] == '/')
		pl--;
	while (fgets(line, sizeof line, f)) {
		char mnt[1024], mopts[1024], fs[256], src[1024], sopts[2048];
		char *dash = strstr(line, " - ");
		if (sscanf(line, "%*s %*s %*s %*s %1023s %1023s", mnt, mopts) != 2 || !dash ||
		    sscanf(dash + 3, "%255s %1023s %2047s", fs, src, sopts) != 3)
			continue;
		if (!(pl == 1 && prefix[0] == '/') && (strncmp(mnt, prefix, pl) || (mnt[pl] && mnt[pl] != '/')))
			continue;
		report("mountinfo", "%s fstype=%s source=%s opts=%s superopts=%s", mnt, fs, src, mopts, sopts);
	}
	fclose(f);
}

/* mkdir -p of PATH's parent directories. */
static void make_parents(const char *path)
{
	char dir[1024];
	snprintf(dir, sizeof dir, "%s", path);
	for (char *p = dir + 1; (p = strchr(p, '/')); p++) {
		*p = 0;
		mkdir(dir, 0755);
		*p = '/';
	}
}

/* probe.write_file=PATH:TEXT — the file and its directory fsync'd, so that a power-off right after (the
 * probe's exit) cannot lose it: the next boot of a persistence test looks for it. */
static void write_file(const char *arg)
{
	char path[1024], dir[1024];
	const char *colon = strchr(arg, ':');
	int fd, ok = 0, err = 0;
	if (!colon || colon == arg || (size_t)(colon - arg) >= sizeof path) {
		report("wrote", "%s error (not PATH:TEXT)", arg);
		return;
	}
	snprintf(path, sizeof path, "%.*s", (int)(colon - arg), arg);
	make_parents(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0) {
		size_t n = strlen(colon + 1);
		ok = write(fd, colon + 1, n) == (ssize_t)n && write(fd, "\n", 1) == 1 && fsync(fd) == 0;
		if (!ok)
			err = errno;
		if (close(fd) < 0 && ok)
			ok = 0, err = errno;
	} else {
		err = errno;
	}
	snprintf(dir, sizeof dir, "%s", path);
	*strrchr(dir, '/') = 0;
	if (ok && (fd = open(*dir ? dir : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		fsync(fd);
		close(fd);
	}
	if (ok)
		report("wrote", "%s ok", path);
	else
		report("wrote", "%s error (%s)", path, strerror(err));
}

/* probe.swap=DEV: the swap area the kernel writes a hibernation image to. */
static void swap_on(const char *dev)
{
	if (swapon(dev, 0) == 0)
		report("swapon", "%s ok", dev);
	else
		report("swapon", "%s error (%s)", dev, strerror(errno));
}

/* probe.hibernate=VALUE: the value lives only in this process's memory (the kernel's command line of
 * the resuming boot does not have it), so seeing it again after the write proves the memory came back. */
static char hibernated_value[256];

static void hibernate(const char *value)
{
	int fd;
	ssize_t n = -1;

	snprintf(hibernated_value, sizeof hibernated_value, "%s", value);
	/* Power off after writing the image, not ACPI S4: what QEMU does with S4 is the machine type's. */
	if ((fd = open("/sys/power/disk", O_WRONLY | O_CLOEXEC)) >= 0) {
		if (write(fd, "shutdown", 8) != 8)
			report("hibernate-mode", "shutdown refused (%s)", strerror(errno));
		close(fd);
	}
	printf("PROBE: hibernating value=%s\n", hibernated_value);
	fflush(stdout);
	sync();
	if ((fd = open("/sys/power/state", O_WRONLY | O_CLOEXEC)) >= 0) {
		n = write(fd, "disk", 4);
		close(fd);
	}
	if (n == 4)
		printf("PROBE: resumed value=%s\n", hibernated_value);
	else
		report("hibernate", "error (%s)", strerror(errno));
	fflush(stdout);
}

#define WAIT_INPUT_SECONDS 60

/* probe.run=PATH: a program of the root image, as a test's step inside the booted system. */
static void run_program(const char *path)
{
	int st;
	pid_t pid = fork();
	if (pid == 0) {
		execl(path, path, (char *)NULL);
		printf("PROBE: run=%s exec-error=%s\n", path, strerror(errno));
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid) {
		report("run", "%s error=%s", path, strerror(errno));
		return;
	}
	if (WIFEXITED(st))
		report("run", "%s status=%d", path, WEXITSTATUS(st));
	else
		report("run", "%s signal=%d", path, WTERMSIG(st));
}

/* probe.wait_input=WORD: read console lines until one is WORD, for WAIT_INPUT_SECONDS at most. */
static void wait_input(const char *word)
{
	long long deadline = 0;
	char line[256];
	size_t len = 0;
	struct timespec ts;
	/* What comes next may run with the medium gone: every page of this program is in memory before. */
	mlockall(MCL_CURRENT | MCL_FUTURE);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	deadline = ts.tv_sec + WAIT_INPUT_SECONDS;
	printf("PROBE: waiting for %s on the console\n", word);
	fflush(stdout);
	for (;;) {
		struct pollfd p = {.fd = 0, .events = POLLIN};
		clock_gettime(CLOCK_MONOTONIC, &ts);
		if (ts.tv_sec >= deadline) {
			report("wait_input", "%s timeout after %d s", word, WAIT_INPUT_SECONDS);
			return;
		}
		int r = poll(&p, 1, (int)(deadline - ts.tv_sec) * 1000);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			continue; /* the deadline check ends it */
		char c;
		ssize_t n = read(0, &c, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			report("wait_input", "%s error (%s)", word, n ? strerror(errno) : "end of input");
			return;
		}
		if (c == '\n' || c == '\r') {
			line[len] = 0;
			if (len && !strcmp(line, word)) {
				report("wait_input", "%s received", word);
				return;
			}
			len = 0;
		} else if (len < sizeof line - 1) {
			line[len++] = c;
		}
	}
}

static void drop_caches(const char *unused)
{
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY | O_CLOEXEC);
	(void)unused;
	sync();
	if (fd < 0 || write(fd, "3\n", 2) != 2)
		report("drop_caches", "error (%s)", strerror(errno));
	else
		report("drop_caches", "ok");
	if (fd >= 0)
		close(fd);
}

static long long monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
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
	if (!strcmp(exitmode, "poweroff-marker")) {
		printf("%s\n", PROBE_MARKER);
		fflush(stdout);
	}
	if (strcmp(exitmode, "default"))
		reboot(RB_POWER_OFF);
	exit(0);
}

int main(int argc, char **argv)
{
	long long start_ms = monotonic_ms();
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
	if (getenv("EARLYROOT_HANDOVER_MS") && *getenv("EARLYROOT_HANDOVER_MS"))
		report("handover_ms", "%lld", start_ms - atoll(getenv("EARLYROOT_HANDOVER_MS")));
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
	for_each_arg("probe.mounts=", report_mounts_under);
	for_each_arg("probe.write_file=", write_file);
	for_each_arg("probe.swap=", swap_on);
	for_each_arg("probe.hibernate=", hibernate);
	for_each_arg("probe.wait_input=", wait_input);
	for_each_arg("probe.drop_caches", drop_caches);
	for_each_arg("probe.want_file=", report_wanted_file);
	for_each_arg("probe.run=", run_program);
	finish(exitmode);
	return 0;
}
