/* elf-sample.c — the smallest program to link for another class or byte order (lib/build.mk): only
 * its headers are read, by test-elfhdr, so it needs no libc and never runs. */
void _start(void);
void _start(void)
{
	for (;;)
		;
}
