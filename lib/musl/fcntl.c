/* lib/musl/fcntl.c — fcntl() for the static musl init: the bare system call.
 *
 * musl's fcntl emulates F_DUPFD_CLOEXEC on kernels before 2.6.24 and reinterprets F_GETOWN (0.4 KB);
 * the init only reads and sets descriptor and status flags (F_GETFD, F_SETFD, F_GETFL), which the
 * system call does as is. Only the musl build links this file. */
#include <fcntl.h>
#include <stdarg.h>
#include <sys/syscall.h>
#include <unistd.h>

int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	va_start(ap, cmd);
	unsigned long arg = va_arg(ap, unsigned long); /* every command's third argument fits a long */
	va_end(ap);
	return (int)syscall(SYS_fcntl, fd, cmd, arg);
}
