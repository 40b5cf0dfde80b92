/* sstrip.c — drop what `strip` leaves of a static ELF executable: the section header table and
 * everything after the last byte a program header maps (.shstrtab, .comment).
 *
 * The kernel loads a program by its program headers alone; section headers are for linkers and
 * debuggers. In the 58 KB init they are 1.1 KB (0.3 KB of the compressed image). Either class and
 * either byte order (the cross-built programs of mk/cross.mk): lib/elfhdr.c reads the headers.
 * usage: sstrip FILE */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "elfhdr.h"

int main(int argc, char **argv)
{
	struct elf e;
	uint64_t end;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: sstrip FILE\n");
		return 2;
	}
	if ((fd = open(argv[1], O_RDWR)) < 0) {
		perror(argv[1]);
		return 1;
	}
	if (elf_open(&e, elf_read_fd, &fd) != 1) {
		fprintf(stderr, "sstrip: %s: not an ELF file this reads, left as it is\n", argv[1]);
		return 1;
	}
	end = e.phoff + (uint64_t)e.phnum * e.phent;
	for (unsigned i = 0; i < e.phnum; i++) {
		struct elf_phdr ph;
		if (elf_phdr(&e, i, &ph) < 0) {
			fprintf(stderr, "sstrip: %s: program header %u unreadable, left as it is\n", argv[1], i);
			return 1;
		}
		if (ph.offset + ph.filesz > end)
			end = ph.offset + ph.filesz;
	}
	/* e_shoff, then (after e_flags, e_ehsize, e_phentsize, e_phnum, e_shentsize) e_shnum and e_shstrndx:
	 * all three zero (SHN_UNDEF), which reads the same in either byte order. */
	static const unsigned char zero[8];
	off_t shoff = e.w == 8 ? 0x28 : 0x20, shnum = e.w == 8 ? 0x3c : 0x30;
	if (pwrite(fd, zero, e.w, shoff) != (ssize_t)e.w || pwrite(fd, zero, 4, shnum) != 4 ||
	    ftruncate(fd, (off_t)end) < 0 || close(fd) < 0) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
