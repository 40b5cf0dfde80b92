/* fsck.c — check the root filesystem before the mount, with the image's own fsck.TYPE.
 *
 * The checker is exec'd directly, not through the fsck(8) wrapper: the wrapper is one more program
 * in the image and busybox's has turned a repair into a failure (NixOS/nixpkgs#40174). Its exit
 * code is read bit by bit: 3 is 1|2 (a check that treats only <= 2 as success misses it). */
#include "fsck.h"
#include "child.h"
#include "log.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <unistd.h>

/* fsck(8): the exit code is the sum of these. 64 is not defined; it is named so that nothing passes
 * unseen. */
static const struct {
	int bit;
	const char *meaning;
} failure_bits[] = {
	{4, "errors left uncorrected"}, {8, "operational error"}, {16, "usage or syntax error"},
	{32, "cancelled by the user"},  {64, "unknown (64)"},     {128, "shared-library error"},
};

enum fsck_verdict fsck_verdict(int code, char *why, size_t size)
{
	size_t len = 0;
	int failed = 0;

	if (size)
		why[0] = 0;
	for (size_t i = 0; i < sizeof failure_bits / sizeof failure_bits[0]; i++) {
		if (!(code & failure_bits[i].bit))
			continue;
		failed = 1;
		if (len < size)
			len += (size_t)snprintf(why + len, size - len, "%s%s", len ? ", " : "", failure_bits[i].meaning);
	}
	if (failed)
		return FSCK_FAILED;
	if (code & 2)
		return FSCK_REBOOT;
	return code & 1 ? FSCK_CORRECTED : FSCK_CLEAN;
}

int fsck_convention(const char *fstype, int code)
{
	if ((!strcmp(fstype, "vfat") || !strcmp(fstype, "msdos")) && code == 2)
		return 16;
	return code;
}

/* e2fsck's automatic repair is -p; -a is its old synonym and what every other checker takes. */
static const char *auto_repair_flag(const char *fstype)
{
	return !strcmp(fstype, "ext2") || !strcmp(fstype, "ext3") || !strcmp(fstype, "ext4") ? "-p" : "-a";
}

int fsck_root(const char *device, const char *fstype, int off)
{
	char checker[PATH_MAX], why[160], name[64];

	if (off) {
		log_debug("rd.fsck=0: root %s not checked", device);
		return 0;
	}
	if (!fstype || !*fstype || strchr(fstype, '/')) {
		log_debug("root %s: type unknown, not checked", device);
		return 0;
	}
	snprintf(checker, sizeof checker, "/sbin/fsck.%s", fstype);
	snprintf(name, sizeof name, "fsck.%s", fstype);
	if (access(checker, X_OK) < 0) {
		log_debug("no %s in the image: root %s not checked (mkinitramfs --fsck adds it)", checker, device);
		return 0;
	}
	/* A read-only device (dm-verity, a write-protected disk) cannot be repaired, and fsck would fail
	 * opening it for writing: nothing can have changed it since it was made. */
	int fd = open(device, O_RDONLY | O_CLOEXEC), ro = 0;
	if (fd >= 0) {
		if (ioctl(fd, BLKROGET, &ro) < 0)
			ro = 0;
		close(fd);
	}
	if (ro) {
		log_debug("root %s is a read-only device: not checked", device);
		return 0;
	}
	log_debug("checking %s with %s %s", device, checker, auto_repair_flag(fstype));
	/* The console as its stdin, stdout and stderr: its report is for the person there. */
	char *const argv[] = {checker, (char *)auto_repair_flag(fstype), (char *)device, NULL};
	int status = run_program(argv, NULL, NULL, 0, NULL, 0, NULL, 0);
	if (status == -1) { /* as without a checker */
		log_warn("cannot run %s: %m (a missing interpreter or library in the image?): root %s not checked",
			 checker, device);
		return 0;
	}
	if (!WIFEXITED(status)) {
		log_error("%s %s was killed by signal %d: the root is not mounted; check it by hand "
			  "(%s %s) or boot with rd.fsck=0", name, device, WTERMSIG(status), checker, device);
		return -1;
	}
	int raw = WEXITSTATUS(status), code = fsck_convention(fstype, raw);
	switch (fsck_verdict(code, why, sizeof why)) {
	case FSCK_CLEAN:
		return 0;
	case FSCK_CORRECTED:
		log_info("%s corrected errors on %s (exit 1); going on", name, device);
		return 0;
	case FSCK_REBOOT:
		/* fsck(8): the system should be rebooted. Nothing is mounted yet; sync what it wrote. */
		log_warn("%s repaired %s and asks for a reboot (exit %d): rebooting", name, device, raw);
		sync();
#ifdef __KLIBC__
		reboot(RB_AUTOBOOT, NULL); /* klibc's takes the restart command's argument too */
#else
		reboot(RB_AUTOBOOT);
#endif
		log_error("cannot reboot after %s asked for it (exit %d): %m", name, raw);
		return -1;
	case FSCK_FAILED:
		break;
	}
	log_error("%s %s exited with %d (%s): the root is not mounted; its report is above: repair it by hand "
		  "(%s %s) or boot with rd.fsck=0", name, device, raw, why, checker, device);
	return -1;
}
