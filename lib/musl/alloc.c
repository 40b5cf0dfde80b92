/* lib/musl/alloc.c — the init's malloc, in place of musl's mallocng in the static musl build.
 *
 * mallocng is built for long-lived, threaded programs (hardening, returning memory page by page): 9 KB
 * of a PID 1 that lives for well under a second, in one thread, and allocates a few dozen blocks (the
 * command line, the module table, path buffers of the hand-over). This is a segregated-fit allocator:
 * power-of-two size classes from 32 B to 128 KiB, each with its own free list, carved from 256 KiB
 * mappings; bigger blocks get a mapping of their own and give it back on free(). A freed block is
 * reused by the next request of its class, so a loop that allocates and frees (the wait for the root
 * device, the deletion of the initramfs) runs in constant memory. Not thread-safe: the init has one
 * thread. Only the musl build links this file (see init/build.mk); klibc's malloc is small already and
 * the sanitizer build needs the host's. Tested by lib/tests/test-alloc.c.
 * Kept: saves 8.7 KB of the x86-64 init, 6.4 KB of armhf's; test-alloc and test-musl-lite pass on all six. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#define HEADER 16		/* keeps every block 16-byte aligned: max_align_t's 16 or less everywhere */
#define SMALLEST 32		/* header included: a free block must hold the free list's link */
#define CLASSES 13		/* SMALLEST << 0 .. SMALLEST << 12 = 128 KiB */
#define ARENA (256 * 1024)	/* carved into blocks of the classes above */
#define MAPPED ((size_t)-1)	/* the header's class for a block with a mapping of its own */

struct header {
	size_t class;	/* 0..CLASSES-1, or MAPPED */
	size_t mapped;	/* the mapping's length, for MAPPED blocks */
};

_Static_assert(HEADER % _Alignof(max_align_t) == 0 && HEADER >= sizeof(struct header), "HEADER too small");

static void *free_list[CLASSES]; /* a free block's first word links to the next one */
static char *arena, *arena_end;

static void *map(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

void *malloc(size_t n)
{
	struct header *h;
	size_t class = 0;

	if (n > ((size_t)SMALLEST << (CLASSES - 1)) - HEADER) {
		size_t len = (n + HEADER + 4095) & ~(size_t)4095;
		if (len < n || !(h = map(len))) { /* len < n: n + HEADER wrapped around */
			errno = ENOMEM;
			return NULL;
		}
		h->class = MAPPED;
		h->mapped = len;
		return (char *)h + HEADER;
	}
	while (((size_t)SMALLEST << class) < n + HEADER)
		class++;
	if (free_list[class]) {
		h = free_list[class];
		free_list[class] = *(void **)((char *)h + HEADER);
	} else {
		size_t size = (size_t)SMALLEST << class;
		if ((size_t)(arena_end - arena) < size) {
			/* The rest of the old arena is left unused: at most 128 KiB, once. */
			if (!(arena = map(ARENA))) {
				arena_end = NULL;
				errno = ENOMEM;
				return NULL;
			}
			arena_end = arena + ARENA;
		}
		h = (struct header *)arena;
		arena += size;
	}
	h->class = class;
	return (char *)h + HEADER;
}

void free(void *p)
{
	if (!p)
		return;
	struct header *h = (struct header *)((char *)p - HEADER);
	if (h->class == MAPPED) {
		munmap(h, h->mapped);
		return;
	}
	*(void **)p = free_list[h->class];
	free_list[h->class] = h;
}

void *calloc(size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	void *p = malloc(count * size);
	return p ? memset(p, 0, count * size) : NULL;
}

void *realloc(void *p, size_t n)
{
	if (!p)
		return malloc(n);
	struct header *h = (struct header *)((char *)p - HEADER);
	size_t room = (h->class == MAPPED ? h->mapped : (size_t)SMALLEST << h->class) - HEADER;
	if (n <= room)
		return p; /* shrinking keeps the block: the init frees soon anyway */
	void *q = malloc(n);
	if (q) {
		memcpy(q, p, room);
		free(p);
	}
	return q;
}
