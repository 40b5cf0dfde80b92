/* fuzz target: the choice of the image on a live medium (init/live_layout.c). The input is the
 * medium's names, one a line; the first three lines are rd.live.dir=, rd.live.squashimg= and
 * live-media-path= (a medium and a command line are both someone else's bytes). */
#include "live_layout.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), out[LIVE_MAX_LAYERS][LIVE_PATH_MAX], dracut[2][LIVE_PATH_MAX], msg[700];
	const char *lines[512];
	size_t n = 0;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	for (char *p = text; p && n < sizeof lines / sizeof lines[0]; n++) {
		lines[n] = p;
		if ((p = strchr(p, '\n')))
			*p++ = 0;
	}
	struct live_layout l = {n > 0 ? lines[0] : NULL, n > 1 ? lines[1] : NULL, n > 2 ? lines[2] : NULL};
	size_t skip = n > 3 ? 3 : n;
	int got = live_layout_debian(&l, lines + skip, n - skip, out);
	if (got > LIVE_MAX_LAYERS)
		abort();
	for (int i = 0; i < got; i++)
		if (strlen(out[i]) >= LIVE_PATH_MAX)
			abort();
	size_t d = live_layout_dracut(&l, dracut);
	if (d < 1 || d > 2)
		abort();
	live_layout_describe(&l, msg, sizeof msg);
	free(text);
	return 0;
}
