/* lvm.c — LVM through the lvm program (lvm.h).
 *
 * LVM's metadata (text inside a ring buffer, with its own checksums and sequence numbers) is lvm2's
 * to read; the image carries /sbin/lvm and an lvm.conf made for an initramfs without udev
 * (mkinitramfs --lvm). DM_DISABLE_UDEV=1 as for cryptsetup: lvm then creates /dev/mapper/VG-LV and
 * /dev/VG/LV itself and waits on no udev cookie. */
#include "lvm.h"
#include "child.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>


static char *const tool_env[] = {"DM_DISABLE_UDEV=1", "LVM_SUPPRESS_FD_WARNINGS=1", NULL};

int lvm_activate(const struct storage_conf *c, char *err, size_t errsize)
{
	char *argv[4 + 2 * STORAGE_MAX];
	int n = 0;

	argv[n++] = LVM_TOOL;
	if (c->nlvm_lv) {
		argv[n++] = "lvchange";
		argv[n++] = "-ay";
		argv[n++] = "--sysinit";
		for (int i = 0; i < c->nlvm_lv; i++)
			argv[n++] = (char *)c->lvm_lv[i];
	} else {
		argv[n++] = "vgchange";
		argv[n++] = "-ay";
		argv[n++] = "--sysinit";
		for (int i = 0; i < c->nlvm_vg; i++)
			argv[n++] = (char *)c->lvm_vg[i];
	}
	argv[n] = NULL;
	/* Its whole stderr (several lines for an incomplete group), of which the last is kept; an empty
	 * stdin, so that no question of lvm's waits for an answer. */
	char all[4096];
	int status = run_program(argv, tool_env, "", 0, NULL, 0, all, sizeof all);
	if (status < 0) {
		snprintf(err, errsize, "cannot run %s: %s (make the image with mkinitramfs --lvm)", LVM_TOOL, strerror(errno));
		return -1;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	/* Its last line says why: "Volume group "vg0" not found", "Cannot activate LVs in VG vg0 while
	 * PVs appear on duplicate devices", "... 1 PV missing". */
	snprintf(err, errsize, "%s", last_output_line(all));
	if (!err[0])
		snprintf(err, errsize, "lvm exited with status %d", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return -1;
}
