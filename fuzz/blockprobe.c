/* fuzz-blockprobe — libFuzzer target for fs_probe() and part_probe(). The first input byte picks the
 * probe and the device's shape:
 *   bit 7 set: part_probe of partition number (byte & 15) + 1, with a 512- or 4096-byte sector by
 *              bit 6; the rest is the device;
 *   bit 7 and bit 6 clear: fs_probe, the rest is the device;
 *   bit 7 clear, bit 6 set: fs_probe on a sparse device, so that the superblocks found from the end
 *              (md 0.90 and 1.0) and the far ones (LUKS2's secondary headers up to 4 MiB, 64 KiB swap
 *              pages) are reached by small inputs: a little-endian 32-bit size, then chunks of a
 *              32-bit offset, a 16-bit length and that many bytes; zeros elsewhere, later chunks over
 *              earlier ones.
 * Any read outside the device traps, and every answer must be a NUL-terminated string inside its field. */
#include "blockprobe.h"
#include "partitions.h"

#include <string.h>

struct dev {
	const uint8_t *p;
	size_t n;
	int sparse;
	uint64_t size; /* sparse: the device's size; P, N the chunk list */
};

static ssize_t dev_read(void *ctx, void *buf, size_t len, uint64_t off)
{
	struct dev *d = ctx;
	if (!d->sparse) {
		if (off > d->n || len > d->n - off)
			__builtin_trap();
		memcpy(buf, d->p + off, len);
		return (ssize_t)len;
	}
	if (off > d->size || len > d->size - off)
		__builtin_trap();
	memset(buf, 0, len);
	for (size_t i = 0; i + 6 <= d->n;) {
		uint64_t at = probe_le32(d->p + i);
		size_t clen = probe_le16(d->p + i + 4);
		i += 6;
		if (clen > d->n - i)
			clen = d->n - i;
		/* the part of [at, at + clen) inside [off, off + len) */
		uint64_t lo = at > off ? at : off, hi = at + clen < off + len ? at + clen : off + len;
		if (lo < hi)
			memcpy((uint8_t *)buf + (lo - off), d->p + i + (lo - at), (size_t)(hi - lo));
		i += clen;
	}
	return (ssize_t)len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	struct dev d = { data + 1, size - 1, 0, size - 1 };
	if (data[0] & 0x80) {
		struct part_id id;
		int r = part_probe(dev_read, &d, d.n, data[0] & 0x40 ? 4096 : 512, (data[0] & 15) + 1, &id);
		if (r == 1 && (strnlen(id.uuid, sizeof id.uuid) > 36 || strnlen(id.label, sizeof id.label) == sizeof id.label))
			__builtin_trap();
	} else {
		if (data[0] & 0x40) {
			if (size < 5)
				return 0;
			d.sparse = 1;
			d.size = probe_le32(data + 1);
			d.p = data + 5;
			d.n = size - 5;
		}
		struct fs_id id;
		int r = fs_probe(dev_read, &d, d.sparse ? d.size : d.n, &id);
		/* a LUKS UUID is text on disk, as long as the field allows */
		if (r == 1 && (!*id.type || strnlen(id.type, sizeof id.type) == sizeof id.type ||
			       strnlen(id.uuid, sizeof id.uuid) == sizeof id.uuid || strnlen(id.label, sizeof id.label) == sizeof id.label ||
			       strnlen(id.raid_level, sizeof id.raid_level) == sizeof id.raid_level ||
			       (*id.raid_level && strcmp(id.type, "linux_raid_member"))))
			__builtin_trap();
		if (r != 1 && (*id.type || *id.uuid || *id.label || *id.raid_level))
			__builtin_trap();
	}
	return 0;
}
