/* floor-init — the least an initramfs /init can do to boot a virtio+ext4 root: the bench's floor.
 * Mount devtmpfs, finit_module the image's modules in /etc/earlyroot/modules order, wait for /dev/vda,
 * mount it read-only, switch (MS_MOVE + chroot + exec; the initramfs is not deleted). No checks. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
int main(void)
{
	char line[1024], *params;
	struct stat st;
	FILE *f;
	mkdir("/dev", 0755), mkdir("/root", 0755);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	if ((f = fopen("/etc/earlyroot/modules", "r")))
		while (fgets(line, sizeof line, f)) {
			line[strcspn(line, "\n")] = 0;
			params = strchr(line, ' ');
			if (params)
				*params++ = 0;
			int fd = *line == '/' ? open(line, O_RDONLY | O_CLOEXEC) : -1;
			if (fd >= 0)
				syscall(SYS_finit_module, fd, params ? params : "", 0), close(fd);
		}
	while (stat("/dev/vda", &st))
		nanosleep(&(struct timespec){0, 1000000}, NULL);
	if (mount("/dev/vda", "/root", "ext4", MS_RDONLY, NULL))
		return 1;
	mount("/dev", "/root/dev", NULL, MS_MOVE, NULL);
	chdir("/root");
	mount(".", "/", NULL, MS_MOVE, NULL);
	chroot(".");
	chdir("/");
	execl("/sbin/init", "/sbin/init", (char *)NULL);
	return 1;
}
