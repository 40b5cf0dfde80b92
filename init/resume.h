/* resume.h — resume from hibernation: resume= names the swap device that holds the image. */
#ifndef EARLYROOT_RESUME_H
#define EARLYROOT_RESUME_H
#include "cmdline.h"
#include "storage.h"
#include "uevent.h"

/* Before anything mounts a filesystem: when ST's command line has resume= (and not noresume), wait
 * for its device as long as for the root, through ST (it may have to unlock or activate it first), and if it holds a
 * hibernation image write resume_offset= and MAJ:MIN to /sys/power/resume; the kernel then restores
 * the image and this call never returns. Returns 0 when there is nothing to resume (no resume=, a
 * swap without an image: said in one line at info level; a device that never came: one warning line
 * naming it, and the boot goes on), -1 only when the kernel refused an image it found (logged). */
int resume_from_hibernation(const struct cmdline *cl, struct storage *st, struct uevents *ue, const char *kept_out);

#endif
