/* log.c — see log.h. */
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *log_prefix = "earlyroot";
static int log_to_kmsg;
static int log_max_level = LOG_LEVEL_INFO;

void log_setup(const char *prefix, int kmsg)
{
	log_prefix = prefix;
	log_to_kmsg = kmsg;
}

void log_set_max_level(int level)
{
	log_max_level = level;
}

/* The kernel's console_loglevel: records below it are printed on the console by the kernel itself. */
static int console_loglevel(void)
{
	char buf[32];
	int fd = open("/proc/sys/kernel/printk", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	return atoi(buf);
}

/* /dev/kmsg is opened per message: the kernel rate-limits each open file to 10 lines per 5 s and
 * silently drops the rest, which would hide exactly the lines of a failing boot. */
static int write_kmsg(const char *rec, size_t len)
{
	int fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC | O_NOCTTY);
	int ok;
	if (fd < 0)
		return 0;
	ok = write(fd, rec, len) == (ssize_t)len;
	close(fd);
	return ok;
}

/* "%m" becomes strerror(err) before formatting: musl's printf knows it, klibc's does not, and doing it
 * here keeps one path for both. Returns fmt itself when there is nothing to expand. */
static const char *expand_errno(const char *fmt, char *out, size_t size, int err)
{
	const char *p = fmt;
	size_t n = 0;

	if (!strstr(fmt, "%m"))
		return fmt;
	while (*p && n + 2 < size) {
		if (p[0] == '%' && p[1] == 'm') {
			for (const char *e = strerror(err); *e && n + 3 < size; e++) {
				if (*e == '%')
					out[n++] = '%'; /* keep a '%' in the message literal */
				out[n++] = *e;
			}
			p += 2;
		} else if (p[0] == '%' && p[1] == '%') {
			out[n++] = *p++;
			out[n++] = *p++;
		} else {
			out[n++] = *p++;
		}
	}
	out[n] = 0;
	return out;
}

void log_msg(int level, const char *fmt, ...)
{
	char rec[1024], fmtbuf[512];
	size_t len, body;
	va_list ap;
	int saved_errno = errno;

	if (level > log_max_level)
		return;
	body = (size_t)snprintf(rec, sizeof rec, "<%d>", level);
	len = body + (size_t)snprintf(rec + body, sizeof rec - body, "%s: ", log_prefix);
	if (len < sizeof rec) {
		va_start(ap, fmt);
		len += (size_t)vsnprintf(rec + len, sizeof rec - len,
					 expand_errno(fmt, fmtbuf, sizeof fmtbuf, saved_errno), ap);
		va_end(ap);
	}
	if (len > sizeof rec - 2)
		len = sizeof rec - 2; /* truncated: still one whole line */
	rec[len++] = '\n';
	rec[len] = 0;

	/* When the kernel will echo the record to the console, writing it there too would print every
	 * line twice; otherwise (quiet, no /dev/kmsg, a tool) we write it ourselves. */
	int echoed = 0;
	if (log_to_kmsg && write_kmsg(rec, len))
		echoed = level < console_loglevel();
	if (!echoed) {
		ssize_t unused = write(STDERR_FILENO, rec + body, len - body);
		(void)unused;
	}
	errno = saved_errno;
}
