/* check_init.c — will INIT really run once NEWROOT is /?
 *
 * Checked before anything irreversible, because after the switch the initramfs is gone and a failed
 * exec means a kernel panic. INIT is resolved as the kernel will resolve it after the chroot: absolute
 * symlinks point inside NEWROOT. A script needs its interpreter, a dynamic ELF its program interpreter
 * (ld.so); both are looked up inside NEWROOT as well. An INIT under /run (the harness's runner, put
 * there by a hook) is looked up in the /run of now, which the switch moves into NEWROOT with it. */
#include "elfhdr.h"
#include "internal.h"
#include "linux-api.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

/* Open PATH inside the directory ROOTFD as if ROOTFD were "/". */
static int open_in_root(int rootfd, const char *path, int flags)
{
	struct er_open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		.resolve = ER_RESOLVE_IN_ROOT | ER_RESOLVE_NO_MAGICLINKS,
	};
	int fd = er_openat2(rootfd, path, &how);
	if (fd < 0 && errno == ENOSYS) {
		/* Before Linux 5.6 there is no RESOLVE_IN_ROOT: look the path up below ROOTFD. An absolute
		 * symlink would then be followed on the early root, so this answer is only a good guess. */
		while (*path == '/')
			path++;
		fd = openat(rootfd, *path ? path : ".", flags | O_CLOEXEC);
	}
	return fd;
}

static const char *type_name(mode_t mode)
{
	return S_ISDIR(mode) ? "a directory" : S_ISCHR(mode) ? "a character device" :
	       S_ISBLK(mode) ? "a block device" : S_ISFIFO(mode) ? "a fifo" :
	       S_ISSOCK(mode) ? "a socket" : "not a regular file";
}

/* The reason for a refusal, for the caller to log (or, when it tries several, to weigh). */
struct why {
	char *buf;
	size_t size;
};

static void because(const struct why *why, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void because(const struct why *why, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why->buf, why->size, fmt, ap);
	va_end(ap);
}

/* Why did PATH not open inside NR? Names a dangling symlink when that is the reason. */
static void explain_missing(const struct sr_newroot *nr, const struct why *why, const char *what, const char *path,
			    const char *ctx)
{
	char dir[PATH_MAX], target[PATH_MAX];
	const char *base = strrchr(path, '/');
	struct stat st;
	int dfd;

	snprintf(dir, sizeof dir, "%.*s", base ? (int)(base - path) + 1 : 0, path);
	base = base ? base + 1 : path;
	dfd = open_in_root(nr->fd, *dir ? dir : ".", O_PATH | O_DIRECTORY);
	if (dfd >= 0 && fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
		ssize_t n = readlinkat(dfd, base, target, sizeof target - 1);
		target[n > 0 ? n : 0] = 0;
		because(why, "%s %s in NEWROOT %s is a symlink to %s, which does not exist there%s", what, path,
			nr->name, target, ctx);
	} else {
		because(why, "%s %s not found in NEWROOT %s%s: check init= and the root filesystem", what, path,
			nr->name, ctx);
	}
	if (dfd >= 0)
		close(dfd);
}

/* An executable regular file inside NR, on a filesystem that allows exec. Returns an O_PATH fd.
 * WHAT names the role ("INIT", "interpreter"); CTX ends each message (who needs it), or "". */
static int check_executable(const struct sr_newroot *nr, const struct why *why, const char *what, const char *path,
			    const char *ctx)
{
	struct stat st;
	struct statvfs vfs;
	int fd = open_in_root(nr->fd, path, O_PATH);

	if (fd < 0) {
		if (errno == ENOENT)
			explain_missing(nr, why, what, path, ctx);
		else
			because(why, "cannot open %s %s in NEWROOT %s%s: %s", what, path, nr->name, ctx,
				strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		because(why, "cannot stat %s %s in NEWROOT %s%s: %s", what, path, nr->name, ctx, strerror(errno));
	} else if (!S_ISREG(st.st_mode)) {
		because(why, "%s %s in NEWROOT %s is not a regular file (it is %s)%s", what, path, nr->name,
			type_name(st.st_mode), ctx);
	} else if (!(st.st_mode & 0111)) {
		because(why, "%s %s in NEWROOT %s is not executable (mode %04o)%s: chmod +x it", what, path,
			nr->name, (unsigned)(st.st_mode & 07777), ctx);
	} else if (fstatvfs(fd, &vfs) == 0 && (vfs.f_flag & ST_NOEXEC)) {
		because(why, "%s %s in NEWROOT %s is on a filesystem mounted noexec%s", what, path, nr->name, ctx);
	} else {
		return fd;
	}
	close(fd);
	return -1;
}

/* The interpreter named by a "#!" line. Returns 1 and fills INTERP. */
static int script_interpreter(const unsigned char *head, size_t len, char *interp, size_t size)
{
	size_t i = 2, n = 0;

	if (len < 2 || head[0] != '#' || head[1] != '!')
		return 0;
	while (i < len && (head[i] == ' ' || head[i] == '\t'))
		i++;
	while (i < len && head[i] != ' ' && head[i] != '\t' && head[i] != '\n' && n + 1 < size)
		interp[n++] = (char)head[i++];
	interp[n] = 0;
	return n > 0;
}

int sr_check_init(const struct sr_newroot *nr, const char *init, char *why_buf, size_t why_size)
{
	const struct why why = {why_buf, why_size};
	unsigned char head[256];
	char interp[PATH_MAX];
	struct elf elf;
	ssize_t len;
	int fd, rfd;

	if (!init || !*init) {
		because(&why, "INIT is empty: give the path of the real init inside NEWROOT, e.g. /sbin/init");
		return -1;
	}
	struct sr_newroot here;
	const struct sr_newroot *where = nr;
	const char *carried = sr_api_mount_carrying(nr, init);
	if (carried) {
		here.fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (here.fd < 0) {
			because(&why, "cannot open / to look for INIT %s: %s", init, strerror(errno));
			return -1;
		}
		snprintf(here.name, sizeof here.name, "%.3900s (whose %s is this system's, moved there)", nr->name, carried);
		where = &here;
	}
	fd = check_executable(where, &why, "INIT", init, "");
	rfd = fd < 0 ? -1 : open_in_root(where->fd, init, O_RDONLY | O_NOCTTY | O_NONBLOCK);
	if (carried)
		close(here.fd);
	if (fd < 0)
		return -1;
	close(fd);
	if (rfd < 0)
		return 0; /* executable but unreadable: the kernel may still run it */
	len = pread(rfd, head, sizeof head, 0);
	/* A malformed ELF file is left to the kernel's verdict: this check only looks for what is missing. */
	if (len > 0 && (script_interpreter(head, (size_t)len, interp, sizeof interp) ||
			(elf_open(&elf, elf_read_fd, &rfd) > 0 && elf_interp(&elf, interp, sizeof interp) > 0))) {
		char ctx[PATH_MAX + 32];
		snprintf(ctx, sizeof ctx, " (needed by INIT %s)", init);
		fd = check_executable(nr, &why, "interpreter", interp, ctx);
		if (fd < 0) {
			close(rfd);
			return -1;
		}
		close(fd);
	}
	close(rfd);
	return 0;
}
