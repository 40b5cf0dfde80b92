/* uevent.h — the kernel's device announcements: one netlink socket for the whole boot, read in one
 * place, handed to every stage that registered for them (the module autoloader, the root wait; the
 * next layers — loop, dm, md, network devices — register the same way). */
#ifndef EARLYROOT_UEVENT_H
#define EARLYROOT_UEVENT_H
#include <stddef.h>

/* One message: "add@/devices/...\0ACTION=add\0DEVNAME=vda\0MODALIAS=...\0". */
struct uevent {
	const char *action, *devname, *modalias; /* NULL when the message has none */
	const char *msg;                        /* the whole message, for uevent_get() */
	size_t len;
};

/* EV is NULL when messages were lost (the socket's buffer overflowed): look at everything again. */
typedef void uevent_fn(void *ctx, const struct uevent *ev);

#define UEVENT_LISTENERS 8

struct uevents {
	int fd; /* -1: no socket; waiting then means sleeping a little and looking again */
	struct {
		uevent_fn *fn;
		void *ctx;
	} listeners[UEVENT_LISTENERS];
};

/* Open the socket, before anything looks at /sys: a device that appears later is then either seen
 * by that look or announced here. */
void uevents_open(struct uevents *ue);
/* Hand every message from now on to FN(CTX, ...) too; the same pair again is a no-op. */
void uevents_listen(struct uevents *ue, uevent_fn *fn, void *ctx);
void uevents_unlisten(struct uevents *ue, uevent_fn *fn, void *ctx);
/* Sleep until the kernel announces something or MS ms pass (at most 100 ms without a socket), then
 * hand each message waiting to every listener. */
void uevents_wait(struct uevents *ue, long long ms);
/* The value of KEY ("ACTION=") in a message of LEN bytes, or NULL. */
const char *uevent_get(const char *msg, size_t len, const char *key);

#endif
