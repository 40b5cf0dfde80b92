/* resume.c — resume from hibernation (resume=, resume_offset=, noresume).
 *
 * The kernel does the work: writing the swap device's MAJ:MIN to /sys/power/resume makes it look
 * for an image there and restore it, and that write never returns when it does. The init's part is
 * the order: the device may need the stack first (a swap on LVM or in LUKS), so it is waited for as
 * long as the root (a passphrase typed after a shorter resume wait booted fresh and lost the image:
 * systemd#7242, fixed by #12753), and nothing may be mounted before, not even read-only (swsusp.rst):
 * the image holds the state of every filesystem it had mounted. */
#include "resume.h"
#include "blockprobe.h"
#include "fsutil.h"
#include "log.h"
#include "rootdev.h"
#include "storage.h"
#include "storage_conf.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define SYS_RESUME "/sys/power/resume"
#define SYS_RESUME_OFFSET "/sys/power/resume_offset"
#define SYS_DISK "/sys/power/disk"

/* Write TEXT to a sysfs file: 0, or -1 with errno set. */
static int write_sysfs(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t len = strlen(text);
	ssize_t n = write(fd, text, len);
	int err = errno;
	close(fd);
	if (n == (ssize_t)len)
		return 0;
	errno = n < 0 ? err : EIO;
	return -1;
}

/* Can this kernel resume at all? /sys/power/disk reads "[disabled]" with nohibernate or under
 * lockdown, and then a write to /sys/power/resume is accepted and silently does nothing. */
static int hibernation_available(const char **why)
{
	char buf[128];

	if (access(SYS_RESUME, W_OK) < 0) {
		*why = "this kernel has no hibernation support (CONFIG_HIBERNATION)";
		return 0;
	}
	if (read_small_file(SYS_DISK, buf, sizeof buf) >= 0 && strstr(buf, "[disabled]")) {
		*why = "hibernation is disabled in this kernel (nohibernate, or lockdown)";
		return 0;
	}
	return 1;
}

int resume_from_hibernation(const struct cmdline *cl, struct storage *st, struct uevents *ue, const char *kept_out)
{
	char path[PATH_MAX], majmin[64];
	const struct storage_conf *conf = storage_conf_of(st);
	struct fs_id id = {0};
	struct stat sb;
	const char *why;
	int ret = 0;

	if (!conf->resume)
		goto out;
	if (conf->noresume) {
		/* The kernel's own noresume does not hold against a write to /sys/power/resume: ours. */
		log_info("noresume: not resuming from resume=%s; booting fresh", conf->resume);
		goto out;
	}
	const struct device_wait w = {
		.key = "resume",
		.spec = conf->resume,
		.what = "resume device",
		.hint = "booting without resuming; check resume= (the swap device that holds the hibernation image: "
			"for a swap in LUKS or LVM, the unlocked or activated one)",
		.stack = st,
		.optional = 1,
	};
	if (wait_for_device(&w, cl, ue, kept_out, path, sizeof path) < 0)
		goto out; /* said there, as a warning: the boot goes on */
	if (stat(path, &sb) < 0 || !S_ISBLK(sb.st_mode)) {
		log_warn("resume=%s: %s is not a block device: booting without resuming", conf->resume, path);
		goto out;
	}
	/* Without resume_offset the device is the swap area itself, and its signature says whether the
	 * kernel left an image there (S1SUSPEND). With it, the image is in a swap file inside a
	 * filesystem: the kernel reads the header at that offset itself. */
	if (conf->resume_offset < 0) {
		if (fs_probe_path(path, &id, NULL) < 0) {
			log_warn("resume=%s: cannot read %s: %m; booting without resuming", conf->resume, path);
			goto out;
		}
		if (!strcmp(id.type, "swap")) {
			log_info("no hibernation image on %s (resume=%s): booting fresh", path, conf->resume);
			goto out;
		}
		if (strcmp(id.type, "swsuspend")) {
			log_warn("resume=%s: %s holds %s, not a swap area: booting without resuming; name the swap "
				 "device (a swap file also needs resume_offset=)%s",
				 conf->resume, path, *id.type ? id.type : "nothing known",
				 !strcmp(id.type, "crypto_LUKS") ? "; for a swap in LUKS name the unlocked mapping" : "");
			goto out;
		}
	}
	if (!hibernation_available(&why)) {
		if (conf->resume_offset >= 0)
			log_warn("%s: not looking for a hibernation image in the swap file on %s; booting fresh", why,
				 path);
		else
			log_warn("%s: the hibernation image on %s is not resumed; booting fresh", why, path);
		goto out;
	}
	/* Before the device: the kernel reads the offset when the device is written. A kernel without the
	 * file (before 4.17) took resume_offset= from its own command line, which still holds. */
	if (conf->resume_offset >= 0) {
		snprintf(majmin, sizeof majmin, "%lld", conf->resume_offset);
		if (write_sysfs(SYS_RESUME_OFFSET, majmin) < 0)
			log_warn("cannot write resume_offset=%lld to %s: %m; the kernel's own from its command line "
				 "stands", conf->resume_offset, SYS_RESUME_OFFSET);
	}
	snprintf(majmin, sizeof majmin, "%u:%u", major(sb.st_rdev), minor(sb.st_rdev));
	if (conf->resume_offset >= 0)
		log_info("resuming from the swap file at resume_offset=%lld on %s (%s), if it holds a hibernation image",
			 conf->resume_offset, path, majmin);
	else
		log_info("resuming from the hibernation image on %s (%s)", path, majmin);
	/* When the kernel restores the image, this write does not return. */
	if (write_sysfs(SYS_RESUME, majmin) < 0) {
		log_error("cannot write %s to %s: %m; the hibernation image on %s is not resumed", majmin, SYS_RESUME,
			  path);
		ret = -1;
		goto out;
	}
	if (conf->resume_offset >= 0 && strcmp(id.type, "swsuspend")) {
		log_info("the kernel resumed no hibernation image from the swap file at resume_offset=%lld on %s "
			 "(none there, or see the kernel log): booting fresh", conf->resume_offset, path);
		goto out;
	}
	log_error("the kernel did not resume from the hibernation image on %s (%s): its reason is in the kernel "
		  "log (an image made by another kernel?); booting on loses the hibernated session", path, majmin);
	ret = -1;
out:
	return ret;
}
