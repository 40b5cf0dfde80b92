/* fuzz target: the kernel command-line parser (init/cmdline.c) on arbitrary bytes. */
#include "cmdline.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), params[256] = "";
	struct cmdline cl;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	if (cmdline_parse(text, &cl) == 0) {
		/* Every string the parser hands out lies inside its own copy and is terminated (but for
		 * rd.break alone, which means "switch"). */
		if (cl.brk && !(cl.brk >= cl.buf && cl.brk <= cl.buf + size) && strcmp(cl.brk, "switch"))
			abort();
		const char *strings[] = {cl.root, cl.rootfstype, cl.rootflags, cl.init, cl.rd_root};
		for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
			if (strings[i] && (strings[i] < cl.buf || strings[i] > cl.buf + size || strlen(strings[i]) > size))
				abort();
		if (cl.rootdelay_s < -1 || cl.timeout_s < -1 || cl.nwarnings > CMDLINE_MAX_WARNINGS)
			abort();
		cmdline_module_params(&cl, "virtio_blk", params, sizeof params);
		if (strlen(params) >= sizeof params)
			abort();
		cmdline_free(&cl);
	}
	free(text);
	return 0;
}
