/* vmrun.c — the guest side of `qemu-tests/boot --run CMD`: a static program in two roles.
 *
 * As a switch hook (/lib/earlyroot/hooks/switch/90-earlyroot-vm, not PID 1): copies itself and the
 * files of /lib/earlyroot/vm/ into /run/earlyroot-vm/. The initramfs is deleted at the hand-over and the
 * new root may be read-only, but the initramfs's /run (a tmpfs) is moved into the new root.
 *
 * As PID 1 of the new root (init=/run/earlyroot-vm/vmrun): mounts the shares, runs
 * `/bin/sh -c COMMAND` with stdout and stderr on the virtio-serial ports earlyroot.stdout and
 * earlyroot.stderr, reaps everything, writes the command's status and the boot's phases (CLOCK_MONOTONIC
 * ms, as the init's EARLYROOT_* values) to earlyroot.status, and powers off. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define VM_SRC "/lib/earlyroot/vm"
#define VM_DIR "/run/earlyroot-vm"
#define SHARE_OPTS "trans=virtio,version=9p2000.L,msize=262144"

static int console_fd = 2;

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

static void fdprintf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fdprintf(int fd, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n > 0)
		write_all(fd, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

/* --- the hook ------------------------------------------------------------------------------------ */

static int copy_file(const char *from, const char *to, mode_t mode)
{
	char buf[65536];
	ssize_t n;
	int in = open(from, O_RDONLY | O_CLOEXEC), out = -1, ret = -1;

	if (in < 0 || (out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)) < 0)
		goto done;
	while ((n = read(in, buf, sizeof buf)) > 0) {
		ssize_t off = 0;
		while (off < n) {
			ssize_t w = write(out, buf + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				goto done;
			off += w;
		}
	}
	ret = n < 0 ? -1 : 0;
done:
	if (ret < 0)
		fprintf(stderr, "earlyroot-vm: cannot copy %s to %s: %s\n", from, to, strerror(errno));
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out) < 0 && ret == 0)
		ret = -1;
	return ret;
}

static int hook(void)
{
	char from[PATH_MAX], to[PATH_MAX];
	struct dirent *e;
	DIR *d;

	if (mkdir(VM_DIR, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "earlyroot-vm: cannot create " VM_DIR ": %s\n", strerror(errno));
		return 1;
	}
	if (copy_file("/proc/self/exe", VM_DIR "/vmrun", 0755) < 0)
		return 1;
	if (!(d = opendir(VM_SRC))) {
		fprintf(stderr, "earlyroot-vm: cannot open " VM_SRC ": %s\n", strerror(errno));
		return 1;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(from, sizeof from, VM_SRC "/%s", e->d_name);
		snprintf(to, sizeof to, VM_DIR "/%s", e->d_name);
		if (copy_file(from, to, 0644) < 0) {
			closedir(d);
			return 1;
		}
	}
	closedir(d);
	return 0;
}

/* --- PID 1 --------------------------------------------------------------------------------------- */

/* The file's contents, NUL-terminated, or NULL (errno set). */
static char *slurp(const char *path)
{
	size_t len = 0, cap = 4096;
	char *s = malloc(cap);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (!s || fd < 0) {
		free(s);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while ((n = read(fd, s + len, cap - len - 1)) > 0) {
		len += (size_t)n;
		if (cap - len - 1 == 0) {
			char *t = realloc(s, cap *= 2);
			if (!t) {
				free(s);
				close(fd);
				return NULL;
			}
			s = t;
		}
	}
	close(fd);
	if (n < 0) {
		free(s);
		return NULL;
	}
	s[len] = 0;
	return s;
}

/* The API filesystems: the init moves them into the new root, but a root entered otherwise has none. */
static void api_mounts(void)
{
	mkdir("/proc", 0555);
	mkdir("/sys", 0555);
	mkdir("/dev", 0755);
	if (access("/proc/self", F_OK) < 0)
		mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	if (access("/sys/class", F_OK) < 0)
		mount("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	if (access("/dev/null", F_OK) < 0)
		mount("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755");
}

/* Open the virtio port named NAME (its /dev node, which devtmpfs made) for writing, or -1. */
static int open_port(const char *name)
{
	char path[PATH_MAX], buf[128];
	struct dirent *e;
	int fd = -1;
	DIR *d = opendir("/sys/class/virtio-ports");

	if (!d)
		return -1;
	while (fd < 0 && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "/sys/class/virtio-ports/%s/name", e->d_name);
		int nf = open(path, O_RDONLY | O_CLOEXEC);
		if (nf < 0)
			continue;
		ssize_t n = read(nf, buf, sizeof buf - 1);
		close(nf);
		if (n <= 0)
			continue;
		buf[n] = 0;
		buf[strcspn(buf, "\n")] = 0;
		if (strcmp(buf, name))
			continue;
		snprintf(path, sizeof path, "/dev/%s", e->d_name);
		fd = open(path, O_WRONLY | O_CLOEXEC);
	}
	closedir(d);
	return fd;
}

/* The ports get their names from QEMU a moment after the device is probed: wait for them a while. */
static int wait_port(const char *name)
{
	for (int i = 0; i < 100; i++) {
		int fd = open_port(name);
		if (fd >= 0)
			return fd;
		usleep(50000);
	}
	fdprintf(console_fd, "earlyroot-vm: no virtio port %s (is virtio_console in the kernel or the image?)\n", name);
	return -1;
}

static int mkdir_p(const char *dir)
{
	char p[PATH_MAX];
	snprintf(p, sizeof p, "%s", dir);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = 0;
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			return -1;
		*s = '/';
	}
	return mkdir(p, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

/* Mount each "TAG GUESTDIR" line of the shares file; a failure is one line on ERR_FD. */
static int mount_shares(int err_fd)
{
	char *s = slurp(VM_DIR "/shares"), *line, *save = NULL;

	if (!s)
		return 0; /* no shares */
	for (line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *dir = strchr(line, ' ');
		if (!dir)
			continue;
		*dir++ = 0;
		if (mkdir_p(dir) < 0 || mount(line, dir, "9p", 0, SHARE_OPTS) < 0) {
			fdprintf(err_fd, "earlyroot-vm: cannot mount the share %s on %s: %s\n", line, dir, strerror(errno));
			free(s);
			return -1;
		}
	}
	free(s);
	return 0;
}

static void power_off(void)
{
	sync();
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}

static int run_command(int out_fd, int err_fd)
{
	char *cmd = slurp(VM_DIR "/command"), *cwd = slurp(VM_DIR "/cwd");
	const char *start = getenv("EARLYROOT_START_MS"), *handover = getenv("EARLYROOT_HANDOVER_MS");

	if (!cmd) {
		fdprintf(err_fd, "earlyroot-vm: cannot read " VM_DIR "/command: %s\n", strerror(errno));
		return 127;
	}
	if (cwd)
		cwd[strcspn(cwd, "\n")] = 0;
	pid_t pid = fork();
	if (pid == 0) {
		char *env[8];
		int n = 0;
		static char s1[64], s2[64];
		env[n++] = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
		env[n++] = "HOME=/root";
		env[n++] = "TERM=dumb";
		if (start)
			snprintf(s1, sizeof s1, "EARLYROOT_START_MS=%s", start), env[n++] = s1;
		if (handover)
			snprintf(s2, sizeof s2, "EARLYROOT_HANDOVER_MS=%s", handover), env[n++] = s2;
		env[n] = NULL;
		setsid();
		int null = open("/dev/null", O_RDONLY);
		if (null < 0 || dup2(null, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0)
			_exit(127);
		if (cwd && *cwd && chdir(cwd) < 0) {
			fdprintf(2, "earlyroot-vm: cannot change to %s: %s\n", cwd, strerror(errno));
			_exit(127);
		}
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		execle("/bin/sh", "sh", "-c", cmd, (char *)NULL, env);
		fdprintf(2, "earlyroot-vm: cannot run /bin/sh: %s\n", strerror(errno));
		_exit(127);
	}
	if (pid < 0) {
		fdprintf(err_fd, "earlyroot-vm: cannot fork: %s\n", strerror(errno));
		return 127;
	}
	/* PID 1: every orphan is ours to reap too; the command's own status is the one that counts. */
	int st, code = 127;
	for (;;) {
		pid_t w = wait(&st);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			break;
		if (w == pid) {
			code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
			break;
		}
	}
	/* What the command left behind (daemons, its own children) must not outlive it. */
	kill(-1, SIGKILL);
	while (wait(&st) > 0 || errno == EINTR)
		;
	free(cmd);
	free(cwd);
	return code;
}

static int pid1(void)
{
	int con = open("/dev/console", O_WRONLY | O_NOCTTY | O_CLOEXEC);
	const char *start = getenv("EARLYROOT_START_MS"), *handover = getenv("EARLYROOT_HANDOVER_MS");

	api_mounts();
	if (con < 0)
		con = open("/dev/console", O_WRONLY | O_NOCTTY | O_CLOEXEC);
	if (con >= 0)
		console_fd = con;
	int status_fd = wait_port("earlyroot.status"), out_fd = wait_port("earlyroot.stdout");
	int err_fd = wait_port("earlyroot.stderr");
	if (status_fd < 0 || out_fd < 0 || err_fd < 0)
		power_off(); /* the host sees no status: "powered off without the command's status" */
	int code;
	if (mount_shares(err_fd) < 0) {
		code = 127;
	} else {
		fdprintf(status_fd, "command_start_ms=%lld\n", now_ms());
		code = run_command(out_fd, err_fd);
	}
	fdprintf(status_fd, "exit=%d\ncommand_end_ms=%lld\ninit_start_ms=%s\nhandover_ms=%s\n", code, now_ms(),
		 start ? start : "", handover ? handover : "");
	fdprintf(console_fd, "earlyroot-vm: command exited with %d\n", code);
	power_off();
	return 0;
}

int main(int argc, char **argv)
{
	if (getpid() == 1)
		return pid1();
	const char *stage = getenv("EARLYROOT_STAGE");
	if ((stage && !strcmp(stage, "switch")) || (argc > 1 && !strcmp(argv[1], "switch")))
		return hook();
	fprintf(stderr, "usage: %s switch (as the init's switch hook), or as PID 1 (init=" VM_DIR "/vmrun)\n",
		argv[0]);
	return 2;
}
