/* rootdev.h — find the device root= names, waiting for the kernel to create it. */
#ifndef EARLYROOT_ROOTDEV_H
#define EARLYROOT_ROOTDEV_H
#include "blockdevs.h"
#include "cmdline.h"
#include "uevent.h"

struct storage;
#include <stddef.h>

/* Wait for the root device, woken by UE's events. Returns 0 with PATH filled, or -1 with the reason
 * logged; KEPT_OUT names the modules module_blacklist= kept from loading ("a,b" or ""), for that
 * message. */
int wait_for_root(const struct cmdline *cl, struct uevents *ue, struct storage *stack, const char *kept_out,
		  char *path, size_t size);

/* How long the command line lets the root be waited for (rootwait, rd.timeout: 30 s by default), in
 * ms; -1: for ever. */
long long root_wait_budget_ms(const struct cmdline *cl);

/* A device to wait for: named by SPEC (a root= spelling), or, with SPEC NULL, the first that TAKE
 * accepts (a medium known by what it holds). */
struct device_wait {
	const char *key;  /* the parameter that names it, for messages: "root", "rd.live.overlay" */
	const char *spec; /* its value */
	const char *what; /* "root device", "live medium" */
	const char *hint; /* what to check when it is not found */
	const char *looking_for; /* SPEC NULL: what TAKE wants, for messages ("(a disk with /live)") */
	int (*take)(void *ctx, const struct blockdev *d);
	void *ctx;
	struct storage *stack; /* NULL, or the stacked storage that looks at each device on the way */
	int optional;     /* not finding it is a warning, not an error: the boot goes on without it */
};

/* Wait for W's device as long as the command line allows (rootwait, rd.timeout: 30 s by default).
 * Returns 0 with PATH filled, or -1 with the reason logged. */
int wait_for_device(const struct device_wait *w, const struct cmdline *cl, struct uevents *ue, const char *kept_out,
		    char *path, size_t size);

#endif
