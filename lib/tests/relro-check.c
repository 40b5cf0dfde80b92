/* relro-check.c — does a static musl program make its RELRO region read-only? It does not (only musl's
 * dynamic linker applies PT_GNU_RELRO), which is why the init links with -z norelro: the segment's
 * page alignment would cost 2.8 KB and protect nothing. Built like the init but with the default
 * RELRO, it reads /proc/self/maps for the page of its .init_array (inside PT_GNU_RELRO): "rw" is what
 * musl does today; should a musl release start protecting it, this test fails, and -z norelro in the
 * Makefile would then be giving something up. */
#include "tap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

extern void (*__init_array_start[])(void);

int main(void)
{
	uintptr_t at = (uintptr_t)__init_array_start;
	char line[512], perms[5] = "?";
	FILE *f = fopen("/proc/self/maps", "r");
	while (f && fgets(line, sizeof line, f)) {
		unsigned long lo, hi;
		char p[5];
		if (sscanf(line, "%lx-%lx %4s", &lo, &hi, p) == 3 && at >= lo && at < hi)
			memcpy(perms, p, sizeof perms);
	}
	CHECK(f && !strncmp(perms, "rw", 2),
	      "static musl leaves the RELRO region (.init_array at %#lx) writable: %s, so -z norelro gives up nothing",
	      (unsigned long)at, perms);
	return tap_finish();
}
