/* test-http — init/http.c under the sanitizers (TAP): the URL parser, the request, real responses
 * (init/tests/http-captures/, from python3 -m http.server, busybox httpd and a chunked server: see
 * http-capture.py) fed whole, one byte at a time and in random splits, and every error. */
#include "http.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BODY_LEN 3000 /* http-capture.py's file */

static unsigned char pattern[BODY_LEN];
static struct http_response r;
static char body[65536];
static size_t bodylen;
static int heads, stop_head, stop_body_at = -1;

static int on_head(void *ctx, const struct http_response *resp)
{
	(void)ctx;
	(void)resp;
	heads++;
	return stop_head ? -1 : 0;
}

static int on_body(void *ctx, const void *data, size_t len)
{
	(void)ctx;
	if (len == 0 || bodylen + len > sizeof body)
		return -1; /* never an empty piece */
	memcpy(body + bodylen, data, len);
	bodylen += len;
	return stop_body_at >= 0 && bodylen >= (size_t)stop_body_at ? -1 : 0;
}

static unsigned long long rng = 88172645463325252ull;
static size_t rnd(size_t n)
{
	rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
	return (size_t)(rng % n);
}

/* Feeds LEN bytes in pieces of STEP (0: random 1-300, -1 whole), then the end of the connection when
 * EOF. The final status. */
static enum http_status run(const char *s, size_t len, int step, int eof)
{
	enum http_status st = HTTP_MORE;
	size_t i = 0;

	http_response_init(&r, on_head, on_body, NULL);
	bodylen = 0;
	heads = 0;
	while (i < len) {
		size_t n = step < 0 ? len : step ? (size_t)step : 1 + rnd(300);
		if (n > len - i)
			n = len - i;
		st = http_feed(&r, s + i, n);
		i += n;
		if (st == HTTP_ERROR)
			return st; /* feeding more would change nothing: checked below */
	}
	return eof ? http_eof(&r) : st;
}

static enum http_status run_str(const char *s, int eof)
{
	return run(s, strlen(s), -1, eof);
}

static char *slurp(const char *path, size_t *len)
{
	static char buf[65536];
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	*len = fread(buf, 1, sizeof buf, f);
	fclose(f);
	return buf;
}

struct capture {
	const char *name;
	int status;
	int body;          /* 1: pattern; 0: empty; -1: any (an error page) */
	const char *location;
	int chunked;
	long long length;
};

static const struct capture captures[] = {
	{"python-200", 200, 1, "", 0, BODY_LEN},     {"python-empty", 200, 0, "", 0, 0},
	{"python-404", 404, -1, "", 0, 335},         {"python-301", 301, 0, "/dir/", 0, 0},
	{"busybox-200", 200, 1, "", 0, BODY_LEN},    {"busybox-empty", 200, 0, "", 0, 0},
	{"busybox-404", 404, -1, "", 0, -1},         {"busybox-302", 302, -1, "/dir/", 0, -1},
	{"chunked-200", 200, 1, "", 1, -1},          {"chunked-trailer", 200, 1, "", 1, -1},
};

static void test_captures(const char *dir)
{
	char path[512];

	for (size_t c = 0; c < sizeof captures / sizeof captures[0]; c++) {
		const struct capture *k = &captures[c];
		size_t len;
		snprintf(path, sizeof path, "%s/%s", dir, k->name);
		char *s = slurp(path, &len);
		if (!s) {
			CHECK(0, "%s read", path);
			continue;
		}
		/* whole, byte by byte, and 30 random splits: each the same answer */
		int same = 1, mode_ok[3] = {1, 1, 1};
		for (int round = 0; round < 32; round++) {
			int step = round == 0 ? -1 : round == 1 ? 1 : 0, m = round < 2 ? round : 2;
			enum http_status st = run(s, len, step, 1);
			int ok = st == HTTP_DONE && heads == 1 && r.status == k->status && r.chunked == k->chunked &&
				 r.content_length == k->length && !strcmp(r.location, k->location) &&
				 r.body_bytes == bodylen &&
				 (k->body < 0 || bodylen == (k->body ? BODY_LEN : 0u)) &&
				 (k->body != 1 || !memcmp(body, pattern, BODY_LEN));
			if (!ok) {
				mode_ok[m] = 0;
				printf("# %s round %d: status %d error %s\n", k->name, round, r.status, r.errmsg);
			}
			same &= ok;
		}
		CHECK(mode_ok[0], "%s: whole: status %d, body as served", k->name, k->status);
		CHECK(mode_ok[1], "%s: one byte at a time: the same", k->name);
		CHECK(mode_ok[2], "%s: 30 random splits: the same", k->name);
		if (k->length > 0) {
			/* The connection closed one byte early: a truncated image, never a success. */
			CHECK(run(s, len - 1, 0, 1) == HTTP_ERROR && r.error == HTTP_E_TRUNCATED,
			      "%s: one byte short is truncated (%s)", k->name, r.errmsg);
			/* One byte more than Content-Length. */
			char *more = malloc(len + 1);
			memcpy(more, s, len);
			more[len] = 'x';
			CHECK(run(more, len + 1, 7, 0) == HTTP_ERROR && r.error == HTTP_E_EXTRA,
			      "%s: a byte past Content-Length is an error (%s)", k->name, r.errmsg);
			free(more);
		}
		if (k->chunked) {
			CHECK(run(s, len - 5, 0, 1) == HTTP_ERROR && r.error == HTTP_E_TRUNCATED,
			      "%s: cut before the last chunk: truncated (%s)", k->name, r.errmsg);
			CHECK(run(s, len, -1, 0) == HTTP_DONE, "%s: done at the last chunk, before the close", k->name);
		}
	}
}

static void test_url(void)
{
	struct http_url u;
	char err[HTTP_ERR_SIZE], req[2048];

	CHECK(http_url_parse("http://10.0.2.2:8080/live.img", &u, err, sizeof err) == 0 && u.port == 8080 &&
	      u.addr[0] == 10 && u.addr[1] == 0 && u.addr[2] == 2 && u.addr[3] == 2 && !strcmp(u.host, "10.0.2.2:8080") &&
	      !strcmp(u.path, "/live.img"), "http://10.0.2.2:8080/live.img");
	CHECK(http_url_parse("HTTP://192.168.1.255/a%20b/c.img?x=1#frag", &u, err, sizeof err) == 0 && u.port == 80 &&
	      !strcmp(u.host, "192.168.1.255") && !strcmp(u.path, "/a%20b/c.img?x=1"),
	      "port 80 by default, percent-encoding and query kept, fragment dropped, scheme in any case");
	CHECK(http_url_parse("http://0.0.0.0:1/", &u, err, sizeof err) == 0 && u.port == 1 && !strcmp(u.path, "/"),
	      "port 1 and the path /");
	CHECK(http_url_parse("http://1.2.3.4:65535/x", &u, err, sizeof err) == 0 && u.port == 65535, "port 65535");
	CHECK(http_request(&u, req, sizeof req) > 0 &&
	      !strcmp(req, "GET /x HTTP/1.1\r\nHost: 1.2.3.4:65535\r\nUser-Agent: earlyroot\r\nAccept-Encoding: "
			   "identity\r\nConnection: close\r\n\r\n"), "the request text");
	CHECK(http_request(&u, req, 20) == -1, "a request that does not fit: -1");

	static const struct {
		const char *url, *msg;
	} bad[] = {
		{"https://10.0.2.2/live.img", "rd.live.sha256="},
		{"https://10.0.2.2/live.img", "no TLS"},
		{"http://server.lan/live.img", "is a host name, and the init has no DNS"},
		{"http://[::1]:80/x", "IPv6"},
		{"http://10.0.2.2:0/x", "not a port"},
		{"http://10.0.2.2:65536/x", "not a port"},
		{"http://10.0.2.2:/x", "not a port"},
		{"http://10.0.2.2:80a/x", "not a port"},
		{"http://10.0.2.2:99999999999999999999/x", "not a port"},
		{"http://10.0.2.2:0081/x", "not a port"}, /* fuzz: leading zeros overflowed the Host header */
		{"http://10.0.2.28:00000000000000000000000000000000000000000000000081/x", "not a port"},
		{"http://10.0.2.2", "no path"},
		{"http://10.0.2.2?x", "no path"},
		{"http://10.0.2.2/a b", "space"},
		{"http://10.0.2.2/a\r\nX: y", "control"},
		{"http://10.0.2.2/\xc3\xa9", "non-ASCII"},
		{"http://010.0.2.2/x", "not an IPv4 address"},
		{"http://1.2.3/x", "not an IPv4 address"},
		{"http://1.2.3.4.5/x", "not an IPv4 address"},
		{"http://256.1.1.1/x", "not an IPv4 address"},
		{"http://user@10.0.2.2/x", "user name"},
		{"ftp://10.0.2.2/x", "not an http:// URL"},
		{"http:/10.0.2.2/x", "not an http:// URL"},
		{"", "not an http:// URL"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int rc = http_url_parse(bad[i].url, &u, err, sizeof err);
		CHECK(rc == -1 && strstr(err, bad[i].msg), "refused (%s): %s", bad[i].msg, err);
	}
	char longurl[2100];
	snprintf(longurl, sizeof longurl, "http://1.2.3.4/%02000d", 0);
	CHECK(http_url_parse(longurl, &u, err, sizeof err) == -1 && strstr(err, "longer"), "a path too long: %s", err);
	CHECK(http_url_parse("https://10.0.2.2/x", &u, err, 10) == -1 && strlen(err) == 9, "the message cut to its buffer");
}

#define OK200 "HTTP/1.1 200 OK\r\n"

static void test_errors(void)
{
	static const struct {
		const char *resp;
		enum http_error e;
		const char *what;
	} bad[] = {
		{"HTTP/2 200 OK\r\n\r\n", HTTP_E_STATUS_LINE, "HTTP/2"},
		{"ICY 200 OK\r\n\r\n", HTTP_E_STATUS_LINE, "not HTTP"},
		{"HTTP/1.1 20 OK\r\n\r\n", HTTP_E_STATUS_LINE, "two-digit status"},
		{"HTTP/1.1 2000 OK\r\n\r\n", HTTP_E_STATUS_LINE, "four-digit status"},
		{"HTTP/1.1 099 X\r\n\r\n", HTTP_E_STATUS_LINE, "status below 100"},
		{"HTTP/1.1 600 X\r\n\r\n", HTTP_E_STATUS_LINE, "status 600"},
		{"HTTP/1.1  200 OK\r\n\r\n", HTTP_E_STATUS_LINE, "two spaces"},
		{"\r\nHTTP/1.1 200 OK\r\n\r\n", HTTP_E_STATUS_LINE, "an empty line first"},
		{"HTTP/1.1 101 Switching Protocols\r\n\r\n", HTTP_E_STATUS_LINE, "101"},
		{"HTTP/1.1 200 O\rK\r\n\r\n", HTTP_E_STATUS_LINE, "a bare CR in the status line"},
		{OK200 "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello", HTTP_E_LENGTH, "two different Content-Length"},
		{OK200 "Content-Length: 5, 6\r\n\r\nhello", HTTP_E_LENGTH, "a list of different lengths"},
		{OK200 "Content-Length: -5\r\n\r\n", HTTP_E_LENGTH, "a negative length"},
		{OK200 "Content-Length: 5x\r\n\r\n", HTTP_E_LENGTH, "a length with a letter"},
		{OK200 "Content-Length:\r\n\r\n", HTTP_E_LENGTH, "an empty length"},
		{OK200 "Content-Length: 99999999999999999999999\r\n\r\n", HTTP_E_LENGTH, "a length past 2^60"},
		{OK200 "Transfer-Encoding: gzip, chunked\r\n\r\n", HTTP_E_ENCODING, "gzip transfer coding"},
		{OK200 "Transfer-Encoding: chunked, gzip\r\n\r\n", HTTP_E_ENCODING, "chunked not last"},
		{OK200 "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", HTTP_E_ENCODING, "chunked twice"},
		{OK200 "Content-Encoding: gzip\r\n\r\n", HTTP_E_ENCODING, "a gzip body"},
		{OK200 "Content-Length 5\r\n\r\n", HTTP_E_HEADER, "a header without a colon"},
		{OK200 ": 5\r\n\r\n", HTTP_E_HEADER, "an empty header name"},
		{OK200 "X-A: 1\r\n folded\r\n\r\n", HTTP_E_HEADER, "a folded header"},
		{OK200 "X-A: 1\x01\r\n\r\n", HTTP_E_HEADER, "a control byte in a value"},
		{OK200 "X-A: 1\rX\r\n\r\n", HTTP_E_HEADER, "a bare CR in a header"},
		{OK200 "Transfer-Encoding: chunked\r\n\r\nzz\r\n", HTTP_E_CHUNK, "a chunk size that is not hex"},
		{OK200 "Transfer-Encoding: chunked\r\n\r\n\r\n", HTTP_E_CHUNK, "an empty chunk size"},
		{OK200 "Transfer-Encoding: chunked\r\n\r\n-1\r\n", HTTP_E_CHUNK, "a negative chunk size"},
		{OK200 "Transfer-Encoding: chunked\r\n\r\n11111111111111111\r\n", HTTP_E_CHUNK, "a chunk size of 17 digits"},
		{OK200 "Transfer-Encoding: chunked\r\n\r\n1000000000000001\r\n", HTTP_E_CHUNK, "a chunk size past 2^60"},
		{OK200 "Transfer-Encoding: chunked\r\n\r\n5 x\r\n", HTTP_E_CHUNK, "junk after a chunk size"},
		{OK200 "Transfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n", HTTP_E_CHUNK, "a chunk longer than its size"},
		{OK200 "Transfer-Encoding: chunked\r\n\r\n0\r\nbad trailer\r\n\r\n", HTTP_E_HEADER, "a malformed trailer"},
		{OK200 "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nX", HTTP_E_EXTRA, "a byte after the last chunk"},
		{OK200 "Content-Length: 2\r\n\r\nabc", HTTP_E_EXTRA, "a body longer than Content-Length"},
		{"HTTP/1.1 204 No Content\r\n\r\nX", HTTP_E_EXTRA, "a body after a 204"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		for (int step = -1; step <= 1; step++) {
			enum http_status st = run(bad[i].resp, strlen(bad[i].resp), step, 1);
			if (step == 1 || st != HTTP_ERROR || r.error != bad[i].e || !r.errmsg[0])
				CHECK(st == HTTP_ERROR && r.error == bad[i].e && r.errmsg[0], "%s (%s): %s",
				      bad[i].what, step < 0 ? "whole" : step ? "bytewise" : "random splits", r.errmsg);
		}
		/* Nothing more is taken after an error. */
		size_t before = r.body_bytes;
		CHECK(http_feed(&r, "more", 4) == HTTP_ERROR && http_eof(&r) == HTTP_ERROR && r.body_bytes == before,
		      "%s: fed more, still the same error", bad[i].what);
	}

	/* The bounds of the head. */
	static char big[40000];
	int n = snprintf(big, sizeof big, OK200 "X-Long: ");
	memset(big + n, 'a', HTTP_MAX_LINE);
	strcpy(big + n + HTTP_MAX_LINE, "\r\n\r\n");
	CHECK(run(big, strlen(big), 0, 1) == HTTP_ERROR && r.error == HTTP_E_HEAD_TOO_LONG,
	      "a header line over %d bytes: %s", HTTP_MAX_LINE, r.errmsg);
	n = snprintf(big, sizeof big, OK200);
	while (n < HTTP_MAX_HEAD + 100)
		n += snprintf(big + n, sizeof big - (size_t)n, "X-Many: 0123456789012345678901234567890123456789\r\n");
	strcpy(big + n, "Content-Length: 0\r\n\r\n");
	CHECK(run(big, strlen(big), 0, 1) == HTTP_ERROR && r.error == HTTP_E_HEAD_TOO_LONG && heads == 0,
	      "headers over %d bytes in all, each short: %s", HTTP_MAX_HEAD, r.errmsg);
	n = snprintf(big, sizeof big, OK200 "Transfer-Encoding: chunked\r\n\r\n1;");
	memset(big + n, 'e', HTTP_MAX_LINE);
	strcpy(big + n + HTTP_MAX_LINE, "\r\nx\r\n0\r\n\r\n");
	CHECK(run(big, strlen(big), 0, 1) == HTTP_ERROR && r.error == HTTP_E_HEAD_TOO_LONG,
	      "a chunk-size line with %d bytes of extensions: %s", HTTP_MAX_LINE, r.errmsg);
	n = snprintf(big, sizeof big, OK200 "Transfer-Encoding: chunked\r\n\r\n0\r\n");
	while (n < HTTP_MAX_HEAD + 100)
		n += snprintf(big + n, sizeof big - (size_t)n, "X-Trailer: 0123456789012345678901234567890123456789\r\n");
	strcpy(big + n, "\r\n");
	CHECK(run(big, strlen(big), 0, 1) == HTTP_ERROR && r.error == HTTP_E_HEAD_TOO_LONG,
	      "trailers over %d bytes: %s", HTTP_MAX_HEAD, r.errmsg);
	/* Just inside the bounds: a header line of HTTP_MAX_LINE - 1 bytes with its LF. */
	n = snprintf(big, sizeof big, OK200);
	int start = n;
	n += snprintf(big + n, sizeof big - (size_t)n, "X-Long: ");
	memset(big + n, 'a', (size_t)(HTTP_MAX_LINE - 1 - (n - start)));
	n = start + HTTP_MAX_LINE - 1;
	strcpy(big + n, "\nContent-Length: 1\r\n\r\nz");
	CHECK(run(big, strlen(big), 0, 1) == HTTP_DONE && bodylen == 1, "a header line of %d bytes is taken",
	      HTTP_MAX_LINE - 1);

	/* Truncations. */
	CHECK(run_str("", 1) == HTTP_ERROR && r.error == HTTP_E_TRUNCATED && strstr(r.errmsg, "without a response"),
	      "closed without a response: %s", r.errmsg);
	CHECK(run_str("HTTP/1.1 200 OK\r\nContent-Le", 1) == HTTP_ERROR && r.error == HTTP_E_TRUNCATED &&
	      strstr(r.errmsg, "head"), "closed in the head: %s", r.errmsg);
	CHECK(run_str(OK200 "Content-Length: 10\r\n\r\nabc", 1) == HTTP_ERROR && r.error == HTTP_E_TRUNCATED &&
	      strstr(r.errmsg, "after 3 of 10 bytes"), "closed in the body: %s", r.errmsg);
	CHECK(run_str(OK200 "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n", 1) == HTTP_ERROR &&
	      r.error == HTTP_E_TRUNCATED, "closed between chunks: %s", r.errmsg);
	CHECK(run_str(OK200 "Transfer-Encoding: chunked\r\n\r\n0\r\n", 1) == HTTP_ERROR && r.error == HTTP_E_TRUNCATED,
	      "closed in the trailers: %s", r.errmsg);

	/* The callbacks stop the parse. */
	stop_head = 1;
	CHECK(run_str(OK200 "Content-Length: 3\r\n\r\nabc", 0) == HTTP_ERROR && r.error == HTTP_E_ABORTED && bodylen == 0,
	      "on_head's -1: no body delivered");
	stop_head = 0;
	stop_body_at = 2;
	CHECK(run(OK200 "Content-Length: 5\r\n\r\nabcde", 41, 1, 0) == HTTP_ERROR && r.error == HTTP_E_ABORTED &&
	      bodylen == 2, "on_body's -1: nothing more delivered");
	stop_body_at = -1;
}

static void test_good(void)
{
	CHECK(run_str("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi", 0) == HTTP_DONE &&
	      heads == 1 && r.status == 200 && bodylen == 2, "100 Continue, then the response");
	CHECK(run_str("HTTP/1.1 204 No Content\r\n\r\n", 0) == HTTP_DONE && bodylen == 0, "204: no body");
	CHECK(run_str("HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n", 0) == HTTP_DONE, "304: no body");
	CHECK(run_str("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", 0) == HTTP_DONE && r.reason[0] == 0,
	      "a status line without a reason");
	CHECK(run_str("HTTP/1.1 503 Busy \x01\xff\r\nContent-Length: 0\r\n\r\n", 0) == HTTP_DONE && r.status == 503 &&
	      !strcmp(r.reason, "Busy ??"), "the reason's unprintable bytes shown as ?");
	CHECK(run_str("HTTP/1.0 200 OK\nContent-Length: 3\n\nabc", 0) == HTTP_DONE && r.version == 10 && bodylen == 3,
	      "bare LF line ends");
	CHECK(run_str(OK200 "content-length: 3 , 3\r\nCONTENT-LENGTH:3\r\n\r\nabc", 0) == HTTP_DONE && r.content_length == 3,
	      "the same length repeated, in a list, in any case");
	CHECK(run_str(OK200 "Transfer-Encoding: Chunked\r\nContent-Length: 1\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 0) == HTTP_DONE &&
	      bodylen == 3 && r.content_length == -1, "chunked wins over Content-Length");
	CHECK(run_str(OK200 "Transfer-Encoding: chunked\n\n3 ;a=b;c\nabc\nA\n0123456789\n0\nX-T: 1\n\n", 0) == HTTP_DONE &&
	      bodylen == 13 && !memcmp(body, "abc0123456789", 13), "chunks with extensions, bare LFs, a trailer");
	CHECK(run_str(OK200 "Content-Encoding: identity\r\nX-Empty:\r\n\r\nuntil close", 1) == HTTP_DONE && bodylen == 11,
	      "no length: the body ends with the connection");
	CHECK(run_str("HTTP/1.1 308 Permanent Redirect\r\nLocation:  http://10.0.2.2/b.img \r\nContent-Length: 0\r\n\r\n", 0) ==
	      HTTP_DONE && !strcmp(r.location, "http://10.0.2.2/b.img") && http_is_redirect(r.status),
	      "a Location, its spaces trimmed");
	CHECK(!http_is_redirect(300) && !http_is_redirect(304) && http_is_redirect(301) && http_is_redirect(307),
	      "which statuses redirect");
}

int main(int argc, char **argv)
{
	for (int i = 0; i < BODY_LEN; i++)
		pattern[i] = (unsigned char)((i * 7 + 3) % 251);
	test_url();
	test_good();
	test_errors();
	test_captures(argc > 1 ? argv[1] : "init/tests/http-captures");
	return tap_finish();
}
