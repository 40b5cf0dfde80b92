/* rescue.c — what the init does when a boot stops: a rescue shell when allowed, else the panic=
 * policy; and the processes early userspace leaves behind, which must not outlive the initramfs. */
#include "rescue.h"
#include "child.h"
#include "clock.h"
#include "fsutil.h"
#include "log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#define STOP_GRACE_MS 2000

/* Is stdin a console? Not when init.c had to make do without one (/dev/null, or a placeholder opened
 * O_PATH): a shell there reads end-of-file at once and exits 0, and the stage would be retried forever. */
static int have_console(void)
{
	struct stat st;
	int fl = fcntl(STDIN_FILENO, F_GETFL);
	if (fl < 0 || (fl & O_PATH) || fstat(STDIN_FILENO, &st) < 0)
		return 0;
	return !(S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 && minor(st.st_rdev) == 3);
}

int rescue_shell(const struct cmdline *cl, const struct image_conf *conf, const char *stage, const char *why)
{
	char ps1[64];
	pid_t pid;
	int status;

	if (conf->lockdown) {
		log_error("%s; no rescue shell: this image is locked down", why);
		return 0;
	}
	if (cl && !cl->shell) {
		log_error("%s; no rescue shell: rd.shell=0", why);
		return 0;
	}
	if (access(RESCUE_SHELL, X_OK) < 0) {
		log_error("%s; no rescue shell in this image (mkinitramfs --shell adds one)", why);
		return 0;
	}
	if (!have_console()) {
		log_error("%s; no rescue shell: there is no console to run it on", why);
		return 0;
	}
	log_error("%s: starting a rescue shell; 'exit' goes on with stage '%s', 'exit 1' gives up", why, stage);
	pid = fork();
	if (pid == 0) {
		/* Its own session, with the console as controlling terminal, so job control and ^C work. */
		setsid();
		ioctl(STDIN_FILENO, TIOCSCTTY, 1);
		snprintf(ps1, sizeof ps1, "earlyroot:%s# ", stage);
		setenv("PS1", ps1, 1);
		setenv("EARLYROOT_STAGE", stage, 1);
		execl(RESCUE_SHELL, "sh", (char *)NULL);
		_exit(127);
	}
	if (pid < 0) {
		log_error("cannot start the rescue shell: %m");
		return 0;
	}
	status = wait_child(pid);
	if (status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 1;
	log_error("the rescue shell ended with %s %d: giving up",
		  status >= 0 && WIFSIGNALED(status) ? "signal" : "status",
		  status < 0 ? -1 : WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
	return 0;
}

/* The kernel's panic= value: the command line's, else what the kernel runs with. */
static int panic_timeout(const struct cmdline *cl)
{
	char buf[32];
	if (cl && cl->panic_set)
		return cl->panic_s;
	return read_small_file("/proc/sys/kernel/panic", buf, sizeof buf) > 0 ? atoi(buf) : 0;
}

_Noreturn void give_up(const struct cmdline *cl, const char *stage)
{
	int panic = panic_timeout(cl);

	sync();
	if (panic == 0) {
		/* A kernel panic would scroll the reason off the screen: stay, with it in view. */
		log_error("boot failed at stage '%s': the system stops here (panic=0); boot with panic=N to "
			  "reboot N seconds after a failure", stage);
		for (;;) {
			while (waitpid(-1, NULL, WNOHANG) > 0)
				;
			sleep(60);
		}
	}
	if (panic < 0)
		log_error("boot failed at stage '%s': the kernel reboots at once (panic=%d)", stage, panic);
	else
		log_error("boot failed at stage '%s': the kernel reboots in %d s (panic=%d)", stage, panic, panic);
	exit(1);
}

/* Signal every process but us, kernel threads (no command line) and those that ask to survive the
 * switch with an argv[0] starting with '@' (systemd's convention for root-storage daemons). */
static int signal_all(int sig)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		char path[64], cmd[2];
		pid_t pid = (pid_t)atoi(e->d_name);
		if (pid <= 1 || pid == getpid())
			continue;
		snprintf(path, sizeof path, "/proc/%d/cmdline", (int)pid);
		if (read_small_file(path, cmd, sizeof cmd) <= 0 || cmd[0] == '@')
			continue;
		if (kill(pid, sig) == 0)
			n++;
	}
	closedir(d);
	return n;
}

/* Reap (we are PID 1: orphans become our children) until none of the processes signal_all() picks
 * is left — signal 0 only asks whether they exist; zombies have no command line and do not count —
 * or MS have passed. */
static int reap_all(long long ms)
{
	long long deadline = now_ms() + ms;
	for (;;) {
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		if (signal_all(0) == 0)
			return 1;
		if (now_ms() >= deadline)
			return 0;
		usleep(10 * 1000);
	}
}

void stop_initramfs_processes(void)
{
	int n = signal_all(SIGTERM);

	if (!n)
		return;
	log_info("stopping %d processes left from the initramfs", n);
	if (reap_all(STOP_GRACE_MS))
		return;
	n = signal_all(SIGKILL);
	if (n)
		log_warn("killed %d processes that ignored SIGTERM for %d ms", n, STOP_GRACE_MS);
	reap_all(STOP_GRACE_MS);
}
