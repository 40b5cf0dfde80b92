/* fuzz target: lib/elfhdr.c, the ELF header reader of the hand-over check (INIT in the new root, a file
 * whoever made that filesystem wrote) and of mkinitramfs's library resolver (any file given to --add).
 * No input may make it read past the end, or hand back an interpreter not NUL-terminated in the buffer;
 * the small buffer makes the length limit part of the run. */
#include "elfhdr.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_mem mem = { data, size };
	struct elf e;
	struct elf_phdr ph;
	char interp[128];

	if (elf_open(&e, elf_read_mem, &mem) <= 0)
		return 0;
	for (unsigned i = 0; i < e.phnum && elf_phdr(&e, i, &ph) == 0; i++)
		;
	if (elf_interp(&e, interp, sizeof interp) == 1 && (!interp[0] || !memchr(interp, 0, sizeof interp)))
		abort();
	return 0;
}
