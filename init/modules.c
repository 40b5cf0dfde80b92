/* modules.c — load the modules mkinitramfs put in the image, in its order (see docs/image-format.md).
 *
 * finit_module(2) straight from the file: no libkmod in the static init, because the order and the
 * parameters were already worked out with libkmod on the host, where it belongs. */
#include "init.h"
#include "fsutil.h"
#include "linux-api.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#define MODULE_LIST_MAX (256 * 1024)

/* Warn when the image was built for another kernel: every module would fail with a cryptic error. */
static void check_kernel_release(const struct image_conf *conf)
{
	struct utsname u;

	if (conf->kernel[0] && uname(&u) == 0 && strcmp(conf->kernel, u.release))
		log_warn("this image's modules are for kernel %s, but the running kernel is %s: "
			 "rebuild the image with mkinitramfs -k %s", conf->kernel, u.release, u.release);
}

/* The module's parameters: those recorded in the image (modprobe.d), then MODULE.PARAM=VALUE from the
 * command line, which the kernel leaves to whoever loads the module. */
static void module_params(const char *path, const char *image_params, const struct cmdline *cl, char *out,
			  size_t size)
{
	char name[256];
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	snprintf(name, sizeof name, "%.*s", (int)strcspn(base, "."), base);
	snprintf(out, size, "%s", image_params ? image_params : "");
	cmdline_module_params(cl, name, out, size);
}

static int load_one(const char *path, const char *params)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		log_warn("module %s is listed but missing from the image: %m", path);
		return -1;
	}
	int ret = er_finit_module(fd, params, 0);
	int err = errno;
	close(fd);
	if (ret < 0 && err != EEXIST) {
		errno = err;
		log_warn("cannot load module %s: %m", path);
		return -1;
	}
	log_debug("loaded %s%s%s", path, *params ? " " : "", params);
	return 0;
}

void load_image_modules(const char *list_path, const struct image_conf *conf, const struct cmdline *cl)
{
	char params[4096];
	char *list = malloc(MODULE_LIST_MAX);
	unsigned loaded = 0, failed = 0;
	long long start = now_ms();

	if (!list)
		return;
	if (read_small_file(list_path, list, MODULE_LIST_MAX) < 0) {
		log_debug("no module list %s: loading no modules", list_path);
		free(list);
		return;
	}
	check_kernel_release(conf);
	for (char *line = list, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		if (!*line || *line == '#')
			continue;
		char *image_params = strchr(line, ' ');
		if (image_params)
			*image_params++ = 0;
		module_params(line, image_params, cl, params, sizeof params);
		if (load_one(line, params) == 0)
			loaded++;
		else
			failed++;
	}
	free(list);
	if (loaded || failed)
		log_info("loaded %u modules in %lld ms%s", loaded, now_ms() - start,
			 failed ? " (some failed: see above)" : "");
}
