/* fuzz-checksumfile — libFuzzer target for checksum_file_find(), the parser of a live medium's
 * squashfs.img.sha256. The input is NAME, a NUL, then the file (no NUL in the first 64 bytes: the
 * whole input is the file, NAME "squashfs.img"). Every answer must be -1, 0 or 1, and a -1 must come
 * with a message that fits its buffer. */
#include "checksum_file.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char name[65] = "squashfs.img", err[96];
	uint8_t digest[32];
	const uint8_t *nul = memchr(data, 0, size < 64 ? size : 64);

	if (nul) {
		memcpy(name, data, (size_t)(nul - data));
		name[nul - data] = 0;
		size -= (size_t)(nul - data) + 1;
		data = nul + 1;
	}
	int r = checksum_file_find((const char *)data, size, name, digest, err, sizeof err);
	if (r < -1 || r > 1 || (r == -1 && (!err[0] || strnlen(err, sizeof err) == sizeof err)))
		__builtin_trap();
	return 0;
}
