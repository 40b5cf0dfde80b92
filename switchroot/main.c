/* main.c — the switch_root and pivot_root commands: one static binary, the command chosen by the name
 * it is run as (installed as earlyroot-switch-root and earlyroot-pivot-root). The hand-over itself is
 * the library the init runs (switchroot.h); only the command line is theirs (cli.c). */
#include "switchroot.h"

#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *name = argc > 0 && argv[0] ? argv[0] : "";
	const char *slash = strrchr(name, '/');
	if (slash)
		name = slash + 1;
	if (!strcmp(name, "pivot_root") || !strcmp(name, "earlyroot-pivot-root"))
		return pivot_root_main(argc, argv);
	if (!strcmp(name, "switch_root") || !strcmp(name, "earlyroot-switch-root"))
		return switch_root_main(argc, argv);
	static const char msg[] = "run this program as switch_root or pivot_root (a link of that name)\n";
	if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0)
		return 2;
	return 2;
}
