/* test-live-layout.c — where the init looks for the image on a live medium (runs under ASan/UBSan). */
#include "../live_layout.h"
#include "tap.h"

#include <string.h>

int main(void)
{
	char dracut[2][LIVE_PATH_MAX], debian[LIVE_MAX_LAYERS][LIVE_PATH_MAX], dir[LIVE_PATH_MAX], looked[700];
	struct live_layout def = {0}, custom = {"/images/", "root.erofs", "/casper/"}, rootfs = {NULL, "rootfs.img", NULL};

	CHECK(live_layout_dracut(&def, dracut) == 2 && !strcmp(dracut[0], "LiveOS/squashfs.img") &&
		      !strcmp(dracut[1], "LiveOS/rootfs.img"),
	      "dracut's defaults: LiveOS/squashfs.img, then LiveOS/rootfs.img (got %s, %s)", dracut[0], dracut[1]);
	CHECK(live_layout_dracut(&custom, dracut) == 2 && !strcmp(dracut[0], "images/root.erofs") &&
		      !strcmp(dracut[1], "images/rootfs.img"),
	      "rd.live.dir=/images/ rd.live.squashimg=root.erofs: slashes do not double (got %s)", dracut[0]);
	CHECK(live_layout_dracut(&rootfs, dracut) == 1 && !strcmp(dracut[0], "LiveOS/rootfs.img"),
	      "rd.live.squashimg=rootfs.img is looked for once");
	live_layout_media_dir(&def, dir, sizeof dir);
	CHECK(!strcmp(dir, "live"), "live-boot's directory: live (got %s)", dir);
	live_layout_media_dir(&custom, dir, sizeof dir);
	CHECK(!strcmp(dir, "casper"), "live-media-path=/casper/ is casper (got %s)", dir);

	const char *names[] = {"vmlinuz", "filesystem.squashfs", "10-extra.squashfs", ".hidden.squashfs", "initrd.img",
			       "b.erofs", "squashfs", "x.squashfs.sig"};
	int n = live_layout_debian(&def, names, sizeof names / sizeof names[0], debian);
	CHECK(n == 3 && !strcmp(debian[0], "live/10-extra.squashfs") && !strcmp(debian[1], "live/b.erofs") &&
		      !strcmp(debian[2], "live/filesystem.squashfs"),
	      "live-boot: the *.squashfs and *.erofs files in name order, nothing else (got %d)", n);
	const char *many[LIVE_MAX_LAYERS + 1] = {"a.squashfs", "b.squashfs", "c.squashfs", "d.squashfs", "e.squashfs",
						 "f.squashfs", "g.squashfs", "h.squashfs", "i.squashfs"};
	CHECK(live_layout_debian(&def, many, LIVE_MAX_LAYERS + 1, debian) == -1,
	      "more than %d layers is refused, not cut", LIVE_MAX_LAYERS);
	CHECK(live_layout_debian(&def, many, 0, debian) == 0, "an empty directory holds no image");

	live_layout_describe(&def, looked, sizeof looked);
	CHECK(!strcmp(looked, "/LiveOS/squashfs.img, /LiveOS/rootfs.img and /live/*.squashfs (or *.erofs)"),
	      "the message says what was looked for (got %s)", looked);
	return tap_finish();
}
