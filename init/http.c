/* http.c — see http.h. The response is taken a byte at a time through a small state machine, so that
 * a split anywhere (one byte per recv(), or a chunk-size line across two) gives the same result as the
 * whole; the lines of the head are collected in a fixed buffer and refused when they do not fit. */
#include "http.h"
#include "hexdigit.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum state { S_STATUS, S_HEADER, S_BODY_LEN, S_BODY_CLOSE, S_CHUNK_SIZE, S_CHUNK_DATA, S_CHUNK_END, S_TRAILER,
	     S_DONE, S_ERROR };

/* Larger than any image, small enough that no sum of them overflows. */
#define HTTP_MAX_LENGTH (1ull << 60)

static void seterr(char *err, size_t errsize, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void seterr(char *err, size_t errsize, const char *fmt, ...)
{
	va_list ap;
	if (!errsize)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errsize, fmt, ap);
	va_end(ap);
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Do the LEN bytes at S equal the lowercase word W, ignoring case? */
static int word_is(const char *s, size_t len, const char *w)
{
	size_t i = 0;
	for (; i < len && w[i]; i++)
		if (lower((unsigned char)s[i]) != w[i])
			return 0;
	return i == len && !w[i];
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* At most MAX bytes of S (LEN long) for a message, anything unprintable as '?': a server's bytes go
 * to the console. */
static void excerpt(char *out, size_t size, const char *s, size_t len, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < len && i < max && n + 1 < size; i++)
		out[n++] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	if (len > max && n + 4 < size)
		memcpy(out + n, "...", 3), n += 3;
	if (size)
		out[n < size ? n : size - 1] = 0;
}

/* ---- the URL ---- */

/* A dotted IPv4 address, exactly four decimal numbers without leading zeros (010 would be octal to
 * inet_aton and decimal to a person: refused rather than guessed). */
static int parse_ipv4(const char *s, size_t len, uint8_t addr[4])
{
	size_t i = 0;
	for (int part = 0; part < 4; part++) {
		unsigned v = 0, digits = 0;
		if (part && (i >= len || s[i++] != '.'))
			return 0;
		while (i < len && is_digit(s[i]) && digits < 4)
			v = v * 10 + (unsigned)(s[i++] - '0'), digits++;
		if (!digits || digits > 3 || v > 255 || (digits > 1 && s[i - digits] == '0'))
			return 0;
		addr[part] = (uint8_t)v;
	}
	return i == len;
}

static int looks_like_name(const char *s, size_t len)
{
	int alpha = 0;
	for (size_t i = 0; i < len; i++) {
		int c = lower((unsigned char)s[i]);
		if (c >= 'a' && c <= 'z')
			alpha = 1;
		else if (!is_digit(c) && c != '-' && c != '.')
			return 0;
	}
	return alpha;
}

int http_url_parse(const char *url, struct http_url *u, char *err, size_t errsize)
{
	char ex[80];

	memset(u, 0, sizeof *u);
	seterr(err, errsize, "%s", "");
	if (word_is(url, strlen(url) < 8 ? strlen(url) : 8, "https://")) {
		seterr(err, errsize, "%.200s: https is not supported (the init has no TLS); use http:// with "
			 "rd.live.sha256=HEX, which checks the image before it is used", url);
		return -1;
	}
	if (!word_is(url, strlen(url) < 7 ? strlen(url) : 7, "http://")) {
		excerpt(ex, sizeof ex, url, strlen(url), 60);
		seterr(err, errsize, "%s: not an http:// URL (http://ADDRESS[:PORT]/PATH)", ex);
		return -1;
	}
	const char *host = url + 7, *end = host + strcspn(host, "/?#");
	const char *colon = memchr(host, ':', (size_t)(end - host));
	size_t hostlen = (size_t)((colon ? colon : end) - host);

	excerpt(ex, sizeof ex, host, (size_t)(end - host), 60);
	if (memchr(host, '@', (size_t)(end - host))) {
		seterr(err, errsize, "http://%s: a user name in the URL is not supported", ex);
		return -1;
	}
	if (host[0] == '[') {
		seterr(err, errsize, "http://%s: IPv6 addresses are not supported yet; give the server's IPv4 address", ex);
		return -1;
	}
	if (!parse_ipv4(host, hostlen, u->addr)) {
		excerpt(ex, sizeof ex, host, hostlen, 60);
		if (looks_like_name(host, hostlen))
			seterr(err, errsize, "http://%s/...: \"%s\" is a host name, and the init has no DNS: give the "
				 "server's IPv4 address (http://10.0.2.2:8080/live.img)", ex, ex);
		else
			seterr(err, errsize, "http://%s/...: \"%s\" is not an IPv4 address (four numbers 0-255, "
				 "http://10.0.2.2:8080/live.img)", ex, ex);
		return -1;
	}
	u->port = 80;
	if (colon) {
		unsigned long p = 0;
		const char *s = colon + 1;
		while (s < end && is_digit(*s) && p <= 65535)
			p = p * 10 + (unsigned long)(*s++ - '0');
		/* No leading zero either: "0000…81" is 81 by value but would not fit the Host header. */
		if (s != end || s == colon + 1 || p < 1 || p > 65535 || colon[1] == '0') {
			excerpt(ex, sizeof ex, colon + 1, (size_t)(end - colon - 1), 20);
			seterr(err, errsize, "%.200s: \"%s\" is not a port (1-65535)", url, ex);
			return -1;
		}
		u->port = (uint16_t)p;
	}
	/* The Host header as written: at most "255.255.255.255:65535", since both parts were checked
	 * (no leading zeros in either); the length is checked again all the same. */
	if ((size_t)(end - host) >= sizeof u->host) {
		seterr(err, errsize, "%.200s: the server part is too long", url);
		return -1;
	}
	memcpy(u->host, host, (size_t)(end - host));
	u->host[end - host] = 0;

	size_t pathlen = strcspn(end, "#");
	if (end[0] != '/') {
		seterr(err, errsize, "%.200s: no path after the server (http://ADDRESS[:PORT]/PATH)", url);
		return -1;
	}
	if (pathlen >= sizeof u->path) {
		seterr(err, errsize, "http://%s...: the path is longer than %d bytes", u->host, HTTP_MAX_PATH - 1);
		return -1;
	}
	for (size_t i = 0; i < pathlen; i++) {
		unsigned char c = (unsigned char)end[i];
		if (c <= 0x20 || c >= 0x7f) {
			/* It would break the request line: spaces and the rest must be percent-encoded. */
			seterr(err, errsize, "http://%s: the path has a %s at byte %zu; write it percent-encoded (%%%02X)",
			       u->host, c == ' ' ? "space" : "control or non-ASCII byte", i + 1, c);
			return -1;
		}
	}
	memcpy(u->path, end, pathlen);
	u->path[pathlen] = 0;
	return 0;
}

int http_request(const struct http_url *u, char *buf, size_t size)
{
	int n = snprintf(buf, size,
			 "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: earlyroot\r\nAccept-Encoding: identity\r\n"
			 "Connection: close\r\n\r\n",
			 u->path, u->host);
	return n < 0 || (size_t)n >= size ? -1 : n;
}

/* ---- the response ---- */

void http_response_init(struct http_response *r, http_head_fn on_head, http_body_fn on_body, void *ctx)
{
	memset(r, 0, offsetof(struct http_response, line));
	r->content_length = -1;
	r->state = S_STATUS;
	r->on_head = on_head;
	r->on_body = on_body;
	r->ctx = ctx;
}

int http_is_redirect(int status)
{
	return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

static void fail(struct http_response *r, enum http_error e, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail(struct http_response *r, enum http_error e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->errmsg, sizeof r->errmsg, fmt, ap);
	va_end(ap);
	r->error = e;
	r->state = S_ERROR;
}

/* HTTP/1.x SSS[ REASON] */
static void status_line(struct http_response *r, const char *s, size_t len)
{
	char ex[48];

	if (len < 12 || memcmp(s, "HTTP/1.", 7) || !is_digit(s[7]) || s[8] != ' ' || !is_digit(s[9]) ||
	    !is_digit(s[10]) || !is_digit(s[11]) || s[9] == '0' || s[9] > '5' || (len > 12 && s[12] != ' ')) {
		excerpt(ex, sizeof ex, s, len, 40);
		fail(r, HTTP_E_STATUS_LINE, "malformed status line \"%s\" (not HTTP/1.x)", ex);
		return;
	}
	r->version = s[7] == '0' ? 10 : 11;
	r->status = (s[9] - '0') * 100 + (s[10] - '0') * 10 + (s[11] - '0');
	if (len > 13)
		excerpt(r->reason, sizeof r->reason, s + 13, len - 13, sizeof r->reason - 4);
	else
		r->reason[0] = 0;
	if (r->status == 101)
		fail(r, HTTP_E_STATUS_LINE, "101 Switching Protocols, which the request did not ask for");
	else
		r->state = S_HEADER;
}

static int is_tchar(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

static int is_ows(int c)
{
	return c == ' ' || c == '\t';
}

/* Content-Length: a decimal, or a list of the same one (RFC 9110 8.6); equal to any earlier one. */
static void content_length(struct http_response *r, const char *v, size_t len)
{
	size_t i = 0;
	do {
		uint64_t n = 0;
		size_t digits = 0;
		while (i < len && is_ows(v[i]))
			i++;
		while (i < len && is_digit(v[i]) && n <= HTTP_MAX_LENGTH)
			n = n * 10 + (uint64_t)(v[i++] - '0'), digits++;
		while (i < len && is_ows(v[i]))
			i++;
		if (!digits || n > HTTP_MAX_LENGTH || (i < len && v[i] != ',')) {
			char ex[48];
			excerpt(ex, sizeof ex, v, len, 40);
			fail(r, HTTP_E_LENGTH, "malformed Content-Length \"%s\"", ex);
			return;
		}
		if (r->content_length >= 0 && (uint64_t)r->content_length != n) {
			fail(r, HTTP_E_LENGTH, "two different Content-Length values (%lld and %llu)",
			     (long long)r->content_length, (unsigned long long)n);
			return;
		}
		r->content_length = (int64_t)n;
	} while (i++ < len);
}

/* A comma list of codings: for Transfer-Encoding only "chunked", once and last; for Content-Encoding
 * only "identity" (the request asked for it: a gzip body would be a corrupt image). */
static void codings(struct http_response *r, const char *v, size_t len, int transfer)
{
	size_t i = 0;
	while (i < len) {
		size_t b, e;
		while (i < len && (is_ows(v[i]) || v[i] == ','))
			i++;
		b = i;
		while (i < len && v[i] != ',')
			i++;
		e = i;
		while (e > b && is_ows(v[e - 1]))
			e--;
		if (b == e)
			continue;
		if (transfer ? word_is(v + b, e - b, "chunked") && !r->chunked : word_is(v + b, e - b, "identity")) {
			r->chunked |= transfer;
			continue;
		}
		char ex[48];
		excerpt(ex, sizeof ex, v + b, e - b, 40);
		fail(r, HTTP_E_ENCODING, "%s \"%s\" is not supported (the request asked for identity)",
		     transfer ? "Transfer-Encoding" : "Content-Encoding", ex);
		return;
	}
}

/* NAME: VALUE. In a trailer only the form is checked. */
static void header_line(struct http_response *r, const char *s, size_t len, int trailer)
{
	size_t n = 0;
	char ex[48];

	while (n < len && is_tchar((unsigned char)s[n]))
		n++;
	if (!n || n == len || s[n] != ':') {
		excerpt(ex, sizeof ex, s, len, 40);
		fail(r, HTTP_E_HEADER, "malformed %s line \"%s\"%s", trailer ? "trailer" : "header", ex,
		     len && is_ows(s[0]) ? " (folded headers are not accepted)" : "");
		return;
	}
	const char *v = s + n + 1, *end = s + len;
	for (const char *p = v; p < end; p++)
		if ((unsigned char)*p < 0x20 && *p != '\t') {
			excerpt(ex, sizeof ex, s, n, 40);
			fail(r, HTTP_E_HEADER, "a control byte in the value of header %s", ex);
			return;
		}
	while (v < end && is_ows(*v))
		v++;
	while (end > v && is_ows(end[-1]))
		end--;
	size_t vlen = (size_t)(end - v);
	if (trailer)
		return;
	if (word_is(s, n, "content-length"))
		content_length(r, v, vlen);
	else if (word_is(s, n, "transfer-encoding"))
		codings(r, v, vlen, 1);
	else if (word_is(s, n, "content-encoding"))
		codings(r, v, vlen, 0);
	else if (word_is(s, n, "location")) {
		if (vlen < sizeof r->location)
			memcpy(r->location, v, vlen);
		r->location[vlen < sizeof r->location ? vlen : 0] = 0;
	}
}

/* The empty line after the headers: what kind of body follows. */
static void end_of_head(struct http_response *r)
{
	if (r->status < 200) {
		/* 100 Continue and the like: an interim response, the real one follows. */
		r->content_length = -1;
		r->chunked = 0;
		r->location[0] = 0;
		r->state = S_STATUS;
		return;
	}
	if (r->chunked)
		r->content_length = -1; /* chunked wins (RFC 9112 6.3): the length would be a lie */
	if (r->on_head && r->on_head(r->ctx, r) < 0) {
		fail(r, HTTP_E_ABORTED, "stopped after the head");
		return;
	}
	if (r->status == 204 || r->status == 304)
		r->state = S_DONE;
	else if (r->chunked)
		r->state = S_CHUNK_SIZE;
	else if (r->content_length >= 0)
		r->left = (uint64_t)r->content_length, r->state = r->left ? S_BODY_LEN : S_DONE;
	else
		r->state = S_BODY_CLOSE;
}

/* HEX[ ;extensions]: the size of the next chunk. */
static void chunk_size(struct http_response *r, const char *s, size_t len)
{
	uint64_t n = 0;
	size_t i = 0;
	char ex[48];

	while (i < len && hex_digit((unsigned char)s[i]) >= 0 && i < 16)
		n = n << 4 | (uint64_t)hex_digit((unsigned char)s[i++]);
	size_t digits = i;
	while (i < len && is_ows(s[i]))
		i++;
	if (!digits || n > HTTP_MAX_LENGTH || (i < len && s[i] != ';')) {
		excerpt(ex, sizeof ex, s, len, 40);
		fail(r, HTTP_E_CHUNK, "bad chunk size \"%s\" after %llu bytes of body", ex,
		     (unsigned long long)r->body_bytes);
		return;
	}
	r->left = n;
	r->state = n ? S_CHUNK_DATA : S_TRAILER;
	if (!n)
		r->headbytes = 0; /* the trailers have a budget of their own */
}

/* One complete line of the head, the chunk framing or the trailers (its end taken off). */
static void line(struct http_response *r)
{
	size_t len = r->linelen;
	const char *s = r->line;

	r->linelen = 0;
	if (len && s[len - 1] == '\r')
		len--;
	if (memchr(s, '\r', len) || memchr(s, 0, len)) {
		fail(r, r->state == S_STATUS ? HTTP_E_STATUS_LINE : r->state == S_HEADER || r->state == S_TRAILER ?
		     HTTP_E_HEADER : HTTP_E_CHUNK, "a bare CR or a NUL in a line of the %s",
		     r->state == S_CHUNK_SIZE || r->state == S_CHUNK_END ? "chunked body" : "head");
		return;
	}
	switch (r->state) {
	case S_STATUS:
		status_line(r, s, len);
		break;
	case S_HEADER:
		if (len)
			header_line(r, s, len, 0);
		else
			end_of_head(r);
		break;
	case S_CHUNK_SIZE:
		chunk_size(r, s, len);
		break;
	case S_CHUNK_END:
		if (len)
			fail(r, HTTP_E_CHUNK, "a chunk longer than its size (after %llu bytes of body)",
			     (unsigned long long)r->body_bytes);
		else
			r->state = S_CHUNK_SIZE;
		break;
	case S_TRAILER:
		if (len)
			header_line(r, s, len, 1);
		else
			r->state = S_DONE;
		break;
	}
}

static void body(struct http_response *r, const char *p, size_t n)
{
	r->body_bytes += n;
	if (r->on_body && r->on_body(r->ctx, p, n) < 0)
		fail(r, HTTP_E_ABORTED, "stopped after %llu bytes of body", (unsigned long long)r->body_bytes);
}

enum http_status http_feed(struct http_response *r, const void *data, size_t len)
{
	const char *p = data, *end = p + len;

	while (p < end && r->state != S_ERROR) {
		switch (r->state) {
		case S_BODY_CLOSE:
			body(r, p, (size_t)(end - p));
			p = end;
			continue;
		case S_BODY_LEN:
		case S_CHUNK_DATA: {
			size_t n = (size_t)(end - p) < r->left ? (size_t)(end - p) : (size_t)r->left;
			r->left -= n;
			if (!r->left)
				r->state = r->state == S_BODY_LEN ? S_DONE : S_CHUNK_END;
			body(r, p, n);
			p += n;
			continue;
		}
		case S_DONE:
			if (r->chunked)
				fail(r, HTTP_E_EXTRA, "bytes after the last chunk");
			else if (r->content_length < 0)
				fail(r, HTTP_E_EXTRA, "bytes after a response without a body (%d)", r->status);
			else
				fail(r, HTTP_E_EXTRA, "a body longer than its Content-Length (%lld)",
				     (long long)r->content_length);
			continue;
		}
		/* A line: its bytes up to '\n', within the bounds. */
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl ? nl : end) - p);
		int head = r->state != S_CHUNK_SIZE && r->state != S_CHUNK_END;
		if (r->linelen + n >= sizeof r->line || (head && r->headbytes + n + 1 > HTTP_MAX_HEAD)) {
			if (r->linelen + n >= sizeof r->line)
				fail(r, HTTP_E_HEAD_TOO_LONG, "a line of the %s longer than %d bytes",
				     head ? "head" : "chunked body", HTTP_MAX_LINE - 1);
			else
				fail(r, HTTP_E_HEAD_TOO_LONG, "%s longer than %d bytes",
				     r->state == S_TRAILER ? "trailers" : "a head", HTTP_MAX_HEAD);
			continue;
		}
		memcpy(r->line + r->linelen, p, n);
		r->linelen += n;
		if (head)
			r->headbytes += n + !!nl;
		p += n + !!nl;
		if (nl)
			line(r);
	}
	return r->state == S_ERROR ? HTTP_ERROR : r->state == S_DONE ? HTTP_DONE : HTTP_MORE;
}

enum http_status http_eof(struct http_response *r)
{
	switch (r->state) {
	case S_ERROR:
		return HTTP_ERROR;
	case S_DONE:
		return HTTP_DONE;
	case S_BODY_CLOSE:
		r->state = S_DONE;
		return HTTP_DONE;
	case S_STATUS:
	case S_HEADER:
		fail(r, HTTP_E_TRUNCATED, "the server closed the connection %s",
		     r->state == S_STATUS && !r->headbytes ? "without a response" : "in the middle of the head");
		break;
	case S_BODY_LEN:
		fail(r, HTTP_E_TRUNCATED, "the server closed the connection after %llu of %lld bytes",
		     (unsigned long long)r->body_bytes, (long long)r->content_length);
		break;
	default:
		fail(r, HTTP_E_TRUNCATED, "the server closed the connection before the last chunk (after %llu bytes)",
		     (unsigned long long)r->body_bytes);
	}
	return HTTP_ERROR;
}
