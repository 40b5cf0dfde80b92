/* util.c — error messages, allocation and buffers for mkinitramfs. */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

void errorf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs(PROG ": ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void out_of_memory(void)
{
	fputs(PROG ": out of memory\n", stderr);
	exit(1);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *xzalloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p)
		out_of_memory();
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	va_start(ap, fmt);
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		out_of_memory();
	return s;
}

void buf_reserve(struct buf *b, size_t extra)
{
	if (b->cap - b->len >= extra)
		return;
	size_t cap = b->cap ? b->cap : 4096;
	while (cap - b->len < extra)
		cap *= 2;
	if (b->mapped) { /* outgrown: on the heap from now on */
		char *p = xmalloc(cap);
		memcpy(p, b->data, b->len);
		munmap(b->data, b->cap);
		b->data = p;
		b->mapped = false;
	} else {
		b->data = xrealloc(b->data, cap);
	}
	b->cap = cap;
}

void buf_reserve_faulted(struct buf *b, size_t extra)
{
	buf_reserve(b, extra);
#ifdef MADV_POPULATE_WRITE
	/* Whole pages only; before Linux 5.14 the call fails and the pages fault in as they are written. */
	uintptr_t start = ((uintptr_t)(b->data + b->len) + 4095) & ~(uintptr_t)4095;
	uintptr_t end = (uintptr_t)(b->data + b->len + extra) & ~(uintptr_t)4095;
	if (end > start)
		madvise((void *)start, end - start, MADV_POPULATE_WRITE);
#endif
}

#define HUGE_PAGE ((size_t)2 << 20)
#define BIG_MIN ((size_t)256 << 10) /* smaller buffers stay on the heap */

void buf_reserve_big(struct buf *b, size_t extra)
{
	if (b->cap - b->len >= extra)
		return;
	/* Under AddressSanitizer, on the heap: ASan checks malloc'd memory, not a mapping of our own, and
	 * the sanitizer suite is there to catch an overflow of exactly these buffers. */
	bool heap = b->len + extra < BIG_MIN || b->len + extra > SIZE_MAX - 2 * HUGE_PAGE;
#ifdef __SANITIZE_ADDRESS__
	heap = true;
#endif
	if (heap) {
		buf_reserve_faulted(b, extra);
		return;
	}
	size_t cap = (b->len + extra + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1), len = cap + HUGE_PAGE;
	char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED) {
		buf_reserve_faulted(b, extra);
		return;
	}
	/* The 2 MiB aligned part of the mapping, the rest given back. */
	char *p = (char *)(((uintptr_t)m + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
	if (p > m)
		munmap(m, (size_t)(p - m));
	if (m + len > p + cap)
		munmap(p + cap, (size_t)(m + len - (p + cap)));
#ifdef MADV_HUGEPAGE
	madvise(p, cap, MADV_HUGEPAGE); /* may fail (THP off): 4 KiB pages then */
#endif
#ifdef MADV_POPULATE_WRITE
	madvise(p, cap, MADV_POPULATE_WRITE);
#endif
	if (b->len)
		memcpy(p, b->data, b->len);
	if (b->mapped)
		munmap(b->data, b->cap);
	else
		free(b->data);
	b->data = p;
	b->cap = cap;
	b->mapped = true;
}

void buf_append(struct buf *b, const void *data, size_t len)
{
	if (!len) /* data may be NULL then (an empty file), and memcpy must not see it */
		return;
	buf_reserve(b, len);
	memcpy(b->data + b->len, data, len);
	b->len += len;
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		out_of_memory();
	buf_reserve(b, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void buf_free(struct buf *b)
{
	if (b->mapped)
		munmap(b->data, b->cap);
	else
		free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	b->mapped = false;
}

int write_full(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int read_file(const char *path, struct buf *b)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		errorf("cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	for (;;) {
		buf_reserve(b, 65536);
		ssize_t n = read(fd, b->data + b->len, b->cap - b->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			errorf("cannot read %s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		b->len += (size_t)n;
	}
	close(fd);
	return 0;
}

bool ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);
	return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

void strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

char *path_clean(const char *path)
{
	char *out = xmalloc(strlen(path) + 1), *o = out;
	for (const char *p = path; *p;) {
		while (*p == '/')
			p++;
		size_t n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			free(out);
			return NULL;
		}
		if (n > 0 && !(n == 1 && p[0] == '.')) {
			if (o != out)
				*o++ = '/';
			memcpy(o, p, n);
			o += n;
		}
		p += n;
	}
	*o = '\0';
	return out;
}
