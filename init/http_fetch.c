/* http_fetch.c — see http_fetch.h. Non-blocking sockets and poll(): every wait has an end, and the
 * one clock (now_ms) bounds the whole. */
#include "http_fetch.h"
#include "clock.h"
#include "http.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define CONNECT_MS 10000
#define ATTEMPTS 4
#define MAX_REDIRECTS 3
#define BUF_SIZE (64 * 1024)
#define MIB (1024 * 1024)

enum outcome { DONE, RETRY, FAIL, REDIRECT };

struct fetch {
	struct http_url u;
	char where[HTTP_MAX_PATH + 32]; /* http://HOST[:PORT]/PATH, for every message */
	const char *path;
	int fd;
	uint64_t max, total;
	long long deadline;
	void (*progress)(void *ctx, uint64_t done, uint64_t total);
	void *ctx;
	int too_big, write_errno, status;
	char msg[HTTP_ERR_SIZE + HTTP_MAX_PATH + 128];
	struct http_response r;
	char buf[BUF_SIZE];
};

static void say(struct fetch *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct fetch *f, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(f->msg, sizeof f->msg, "%s: ", f->where);
	va_start(ap, fmt);
	vsnprintf(f->msg + n, sizeof f->msg - (size_t)n, fmt, ap);
	va_end(ap);
}

/* "12 of 40 MiB", "300 of 2000 bytes", "12 MiB": how far a download got. */
static void amount(char *out, size_t size, uint64_t done, uint64_t total)
{
	int mib = (total ? total : done) >= MIB;
	uint64_t unit = mib ? MIB : 1;
	if (total)
		snprintf(out, size, "%llu of %llu %s", (unsigned long long)(done / unit),
			 (unsigned long long)(total / unit), mib ? "MiB" : "bytes");
	else
		snprintf(out, size, "%llu %s", (unsigned long long)(done / unit), mib ? "MiB" : "bytes");
}

/* Milliseconds to wait now: LIMIT, or less when the deadline is nearer. */
static int wait_ms(const struct fetch *f, int limit)
{
	if (f->deadline <= 0)
		return limit;
	long long left = f->deadline - now_ms();
	return left <= 0 ? 0 : left < limit ? (int)left : limit;
}

static int on_head(void *ctx, const struct http_response *r)
{
	struct fetch *f = ctx;
	f->status = r->status;
	if (r->status != 200)
		return -1; /* not the image: its body is not read */
	if (r->content_length >= 0 && (uint64_t)r->content_length > f->max) {
		f->too_big = 1;
		return -1;
	}
	f->total = r->content_length > 0 ? (uint64_t)r->content_length : 0;
	return 0;
}

static int on_body(void *ctx, const void *data, size_t len)
{
	struct fetch *f = ctx;
	const char *p = data;
	if (f->r.body_bytes > f->max) {
		f->too_big = 1;
		return -1;
	}
	while (len) {
		ssize_t n = write(f->fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			f->write_errno = n < 0 ? errno : ENOSPC;
			return -1;
		}
		p += n, len -= (size_t)n;
	}
	if (f->progress)
		f->progress(f->ctx, f->r.body_bytes, f->total);
	return 0;
}

/* Connects within CONNECT_MS (and the deadline): the socket, or -1 with the message and RETRY/FAIL. */
static int connect_to(struct fetch *f, enum outcome *o)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0), e = 0;
	socklen_t elen = sizeof e;

	*o = RETRY;
	if (fd < 0) {
		say(f, "cannot make a socket: %s", strerror(errno));
		*o = FAIL;
		return -1;
	}
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons(f->u.port);
	memcpy(&sa.sin_addr, f->u.addr, 4);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		struct pollfd p = {fd, POLLOUT, 0};
		int n;
		e = errno;
		if (e == EINPROGRESS) {
			while ((n = poll(&p, 1, wait_ms(f, CONNECT_MS))) < 0 && errno == EINTR)
				;
			e = n == 0 ? ETIMEDOUT : getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &elen) < 0 ? errno : e;
		}
	}
	if (!e)
		return fd;
	close(fd);
	if (e == ECONNREFUSED)
		say(f, "connection refused (is the server running, on that port?)");
	else if (e == ETIMEDOUT)
		say(f, "no answer to the connection in %d s", wait_ms(f, CONNECT_MS) ? CONNECT_MS / 1000 : 0);
	else if (e == ENETUNREACH || e == EHOSTUNREACH)
		say(f, "%s (is the network up, with a route to the server?)", strerror(e));
	else
		say(f, "cannot connect: %s", strerror(e));
	return -1;
}

/* Waits up to the idle timeout for FD to be ready for EVENTS: 1 ready, 0 timed out (message said). */
static int ready(struct fetch *f, int fd, short events)
{
	struct pollfd p = {fd, events, 0};
	int n, ms = wait_ms(f, HTTP_FETCH_IDLE_MS);
	char got[64];

	while ((n = poll(&p, 1, ms)) < 0 && errno == EINTR)
		;
	if (n > 0)
		return 1;
	amount(got, sizeof got, f->r.body_bytes, f->total);
	if (ms < HTTP_FETCH_IDLE_MS)
		say(f, "the time limit for the download passed (after %s)", got);
	else
		say(f, "no data from the server for %d s (after %s)", HTTP_FETCH_IDLE_MS / 1000, got);
	return 0;
}

/* One request and its response, the body into f->fd. */
static enum outcome attempt(struct fetch *f)
{
	enum outcome o;
	int sock = connect_to(f, &o), len = sock < 0 ? 0 : http_request(&f->u, f->buf, sizeof f->buf), sent = 0;
	enum http_status st = HTTP_MORE;
	char got[64];

	if (sock < 0)
		return o;
	http_response_init(&f->r, on_head, on_body, f);
	f->status = 0;
	f->total = 0;
	while (sent < len) {
		ssize_t n = ready(f, sock, POLLOUT) ? send(sock, f->buf + sent, (size_t)(len - sent), MSG_NOSIGNAL) : -2;
		if (n == -2 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
			if (n == -1)
				say(f, "cannot send the request: %s", strerror(errno));
			close(sock);
			return RETRY;
		}
		sent += n > 0 ? (int)n : 0;
	}
	while (st == HTTP_MORE) {
		ssize_t n = ready(f, sock, POLLIN) ? recv(sock, f->buf, sizeof f->buf, 0) : -2;
		if (n < 0 && (errno == EINTR || errno == EAGAIN) && n != -2)
			continue;
		if (n < 0) {
			amount(got, sizeof got, f->r.body_bytes, f->total);
			if (n == -1)
				say(f, "%s after %s", errno == ECONNRESET ? "the server reset the connection" : strerror(errno), got);
			close(sock);
			return RETRY;
		}
		st = n ? http_feed(&f->r, f->buf, (size_t)n) : http_eof(&f->r);
	}
	close(sock);
	if (st == HTTP_DONE && f->status == 200)
		return DONE;
	amount(got, sizeof got, f->r.body_bytes, f->total);
	if (f->write_errno) {
		say(f, "cannot write %s after %s: %s", f->path, got, strerror(f->write_errno));
		return FAIL;
	}
	if (f->too_big) {
		uint64_t size = f->r.content_length >= 0 ? (uint64_t)f->r.content_length : 0;
		if (size)
			say(f, "the image is %llu MiB, more than the %llu MiB of RAM it may take (rd.minmem=)",
			    (unsigned long long)((size + MIB - 1) / MIB), (unsigned long long)(f->max / MIB));
		else
			say(f, "the image passed the %llu MiB of RAM it may take (rd.minmem=); the server sent no "
			    "Content-Length", (unsigned long long)(f->max / MIB));
		return FAIL;
	}
	if (f->r.error == HTTP_E_TRUNCATED) {
		if (f->status == 200 && f->r.body_bytes)
			say(f, "the server closed the connection after %s", got);
		else
			say(f, "%s", f->r.errmsg);
		return RETRY;
	}
	if (f->status && f->status != 200) {
		say(f, "%d %s", f->status, f->r.reason);
		if (http_is_redirect(f->status))
			return REDIRECT;
		return f->status >= 500 || f->status == 408 || f->status == 429 ? RETRY : FAIL;
	}
	say(f, "a malformed response: %s", f->r.errmsg);
	return FAIL;
}

/* f->u becomes the Location of the redirect in f->r: 0, or -1 with the message. */
static int follow(struct fetch *f)
{
	char next[HTTP_MAX_PATH + 32], err[HTTP_ERR_SIZE];
	const char *loc = f->r.location;

	if (!loc[0]) {
		say(f, "%d %s without a usable Location", f->status, f->r.reason);
		return -1;
	}
	/* A path on the same server, or a whole http:// URL. */
	snprintf(next, sizeof next, "%s%s%s", loc[0] == '/' ? "http://" : "", loc[0] == '/' ? f->u.host : "", loc);
	if (http_url_parse(next, &f->u, err, sizeof err) < 0) {
		say(f, "redirected to an address the init cannot fetch: %s", err);
		return -1;
	}
	log_info("%s: %d %s: redirected to http://%s%s", f->where, f->status, f->r.reason, f->u.host, f->u.path);
	snprintf(f->where, sizeof f->where, "http://%s%s", f->u.host, f->u.path);
	return 0;
}

int http_fetch_to_file(const char *url, const char *path, uint64_t max_bytes, long long deadline_ms,
		       void (*progress)(void *ctx, uint64_t done, uint64_t total), void *ctx, char *err,
		       size_t errsize)
{
	struct fetch *f = malloc(sizeof *f);
	int tries = 0, redirects = 0, r = -1;
	enum outcome o = FAIL;

	if (!f) {
		snprintf(err, errsize, "%s: out of memory", url);
		return -1;
	}
	memset(f, 0, offsetof(struct fetch, r));
	if (http_url_parse(url, &f->u, err, errsize) < 0) {
		free(f);
		return -1;
	}
	snprintf(f->where, sizeof f->where, "http://%s%s", f->u.host, f->u.path);
	f->path = path;
	f->max = max_bytes;
	f->deadline = deadline_ms;
	f->progress = progress;
	f->ctx = ctx;
	f->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0444);
	if (f->fd < 0) {
		snprintf(err, errsize, "cannot create %s for %s: %s", path, f->where, strerror(errno));
		free(f);
		return -1;
	}
	for (;;) {
		if (lseek(f->fd, 0, SEEK_SET) < 0 || ftruncate(f->fd, 0) < 0) {
			say(f, "cannot empty %s for another attempt: %s", path, strerror(errno));
			break;
		}
		o = attempt(f);
		if (o == DONE || o == FAIL)
			break;
		if (o == REDIRECT) {
			if (redirects++ == MAX_REDIRECTS) {
				say(f, "more than %d redirects", MAX_REDIRECTS);
				break;
			}
			if (follow(f) < 0)
				break;
			continue;
		}
		int wait = 1000 << tries;
		if (++tries == ATTEMPTS || (f->deadline > 0 && now_ms() + wait >= f->deadline)) {
			size_t n = strlen(f->msg);
			snprintf(f->msg + n, sizeof f->msg - n, " (%d attempt%s%s)", tries, tries > 1 ? "s" : "",
				 tries < ATTEMPTS ? ", no time left for another" : "");
			break;
		}
		log_warn("%s; trying again in %d s (attempt %d of %d)", f->msg, wait / 1000, tries + 1, ATTEMPTS);
		poll(NULL, 0, wait);
	}
	if (close(f->fd) < 0 && o == DONE) {
		say(f, "cannot write %s: %s", path, strerror(errno));
		o = FAIL;
	}
	if (o == DONE)
		r = 0;
	else {
		unlink(path); /* a partial image would only take RAM */
		snprintf(err, errsize, "%s", f->msg);
	}
	free(f);
	return r;
}
