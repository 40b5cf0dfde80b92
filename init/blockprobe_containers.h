/* blockprobe_containers.h — the container and swap probes fs_probe() tries before the filesystems
 * (blockprobe.c): each fills ID and returns 1 when its signature is there, 0 when not, -1 on a read
 * error, as fs_probe(). */
#ifndef EARLYROOT_BLOCKPROBE_CONTAINERS_H
#define EARLYROOT_BLOCKPROBE_CONTAINERS_H
#include "blockprobe_util.h"

int probe_md(probe_read_fn rd, void *ctx, uint64_t size, struct fs_id *id);    /* linux_raid_member */
int probe_lvm2(probe_read_fn rd, void *ctx, uint64_t size, struct fs_id *id);  /* LVM2_member */
int probe_luks(probe_read_fn rd, void *ctx, uint64_t size, struct fs_id *id);  /* crypto_LUKS */
int probe_swsuspend(probe_read_fn rd, void *ctx, uint64_t size, struct fs_id *id); /* a hibernation image */
int probe_swap(probe_read_fn rd, void *ctx, uint64_t size, struct fs_id *id);

#endif
