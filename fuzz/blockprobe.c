/* fuzz-blockprobe — libFuzzer target for fs_probe() and part_probe(). The first input byte picks the
 * probe (bit 7 set: part_probe of partition number (byte & 15) + 1, with a 512- or 4096-byte sector by
 * bit 6), the rest is the device. Any read outside the device traps, and every answer must be a
 * NUL-terminated string inside its field. */
#include "blockprobe.h"
#include "partitions.h"

#include <string.h>

struct dev {
	const uint8_t *p;
	size_t n;
};

static ssize_t dev_read(void *ctx, void *buf, size_t len, uint64_t off)
{
	struct dev *d = ctx;
	if (off > d->n || len > d->n - off)
		__builtin_trap();
	memcpy(buf, d->p + off, len);
	return (ssize_t)len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	struct dev d = { data + 1, size - 1 };
	if (data[0] & 0x80) {
		struct part_id id;
		int r = part_probe(dev_read, &d, d.n, data[0] & 0x40 ? 4096 : 512, (data[0] & 15) + 1, &id);
		if (r == 1 && (strnlen(id.uuid, sizeof id.uuid) > 36 || strnlen(id.label, sizeof id.label) == sizeof id.label))
			__builtin_trap();
	} else {
		struct fs_id id;
		int r = fs_probe(dev_read, &d, d.n, &id);
		if (r == 1 && (!*id.type || strnlen(id.type, sizeof id.type) == sizeof id.type ||
			       strnlen(id.uuid, sizeof id.uuid) > 36 || strnlen(id.label, sizeof id.label) == sizeof id.label))
			__builtin_trap();
		if (r != 1 && (*id.type || *id.uuid || *id.label))
			__builtin_trap();
	}
	return 0;
}
