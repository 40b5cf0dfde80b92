/* rootdev.c — find the root device named by root= and wait for the kernel to create it.
 *
 * The wait is driven by the kernel's uevent netlink socket: we look once, then sleep until the
 * kernel announces a device (or a deadline passes) and look again. No polling loop, so a device that
 * appears is noticed at once and an idle wait costs nothing. */
#include "init.h"
#include "blockdevs.h"
#include "fsutil.h"
#include "linux-api.h"
#include "log.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_TIMEOUT_S 30
#define REPORT_EVERY_MS 5000

long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* 1 when the device is there (PATH filled), 0 when not yet, -1 when it can never be the root. */
static int root_present(const struct rootspec *rs, struct blockdevs *devs, char *path, size_t size)
{
	struct stat st;

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
			log_error("root=%s is not a block device", rs->text);
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
	log_info("root=%s is %s", rs->text, path);
	return 1;
}

void list_block_devices(char *buf, size_t size)
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

const char *uevent_get(const char *msg, size_t len, const char *key)
{
	size_t klen = strlen(key);

	/* "add@/devices/...\0ACTION=add\0...\0MODALIAS=...\0": NUL-separated, not always NUL-ended. */
	for (size_t off = 0; off < len;) {
		const char *s = msg + off;
		size_t n = strnlen(s, len - off);
		if (off + n == len)
			break; /* unterminated last field: not trusted */
		if (!strncmp(s, key, klen))
			return s + klen;
		off += n + 1;
	}
	return NULL;
}

int uevent_socket_open(void)
{
	struct er_sockaddr_nl addr = {.nl_family = AF_NETLINK, .nl_groups = 1 /* kernel events */};
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, ER_NETLINK_KOBJECT_UEVENT);
	if (fd >= 0 && bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
		close(fd);
		fd = -1;
	}
	if (fd < 0)
		log_debug("no uevent socket (%m): looking for the root device every 100 ms");
	return fd;
}

/* How long to wait, in ms, after rootdelay: -1 forever. */
static long long wait_budget_ms(const struct cmdline *cl)
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

int wait_for_root(const struct cmdline *cl, char *path, size_t size)
{
	struct rootspec rs;
	struct blockdevs devs = {0};
	char devices[1024], drain[8192], err[320];
	long long start, budget, next_report;
	int sock, found;

	if (rootspec_parse(cl->root, &rs, err, sizeof err) < 0) {
		log_error("%s", err);
		return -1;
	}
	if (cl->rootdelay_s > 0) {
		log_info("rootdelay=%d: waiting %d s before looking for the root device", cl->rootdelay_s,
			 cl->rootdelay_s);
		sleep((unsigned)cl->rootdelay_s);
	}
	budget = wait_budget_ms(cl);
	/* The one the modules stage opened has the events since its device walk: keep it. */
	if ((sock = modules_take_uevent_socket()) < 0)
		sock = uevent_socket_open();
	start = now_ms();
	next_report = start + REPORT_EVERY_MS;
	while ((found = root_present(&rs, &devs, path, size)) == 0) {
		long long now = now_ms(), timeout = next_report - now;
		if (budget >= 0 && now - start >= budget)
			break;
		if (budget >= 0 && start + budget - now < timeout)
			timeout = start + budget - now;
		if (sock >= 0) {
			struct pollfd pfd = {.fd = sock, .events = POLLIN};
			ssize_t n;
			if (poll(&pfd, 1, (int)(timeout > 0 ? timeout : 0)) > 0) {
				/* Any event may be ours: look again; and a new device may want a module. */
				while ((n = recv(sock, drain, sizeof drain, MSG_DONTWAIT)) > 0 || (n < 0 && errno == ENOBUFS)) {
					if (n > 0) {
						const char *action = uevent_get(drain, (size_t)n, "ACTION=");
						const char *name = uevent_get(drain, (size_t)n, "DEVNAME=");
						modules_uevent(drain, (size_t)n);
						if (action && name && !strcmp(action, "change"))
							blockdevs_changed(&devs, name); /* a medium inserted */
					} else {
						modules_coldplug_again();
						blockdevs_changed(&devs, NULL);
					}
				}
			}
		} else {
			usleep(100 * 1000);
		}
		if (now_ms() >= next_report) {
			list_block_devices(devices, sizeof devices);
			log_info("waiting for root device %s (%lld s so far; block devices: %s)", rs.text,
				 (now_ms() - start) / 1000, devices);
			next_report += REPORT_EVERY_MS;
		}
	}
	if (sock >= 0)
		close(sock);
	if (found == 0) {
		/* What a person needs to fix root=: every device with what is on it. */
		blockdevs_refresh(&devs);
		blockdevs_describe(&devs, devices, sizeof devices);
		const char *kept = modules_blacklisted();
		log_error("root device %s not found after %lld s (block devices: %s): check root= on the "
			  "kernel command line, and that the image has the disk's driver%s%s%s",
			  rs.text, (now_ms() - start + (cl->rootdelay_s > 0 ? cl->rootdelay_s * 1000LL : 0)) / 1000,
			  devices, *kept ? "; module_blacklist= kept " : "", kept, *kept ? " from loading" : "");
	}
	blockdevs_free(&devs);
	if (found == 1)
		log_debug("root device %s is %s", rs.text, path);
	return found == 1 ? 0 : -1;
}
