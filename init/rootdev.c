/* rootdev.c — find the root device named by root= and wait for the kernel to create it.
 *
 * The wait is driven by the boot's uevent loop (uevent.c): we look once, then sleep until the kernel
 * announces a device (or a deadline passes) and look again. No polling loop, so a device that
 * appears is noticed at once and an idle wait costs nothing. */
#include "rootdev.h"
#include "blockdevs.h"
#include "clock.h"
#include "fsutil.h"
#include "log.h"
#include "storage.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define DEFAULT_TIMEOUT_S 30
#define REPORT_EVERY_MS 5000

/* 1 when the device is there (PATH filled), 0 when not yet, -1 when it can never be the root. */
static int device_present(const struct device_wait *w, const struct rootspec *rs, struct blockdevs *devs,
			  char *path, size_t size)
{
	struct stat st;

	if (!w->spec) {
		blockdevs_refresh(devs);
		const struct blockdev *d = blockdevs_offer(devs, w->take, w->ctx);
		if (d)
			snprintf(path, size, "/dev/%s", d->name);
		return d != NULL;
	}
	if (rs->kind == ROOT_DEVNUM) {
		char uevent[PATH_MAX], buf[1024], *name;
		snprintf(uevent, sizeof uevent, "/sys/dev/block/%u:%u/uevent", rs->maj, rs->min);
		if (read_small_file(uevent, buf, sizeof buf) < 0)
			return 0;
		if (!(name = strstr(buf, "DEVNAME=")))
			return 0;
		name += 8;
		name[strcspn(name, "\n")] = 0;
		snprintf(path, size, "/dev/%s", name);
		if (stat(path, &st) == 0 && S_ISBLK(st.st_mode) && st.st_rdev == makedev(rs->maj, rs->min))
			return 1;
		/* devtmpfs should have made the node; make our own if it did not. */
		snprintf(path, size, "/run/earlyroot-root");
		unlink(path);
		return mknod(path, S_IFBLK | 0600, makedev(rs->maj, rs->min)) == 0 ? 1 : 0;
	}
	if (rs->kind == ROOT_PATH) {
		if (stat(rs->value, &st) < 0)
			return 0;
		if (!S_ISBLK(st.st_mode)) {
			log_error("%s=%s is not a block device", w->key, rs->text);
			return -1;
		}
		snprintf(path, size, "%s", rs->value);
		return 1;
	}
	blockdevs_refresh(devs);
	const struct blockdev *d = blockdevs_find(devs, rs);
	if (!d)
		return 0;
	snprintf(path, size, "/dev/%s", d->name);
	log_info("%s=%s is %s", w->key, rs->text, path);
	return 1;
}

/* The block devices the kernel knows, "vda vda1 sr0", for messages. */
static void list_block_devices(char *buf, size_t size)
{
	DIR *d = opendir("/sys/class/block");
	struct dirent *e;
	size_t len = 0;

	buf[0] = 0;
	if (!d) {
		snprintf(buf, size, "unknown: /sys is not mounted");
		return;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		size_t n = strlen(e->d_name);
		if (len + n + 5 >= size) {
			snprintf(buf + len, size - len, " ...");
			break;
		}
		len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? " " : "", e->d_name);
	}
	closedir(d);
	if (!len)
		snprintf(buf, size, "none");
}

/* How long to wait, in ms, after rootdelay: -1 forever. */
long long root_wait_budget_ms(const struct cmdline *cl)
{
	if (cl->rootwait == ROOTWAIT_FOREVER)
		return -1;
	if (cl->rootwait == ROOTWAIT_SECONDS)
		return cl->rootwait_s * 1000LL;
	if (cl->timeout_s >= 0)
		return cl->timeout_s * 1000LL;
	if (cl->rootdelay_s >= 0)
		return 0; /* the kernel's meaning: after the delay, the device must be there */
	return DEFAULT_TIMEOUT_S * 1000LL;
}

/* The root wait's listener: a change event may mean a medium arrived in a drive (lost events: in any
 * drive). Any event at all makes the wait look again. */
static void on_uevent(void *ctx, const struct uevent *ev)
{
	struct blockdevs *devs = ctx;

	if (!ev)
		blockdevs_changed(devs, NULL);
	else if (ev->action && ev->devname && !strcmp(ev->action, "change"))
		blockdevs_changed(devs, ev->devname);
}

int wait_for_device(const struct device_wait *w, const struct cmdline *cl, struct uevents *ue, const char *kept_out,
		    char *path, size_t size)
{
	struct rootspec rs = {0};
	struct blockdevs devs = {0};
	char devices[1024], err[320];
	long long start, budget, next_report;
	int found;

	if (w->spec && rootspec_parse_key(w->key, w->spec, &rs, err, sizeof err) < 0) {
		log_error("%s", err);
		return -1;
	}
	budget = root_wait_budget_ms(cl);
	uevents_listen(ue, on_uevent, &devs);
	start = now_ms();
	next_report = start + REPORT_EVERY_MS;
	for (;;) {
		long long deadline = next_report, paused = 0;
		/* The device itself first: a root that is there needs no layer opened (and no passphrase
		 * asked for an unrelated encrypted disk). */
		if ((found = device_present(w, &rs, &devs, path, size)) != 0)
			break;
		if (w->stack) {
			blockdevs_refresh(&devs);
			if (storage_step(w->stack, &devs, &deadline, &paused) < 0) {
				found = -1;
				break;
			}
			start += paused; /* a person typing a passphrase is not the device being late */
			next_report += paused;
			if ((found = device_present(w, &rs, &devs, path, size)) != 0)
				break;
		}
		long long now = now_ms(), timeout = deadline - now;
		if (budget >= 0 && now - start >= budget)
			break;
		if (budget >= 0 && start + budget - now < timeout)
			timeout = start + budget - now;
		uevents_wait(ue, timeout < 0 ? 0 : timeout);
		if (now_ms() >= next_report) {
			list_block_devices(devices, sizeof devices);
			log_info("waiting for %s %s (%lld s so far; block devices: %s)", w->what,
				 w->spec ? rs.text : w->looking_for, (now_ms() - start) / 1000, devices);
			next_report += REPORT_EVERY_MS;
		}
	}
	uevents_unlisten(ue, on_uevent, &devs);
	if (found == 0) {
		/* What a person needs to fix it: every device with what is on it, cut short enough that
		 * the hint after it still fits in one kernel log record (1 KiB). */
		char stack[400] = "";
		blockdevs_refresh(&devs);
		if (w->stack)
			storage_describe(w->stack, stack, sizeof stack);
		blockdevs_describe(&devs, devices, stack[0] ? 300 : 560);
		log_msg(w->optional ? LOG_LEVEL_WARN : LOG_LEVEL_ERR,
			"%s %s not found after %lld s (block devices: %s%s%s): %s%s%s%s", w->what,
			w->spec ? rs.text : w->looking_for,
			(now_ms() - start + (cl->rootdelay_s > 0 ? cl->rootdelay_s * 1000LL : 0)) / 1000, devices,
			stack[0] ? "; still waiting: " : "", stack, w->hint, *kept_out ? "; module_blacklist= kept " : "",
			kept_out, *kept_out ? " from loading" : "");
	}
	blockdevs_free(&devs);
	if (found == 1)
		log_debug("%s %s is %s", w->what, w->spec ? rs.text : w->looking_for, path);
	return found == 1 ? 0 : -1;
}

int wait_for_root(const struct cmdline *cl, struct uevents *ue, struct storage *stack, const char *kept_out,
		  char *path, size_t size)
{
	const struct device_wait w = {
		.key = "root",
		.spec = cl->root ? cl->root : "",
		.what = "root device",
		.hint = "check root= on the kernel command line, and that the image has the disk's driver",
		.stack = stack,
	};
	if (cl->rootdelay_s > 0) {
		log_info("rootdelay=%d: waiting %d s before looking for the root device", cl->rootdelay_s,
			 cl->rootdelay_s);
		sleep((unsigned)cl->rootdelay_s);
	}
	return wait_for_device(&w, cl, ue, kept_out, path, size);
}
