/* lib/musl/fork.c — fork() for the static musl init: the bare system call.
 *
 * musl's fork() makes a threaded program safe to fork: it runs pthread_atfork handlers and takes and
 * resets every internal lock around the call, which links the rwlock and futex-wait code (2.2 KB).
 * The init has one thread and no atfork handlers, and its children (hooks, the rescue shell) only set
 * up their session and environment, then exec — so a plain clone with SIGCHLD, as fork(2) itself
 * is, does the same here. (One difference: in the child, musl's cached thread id is the parent's, so
 * raise() would signal the parent; the children never call it.) Only the musl build links this file.
 * SYS_fork where the architecture has it. Those without it (aarch64, riscv64, loongarch64) are the
 * newer ones, and all of them take clone's flags first; s390x, whose clone takes the stack first,
 * has fork.
 * Kept: saves 3.3 KB (x86-64), 2.1 KB (armhf); test-musl-lite forks and reaps on all six architectures. */
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

pid_t fork(void)
{
#ifdef SYS_fork
	return (pid_t)syscall(SYS_fork);
#else
	return (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
#endif
}
