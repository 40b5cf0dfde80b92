/* child.c — see child.h. */
#include "child.h"

#include <errno.h>
#include <sys/wait.h>

int wait_child(pid_t pid)
{
	int status = 0;

	for (;;) {
		/* Any child: we are PID 1, every orphan of the initramfs is ours to reap. */
		pid_t w = waitpid(-1, &status, 0);
		if (w == pid)
			return status;
		if (w < 0 && errno != EINTR)
			return -1;
	}
}
