/* lib/musl/fcntl.c — fcntl() for the static musl init: the bare system call.
 *
 * musl's fcntl emulates F_DUPFD_CLOEXEC on kernels before 2.6.24 and reinterprets F_GETOWN (0.4 KB);
 * the init only reads and sets descriptor and status flags (F_GETFD, F_SETFD, F_GETFL), which the
 * system call does as is. Only the musl build links this file.
 * fcntl64 where the architecture has it (the 32-bit ones), as musl calls it: the same for the init's
 * commands, and the one whose locks match musl's 64-bit off_t and F_GETLK numbers, should one be used. */
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
#ifdef SYS_fcntl64
	return (int)syscall(SYS_fcntl64, fd, cmd, arg);
#else
	return (int)syscall(SYS_fcntl, fd, cmd, arg);
#endif
}
