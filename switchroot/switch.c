/* switch.c — the two hand-over sequences, in order. Everything that can refuse runs first; the
 * point of no return is the moment the new root is moved onto / (switch) or pivoted (pivot). */
#include "internal.h"
#include "switchroot.h"
#include "fsutil.h"
#include "linux-api.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#ifndef BLKFLSBUF
#define BLKFLSBUF _IO(0x12, 97)
#endif
#ifndef BLKDISCARD
#define BLKDISCARD _IO(0x12, 119)
#endif
#ifndef BLKGETSIZE64
#define BLKGETSIZE64 _IOR(0x12, 114, size_t)
#endif
#define RAMDISK_MAJOR 1

extern char **environ;

static int refuse_unless_pid1(const struct sr_request *req)
{
	if (req->dry_run || getpid() == 1)
		return 0;
	log_error("must run as PID 1 (this is PID %d): it hands the whole system over to the new init; "
		  "run it from the initramfs /init, or use -n to only check", (int)getpid());
	return -1;
}

/* WHY NULL: every refusal is logged; else a refusal of INIT is written there instead. */
static int check_request(const struct sr_request *req, struct sr_newroot *nr, char *why, size_t why_size)
{
	char line[1024]; /* one log line */

	if (refuse_unless_pid1(req) < 0 || sr_open_newroot(req->newroot, nr) < 0)
		return -1;
	if (sr_check_init(nr, req->init, why ? why : line, why ? why_size : sizeof line) < 0) {
		if (!why)
			log_error("%s", line);
		close(nr->fd);
		return -1;
	}
	return 0;
}

enum sr_result sr_check(const struct sr_request *req, char *why, size_t why_size)
{
	struct sr_newroot nr;

	if (why && why_size)
		why[0] = 0;
	if (check_request(req, &nr, why, why_size) < 0)
		return SR_REFUSED;
	close(nr.fd);
	return SR_OK;
}

/* A refusal after the first change: put back what the steps before the point of no return did (the
 * moves and the directories they needed, then the propagation), so the early root is as it was. */
static void put_back(const struct sr_newroot *nr, struct sr_api_plan *plan, struct sr_shared *shared)
{
	sr_unmove_api_mounts(nr, plan);
	if (chdir("/") < 0)
		log_warn("cannot return to /: %m");
	sr_restore_shared(shared);
}

/* The steps before the point of no return, each one undone by put_back(): the mounts made private if
 * need be, then (from NEWROOT as the current directory) the API mounts moved in. Returns an fd on the
 * old root, or -1: refused, nothing changed. */
static int carry_over(const struct sr_newroot *nr, struct sr_api_plan *plan, struct sr_shared *shared)
{
	int oldroot;

	if (sr_make_private(shared) < 0)
		return -1;
	oldroot = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (oldroot < 0 || fchdir(nr->fd) < 0) {
		log_error("cannot open / or enter %s: %m", nr->name);
		if (oldroot >= 0)
			close(oldroot);
		put_back(nr, plan, shared);
		return -1;
	}
	sr_move_api_mounts(nr, plan);
	return oldroot;
}

static void format_size(unsigned long long bytes, char *buf, size_t size)
{
	/* Integer tenths, rounded: the init's formatter has no floating point (lib/fmt.c). */
	if (bytes >= 1024 * 1024) {
		unsigned long long tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024);
		snprintf(buf, size, "%llu.%llu MiB", tenths / 10, tenths % 10);
	} else
		snprintf(buf, size, "%llu KiB", (bytes + 1023) / 1024);
}

/* After the chroot: reopen the console if asked, then become the real init. */
static enum sr_result exec_init(const struct sr_request *req)
{
	char *default_argv[] = {(char *)req->init, NULL};

	if (req->console) {
		int fd = open(req->console, O_RDWR | O_NOCTTY | O_CLOEXEC);
		if (fd < 0) {
			/* A missing console must not cost the boot (console=null, placeholder devices). */
			log_warn("cannot open console %s (%m): keeping the current one", req->console);
		} else {
			for (int i = 0; i < 3; i++)
				dup2(fd, i);
			if (fd > 2)
				close(fd);
		}
	}
	execve(req->init, req->argv ? req->argv : default_argv, req->envp ? req->envp : environ);
	log_error("cannot run INIT %s: %m", req->init);
	return SR_FAILED_LATE;
}

/* The old root is hidden now; only OLDROOT still reaches it. */
static void free_initramfs(int oldroot)
{
	struct sr_delete_stats st;
	char size[32];

	sr_delete_tree(oldroot, &st);
	format_size(st.bytes, size, sizeof size);
	if (st.errors)
		log_warn("freed the initramfs only in part: %lu files and %lu directories removed (%s), "
			 "%lu error%s", st.files, st.dirs, size, st.errors, st.errors == 1 ? "" : "s");
	else
		log_info("freed the initramfs: %lu files and %lu directories removed (%s)%s", st.files,
			 st.dirs, size, st.kept ? ", mounted filesystems kept" : "");
}

enum sr_result sr_switch(const struct sr_request *req)
{
	struct sr_newroot nr;
	struct sr_api_plan plan;
	struct sr_shared shared;
	char why[256];
	int oldroot;

	if (refuse_unless_pid1(req) < 0)
		return SR_REFUSED;
	if (!sr_root_is_initramfs(why, sizeof why)) {
		log_error("/ is not an initramfs (%s): refusing to delete it; "
			  "for an initrd or a disk-based early root use pivot_root", why);
		return SR_REFUSED;
	}
	if (check_request(req, &nr, NULL, 0) < 0)
		return SR_REFUSED;
	sr_plan_api_mounts(&nr, &plan, req->dry_run);
	if (req->dry_run) {
		log_info("dry run: / can be switched to %s to run %s; nothing was changed", nr.name, req->init);
		close(nr.fd);
		return SR_OK;
	}

	if ((oldroot = carry_over(&nr, &plan, &shared)) < 0)
		goto refused;
	if (mount(".", "/", NULL, MS_MOVE, NULL) < 0) {
		log_error("cannot move %s onto /: %m", nr.name);
		put_back(&nr, &plan, &shared);
		close(oldroot);
		goto refused;
	}
	/* Point of no return: the new root covers the old one. */
	sr_forget_shared(&shared);
	close(nr.fd);
	if (chroot(".") < 0 || chdir("/") < 0) {
		log_error("cannot chroot into the new root: %m");
		close(oldroot);
		return SR_FAILED_LATE;
	}
	sr_detach_api_mounts(&nr, &plan, oldroot);
	free_initramfs(oldroot);
	close(oldroot);
	return exec_init(req);
refused:
	close(nr.fd);
	return SR_REFUSED;
}

/* PUT_OLD as a path relative to NEWROOT, which must exist there as a directory. */
static const char *put_old_in(const struct sr_newroot *nr, const char *put_old)
{
	struct stat st;
	while (*put_old == '/')
		put_old++;
	if (!*put_old || fstatat(nr->fd, put_old, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode)) {
		log_error("PUT_OLD /%s is not a directory in NEWROOT %s: create it there first", put_old,
			  nr->name);
		return NULL;
	}
	return put_old;
}

/* A ram disk keeps its pages after its filesystem is gone. A discard of the whole device frees them
 * (brd, Linux 6.10+); before that brd frees them only when its module is unloaded, so BLKFLSBUF can drop
 * just the page cache in front of it, and the message says which of the two happened. */
static void release_ramdisk(dev_t dev)
{
	char path[64];
	uint64_t bytes = 0, range[2];
	int fd;

	snprintf(path, sizeof path, "/dev/ram%u", minor(dev));
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0 || ioctl(fd, BLKGETSIZE64, &bytes) < 0) {
		log_warn("cannot free the ram disk %s: %m", path);
		if (fd >= 0)
			close(fd);
		return;
	}
	range[0] = 0;
	range[1] = bytes;
	if (ioctl(fd, BLKDISCARD, range) == 0)
		log_info("freed the ram disk %s", path);
	else if (ioctl(fd, BLKFLSBUF, 0) == 0)
		log_info("flushed the ram disk %s; this kernel cannot discard it (%m), so the pages it holds "
			 "stay in memory until the brd driver is unloaded", path);
	else
		log_warn("cannot free the ram disk %s: %m", path);
	close(fd);
}

enum sr_result sr_pivot(const struct sr_request *req)
{
	struct sr_newroot nr;
	const char *put_old = NULL;
	struct sr_api_plan plan;
	struct sr_shared shared;
	struct stat old;
	int oldroot;

	if (check_request(req, &nr, NULL, 0) < 0)
		return SR_REFUSED;
	if (req->put_old && !(put_old = put_old_in(&nr, req->put_old)))
		goto refused;
	sr_plan_api_mounts(&nr, &plan, req->dry_run);
	if (req->dry_run) {
		log_info("dry run: / can be pivoted to %s to run %s; nothing was changed", nr.name, req->init);
		close(nr.fd);
		return SR_OK;
	}
	if (stat("/", &old) < 0) {
		log_error("cannot stat /: %m");
		goto refused;
	}
	if ((oldroot = carry_over(&nr, &plan, &shared)) < 0)
		goto refused;
	/* pivot_root(".", ".") stacks the old root on top of the new one; detaching "." then drops it. */
	if (er_pivot_root(".", put_old ? put_old : ".") < 0) {
		log_error("pivot_root to %s failed: %m%s", nr.name,
			  errno == EINVAL ? " (is / the initramfs? then it needs switch_root)" : "");
		put_back(&nr, &plan, &shared);
		close(oldroot);
		goto refused;
	}
	/* Point of no return. The old root is still reachable through OLDROOT until it is detached; after
	 * this the current directory is / (the new root), as the detach of "." below needs. */
	sr_forget_shared(&shared);
	close(nr.fd);
	sr_detach_api_mounts(&nr, &plan, oldroot);
	close(oldroot);
	if (put_old) {
		if (chroot(".") < 0)
			log_warn("cannot chroot into the new root: %m");
		log_info("kept the old root at /%s", put_old);
	} else {
		if (umount2(".", MNT_DETACH) < 0)
			log_warn("cannot detach the old root: %m");
		else if (major(old.st_dev) == RAMDISK_MAJOR)
			release_ramdisk(old.st_dev);
		else
			log_info("pivoted to %s; the old root (%u:%u) is detached", nr.name, major(old.st_dev),
				 minor(old.st_dev));
	}
	if (chdir("/") < 0) {
		log_error("cannot enter the new root: %m");
		return SR_FAILED_LATE;
	}
	return exec_init(req);
refused:
	close(nr.fd);
	return SR_REFUSED;
}
