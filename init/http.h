/* http.h — the bytes of plain HTTP/1.1 for root=live:http://...: the URL, the request, and an
 * incremental parser of the response, fed whatever recv() returned. No system calls here (the client
 * is http_fetch.c): this is the code that reads what a server on the boot network sends, so it is
 * unit-tested and fuzzed alone. Every buffer has a fixed size; nothing is allocated. */
#ifndef EARLYROOT_HTTP_H
#define EARLYROOT_HTTP_H
#include <stddef.h>
#include <stdint.h>

#define HTTP_MAX_PATH 1024          /* the path of a URL (and a Location kept for a redirect) */
#define HTTP_MAX_LINE 8192          /* one line of the head, or one chunk-size line */
#define HTTP_MAX_HEAD (16 * 1024)   /* the status line and every header together (and the trailers) */
#define HTTP_ERR_SIZE 160

struct http_url {
	uint8_t addr[4];            /* the IPv4 address, network order */
	uint16_t port;              /* 80 unless given */
	char host[24];              /* "10.0.2.2" or "10.0.2.2:8080": the Host header */
	char path[HTTP_MAX_PATH];   /* from the first '/' after the host, as written (no fragment) */
};

/* http://HOST[:PORT]/PATH, HOST a dotted IPv4 address (no DNS yet). -1 with ERR saying why: https
 * (no TLS: rd.live.sha256= is the integrity check), a host name, a bad port, no path, a byte that
 * cannot go into a request line. */
int http_url_parse(const char *url, struct http_url *u, char *err, size_t errsize);

/* The GET request for U into BUF: its length, or -1 if SIZE is too small. */
int http_request(const struct http_url *u, char *buf, size_t size);

enum http_status {
	HTTP_MORE = 0,  /* everything fed was taken; the response is not complete */
	HTTP_DONE = 1,  /* the body is complete; nothing more may come */
	HTTP_ERROR = -1 /* error and errmsg say what; feeding more changes nothing */
};

enum http_error {
	HTTP_E_NONE,
	HTTP_E_STATUS_LINE,   /* malformed status line, or not HTTP/1.x */
	HTTP_E_HEADER,        /* a malformed header line */
	HTTP_E_HEAD_TOO_LONG, /* a line over HTTP_MAX_LINE, or a head over HTTP_MAX_HEAD */
	HTTP_E_LENGTH,        /* a malformed Content-Length, or two different ones */
	HTTP_E_ENCODING,      /* a Transfer-Encoding other than chunked, a Content-Encoding other than identity */
	HTTP_E_CHUNK,         /* a bad chunk-size line or chunk end */
	HTTP_E_EXTRA,         /* bytes after the end of the body (longer than Content-Length) */
	HTTP_E_TRUNCATED,     /* the connection closed before Content-Length or the last chunk */
	HTTP_E_ABORTED,       /* a callback returned -1 (its own reason is the caller's) */
};

struct http_response;
/* Called once the head is read (status, lengths, location known): -1 stops the parse. */
typedef int (*http_head_fn)(void *ctx, const struct http_response *r);
/* Each piece of the body, de-chunked: -1 stops the parse. */
typedef int (*http_body_fn)(void *ctx, const void *data, size_t len);

struct http_response {
	/* Known once on_head is called. */
	int version;                 /* 10 or 11 */
	int status;                  /* 100-599 */
	char reason[64];             /* printable, cut to fit */
	int64_t content_length;      /* -1 when none */
	int chunked;
	char location[HTTP_MAX_PATH]; /* empty when none or longer than this */
	/* As the body comes. */
	uint64_t body_bytes;         /* de-chunked bytes delivered */
	enum http_error error;
	char errmsg[HTTP_ERR_SIZE];
	/* The parser's own state. */
	int state, result;
	size_t linelen, headbytes;
	uint64_t left;               /* of the body (Content-Length) or of the current chunk */
	http_head_fn on_head;
	http_body_fn on_body;
	void *ctx;
	char line[HTTP_MAX_LINE];
};

/* ON_HEAD and ON_BODY may be NULL. */
void http_response_init(struct http_response *r, http_head_fn on_head, http_body_fn on_body, void *ctx);
/* The next LEN bytes from the server, in any split. */
enum http_status http_feed(struct http_response *r, const void *data, size_t len);
/* The server closed the connection: HTTP_DONE when that ends the body (no Content-Length and not
 * chunked) or it had ended, else HTTP_ERROR (HTTP_E_TRUNCATED). */
enum http_status http_eof(struct http_response *r);
/* 1 for a status whose Location is a redirect (301 302 303 307 308). */
int http_is_redirect(int status);

#endif
