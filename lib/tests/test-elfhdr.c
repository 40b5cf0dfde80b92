/* test-elfhdr.c — lib/elfhdr.c on ELF files built here in all four class and byte-order combinations,
 * broken on purpose (truncated at every length, bad fields, garbage), and on the real files named on
 * the command line, whose interpreter must be the one binutils' readelf reports, whole and cut short.
 * Run under ASan/UBSan: no input may be read past its end. */
#include "tap.h"

#include "elfhdr.h"

#include <elf.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PHOFF_SLOT 64 /* program headers go here in the files built below, for either class */

/* An N-byte field at OFF in byte order MSB. */
static void put(unsigned char *b, size_t off, unsigned n, uint64_t v, int msb)
{
	for (unsigned i = 0; i < n; i++)
		b[off + (msb ? n - 1 - i : i)] = (unsigned char)(v >> 8 * i);
}

struct phspec {
	uint32_t type;
	uint64_t offset, filesz;
};

/* An ELF executable of word size W and byte order MSB with the program headers PH, into B (zeroed,
 * big enough); the header fields a test then spoils are at the offsets of elfhdr.c's comment. */
static size_t build(unsigned char *b, size_t size, unsigned w, int msb, const struct phspec *ph, unsigned n)
{
	unsigned phent = w == 8 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	size_t end = PHOFF_SLOT + n * phent;

	memset(b, 0, size);
	memcpy(b, ELFMAG, SELFMAG);
	b[EI_CLASS] = w == 8 ? ELFCLASS64 : ELFCLASS32;
	b[EI_DATA] = msb ? ELFDATA2MSB : ELFDATA2LSB;
	b[EI_VERSION] = EV_CURRENT;
	put(b, 16, 2, ET_DYN, msb);
	put(b, 18, 2, msb ? EM_S390 : EM_X86_64, msb);
	put(b, 24 + w, w, PHOFF_SLOT, msb);
	put(b, 30 + 3 * w, 2, phent, msb);
	put(b, 32 + 3 * w, 2, n, msb);
	for (unsigned i = 0; i < n; i++) {
		unsigned char *p = b + PHOFF_SLOT + i * phent;
		put(p, 0, 4, ph[i].type, msb);
		put(p, w, w, ph[i].offset, msb);
		put(p, 4 * w, w, ph[i].filesz, msb);
		if (ph[i].offset + ph[i].filesz > end)
			end = ph[i].offset + ph[i].filesz;
	}
	return end;
}

/* elf_open then elf_interp on LEN bytes at B; -2 when elf_open says not ELF. */
static int interp_mem(const unsigned char *b, size_t len, char *out, size_t size)
{
	struct elf_mem mem = { b, len };
	struct elf e;
	int rc = elf_open(&e, elf_read_mem, &mem);
	if (rc <= 0)
		return rc == 0 ? -2 : -1;
	return elf_interp(&e, out, size);
}

static void constructed(unsigned w, int msb)
{
	static const char path[] = "/lib/ld-test.so.1";
	unsigned char b[1024], c[1024];
	char out[PATH_MAX];
	const char *what = w == 8 ? (msb ? "ELF64 MSB" : "ELF64 LSB") : (msb ? "ELF32 MSB" : "ELF32 LSB");
	struct phspec ph[3] = {
		{ PT_LOAD, 0, 600 },
		{ PT_INTERP, 512, sizeof path },
		{ PT_INTERP, 512 + sizeof path, 8 }, /* a second one: the kernel takes the first */
	};
	size_t len = build(b, sizeof b, w, msb, ph, 3);
	struct elf_mem mem = { b, len };
	struct elf e;
	struct elf_phdr p;
	memcpy(b + 512, path, sizeof path);
	memcpy(b + 512 + sizeof path, "/other", 7);

	CHECK(elf_open(&e, elf_read_mem, &mem) == 1 && e.w == w && e.msb == msb &&
		      e.machine == (msb ? EM_S390 : EM_X86_64) && e.phnum == 3 && e.phoff == PHOFF_SLOT,
	      "%s: the header's class, byte order, machine and program header table", what);
	CHECK(elf_phdr(&e, 1, &p) == 0 && p.type == PT_INTERP && p.offset == 512 && p.filesz == sizeof path,
	      "%s: a program header", what);
	CHECK(elf_interp(&e, out, sizeof out) == 1 && strcmp(out, path) == 0, "%s: the first PT_INTERP, %s", what,
	      path);

	/* Every shorter file: never an interpreter other than the right one, never a read past the end. */
	int bad = 0;
	for (size_t cut = 0; cut < len; cut++) {
		int rc = interp_mem(b, cut, out, sizeof out);
		if (rc == 1 ? strcmp(out, path) != 0 : rc == 0 || (cut >= 64 && rc == -2))
			bad++;
	}
	CHECK(bad == 0, "%s: truncated at each of %zu lengths: refused or still right", what, len);

	CHECK(interp_mem(b, len, out, sizeof path) == 1 && strcmp(out, path) == 0 &&
		      interp_mem(b, len, out, sizeof path - 1) == -1,
	      "%s: a buffer one byte short of the interpreter is refused", what);

	struct {
		const char *what;
		size_t off;
		unsigned n;
		uint64_t v;
		int want;
	} spoil[] = {
		{ "unknown class", EI_CLASS, 1, 3, -1 },
		{ "unknown byte order", EI_DATA, 1, 0, -1 },
		{ "no ELF magic", 1, 1, 'e', -2 },
		{ "e_phentsize not the class's", 30 + 3 * w, 2, w == 8 ? 32 : 56, -1 },
		{ "program headers beyond the end", 24 + w, w, 4096, -1 },
		{ "e_phoff that wraps around", 24 + w, w, w == 8 ? UINT64_MAX - 8 : 0xfffffff8, -1 },
		{ "no program headers", 32 + 3 * w, 2, 0, 0 },
		{ "more program headers than the kernel takes", 32 + 3 * w, 2, 0xffff, -1 },
		{ "PT_INTERP of 1 byte", PHOFF_SLOT + (w == 8 ? 56 : 32) + 4 * w, w, 1, -1 },
		{ "PT_INTERP without its NUL", PHOFF_SLOT + (w == 8 ? 56 : 32) + 4 * w, w, sizeof path - 1, -1 },
		{ "PT_INTERP beyond the end", PHOFF_SLOT + (w == 8 ? 56 : 32) + w, w, 1000, -1 },
		{ "PT_INTERP at an offset that wraps", PHOFF_SLOT + (w == 8 ? 56 : 32) + w, w,
		  w == 8 ? UINT64_MAX - 4 : 0xfffffffc, -1 },
		{ "PT_INTERP longer than PATH_MAX", PHOFF_SLOT + (w == 8 ? 56 : 32) + 4 * w, w, PATH_MAX + 1, -1 },
		{ "an empty PT_INTERP", 512, 1, 0, -1 },
		{ "no PT_INTERP (a static program)", PHOFF_SLOT + (w == 8 ? 56 : 32), 4, PT_NULL, 0 },
	};
	for (size_t i = 0; i < sizeof spoil / sizeof spoil[0]; i++) {
		memcpy(c, b, len);
		/* The second PT_INTERP would stand in once the first is no longer one. */
		put(c, PHOFF_SLOT + 2 * (w == 8 ? 56 : 32), 4, PT_NULL, msb);
		if (spoil[i].n == 1)
			c[spoil[i].off] = (unsigned char)spoil[i].v;
		else
			put(c, spoil[i].off, spoil[i].n, spoil[i].v, msb);
		int rc = interp_mem(c, len, out, sizeof out);
		CHECK(rc == spoil[i].want, "%s: %s: %d (want %d)", what, spoil[i].what, rc, spoil[i].want);
	}

	/* Object files and kernel modules have no program headers and often e_phentsize 0. */
	memcpy(c, b, len);
	put(c, 30 + 3 * w, 2, 0, msb);
	put(c, 32 + 3 * w, 2, 0, msb);
	CHECK(interp_mem(c, len, out, sizeof out) == 0, "%s: e_phnum 0 with e_phentsize 0 is ELF without interpreter",
	      what);
}

/* Random bytes behind the ELF magic, class and byte order: any answer but a read past the end. */
static void garbage(void)
{
	unsigned char b[512];
	char out[64];
	unsigned seed = 1;
	int bad = 0;
	for (int round = 0; round < 20000; round++) {
		size_t len = (size_t)(rand_r(&seed) % sizeof b);
		for (size_t i = 0; i < len; i++)
			b[i] = (unsigned char)rand_r(&seed);
		if (len > EI_DATA) {
			memcpy(b, ELFMAG, SELFMAG);
			b[EI_CLASS] = (unsigned char)(1 + round % 2);
			b[EI_DATA] = (unsigned char)(1 + round / 2 % 2);
			/* Small program header tables near the start, now and then, so the walk is reached. */
			if (round % 3 == 0 && len >= 64) {
				unsigned w = b[EI_CLASS] * 4u;
				put(b, 24 + w, w, (uint64_t)(rand_r(&seed) % 128), b[EI_DATA] == ELFDATA2MSB);
				put(b, 30 + 3 * w, 2, w == 8 ? 56 : 32, b[EI_DATA] == ELFDATA2MSB);
				put(b, 32 + 3 * w, 2, (uint64_t)(rand_r(&seed) % 8), b[EI_DATA] == ELFDATA2MSB);
			}
		}
		memset(out, 'x', sizeof out);
		int rc = interp_mem(b, len, out, sizeof out);
		if (rc < -2 || rc > 1 || (rc == 1 && !memchr(out, 0, sizeof out)))
			bad++;
	}
	CHECK(bad == 0, "20000 garbage files: every answer in range, an interpreter always NUL-terminated");
}

/* readelf's "Requesting program interpreter" for PATH, "" when it names none. */
static void readelf_interp(const char *path, char *out, size_t size)
{
	char cmd[PATH_MAX + 128];
	snprintf(cmd, sizeof cmd,
		 "readelf -lW '%s' 2>/dev/null | sed -n 's/.*Requesting program interpreter: \\(.*\\)]$/\\1/p'", path);
	FILE *p = popen(cmd, "r");
	out[0] = 0;
	if (p) {
		if (!fgets(out, (int)size, p))
			out[0] = 0;
		out[strcspn(out, "\n")] = 0;
		pclose(p);
	}
}

static void real_file(const char *path)
{
	char want[PATH_MAX], got[PATH_MAX], out[PATH_MAX];
	struct elf e;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		CHECK(0, "%s: can be read", path);
		return;
	}
	readelf_interp(path, want, sizeof want);
	int o = elf_open(&e, elf_read_fd, &fd);
	int rc = o > 0 ? elf_interp(&e, got, sizeof got) : o == 0 ? -2 : -1;
	CHECK(*want ? rc == 1 && strcmp(got, want) == 0 : rc == 0 || rc == -2,
	      "%s (fd): %s, as readelf says (%s)", path, rc == 1 ? got : rc == 0 ? "no interpreter" : "not ELF",
	      *want ? want : "none");

	/* The same file in memory, whole and cut at every length up to the end of the headers read. */
	size_t len = (size_t)st.st_size;
	unsigned char *m = malloc(len ? len : 1);
	if (!m || pread(fd, m, len, 0) != (ssize_t)len) {
		CHECK(0, "%s: read into memory", path);
		free(m);
		close(fd);
		return;
	}
	int bad = interp_mem(m, len, out, sizeof out) != rc;
	size_t upto = len < 8192 ? len : 8192;
	for (size_t cut = 0; cut < upto; cut++) {
		int r = interp_mem(m, cut, out, sizeof out);
		if (r == 1 ? rc != 1 || strcmp(out, got) != 0 : *want && r == 0)
			bad++;
	}
	CHECK(bad == 0, "%s (memory): the same answer; cut at each of %zu lengths, refused or still right", path,
	      upto);
	free(m);
	close(fd);
}

int main(int argc, char **argv)
{
	for (unsigned w = 4; w <= 8; w += 4)
		for (int msb = 0; msb <= 1; msb++)
			constructed(w, msb);
	garbage();
	for (int i = 1; i < argc; i++)
		real_file(argv[i]);
	return tap_finish();
}
