/* storage.h — stacked storage during the device wait: every block device the kernel announces is
 * looked at once it is probed, and may be a layer's member: a LUKS volume is unlocked (luks.c), an
 * MD member added to its array (md.c), an LVM physical volume's volume group activated (lvm.c). The
 * devices those make (dm-N, mdN) are announced in turn and looked at the same way, so any stacking
 * order works and the root may appear at any depth. Driven by rootdev.c's wait loop. */
#ifndef EARLYROOT_STORAGE_H
#define EARLYROOT_STORAGE_H
#include "blockdevs.h"
#include "cmdline.h"
#include "modules.h"
#include "storage_conf.h"
#include <stddef.h>

struct storage;

/* The stack's state for this boot, from the command line and the image's /etc/crypttab and
 * /etc/mdadm/mdadm.conf. NULL when out of memory, or when the command line is wrong (logged: one
 * line naming the parameter). */
struct storage *storage_new(const struct cmdline *cl, struct modules *mods);
const struct storage_conf *storage_conf_of(const struct storage *s);

/* Look at the devices DEVS has that this has not seen, and act on them. *DEADLINE_MS (absolute, in
 * now_ms() time) is lowered when the stack wants to be called again at a time even without an event
 * (a degraded array's start); *PAUSED_MS grows by the time spent waiting for a person (a passphrase),
 * which the wait does not count. Returns 0, or -1 when the boot cannot go on (logged). */
int storage_step(struct storage *s, struct blockdevs *devs, long long *deadline_ms, long long *paused_ms);

/* When the wait gave up: what the layers were still waiting for ("LVM volume group vg0: 1 of 2
 * physical volumes; RAID md0 inactive, 1 of 2 members"), "" if nothing. */
void storage_describe(const struct storage *s, char *buf, size_t size);

/* Load the modules LAYER ("luks", "md", "lvm", "verity") needs, as the image lists them in
 * /etc/earlyroot/modules.LAYER (mkinitramfs writes it: nothing answers the kernel's request_module()
 * here, and the ciphers differ between kernels and architectures); FALLBACK (NULL-terminated) when
 * the image has no list. */
void storage_layer_modules(struct storage *s, const char *layer, const char *const *fallback);

void storage_free(struct storage *s);

#endif
