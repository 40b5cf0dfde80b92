/* fuzz target: the root= parser (init/rootspec.c) on arbitrary bytes. */
#include "rootspec.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), err[320];
	struct rootspec rs;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	if (rootspec_parse(text, &rs, err, sizeof err) == 0) {
		if (strlen(rs.value) >= sizeof rs.value || rs.partnroff < -255 || rs.partnroff > 255)
			abort();
		/* A named value matches itself: what was parsed is what is compared. */
		if (rs.kind != ROOT_PATH && rs.kind != ROOT_DEVNUM && !rootspec_matches(&rs, rs.value) && rs.value[0])
			abort();
	} else if (!err[0] || strlen(err) >= sizeof err) {
		abort(); /* every refusal explains itself */
	}
	free(text);
	return 0;
}
