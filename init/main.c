/* main.c — the init's entry point. The image's /init is this program alone: the switch_root and
 * pivot_root commands are another binary (switchroot/main.c) built from the same hand-over library,
 * so that PID 1 carries none of their option parsing and help (1.9 KB). */
#include "init.h"

int main(int argc, char **argv)
{
	return init_main(argc, argv);
}
