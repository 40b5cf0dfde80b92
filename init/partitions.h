/* partitions.h — PARTUUID and PARTLABEL of one partition, read from the whole disk's GPT or MBR
 * partition table, numbered the way Linux numbers the partitions it creates. */
#ifndef EARLYROOT_PARTITIONS_H
#define EARLYROOT_PARTITIONS_H
#include "blockprobe.h"

struct part_id {
	char uuid[40];   /* PARTUUID as blkid prints it: GPT unique partition GUID lowercase; MBR "%08x-%02x" (disk signature, partition number) */
	char label[256]; /* PARTLABEL: GPT partition name, UTF-16LE converted to UTF-8; "" for MBR */
};

/* The entry for partition number PARTNO (1-based, as in /sys/class/block/X/partition) in the partition
 * table of the whole disk read by RD (SIZE bytes, logical SECTOR size, usually 512). 1 found, 0 not, -1 error. */
int part_probe(probe_read_fn rd, void *ctx, uint64_t size, unsigned sector, unsigned partno, struct part_id *id);

#endif
