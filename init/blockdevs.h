/* blockdevs.h — the block devices the kernel has, with what the probes say about them. */
#ifndef EARLYROOT_BLOCKDEVS_H
#define EARLYROOT_BLOCKDEVS_H
#include "blockprobe.h"
#include "partitions.h"
#include "rootspec.h"

struct blockdev {
	char name[32];   /* "vda1": /dev/NAME, /sys/class/block/NAME */
	unsigned maj, min;
	unsigned partno; /* 0 for a whole disk */
	char disk[32];   /* a partition's whole disk */
	int fs_state;    /* 0 not probed, 1 probed, -1 could not be read (tried again later) */
	int no_medium;   /* 1: nothing to read (an empty CD drive): not opened until a change event */
	int offered;     /* blockdevs_offer() gave it to its caller (again after a change event) */
	struct fs_id fs;
	int part_state;
	struct part_id part;
};

struct blockdevs {
	struct blockdev *v;
	size_t n, cap;
};

/* Add the devices that appeared since the last call. Each is probed at most once, when needed. */
void blockdevs_refresh(struct blockdevs *b);
/* The kernel's change event for NAME (NULL: for every device, when events were lost): probe it again
 * when next needed; a medium may have arrived. */
void blockdevs_changed(struct blockdevs *b, const char *name);
/* Probe D now if it has not been (the probes are lazy): 1 its fs is known (maybe none), 0 it cannot be
 * read yet (no medium, an array not started: a change event will say when). */
int blockdevs_probe(struct blockdev *d);
/* The device RS names, or NULL. */
const struct blockdev *blockdevs_find(struct blockdevs *b, const struct rootspec *rs);
/* Give TAKE(CTX, D) each device with a filesystem it has not been given yet; the first it takes
 * (returns 1) is returned. For a medium known by what it holds, not by a name. */
const struct blockdev *blockdevs_offer(struct blockdevs *b, int (*take)(void *ctx, const struct blockdev *d),
				       void *ctx);
/* "vda (ext4 UUID=... LABEL=...), vdb (no filesystem)" for messages; probes what it must. */
void blockdevs_describe(struct blockdevs *b, char *buf, size_t size);
void blockdevs_free(struct blockdevs *b);

#endif
