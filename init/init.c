/* init.c — PID 1 of the initramfs: the boot, stage by stage.
 *
 *   mount /proc /sys /dev /run → read the command line → load modules → wait for the root device
 *   (or bring the network up: net.c) → mount it on /newroot (a live medium: its image under an
 *   overlay, live.c; an NFS root) → find a working init there → hand over (switch_root, or
 *   pivot_root when the early root is a real mount).
 *
 * Any failure ends with one clear error line (console and kernel log) and the exit of PID 1, so the
 * kernel's panic= policy decides what happens next: reboot after N seconds, or stay with the message
 * on the screen. */
#include "init.h"
#include "clock.h"
#include "early_mounts.h"
#include "fsutil.h"
#include "hooks.h"
#include "image_conf.h"
#include "live.h"
#include "log.h"
#include "modules.h"
#include "mount_root.h"
#include "net.h"
#include "rescue.h"
#include "resume.h"
#include "rootdev.h"
#include "share_root.h"
#include "storage.h"
#include "switchroot.h"
#include "uevent.h"
#include "verity_root.h"
#include "volatile_root.h"

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

/* The kernel gives PID 1 /dev/console as stdio, but only if it could open it: the image may lack the
 * node, or console=null may name no working console. The missing fds get the console, else /dev/null,
 * else a placeholder, so that no file the init opens later becomes its stdout or stderr and receives
 * its messages. Called again once /dev is mounted: devtmpfs may have brought the console the image
 * lacked. Without one, the messages still reach the kernel log, and it says so there. */
static unsigned stdio_borrowed; /* fds 0-2 that hold a stand-in, not the console */

static void ensure_stdio(int dev_mounted)
{
	unsigned missing = stdio_borrowed;
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0)
			missing |= 1u << fd;
	if (!missing)
		return;
	int nfd = open("/dev/console", O_RDWR | O_NOCTTY | O_CLOEXEC);
	int err = errno;
	unsigned borrowed = nfd < 0 ? missing : 0;
	if (nfd < 0)
		nfd = open("/dev/null", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (nfd < 0)
		nfd = open("/", O_PATH | O_CLOEXEC); /* reads and writes fail: a pure placeholder */
	if (nfd < 0)
		return;
	/* One open file shared by 0, 1 and 2, as the kernel does it. */
	for (int fd = 0; fd < 3; fd++)
		if (missing & (1u << fd)) {
			if (fd != nfd)
				dup2(nfd, fd);
			fcntl(fd, F_SETFD, 0);
		}
	if (nfd > 2)
		close(nfd);
	stdio_borrowed = borrowed;
	if (borrowed && dev_mounted) {
		errno = err;
		log_warn("no console: cannot open /dev/console: %m; messages go only to the kernel log (dmesg)");
	}
}

/* The image's default parameters (image.conf cmdline=), then the kernel's: a duplicate on the kernel
 * command line wins, as the last one always does. */
static int read_cmdline(struct cmdline *cl, const struct image_conf *conf)
{
	char *text = malloc(CMDLINE_MAX);
	size_t len;
	int ret;

	if (!text)
		return -1;
	len = (size_t)snprintf(text, CMDLINE_MAX, "%s ", conf->cmdline);
	if (read_small_file("/proc/cmdline", text + len, CMDLINE_MAX - len) < 0) {
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
	/* Which build is running: images can carry either (mkinitramfs --init). */
#ifdef __KLIBC__
	log_debug("this init is the klibc build");
#else
	log_debug("this init is the musl build");
#endif
	for (int i = 0; i < cl->nwarnings; i++)
		log_warn("%s", cl->warnings[i]);
	return 0;
}

/* rd.init= or init= if given: only that one, as the kernel does. Else, as the kernel does too, the
 * first default that will run, judged by the hand-over's own check so that the two cannot disagree;
 * one that is not there is passed over in silence, one that is there but cannot run is named with the
 * reason. With rd.root= the kernel mounted an early root itself and init= named the program it
 * started there (this one), so only rd.init= names the real init. */
static const char *choose_init(const struct cmdline *cl)
{
	const size_t n = sizeof default_inits / sizeof default_inits[0];
	char path[PATH_MAX], why[1024];
	struct stat st;
	int skipped = 0;

	if (cl->rd_init)
		return cl->rd_init;
	if (cl->init && !cl->rd_root)
		return cl->init;
	for (size_t i = 0; i < n; i++) {
		struct sr_request req = {.newroot = NEWROOT, .init = default_inits[i]};
		if (sr_check(&req, why, sizeof why) == SR_OK)
			return default_inits[i];
		if (!why[0])
			return NULL; /* NEWROOT itself was refused, and that was logged */
		snprintf(path, sizeof path, "%s%s", NEWROOT, default_inits[i]);
		if (lstat(path, &st) < 0)
			continue;
		log_warn("%s skipped: %s%s%s", default_inits[i], why, i + 1 < n ? "; trying " : "",
			 i + 1 < n ? default_inits[i + 1] : "");
		skipped = 1;
	}
	log_error("no init found on the root filesystem (tried /sbin/init, /etc/init, /bin/init, /bin/sh%s): "
		  "install one or name it with init=", skipped ? "; why those there cannot run is said above" : "");
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

struct boot {
	int argc;
	char **argv;
	struct cmdline cl;
	int have_cmdline;
	struct image_conf conf;
	struct uevents ue;    /* open from the end of the cmdline stage to the hand-over */
	struct modules mods;  /* the image's modules, loaded and on demand */
	struct net_state net; /* the network, when the boot needs it */
	struct storage *stack; /* LUKS, RAID, LVM under the root: storage.c */
	char device[PATH_MAX];
	long long start_ms;
};

enum stage { STAGE_CMDLINE, STAGE_MODULES, STAGE_DEVICES, STAGE_MOUNT, STAGE_SWITCH, N_STAGES };
static const char *const stage_names[N_STAGES] = {"cmdline", "modules", "devices", "mount", "switch"};

static void set_env_ms(const char *name, long long ms)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%lld", ms);
	setenv(name, buf, 1);
}

static int hand_over(struct boot *b)
{
	const char *init = choose_init(&b->cl);
	char **argv;
	char why[256];

	if (!init || !(argv = init_argv(init, b->argc, b->argv)))
		return -1;
	struct sr_request req = {.newroot = NEWROOT, .init = init, .argv = argv};
	/* Check before stopping anything: a refusal must leave the rescue shell's world intact. */
	if (sr_check(&req, NULL, 0) != SR_OK) {
		free(argv);
		return -1;
	}
	stop_initramfs_processes();
	/* The real init learns when the initramfs started and ended (CLOCK_MONOTONIC, ms since boot). */
	set_env_ms("EARLYROOT_START_MS", b->start_ms);
	set_env_ms("EARLYROOT_HANDOVER_MS", now_ms());
	log_debug("handing over to %s at %lld ms", init, now_ms());
	const char *mode = b->cl.rd_switch;
	if (!mode)
		mode = sr_root_is_initramfs(why, sizeof why) ? "move" : "pivot";
	if (!strcmp(mode, "move")) {
		sr_switch(&req);
	} else {
		/* An initrd keeps its old root at /initrd when the real root has that directory. */
		struct stat st;
		if (stat(NEWROOT "/initrd", &st) == 0 && S_ISDIR(st.st_mode))
			req.put_old = "/initrd";
		sr_pivot(&req);
	}
	free(argv);
	return -1; /* only a failure returns */
}

/* roothash= (dm-verity) with root= absent or naming its /dev/mapper/root: the init makes that device
 * itself (verity_root.c). 1 when this is not such a boot, else 0 (b->device filled) or -1 (logged). */
static int verity_root(struct boot *b)
{
	const struct storage_conf *c = storage_conf_of(b->stack);

	if (!c->roothash[0] || c->verity_off || (b->cl.root && strcmp(b->cl.root, "/dev/mapper/" VERITY_ROOT_NAME)))
		return 1;
	return verity_open_root(b->stack, &b->cl, &b->ue, b->mods.kept_out, b->device, sizeof b->device);
}

static int run_stage(struct boot *b, enum stage stage)
{
	int r;

	switch (stage) {
	case STAGE_CMDLINE:
		if (read_cmdline(&b->cl, &b->conf) < 0)
			return -1;
		if (b->cl.rd_root)
			b->cl.root = b->cl.rd_root; /* the kernel mounted root= as the early root itself */
		/* Listening from here on, before the modules stage looks at the devices: what appears
		 * after that look is announced. (Here and not earlier: rd.debug is known now.) */
		if (!b->have_cmdline)
			uevents_open(&b->ue);
		b->have_cmdline = 1;
		return 0;
	case STAGE_MODULES:
		load_image_modules(&b->mods, MODULE_LIST, &b->conf, &b->cl, &b->ue);
		return 0;
	case STAGE_DEVICES:
		if (net_wanted(&b->cl) && !b->net.up && net_up(&b->cl, &b->ue, &b->net) < 0)
			return -1;
		if (net_root(&b->cl)) { /* the root is on the network: no device to wait for */
			snprintf(b->device, sizeof b->device, "%s", b->cl.root);
			return 0;
		}
		if (share_root(&b->cl)) /* a directory of the host: its share's tag, no device */
			return share_root_wait(&b->cl, &b->ue, &b->mods, b->mods.kept_out, b->device, sizeof b->device);
		if (!b->stack && !(b->stack = storage_new(&b->cl, &b->mods)))
			return -1;
		if (!b->cl.live && (r = verity_root(b)) != 1) /* a verity root is read-only: resume= still applies */
			return r < 0 ? r : resume_from_hibernation(&b->cl, b->stack, &b->ue, b->mods.kept_out);
		if (b->cl.live)
			return live_wait_medium(&b->cl, &b->ue, &b->mods, b->mods.kept_out, b->device, sizeof b->device);
		if (wait_for_root(&b->cl, &b->ue, b->stack, b->mods.kept_out, b->device, sizeof b->device) < 0)
			return -1;
		/* Before anything is mounted: the hibernated system's filesystems are in its image. */
		return resume_from_hibernation(&b->cl, b->stack, &b->ue, b->mods.kept_out);
	case STAGE_MOUNT: {
		struct cmdline cl = b->cl;
		cl.readonly |= volatile_overlay_asked(&b->cl);
		if (net_root(&cl) && !cl.live)
			r = net_mount_nfs_root(&cl, &b->net, &b->mods);
		else if (cl.live)
			r = live_mount_root(&cl, b->device, &b->mods, &b->ue, b->mods.kept_out);
		else if (share_root(&cl))
			r = share_root_mount(&cl);
		else
			r = mount_root(&cl, b->device, &b->mods, storage_conf_of(b->stack)->fsck_off);
		return r < 0 ? r : volatile_root(&cl, &b->mods, &b->ue, b->mods.kept_out);
	}
	case STAGE_SWITCH:
		return hand_over(b);
	case N_STAGES:
		break;
	}
	return -1;
}

static void check_break(struct boot *b, enum stage stage)
{
	char why[64];

	if (!b->have_cmdline || !b->cl.brk || strcmp(b->cl.brk, stage_names[stage]))
		return;
	if (b->conf.lockdown) {
		log_warn("ignoring rd.break=%s: this image is locked down", b->cl.brk);
		return;
	}
	snprintf(why, sizeof why, "rd.break=%s", b->cl.brk);
	rescue_shell(&b->cl, &b->conf, stage_names[stage], why); /* however it ends, the boot goes on */
}

int init_main(int argc, char **argv)
{
	struct boot b = {.argc = argc, .argv = argv};

	/* Only PID 1 writes to the kernel log: run by hand, the init must not write into the host's. */
	log_setup("earlyroot", getpid() == 1);
	if (getpid() != 1) {
		log_error("init must run as PID 1 (this is PID %d): it is the initramfs /init; "
			  "for the hand-over alone use switch_root", (int)getpid());
		return 1;
	}
	b.start_ms = now_ms();
	ensure_stdio(0);
	umask(022);
	image_conf_read(IMAGE_CONF, &b.conf);
	if (mount_early_filesystems() < 0 && !rescue_shell(NULL, &b.conf, "mounts", "cannot mount the API filesystems"))
		give_up(NULL, "mounts");
	ensure_stdio(1);

	for (enum stage stage = STAGE_CMDLINE; stage < N_STAGES; stage++) {
		long long t0 = now_ms();
		check_break(&b, stage);
		int ok = run_hooks(stage_names[stage]) == 0 && run_stage(&b, stage) == 0;
		while (!ok) {
			char why[64];
			snprintf(why, sizeof why, "boot failed at stage '%s'", stage_names[stage]);
			if (!rescue_shell(b.have_cmdline ? &b.cl : NULL, &b.conf, stage_names[stage], why))
				give_up(b.have_cmdline ? &b.cl : NULL, stage_names[stage]);
			ok = run_stage(&b, stage) == 0; /* the user fixed it, or thinks so: try again */
		}
		log_debug("stage %s: started at %lld ms, took %lld ms", stage_names[stage], t0, now_ms() - t0);
	}
	return 1; /* not reached: the switch stage either execs the real init or fails */
}
