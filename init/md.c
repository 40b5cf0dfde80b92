/* md.c — MD RAID through mdadm (md.h).
 *
 * mdadm --incremental is what udev's rules run for each member as it appears; it knows every
 * superblock version and policy (homehost, mdadm.conf's ARRAY lines, containers), which the kernel's
 * md ioctls would make us re-implement. With --export it says what it did in NAME=value lines. */
#include "md.h"
#include "child.h"
#include "fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>


/* No udev to make /dev/md/NAME or release a cookie: mdadm then makes the links itself. */
static char *const tool_env[] = {"MDADM_NO_UDEV=1", "MDADM_NO_SYSTEMCTL=1", NULL};

static int run_mdadm(char **argv, char *out, size_t outsize, char *err, size_t errsize)
{
	mkdir("/run/mdadm", 0700); /* its map of the arrays it assembled */
	int status = run_program(argv, tool_env, "", 0, out, outsize, err, errsize);
	if (status < 0) {
		snprintf(err, errsize, "cannot run %s: %s (make the image with mkinitramfs --md)", MD_TOOL, strerror(errno));
		return -1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		if (!last_output_line(err)[0])
			snprintf(err, errsize, "mdadm exited with status %d", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return -1;
	}
	return 0;
}

/* The value of NAME= in mdadm's --export lines, into OUT. */
static void export_value(const char *text, const char *name, char *out, size_t size)
{
	size_t n = strlen(name);

	out[0] = 0;
	for (const char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (!strncmp(line, name, n) && line[n] == '=') {
			size_t len = strcspn(line + n + 1, "\n");
			snprintf(out, size, "%.*s", (int)len, line + n + 1);
			return;
		}
}

int md_add_member(const char *member, int use_conf, struct md_incremental *r, char *err, size_t errsize)
{
	char out[1024], started[16], dev[32];
	char *argv[] = {MD_TOOL, "--incremental", "--export", use_conf ? "--config=/etc/mdadm/mdadm.conf" : "--config=none",
			(char *)member, NULL};

	memset(r, 0, sizeof *r);
	if (run_mdadm(argv, out, sizeof out, err, errsize) < 0)
		return -1;
	export_value(out, "MD_DEVICE", dev, sizeof dev);
	export_value(out, "MD_DEVNAME", r->name, sizeof r->name);
	export_value(out, "MD_STARTED", started, sizeof started);
	const char *base = strrchr(dev, '/');
	snprintf(r->array, sizeof r->array, "%s", base ? base + 1 : dev);
	/* "unsafe": enough members to run degraded, not started; that is the degraded timeout's call. */
	r->started = !strcmp(started, "yes");
	if (!r->array[0]) {
		snprintf(err, errsize, "mdadm did not say which array %s belongs to", member);
		return -1;
	}
	return 0;
}

int md_run_degraded(const char *array, char *err, size_t errsize)
{
	char dev[64];
	char *argv[] = {MD_TOOL, "--run", dev, NULL};

	snprintf(dev, sizeof dev, "/dev/%s", array);
	return run_mdadm(argv, NULL, 0, err, errsize);
}

static int sysfs_md(const char *array, const char *file, char *buf, size_t size)
{
	char path[128];

	snprintf(path, sizeof path, "/sys/block/%s/md/%s", array, file);
	if (read_small_file(path, buf, size) < 0)
		return -1;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

int md_state(const char *array, char *state, size_t size, int *members, int *raid_disks)
{
	char buf[32], path[128];

	if (sysfs_md(array, "array_state", state, size) < 0)
		return -1;
	*raid_disks = sysfs_md(array, "raid_disks", buf, sizeof buf) == 0 ? atoi(buf) : 0;
	*members = 0;
	snprintf(path, sizeof path, "/sys/block/%s/slaves", array);
	DIR *d = opendir(path);
	for (struct dirent *e; d && (e = readdir(d));)
		*members += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return 0;
}
