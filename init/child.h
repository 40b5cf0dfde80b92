/* child.h — PID 1's children: waiting for one while reaping every orphan that ends meanwhile. */
#ifndef EARLYROOT_CHILD_H
#define EARLYROOT_CHILD_H
#include <sys/types.h>

/* Wait for PID to end; its wait status, or -1 (errno set) when it cannot be waited for. */
int wait_child(pid_t pid);

#endif
