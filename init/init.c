/* init.c — PID 1 of the initramfs: the boot, stage by stage.
 *
 *   mount /proc /sys /dev /run → read the command line → load modules → wait for the root device →
 *   mount it on /newroot → find a working init there → hand over (switch_root, or pivot_root when
 *   the early root is a real mount).
 *
 * Any failure ends with one clear error line (console and kernel log) and the exit of PID 1, so the
 * kernel's panic= policy decides what happens next: reboot after N seconds, or stay with the message
 * on the screen. */
#include "init.h"
#include "fsutil.h"
#include "log.h"
#include "switchroot.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CMDLINE_MAX (64 * 1024)

static const char *const default_inits[] = {"/sbin/init", "/etc/init", "/bin/init", "/bin/sh"};

static _Noreturn void fail(const char *stage)
{
	log_error("boot failed at stage '%s': giving up; the kernel's panic= setting decides what "
		  "happens next", stage);
	sync();
	exit(1);
}

/* The kernel gives PID 1 /dev/console as stdio, but only if the image has that node; without it
 * (or with fds closed) every message would be lost. */
static void ensure_stdio(void)
{
	for (int fd = 0; fd < 3; fd++) {
		if (fcntl(fd, F_GETFD) >= 0)
			continue;
		int nfd = open("/dev/console", O_RDWR | O_NOCTTY);
		if (nfd < 0)
			nfd = open("/dev/null", O_RDWR | O_NOCTTY);
		if (nfd >= 0 && nfd != fd) {
			dup2(nfd, fd);
			close(nfd);
		}
	}
}

static int read_cmdline(struct cmdline *cl)
{
	char *text = malloc(CMDLINE_MAX);
	int ret;

	if (!text || read_small_file("/proc/cmdline", text, CMDLINE_MAX) < 0) {
		log_error("cannot read /proc/cmdline: %m");
		free(text);
		return -1;
	}
	ret = cmdline_parse(text, cl);
	free(text);
	if (ret < 0) {
		log_error("out of memory parsing the kernel command line");
		return -1;
	}
	if (cl->quiet)
		log_set_max_level(LOG_LEVEL_WARN);
	if (cl->debug)
		log_set_max_level(LOG_LEVEL_DEBUG);
	for (int i = 0; i < cl->nwarnings; i++)
		log_warn("%s", cl->warnings[i]);
	return 0;
}

/* init= if given (and then only that one, as the kernel does), else the first default that exists. */
static const char *choose_init(const struct cmdline *cl)
{
	char path[PATH_MAX];
	struct stat st;

	if (cl->init)
		return cl->init;
	for (size_t i = 0; i < sizeof default_inits / sizeof default_inits[0]; i++) {
		snprintf(path, sizeof path, "%s%s", NEWROOT, default_inits[i]);
		if (lstat(path, &st) == 0)
			return default_inits[i];
	}
	log_error("no init found on the root filesystem (tried /sbin/init, /etc/init, /bin/init, /bin/sh): "
		  "install one or name it with init=");
	return NULL;
}

/* The real init gets what the kernel gave us: the words it did not know and those after "--". */
static char **init_argv(const char *init, int argc, char **argv)
{
	char **v = calloc((size_t)argc + 1, sizeof *v);
	if (!v)
		return NULL;
	v[0] = (char *)init;
	for (int i = 1; i < argc; i++)
		v[i] = argv[i];
	return v;
}

int init_main(int argc, char **argv)
{
	struct cmdline cl;
	char device[PATH_MAX];
	const char *init;

	/* Only PID 1 writes to the kernel log: run by hand, the init must not write into the host's. */
	log_setup("earlyroot", getpid() == 1);
	if (getpid() != 1) {
		log_error("init must run as PID 1 (this is PID %d): it is the initramfs /init; "
			  "for the hand-over alone use switch_root", (int)getpid());
		return 1;
	}
	ensure_stdio();
	umask(022);

	if (mount_early_filesystems() < 0)
		fail("mounts");
	if (read_cmdline(&cl) < 0)
		fail("cmdline");
	log_debug("started at %lld ms", now_ms());

	load_image_modules(MODULE_LIST, IMAGE_CONF);

	if (wait_for_root(&cl, device, sizeof device) < 0)
		fail("devices");
	if (mount_root(&cl, device) < 0)
		fail("mount");

	if (!(init = choose_init(&cl)))
		fail("switch");
	struct sr_request req = {.newroot = NEWROOT, .init = init, .argv = init_argv(init, argc, argv)};
	char why[256];
	log_debug("handing over to %s at %lld ms", init, now_ms());
	if (sr_root_is_initramfs(why, sizeof why))
		sr_switch(&req);
	else
		sr_pivot(&req); /* the early root is a real mount: an initrd or a disk */
	fail("switch");
}
