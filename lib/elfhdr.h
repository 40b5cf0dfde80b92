/* elfhdr.h — an ELF file's header, program headers and program interpreter (PT_INTERP), for either
 * class (32/64-bit) and either byte order, on a host of any. Used by the hand-over check
 * (switchroot/check_init.c) and by mkinitramfs's library resolver (mkinitramfs/elfdeps.c).
 *
 * The bytes come through a read-at-offset callback (a file descriptor or memory below), and every
 * offset and size taken from the file is checked against what the reads return: a truncated or
 * garbage file is refused, never read past. (Not named elf.h: -Ilib would hide the libc's <elf.h>.) */
#ifndef EARLYROOT_ELFHDR_H
#define EARLYROOT_ELFHDR_H
#include <stddef.h>
#include <stdint.h>

/* Read LEN bytes at OFF into BUF: 0 when all of them were read, else -1 (past the end, an error). */
typedef int elf_read_fn(void *ctx, uint64_t off, void *buf, size_t len);
/* CTX points to an int file descriptor, read with pread. */
int elf_read_fd(void *ctx, uint64_t off, void *buf, size_t len);
/* CTX points to a struct elf_mem: the whole file in memory. */
struct elf_mem {
	const unsigned char *data;
	size_t len;
};
int elf_read_mem(void *ctx, uint64_t off, void *buf, size_t len);

struct elf {
	elf_read_fn *read;
	void *ctx;
	unsigned char w;    /* word size: 4 (ELFCLASS32) or 8 (ELFCLASS64) */
	unsigned char msb;  /* 1: ELFDATA2MSB (big-endian), 0: ELFDATA2LSB */
	uint16_t machine;   /* e_machine */
	uint16_t phnum;     /* e_phnum */
	uint16_t phent;     /* the class's program header size, which e_phentsize was checked to be */
	uint64_t phoff;
};

/* One program header, whatever the class. */
struct elf_phdr {
	uint32_t type;
	uint64_t offset, vaddr, filesz;
};

/* Read the file header. 1: an ELF file, E filled; 0: not ELF (no ELF magic, or shorter than the 64
 * bytes of an ELF64 header, which no program is); -1: an unknown class or byte order, or a program
 * header table that is impossible (entries not of the class's size, more than the kernel takes). */
int elf_open(struct elf *e, elf_read_fn *read, void *ctx);
/* Program header I (< e->phnum): 0, or -1 when it cannot be read. */
int elf_phdr(const struct elf *e, unsigned i, struct elf_phdr *ph);
/* The program interpreter, by the kernel's rules (the first PT_INTERP; 2 to SIZE bytes ending in a
 * NUL; SIZE = PATH_MAX admits what the kernel admits). 1: BUF holds it; 0: none (a static program, a
 * library without one); -1: unreadable or malformed, or longer than SIZE. */
int elf_interp(const struct elf *e, char *buf, size_t size);
/* The N-byte (1..8) unsigned field at P in the file's byte order: for the sections a caller reads. */
uint64_t elf_get(const struct elf *e, const void *p, unsigned n);

#endif
