/* uevent.c — the uevent socket and the one loop that reads it (see uevent.h). */
#include "uevent.h"
#include "linux-api.h"
#include "log.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define NO_SOCKET_POLL_MS 100
#define UEVENT_RCVBUF (4 << 20)

void uevents_open(struct uevents *ue)
{
	struct er_sockaddr_nl addr = {.nl_family = AF_NETLINK, .nl_groups = 1 /* kernel events */};

	memset(ue, 0, sizeof *ue);
	ue->fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, ER_NETLINK_KOBJECT_UEVENT);
	/* The socket is open from the modules stage on, while hundreds of modules may load and each
	 * announces itself: room for those, so that a generic image does not lose events and walk
	 * /sys again. Only queued messages use it; as PID 1 we may exceed rmem_max (FORCE). */
	int room = UEVENT_RCVBUF;
	if (ue->fd >= 0)
		setsockopt(ue->fd, SOL_SOCKET, SO_RCVBUFFORCE, &room, sizeof room);
	if (ue->fd >= 0 && bind(ue->fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
		close(ue->fd);
		ue->fd = -1;
	}
	if (ue->fd < 0)
		log_debug("no uevent socket (%m): looking for devices every %d ms", NO_SOCKET_POLL_MS);
}

void uevents_listen(struct uevents *ue, uevent_fn *fn, void *ctx)
{
	int free_slot = -1;

	for (int i = 0; i < UEVENT_LISTENERS; i++) {
		if (ue->listeners[i].fn == fn && ue->listeners[i].ctx == ctx)
			return;
		if (!ue->listeners[i].fn && free_slot < 0)
			free_slot = i;
	}
	if (free_slot < 0) {
		log_error("too many uevent listeners (%d): an event consumer is not registered", UEVENT_LISTENERS);
		return;
	}
	ue->listeners[free_slot].fn = fn;
	ue->listeners[free_slot].ctx = ctx;
}

void uevents_unlisten(struct uevents *ue, uevent_fn *fn, void *ctx)
{
	for (int i = 0; i < UEVENT_LISTENERS; i++)
		if (ue->listeners[i].fn == fn && ue->listeners[i].ctx == ctx)
			ue->listeners[i].fn = NULL;
}

const char *uevent_get(const char *msg, size_t len, const char *key)
{
	size_t klen = strlen(key);

	/* NUL-separated fields, not always NUL-ended. */
	for (size_t off = 0; off < len;) {
		const char *s = msg + off;
		size_t n = strnlen(s, len - off);
		if (off + n == len)
			break; /* unterminated last field: not trusted */
		if (!strncmp(s, key, klen))
			return s + klen;
		off += n + 1;
	}
	return NULL;
}

static void dispatch(struct uevents *ue, const struct uevent *ev)
{
	/* A listener may unregister itself or another: each slot is read when its turn comes. */
	for (int i = 0; i < UEVENT_LISTENERS; i++)
		if (ue->listeners[i].fn)
			ue->listeners[i].fn(ue->listeners[i].ctx, ev);
}

void uevents_wait(struct uevents *ue, long long ms)
{
	static char buf[8192]; /* static: PID 1's stack stays small, and there is one reader */
	struct pollfd pfd = {.fd = ue->fd, .events = POLLIN};
	ssize_t n;

	if (ms < 0)
		ms = 0;
	if (ue->fd < 0) {
		usleep((unsigned)(ms < NO_SOCKET_POLL_MS ? ms : NO_SOCKET_POLL_MS) * 1000);
		return;
	}
	if (poll(&pfd, 1, (int)ms) <= 0)
		return;
	while ((n = recv(ue->fd, buf, sizeof buf, MSG_DONTWAIT)) > 0 || (n < 0 && errno == ENOBUFS)) {
		if (n < 0) {
			log_debug("uevents were lost: looking at every device again");
			dispatch(ue, NULL);
			continue;
		}
		struct uevent ev = {.msg = buf, .len = (size_t)n};
		ev.action = uevent_get(buf, ev.len, "ACTION=");
		ev.devname = uevent_get(buf, ev.len, "DEVNAME=");
		ev.modalias = uevent_get(buf, ev.len, "MODALIAS=");
		dispatch(ue, &ev);
	}
}
