/* test-alloc.c — lib/musl/alloc.c, linked in place of musl's malloc as in the init (static, musl-gcc).
 *
 * A random mix of malloc, calloc, realloc and free over many live blocks, each filled with a pattern of
 * its own and checked before it is resized or freed; then the contract at the edges (alignment, zeroed
 * calloc memory even when reused, overflow, huge requests), and that memory is reused: a loop that
 * allocates and frees does not grow the process. */
#include "tap.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The random mix's length: the cross builds run 20000 under qemu-user, where 100000 take 5 s of CPU. */
#ifndef ALLOC_OPS
#define ALLOC_OPS 100000
#endif

static uint32_t rng = 2463534242u;
static uint32_t next(void)
{
	rng ^= rng << 13, rng ^= rng >> 17, rng ^= rng << 5;
	return rng;
}

struct slot {
	unsigned char *p;
	size_t n;
	unsigned char tag;
};

static int intact(const struct slot *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->p[i] != (unsigned char)(s->tag + i))
			return 0;
	return 1;
}

static void fill(struct slot *s)
{
	for (size_t i = 0; i < s->n; i++)
		s->p[i] = (unsigned char)(s->tag + i);
}

/* Sizes as the init asks for them: mostly small, some pages, a few bigger than the largest class. */
static size_t some_size(void)
{
	uint32_t r = next() % 100;
	return r < 70 ? next() % 200 : r < 98 ? next() % 20000 : 100000 + next() % 300000;
}

/* The process's mapped memory, summed from /proc/self/maps: under qemu-user a 32-bit guest's mappings
 * live in memory reserved beforehand, so the emulator's VmSize in /proc/self/status never grows. */
/* Blocks escape through it: a block freed unused is otherwise no malloc call at all, once optimised. */
static char *volatile seen;

static long vm_size_kb(void)
{
	char buf[4096];
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long long start, end, total = 0;
	while (f && fgets(buf, sizeof buf, f))
		if (sscanf(buf, "%llx-%llx", &start, &end) == 2)
			total += end - start;
	if (f)
		fclose(f);
	return f ? (long)(total >> 10) : -1;
}

int main(void)
{
	static struct slot slots[512];
	int ok = 1, aligned = 1;

	for (int op = 0; op < ALLOC_OPS && ok; op++) {
		struct slot *s = &slots[next() % 512];
		switch (next() % 4) {
		case 0: /* malloc */
		case 1: /* calloc */
			if (s->p) {
				ok &= intact(s);
				free(s->p);
			}
			s->n = some_size();
			s->tag = (unsigned char)next();
			if (op & 1) {
				s->p = malloc(s->n);
			} else {
				s->p = calloc(1, s->n);
				for (size_t i = 0; s->p && i < s->n; i++)
					ok &= s->p[i] == 0;
			}
			ok &= s->p != NULL;
			if (s->p)
				fill(s);
			break;
		case 2: { /* realloc: the old contents survive up to the smaller size */
			size_t n = some_size(), keep = n < s->n ? n : s->n;
			unsigned char *p = realloc(s->p, n ? n : 1);
			ok &= p != NULL;
			if (!p)
				break;
			s->p = p;
			for (size_t i = 0; i < keep; i++)
				ok &= p[i] == (unsigned char)(s->tag + i);
			s->n = n;
			fill(s);
			break;
		}
		default:
			if (s->p)
				ok &= intact(s);
			free(s->p);
			s->p = NULL;
			s->n = 0;
		}
		if (s->p)
			aligned &= ((uintptr_t)s->p & 15) == 0 && (uintptr_t)s->p % _Alignof(max_align_t) == 0;
	}
	for (int i = 0; i < 512; i++) {
		ok &= !slots[i].p || intact(&slots[i]);
		free(slots[i].p);
	}
	CHECK(ok, "%d random malloc/calloc/realloc/free on 512 live blocks (0 B to 400 KB): no block overwritten, "
		  "calloc zeroed, realloc kept the contents", ALLOC_OPS);
	CHECK(aligned, "every block 16-byte aligned, and aligned for max_align_t (%zu)", (size_t)_Alignof(max_align_t));

	{
		unsigned char *p = malloc(100);
		memset(p, 0xAA, 100);
		free(p);
		unsigned char *q = calloc(25, 4); /* the same class: gets the dirty block back */
		int zero = 1;
		for (int i = 0; i < 100; i++)
			zero &= q[i] == 0;
		CHECK(q == p && zero, "a freed block is reused by the next request of its size, and calloc zeroes it");
		free(q);
	}
	volatile size_t huge = SIZE_MAX; /* volatile: the compiler would refuse the constant calls below */
	errno = 0;
	void *big = calloc(huge / 8, 16);
	CHECK(big == NULL && errno == ENOMEM, "calloc whose size overflows: NULL and ENOMEM");
	errno = 0;
	big = malloc(huge - 4);
	CHECK(big == NULL && errno == ENOMEM, "malloc(SIZE_MAX - 4) (the header would wrap around): NULL and ENOMEM");
	errno = 0;
	/* More than the address space holds: 64 TiB on a 64-bit machine, 4 GiB less 1 MiB on a 32-bit one. */
	size_t vast = sizeof(size_t) > 4 ? (size_t)1 << (sizeof(size_t) * 8 - 18) : huge - (1 << 20);
	big = malloc(vast);
	CHECK(big == NULL && errno == ENOMEM, "malloc of %zu MiB: NULL and ENOMEM", vast >> 20);
	{
		free(NULL); /* returns; a crash here ends the suite as a failure */
		void *p = malloc(0), *q = malloc(0);
		CHECK(p && q && p != q, "free(NULL) returns; malloc(0) gives distinct pointers that free() takes");
		free(p);
		free(q);
	}
	{
		long before = vm_size_kb();
		for (int i = 0; i < 2000; i++) { /* the deletion's pattern: a name, a path buffer, a big buffer */
			char *a = malloc(40), *b = malloc(4096), *c = malloc(1 << 20);
			c[(1 << 20) - 1] = a[0] = b[0] = 1;
			seen = a, seen = b, seen = c;
			free(c);
			free(b);
			free(a);
		}
		long after = vm_size_kb();
		CHECK(before > 0 && after - before < 1024, "2000 rounds of malloc and free, 1 MiB each: the process grew by "
			  "%ld kB (freed big blocks are unmapped, small ones reused)", after - before);
	}
	{
		char *p = malloc(10);
		strcpy(p, "earlyroot");
		char *q = realloc(p, 5);
		CHECK(q == p && !strcmp(q, "earlyroot"), "realloc to a smaller size keeps the block");
		q = realloc(q, 300000); /* grows into a mapping of its own */
		CHECK(q && !strcmp(q, "earlyroot"), "realloc into a block of its own mapping keeps the contents");
		free(q);
	}
	return tap_finish();
}
