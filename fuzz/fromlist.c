/* fuzz target: the gen_init_cpio list parser behind mkinitramfs --from-list (mkinitramfs/fromlist.c),
 * then what the image does with its entries (image_finish(): parents, sorting, duplicates).
 *
 * It runs in a directory of its own holding a file, an empty file, a directory and a fifo, with
 * ${FUZZDIR} naming it, so LOCATIONs found in the corpus ("a", "${FUZZDIR}/p") reach real files of
 * every kind. Nothing is written: a list only names host files, read when the image is written. */
#include "fromlist.h"
#include "image.h"
#include "util.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/fuzz-fromlist.XXXXXX";

/* The directory goes when the fuzzer ends (libFuzzer leaves through exit()). */
static void cleanup(void)
{
	static const char *const names[] = { "a", "empty", "d", "p" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (unlinkat(AT_FDCWD, names[i], 0) < 0)
			unlinkat(AT_FDCWD, names[i], AT_REMOVEDIR);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	if (!mkdtemp(dir) || chdir(dir) < 0)
		abort();
	atexit(cleanup);
	FILE *f = fopen("a", "w");
	if (!f || fputs("contents\n", f) < 0 || fclose(f) != 0)
		abort();
	if (!(f = fopen("empty", "w")) || fclose(f) != 0 || mkdir("d", 0755) < 0 || mkfifo("p", 0644) < 0 ||
	    setenv("FUZZDIR", dir, 1) < 0)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	struct image img = { 0 };
	if (fromlist_add_text(&img, text, "list") == 0 && image_finish(&img) == 0) {
		/* What the writer relies on: sorted, unique paths, each in its one clean spelling (no "/"
		 * at either end, no "//", ".", ".."), so one path can never be two entries. */
		for (size_t i = 0; i < img.n; i++) {
			const char *p = img.v[i].path;
			char *clean = path_clean(p);
			if (!clean || strcmp(clean, p) || !*p || (i > 0 && strcmp(img.v[i - 1].path, p) >= 0))
				abort();
			free(clean);
		}
	}
	image_free(&img);
	free(text);
	return 0;
}
