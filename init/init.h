/* init.h — the stages of the earlyroot init, in the order init.c runs them. */
#ifndef EARLYROOT_INIT_H
#define EARLYROOT_INIT_H
#include "cmdline.h"
#include <stddef.h>

#define NEWROOT "/newroot"
#define IMAGE_CONF "/etc/earlyroot/image.conf"
#define MODULE_LIST "/etc/earlyroot/modules"

int init_main(int argc, char **argv);

/* early_mounts.c: /proc, /sys, /dev (devtmpfs), /run. Returns -1 (logged) when one is missing. */
int mount_early_filesystems(void);

/* modules.c: load the image's modules in the listed order. Failures are logged, not fatal: the
 * root device wait explains what is missing when it matters. */
void load_image_modules(const char *list_path, const char *image_conf);

/* rootdev.c: turn root= into a device node path and wait for it. Returns 0 with PATH filled, or -1
 * with the reason logged. */
int wait_for_root(const struct cmdline *cl, char *path, size_t size);
/* The block devices the kernel knows, "vda vda1 sr0", for messages. */
void list_block_devices(char *buf, size_t size);

/* mount_root.c: mount DEVICE at NEWROOT as the command line says. */
int mount_root(const struct cmdline *cl, const char *device);

/* Monotonic milliseconds since boot, for timeouts and rd.debug timings. */
long long now_ms(void);

#endif
