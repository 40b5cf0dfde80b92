/* plan.h — what goes into an image, decided and checked before anything is written: /init and
 * image.conf, the modules resolved and their firmware, the early microcode archive, the files and
 * hooks of --add, --from-list and --shell. main.c only writes a plan; new content is a step here. */
#ifndef MKINITRAMFS_PLAN_H
#define MKINITRAMFS_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "image.h"
#include "modules.h"
#include "options.h"

struct image_plan {
	uint32_t mtime;      /* of every entry: SOURCE_DATE_EPOCH, or 0 */
	struct modlist mods; /* the modules in img, with their load order */
	size_t nfirmware;    /* firmware files in img */
	struct image img;    /* the archive, finished (image_finish()) */
	struct image early;  /* --microcode: the uncompressed archive that goes first, finished; else empty */
};

/* The plan for o's image of kernel release kver. -1 after one error line (plan_free() it anyway). */
int plan_image(const struct options *o, const char *kver, struct image_plan *p);
void plan_free(struct image_plan *p);

#endif
