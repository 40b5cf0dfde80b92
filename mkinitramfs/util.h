/* util.h — small helpers shared by the mkinitramfs sources: error messages, allocation, growable buffers. */
#ifndef MKINITRAMFS_UTIL_H
#define MKINITRAMFS_UTIL_H

#include <stdbool.h>
#include <stddef.h>

/* Every message the tool prints starts with this, so it reads as one clear line in a build log. */
#define PROG "mkinitramfs"

/* Print "mkinitramfs: MESSAGE" on stderr. Callers return -1 afterwards; main() cleans up and exits 1. */
void errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Allocation that cannot fail: a host tool has nothing sensible to do when malloc fails. */
void *xmalloc(size_t n);
/* Zeroed; large blocks come as untouched pages, so an unused part costs nothing. */
void *xzalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "/a//b/./c/" -> "a/b/c" (allocated; "" when it names nothing); NULL when a component is "..". */
char *path_clean(const char *path);
/* Frees each of the N strings of V, then V itself (either may be NULL when N is 0). */
void strv_free(char **v, size_t n);

/* A growable byte buffer (file contents, generated text). */
struct buf {
	char *data;
	size_t len, cap;
	bool mapped; /* data is a mapping of cap bytes of its own (buf_reserve_big), not malloc's */
};
void buf_reserve(struct buf *b, size_t extra);
/* buf_reserve(), and the new room faulted in at once rather than page by page as it is written:
 * filling a few fresh MiB one page fault at a time takes milliseconds (more in a VM). */
void buf_reserve_faulted(struct buf *b, size_t extra);
/* The same for buffers of megabytes (the zstd frames' records): memory of their own, 2 MiB aligned and
 * backed by transparent huge pages where the kernel has them (MADV_HUGEPAGE), faulted in at once: in a
 * VM the first touch of each fresh 4 KiB page is slow even after MADV_POPULATE_WRITE, ten times slower
 * than two huge pages for 3 MiB (bench/README.md, "Page faults"). Without huge pages it is
 * buf_reserve_faulted(), as always under AddressSanitizer (so that it checks them). buf_reserve() and
 * buf_free() take such a buffer too. */
void buf_reserve_big(struct buf *b, size_t extra);
void buf_append(struct buf *b, const void *data, size_t len);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_free(struct buf *b);

/* Read a whole file into b; prints "cannot read PATH: ..." and returns -1 on error. */
int read_file(const char *path, struct buf *b);
/* All of data to fd, however many write() calls it takes (EINTR retried): 0, or -1 with errno. */
int write_full(int fd, const void *data, size_t len);

bool ends_with(const char *s, const char *suffix);

#endif
