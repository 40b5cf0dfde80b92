/* image_conf.c — /etc/earlyroot/image.conf: what mkinitramfs recorded about the image. */
#include "image_conf.h"
#include "fsutil.h"

#include <stdio.h>
#include <string.h>

void image_conf_read(const char *path, struct image_conf *conf)
{
	char buf[4096];

	memset(conf, 0, sizeof *conf);
	if (read_small_file(path, buf, sizeof buf) < 0)
		return;
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		if (!strncmp(line, "kernel=", 7))
			snprintf(conf->kernel, sizeof conf->kernel, "%s", line + 7);
		else if (!strcmp(line, "lockdown=1"))
			conf->lockdown = 1;
		else if (!strncmp(line, "cmdline=", 8))
			snprintf(conf->cmdline, sizeof conf->cmdline, "%s", line + 8);
		/* other keys belong to newer images: ignored, so an old init still boots them */
	}
}
