/* elfhdr.c — see elfhdr.h. Fields are taken byte by byte at their offsets, not through the Elf32/Elf64
 * structs, so one path serves both classes and both byte orders on any host. The offsets follow from
 * the layouts in <elf.h>, with W the word size (4 or 8): e_phoff at 24+W, e_phentsize at 30+3W,
 * e_phnum at 32+3W, header size 40+3W; p_offset at W, p_vaddr at 2W, p_filesz at 4W. */
#include "elfhdr.h"

#include <elf.h>
#include <string.h>
#include <unistd.h>

/* The kernel refuses a program whose program header table is bigger (fs/binfmt_elf.c). */
#define PHDRS_MAX 65536

int elf_read_fd(void *ctx, uint64_t off, void *buf, size_t len)
{
	/* An offset beyond off_t's range turns negative: pread refuses it. */
	return pread(*(int *)ctx, buf, len, (off_t)off) == (ssize_t)len ? 0 : -1;
}

int elf_read_mem(void *ctx, uint64_t off, void *buf, size_t len)
{
	const struct elf_mem *m = ctx;
	if (off > m->len || len > m->len - off)
		return -1;
	memcpy(buf, m->data + off, len);
	return 0;
}

uint64_t elf_get(const struct elf *e, const void *p, unsigned n)
{
	const unsigned char *b = p;
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v = v << 8 | b[e->msb ? i : n - 1 - i];
	return v;
}

int elf_open(struct elf *e, elf_read_fn *read, void *ctx)
{
	unsigned char h[sizeof(Elf64_Ehdr)];
	unsigned w, cls, data;

	e->read = read;
	e->ctx = ctx;
	/* 64 bytes even for ELF32 (52): no real program is shorter, with its program headers. */
	if (read(ctx, 0, h, sizeof h) || memcmp(h, ELFMAG, SELFMAG))
		return 0;
	cls = h[EI_CLASS] - ELFCLASS32;
	data = h[EI_DATA] - ELFDATA2LSB;
	if (cls > 1 || data > 1)
		return -1;
	e->msb = (unsigned char)data;
	e->w = (unsigned char)(4 << cls);
	e->phent = cls ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	w = e->w;
	e->machine = (uint16_t)elf_get(e, h + 18, 2);
	e->phoff = elf_get(e, h + 24 + w, w);
	e->phnum = (uint16_t)elf_get(e, h + 32 + 3 * w, 2);
	/* No program headers (an object file, a kernel module): e_phentsize may be anything, 0 often. */
	if (e->phnum && (elf_get(e, h + 30 + 3 * w, 2) != e->phent || e->phnum * e->phent > PHDRS_MAX ||
			 e->phoff + e->phnum * e->phent < e->phoff))
		return -1;
	return 1;
}

int elf_phdr(const struct elf *e, unsigned i, struct elf_phdr *ph)
{
	unsigned char b[sizeof(Elf64_Phdr)];
	unsigned w = e->w;

	if (e->read(e->ctx, e->phoff + i * e->phent, b, e->phent))
		return -1;
	ph->type = (uint32_t)elf_get(e, b, 4);
	ph->offset = elf_get(e, b + w, w);
	ph->vaddr = elf_get(e, b + 2 * w, w);
	ph->filesz = elf_get(e, b + 4 * w, w);
	return 0;
}

int elf_interp(const struct elf *e, char *buf, size_t size)
{
	struct elf_phdr ph;

	for (unsigned i = 0; i < e->phnum; i++) {
		if (elf_phdr(e, i, &ph))
			return -1;
		if (ph.type != PT_INTERP)
			continue;
		if (ph.filesz < 2 || ph.filesz > size || e->read(e->ctx, ph.offset, buf, (size_t)ph.filesz) ||
		    buf[ph.filesz - 1] || !buf[0])
			return -1;
		return 1;
	}
	return 0;
}
