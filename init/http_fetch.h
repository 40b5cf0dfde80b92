/* http_fetch.h — root=live:http://...: the live image downloaded into a file (on a tmpfs) over plain
 * HTTP/1.1, one connection at a time, bounded in size and time. The bytes are read by http.c.
 *
 * Timeouts: 10 s to connect, 30 s without a byte from the server (HTTP_FETCH_IDLE_MS), and DEADLINE_MS
 * over everything, retries and their waits included.
 * Retries (a boot waits for a server that starts late or a link that drops, never for a wrong URL):
 * a refused, unreachable, timed-out or reset connection, a silent server, a body cut short, and a
 * 5xx, 408 or 429 status are tried again, up to 4 attempts in all, 1, 2 then 4 s apart, each from
 * the first byte; a wait that would pass the deadline is not started. Never retried: another status
 * (404 ...), a malformed response, an image over MAX_BYTES, a local write error. Redirects (301 302
 * 303 307 308 to an http:// address or a path on the same server) are followed, at most 3. */
#ifndef EARLYROOT_HTTP_FETCH_H
#define EARLYROOT_HTTP_FETCH_H
#include <stddef.h>
#include <stdint.h>

#ifndef HTTP_FETCH_IDLE_MS
#define HTTP_FETCH_IDLE_MS 30000
#endif

/* Downloads URL into PATH (created, 0444; removed again on failure). MAX_BYTES: refused before the body
 * when Content-Length is larger, stopped when the body passes it. DEADLINE_MS: on now_ms()'s clock
 * (clock.h), <= 0 for none. PROGRESS (may be NULL): the bytes written and the total (0 when the server
 * sent no Content-Length), after each piece; restarts at 0 on a retry. Each retry is announced with
 * log_warn(). 0 done, -1 with ERR saying what, naming the URL: "http://10.0.2.2:8080/live.img: 404 Not
 * Found". */
int http_fetch_to_file(const char *url, const char *path, uint64_t max_bytes, long long deadline_ms,
		       void (*progress)(void *ctx, uint64_t done, uint64_t total), void *ctx, char *err,
		       size_t errsize);

#endif
