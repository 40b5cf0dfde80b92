/* main.c — one static binary, three programs, chosen by the name it is run as:
 *   switch_root (or earlyroot-switch-root), pivot_root (or earlyroot-pivot-root), and anything
 *   else — normally /init — is the init. One binary keeps the image to a single file and the
 *   commands identical to the code the init runs. */
#include "init.h"
#include "switchroot.h"

#include <string.h>

int main(int argc, char **argv)
{
	const char *name = argc > 0 && argv[0] ? argv[0] : "init";
	const char *slash = strrchr(name, '/');
	if (slash)
		name = slash + 1;
	if (!strcmp(name, "switch_root") || !strcmp(name, "earlyroot-switch-root"))
		return switch_root_main(argc, argv);
	if (!strcmp(name, "pivot_root") || !strcmp(name, "earlyroot-pivot-root"))
		return pivot_root_main(argc, argv);
	return init_main(argc, argv);
}
