/* test-http-fetch — init/http_fetch.c against a real server on 127.0.0.1 (http-fetch-server.py,
 * started here), under the sanitizers (TAP): a download compared with cmp, chunked, no Content-Length,
 * a redirect, 404, a 503 then success, a server that closes mid-transfer once (the retry works) and
 * always (the error), an image over the limit (refused before the body: the server sees the close),
 * one passing the limit without a length, a silent server (idle timeout), a refused connection.
 * Built with HTTP_FETCH_IDLE_MS=1500 so that the idle case takes seconds, not minutes. */
#include "clock.h"
#include "http_fetch.h"
#include "tap.h"

#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[] = "/tmp/earlyroot-http.XXXXXX", url[256], out[512], err[512], cmd[1024];
static int port, calls;
static uint64_t last_done, last_total;

static void progress(void *ctx, uint64_t done, uint64_t total)
{
	(void)ctx;
	calls++;
	last_done = done;
	last_total = total;
}

static int fetch(const char *path, uint64_t max, long long deadline)
{
	snprintf(url, sizeof url, "http://127.0.0.1:%d%s", port, path);
	calls = 0;
	last_done = last_total = 0;
	err[0] = 0;
	return http_fetch_to_file(url, out, max, deadline, progress, NULL, err, sizeof err);
}

static int same_as_img(void)
{
	snprintf(cmd, sizeof cmd, "cmp -s %s/img %s", dir, out);
	return system(cmd) == 0;
}

/* Is LINE in the server's event log? */
static int event(const char *line)
{
	snprintf(cmd, sizeof cmd, "grep -qx '%s' %s/events", line, dir);
	return system(cmd) == 0;
}

int main(int argc, char **argv)
{
	const char *server = argc > 1 ? argv[1] : "init/tests/http-fetch-server.py";
	int pfd[2];
	char line[32] = "";

	if (!mkdtemp(dir) || pipe(pfd) < 0) {
		CHECK(0, "mkdtemp, pipe");
		return tap_finish();
	}
	snprintf(out, sizeof out, "%s/out.img", dir);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(pfd[1], 1);
		execlp("python3", "python3", server, dir, (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	ssize_t n = read(pfd[0], line, sizeof line - 1);
	port = n > 0 ? atoi(line) : 0;
	CHECK(port > 0, "the server listens on 127.0.0.1:%d", port);
	if (port <= 0)
		return tap_finish();

	const uint64_t big = 64ull << 20;
	long long t;
	CHECK(fetch("/img", big, 0) == 0 && same_as_img(), "a download with Content-Length: the same bytes (%s)", err);
	CHECK(calls > 1 && last_done == last_total && last_total > 3000000, "progress: %d calls, %llu of %llu", calls,
	      (unsigned long long)last_done, (unsigned long long)last_total);
	CHECK(fetch("/chunked", big, 0) == 0 && same_as_img() && last_total == 0, "chunked: the same bytes, total 0 (%s)", err);
	CHECK(fetch("/noclen", big, 0) == 0 && same_as_img(), "no Content-Length, to the close: the same bytes (%s)", err);
	CHECK(fetch("/redirect", big, 0) == 0 && same_as_img(), "a 302 to /img is followed (%s)", err);
	CHECK(fetch("/loop", big, 0) == -1 && strstr(err, "more than 3 redirects") && event("/loop 4") && !event("/loop 5"),
	      "a redirect loop: stopped after 3: %s", err);
	CHECK(fetch("/missing.img", big, 0) == -1 && access(out, F_OK) < 0, "404: an error, no file left");
	snprintf(line, sizeof line, "127.0.0.1:%d", port);
	CHECK(strstr(err, line) && strstr(err, "/missing.img: 404 Not Found") && event("/missing.img 1") &&
	      !event("/missing.img 2"), "404 named with the server and path, never retried: %s", err);
	t = now_ms();
	CHECK(fetch("/busy", big, 0) == 0 && same_as_img() && event("/busy 2"), "a 503, then success on the retry (%s)", err);
	CHECK(now_ms() - t >= 900, "the retry waited 1 s (%lld ms)", now_ms() - t);
	CHECK(fetch("/flaky", big, 0) == 0 && same_as_img() && event("/flaky 2"),
	      "closed mid-transfer once: the retry gets the whole image (%s)", err);
	t = now_ms();
	CHECK(fetch("/broken", big, 0) == -1 && strstr(err, "the server closed the connection after 1 of 3 MiB") &&
	      strstr(err, "(4 attempts)") && event("/broken 4") && !event("/broken 5") && access(out, F_OK) < 0,
	      "always closed mid-transfer: 4 attempts, then: %s", err);
	CHECK(now_ms() - t >= 6900 && now_ms() - t < 12000, "waits of 1, 2 and 4 s between them (%lld ms)", now_ms() - t);
	t = now_ms();
	CHECK(fetch("/broken", big, now_ms() + 2500) == -1 && strstr(err, "no time left") && event("/broken 6") &&
	      !event("/broken 7") && now_ms() - t < 2500, "a deadline stops the retries before it passes: %s", err);
	CHECK(fetch("/big", 400ull << 20, 0) == -1 &&
	      strstr(err, "the image is 700 MiB, more than the 400 MiB of RAM it may take (rd.minmem=)") && last_done == 0,
	      "Content-Length over the limit: refused before the body: %s", err);
	sleep(1);
	CHECK(event("big closed-early"), "the server saw the connection closed before sending the body");
	CHECK(fetch("/noclen", 1 << 20, 0) == -1 && strstr(err, "passed the 1 MiB") && access(out, F_OK) < 0 &&
	      last_done <= 1 << 20, "no Content-Length, past the limit: stopped during the download: %s", err);
	t = now_ms();
	CHECK(fetch("/silent", big, now_ms() + 2200) == -1 && strstr(err, "no data from the server for 1 s") &&
	      now_ms() - t < 3000, "a silent server: the idle timeout, bounded (%lld ms): %s", now_ms() - t, err);

	/* A port nobody listens on: bound, never listened to, closed. */
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t sl = sizeof sa;
	bind(s, (struct sockaddr *)&sa, sizeof sa);
	getsockname(s, (struct sockaddr *)&sa, &sl);
	close(s);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/x.img", ntohs(sa.sin_port));
	t = now_ms();
	CHECK(http_fetch_to_file(url, out, big, now_ms() + 1500, NULL, NULL, err, sizeof err) == -1 &&
	      strstr(err, "/x.img: connection refused") && now_ms() - t < 2000, "connection refused: %s", err);
	CHECK(http_fetch_to_file("https://127.0.0.1/x", out, big, 0, NULL, NULL, err, sizeof err) == -1 &&
	      strstr(err, "rd.live.sha256="), "https refused: %s", err);
	CHECK(http_fetch_to_file(url, "/nonexistent-dir/x", big, 0, NULL, NULL, err, sizeof err) == -1 &&
	      strstr(err, "cannot create /nonexistent-dir/x"), "an output that cannot be made: %s", err);

	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	return tap_finish();
}
