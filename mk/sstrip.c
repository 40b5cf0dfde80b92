/* sstrip.c — drop what `strip` leaves of a static ELF64 executable: the section header table and
 * everything after the last byte a program header maps (.shstrtab, .comment).
 *
 * The kernel loads a program by its program headers alone; section headers are for linkers and
 * debuggers. In the 58 KB init they are 1.1 KB (0.3 KB of the compressed image). Only little-endian
 * ELF64 (x86_64, aarch64) is handled: anything else is left as it is, with a message.
 * usage: sstrip FILE */
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	Elf64_Ehdr eh;
	Elf64_Off end = 0;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: sstrip FILE\n");
		return 2;
	}
	if ((fd = open(argv[1], O_RDWR)) < 0 || pread(fd, &eh, sizeof eh, 0) != (ssize_t)sizeof eh) {
		perror(argv[1]);
		return 1;
	}
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_ident[EI_DATA] != ELFDATA2LSB || eh.e_phentsize != sizeof(Elf64_Phdr)) {
		fprintf(stderr, "sstrip: %s: not a little-endian ELF64 file, left as it is\n", argv[1]);
		return 1;
	}
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		if (pread(fd, &ph, sizeof ph, (off_t)(eh.e_phoff + i * sizeof ph)) != (ssize_t)sizeof ph) {
			perror(argv[1]);
			return 1;
		}
		if (ph.p_offset + ph.p_filesz > end)
			end = ph.p_offset + ph.p_filesz;
	}
	if (eh.e_phoff + (Elf64_Off)eh.e_phnum * sizeof(Elf64_Phdr) > end)
		end = eh.e_phoff + (Elf64_Off)eh.e_phnum * sizeof(Elf64_Phdr);
	eh.e_shoff = 0;
	eh.e_shnum = 0;
	eh.e_shstrndx = SHN_UNDEF;
	if (pwrite(fd, &eh, sizeof eh, 0) != (ssize_t)sizeof eh || ftruncate(fd, (off_t)end) < 0 || close(fd) < 0) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
