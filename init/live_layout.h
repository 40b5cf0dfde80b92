/* live_layout.h — where the root image lies on a live medium, in the layouts other tools write:
 * dracut's (LiveOS/squashfs.img, or LiveOS/rootfs.img uncompressed) and Debian live-boot's
 * (the .squashfs files in live/, stacked in name order). No system calls: the caller lists the directories, so
 * the choice can be tested and fuzzed alone (a medium's names are untrusted input). */
#ifndef EARLYROOT_LIVE_LAYOUT_H
#define EARLYROOT_LIVE_LAYOUT_H
#include <stddef.h>

#define LIVE_MAX_LAYERS 8
#define LIVE_PATH_MAX 512

struct live_layout {
	const char *dir;        /* rd.live.dir=, NULL: LiveOS */
	const char *squashimg;  /* rd.live.squashimg=, NULL: squashfs.img */
	const char *media_path; /* live-media-path=, NULL: live */
};

/* dracut's candidates, in the order they are tried: "LiveOS/squashfs.img", "LiveOS/rootfs.img"
 * (relative to the medium's top). Returns how many were written to OUT. */
size_t live_layout_dracut(const struct live_layout *l, char out[2][LIVE_PATH_MAX]);

/* live-boot's directory, "live", relative to the medium's top. */
void live_layout_media_dir(const struct live_layout *l, char *out, size_t size);

/* Of the N names listed in live-boot's directory, the images to stack: *.squashfs and *.erofs, in
 * name order (the lowest layer first, as live-boot reads them), at most LIVE_MAX_LAYERS. OUT gets
 * their paths relative to the medium's top. Returns how many, or -1 when there are more than
 * LIVE_MAX_LAYERS (the caller says so: a medium like that is not one we can boot whole). */
int live_layout_debian(const struct live_layout *l, const char *const *names, size_t n,
		       char out[LIVE_MAX_LAYERS][LIVE_PATH_MAX]);

/* What was looked for, in words, for the message that none was found. */
void live_layout_describe(const struct live_layout *l, char *out, size_t size);

#endif
