/* rescue.h — when a boot stops: the rescue shell, the panic= policy; and the processes early
 * userspace leaves behind. */
#ifndef EARLYROOT_RESCUE_H
#define EARLYROOT_RESCUE_H
#include "cmdline.h"
#include "image_conf.h"

#define RESCUE_SHELL "/bin/sh"

/* Run the rescue shell if this boot may have one; WHY says why. Returns 1 when the user left it with
 * status 0 (go on), 0 when there is no shell or the user gave up. CL is NULL before it is read. */
int rescue_shell(const struct cmdline *cl, const struct image_conf *conf, const char *stage, const char *why);
_Noreturn void give_up(const struct cmdline *cl, const char *stage);
/* Before the hand-over: SIGTERM, then SIGKILL, to what the initramfs left running. */
void stop_initramfs_processes(void);

#endif
