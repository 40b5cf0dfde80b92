/* fuzz-http — libFuzzer target for init/http.c, the parser of what an HTTP server on the boot network
 * sends (root=live:http://...). The input is a response: fed whole, then again in pieces of 1 to 64
 * bytes chosen from the input itself; both must give the same answer, the same body bytes (a running
 * sum), and then the same end of connection. Its first line is also given to the URL parser. */
#include "http.h"

#include <string.h>

struct sum {
	uint64_t n, h;
};

static int on_body(void *ctx, const void *data, size_t len)
{
	struct sum *s = ctx;
	const uint8_t *p = data;
	if (!len)
		__builtin_trap(); /* never an empty piece */
	for (size_t i = 0; i < len; i++)
		s->h = (s->h ^ p[i]) * 1099511628211ull;
	s->n += len;
	return 0;
}

static struct http_response r1, r2;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sum s1 = {0, 0}, s2 = {0, 0};

	http_response_init(&r1, NULL, on_body, &s1);
	enum http_status a = http_feed(&r1, data, size);
	enum http_status ae = http_eof(&r1);

	http_response_init(&r2, NULL, on_body, &s2);
	enum http_status b = HTTP_MORE;
	for (size_t i = 0, k = 0; i < size && b != HTTP_ERROR; k++) {
		size_t n = 1 + (data[k % size] ^ (uint8_t)k) % 64;
		if (n > size - i)
			n = size - i;
		b = http_feed(&r2, data + i, n);
		i += n;
	}
	enum http_status be = http_eof(&r2);
	if (a != b || ae != be || r1.status != r2.status || r1.error != r2.error || s1.n != s2.n || s1.h != s2.h ||
	    s1.n != r1.body_bytes || strcmp(r1.errmsg, r2.errmsg) || strcmp(r1.location, r2.location))
		__builtin_trap();
	if (strnlen(r1.errmsg, sizeof r1.errmsg) == sizeof r1.errmsg || (ae == HTTP_ERROR) != (r1.errmsg[0] != 0))
		__builtin_trap();
	for (const char *p = r1.reason; *p; p++)
		if (*p < 0x20 || *p > 0x7e)
			__builtin_trap(); /* it goes to the console */

	char url[HTTP_MAX_PATH + 64], err[HTTP_ERR_SIZE], req[HTTP_MAX_PATH + 256];
	const uint8_t *nl = memchr(data, '\n', size);
	size_t n = nl ? (size_t)(nl - data) : size;
	n = n < sizeof url - 1 ? n : sizeof url - 1;
	memcpy(url, data, n);
	url[n] = 0;
	struct http_url u;
	if (http_url_parse(url, &u, err, sizeof err) == 0) {
		int len = http_request(&u, req, sizeof req);
		if (len < 0 || memchr(u.path, ' ', strlen(u.path)) || strchr(u.path, '\r') || strchr(u.path, '\n') ||
		    !u.port || u.path[0] != '/')
			__builtin_trap();
	} else if (!err[0] || strnlen(err, sizeof err) == sizeof err) {
		__builtin_trap();
	}
	return 0;
}
