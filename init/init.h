/* init.h — the stages of the earlyroot init, in the order init.c runs them. */
#ifndef EARLYROOT_INIT_H
#define EARLYROOT_INIT_H
#include "cmdline.h"
#include <stddef.h>

#define NEWROOT "/newroot"
#define IMAGE_CONF "/etc/earlyroot/image.conf"
#define MODULE_LIST "/etc/earlyroot/modules"
#define MODULE_TABLE "/etc/earlyroot/modtable"

#define HOOKS_DIR "/lib/earlyroot/hooks"
#define RESCUE_SHELL "/bin/sh"

int init_main(int argc, char **argv);

/* image_conf.c */
struct image_conf {
	char kernel[128]; /* kernel= : the release the modules are for, "" if not recorded */
	int lockdown;     /* lockdown=1 : never a shell */
	char cmdline[1024]; /* cmdline= : default parameters (mkinitramfs --hostonly: root=UUID=...) */
};
void image_conf_read(const char *path, struct image_conf *conf);

/* early_mounts.c: /proc, /sys, /dev (devtmpfs), /run. Returns -1 (logged) when one is missing. */
int mount_early_filesystems(void);

/* modules.c: load the image's modules in the listed order. Failures are logged, not fatal: the
 * root device wait explains what is missing when it matters. */
void load_image_modules(const char *list_path, const struct image_conf *conf, const struct cmdline *cl);
/* Autoload, for the device wait: one uevent (load what its MODALIAS asks for, on "add"); the walk
 * again when uevents were lost (ENOBUFS); the socket opened before the walk (the caller owns it
 * afterwards), or -1; the modules module_blacklist= kept out ("a,b", "" for none). */
void modules_uevent(const char *msg, size_t len);
void modules_coldplug_again(void);
int modules_take_uevent_socket(void);
const char *modules_blacklisted(void);
/* Before the root is mounted: the filesystem modules of the table for FSTYPE (the root's probed
 * type, "" if none) and the comma-separated TYPES (rootfstype=, or NULL): "fs-ext4", as the kernel
 * would request them. */
void modules_for_filesystem(const char *fstype, const char *types);

/* rootdev.c: turn root= into a device node path and wait for it. Returns 0 with PATH filled, or -1
 * with the reason logged. */
int wait_for_root(const struct cmdline *cl, char *path, size_t size);
/* The kernel's uevent netlink socket, non-blocking; -1 (logged under rd.debug) when there is none. */
int uevent_socket_open(void);
/* The value of KEY ("ACTION=") in a uevent message of LEN bytes, or NULL. */
const char *uevent_get(const char *msg, size_t len, const char *key);
/* The block devices the kernel knows, "vda vda1 sr0", for messages. */
void list_block_devices(char *buf, size_t size);

/* mount_root.c: mount DEVICE at NEWROOT as the command line says. */
int mount_root(const struct cmdline *cl, const char *device);

/* rescue.c: the rescue shell, the panic= policy, and the processes left before the hand-over. */
/* Run the rescue shell if this boot may have one; WHY says why. Returns 1 when the user left it with
 * status 0 (go on), 0 when there is no shell or the user gave up. */
int rescue_shell(const struct cmdline *cl, const struct image_conf *conf, const char *stage, const char *why);
_Noreturn void give_up(const struct cmdline *cl, const char *stage);
void stop_initramfs_processes(void);

/* hooks.c: run the executables in HOOKS_DIR/STAGE in name order. -1 (logged) if one fails. */
int run_hooks(const char *stage);

/* Monotonic milliseconds since boot, for timeouts and rd.debug timings. */
long long now_ms(void);

#endif
