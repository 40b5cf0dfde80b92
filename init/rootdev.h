/* rootdev.h — find the device root= names, waiting for the kernel to create it. */
#ifndef EARLYROOT_ROOTDEV_H
#define EARLYROOT_ROOTDEV_H
#include "cmdline.h"
#include "uevent.h"
#include <stddef.h>

/* Wait for the root device, woken by UE's events. Returns 0 with PATH filled, or -1 with the reason
 * logged; KEPT_OUT names the modules module_blacklist= kept from loading ("a,b" or ""), for that
 * message. */
int wait_for_root(const struct cmdline *cl, struct uevents *ue, const char *kept_out, char *path, size_t size);

#endif
