/* image_conf.h — /etc/earlyroot/image.conf: what mkinitramfs recorded about the image. */
#ifndef EARLYROOT_IMAGE_CONF_H
#define EARLYROOT_IMAGE_CONF_H

#define IMAGE_CONF "/etc/earlyroot/image.conf"

struct image_conf {
	char kernel[128];   /* kernel= : the release the modules are for, "" if not recorded */
	int lockdown;       /* lockdown=1 : never a shell */
	char cmdline[1024]; /* cmdline= : default parameters (mkinitramfs --hostonly: root=UUID=...) */
};

/* Missing or unreadable: every field empty. */
void image_conf_read(const char *path, struct image_conf *conf);

#endif
