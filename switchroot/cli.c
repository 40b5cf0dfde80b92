/* cli.c — the switch_root and pivot_root commands, with util-linux's syntax.
 *
 * Options end at the first non-option, so everything from INIT on (its own -x, --flag, --) reaches the
 * new init untouched. Parsed by hand rather than with getopt: libcs disagree on whether getopt
 * permutes arguments, and here that difference would change which arguments init receives. */
#include "switchroot.h"
#include "linux-api.h"
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define SWITCH_ROOT_USAGE                                                                         \
	"usage: switch_root [-c CONSOLE] [-n] NEWROOT INIT [ARGS...]\n"                           \
	"Move /dev /proc /sys /run into NEWROOT, make it /, free the initramfs, run INIT.\n"     \
	"  -c CONSOLE  reopen stdin, stdout and stderr on CONSOLE (a path in NEWROOT)\n"          \
	"  -n          dry run: make every check and report; change nothing\n"                    \
	"  -h          this help\n"

/* Plain writes, no stdio: like the init, the commands' binary links no FILE machinery (lib/fmt.c). */
static void say(int fd, const char *text)
{
	size_t n = strlen(text);
	while (n > 0) {
		ssize_t w = write(fd, text, n);
		if (w <= 0)
			return;
		text += w;
		n -= (size_t)w;
	}
}

/* A format function (not fmt and one string) so that -Wformat and lib/tests/fmtcheck.c see its formats. */
static int usage_error(const char *usage, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int usage_error(const char *usage, const char *fmt, ...)
{
	char what[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	say(STDERR_FILENO, "switch_root: ");
	say(STDERR_FILENO, what);
	say(STDERR_FILENO, "\n");
	say(STDERR_FILENO, usage);
	return 1;
}

int switch_root_main(int argc, char **argv)
{
	struct sr_request req = {0};
	int i;

	log_setup("switch_root", 0);
	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *opt = argv[i];
		if (!strcmp(opt, "--")) {
			i++;
			break;
		}
		if (!strcmp(opt, "--help")) {
			say(STDOUT_FILENO, SWITCH_ROOT_USAGE);
			return 0;
		}
		for (const char *c = opt + 1; *c; c++) {
			if (*c == 'n') {
				req.dry_run = true;
			} else if (*c == 'h') {
				say(STDOUT_FILENO, SWITCH_ROOT_USAGE);
				return 0;
			} else if (*c == 'c') {
				/* -cDEV or -c DEV */
				if (c[1])
					req.console = c + 1;
				else if (i + 1 < argc)
					req.console = argv[++i];
				else
					return usage_error(SWITCH_ROOT_USAGE, "option -c needs a CONSOLE");
				break;
			} else {
				char bad[3] = {'-', *c, 0};
				return usage_error(SWITCH_ROOT_USAGE, "unknown option %s", bad);
			}
		}
	}
	if (argc - i < 2)
		return usage_error(SWITCH_ROOT_USAGE, "%s", argc - i < 1 ? "NEWROOT and INIT are missing"
									: "INIT is missing");
	req.newroot = argv[i];
	req.init = argv[i + 1];
	req.argv = argv + i + 1; /* INIT, as given, is the new init's argv[0] */
	return sr_switch(&req) == SR_OK ? 0 : 1;
}

int pivot_root_main(int argc, char **argv)
{
	log_setup("pivot_root", 0);
	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		say(STDOUT_FILENO, "usage: pivot_root NEW_ROOT PUT_OLD\n"
				   "Make NEW_ROOT the root of this mount namespace and move the old root to PUT_OLD.\n");
		return 0;
	}
	if (argc != 3) {
		say(STDERR_FILENO, "pivot_root: NEW_ROOT and PUT_OLD are needed\nusage: pivot_root NEW_ROOT PUT_OLD\n");
		return 1;
	}
	if (er_pivot_root(argv[1], argv[2]) < 0) {
		int e = errno;
		log_error("failed to change root from '%s' to '%s': %s%s", argv[1], argv[2], strerror(e),
			  e == EINVAL ? " (NEW_ROOT must be a mount point and PUT_OLD under it; "
					"the initramfs itself cannot be pivoted: use switch_root)" : "");
		return 1;
	}
	return 0;
}
