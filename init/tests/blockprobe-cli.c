/* blockprobe-cli — the block probes on an image file, for the tests:
 *   blockprobe-cli [--size N] IMAGE              TYPE=, UUID=, LABEL=, RAID_LEVEL= lines (the
 *                                                non-empty ones)
 *   blockprobe-cli --part N [--sector S] IMAGE   PARTUUID=, PARTLABEL= lines
 *   blockprobe-cli --part all [--sector S] IMAGE one line per partition 1-16 found:
 *                                                PART=N[ PARTUUID=...][ PARTLABEL=...]
 * Exit status: 0 found, 1 nothing found, 2 error. --size probes the image as if it ended there. */
#include "blockprobe.h"
#include "partitions.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned partno = 0, sector = 512;
	int all = 0;
	long long size = -1;
	int i;

	for (i = 1; i + 1 < argc && !strncmp(argv[i], "--", 2); i += 2) {
		if (!strcmp(argv[i], "--part") && !strcmp(argv[i + 1], "all"))
			all = 1;
		else if (!strcmp(argv[i], "--part"))
			partno = (unsigned)strtoul(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--sector"))
			sector = (unsigned)strtoul(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--size"))
			size = strtoll(argv[i + 1], NULL, 10);
		else
			break;
	}
	if (i + 1 != argc) {
		fprintf(stderr, "usage: blockprobe-cli [--size N] [--part N [--sector S]] IMAGE\n");
		return 2;
	}
	int fd = open(argv[i], O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		perror(argv[i]);
		return 2;
	}
	uint64_t sz = size >= 0 ? (uint64_t)size : (uint64_t)st.st_size;
	int r;
	if (all) {
		struct part_id p;
		int found = 0;
		r = 0;
		for (unsigned n = 1; n <= 16 && r >= 0; n++) {
			r = part_probe(probe_read_fd, &fd, sz, sector, n, &p);
			if (r == 1) {
				printf("PART=%u%s%s%s%s\n", n, *p.uuid ? " PARTUUID=" : "", p.uuid,
				       *p.label ? " PARTLABEL=" : "", p.label);
				found = 1;
			}
		}
		if (r >= 0)
			r = found;
	} else if (partno) {
		struct part_id p;
		r = part_probe(probe_read_fd, &fd, sz, sector, partno, &p);
		if (r == 1 && *p.uuid)
			printf("PARTUUID=%s\n", p.uuid);
		if (r == 1 && *p.label)
			printf("PARTLABEL=%s\n", p.label);
	} else {
		struct fs_id id;
		r = fs_probe(probe_read_fd, &fd, sz, &id);
		if (r == 1)
			printf("TYPE=%s\n", id.type);
		if (r == 1 && *id.uuid)
			printf("UUID=%s\n", id.uuid);
		if (r == 1 && *id.label)
			printf("LABEL=%s\n", id.label);
		if (r == 1 && *id.raid_level)
			printf("RAID_LEVEL=%s\n", id.raid_level);
	}
	close(fd);
	return r == 1 ? 0 : r == 0 ? 1 : 2;
}
