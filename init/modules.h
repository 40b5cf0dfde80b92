/* modules.h — the image's kernel modules: those named when it was built, and those the devices ask
 * for (modalias autoload, fed by the uevent loop). */
#ifndef EARLYROOT_MODULES_H
#define EARLYROOT_MODULES_H
#include "cmdline.h"
#include "image_conf.h"
#include "modtable.h"
#include "uevent.h"

#define MODULE_LIST "/etc/earlyroot/modules"
#define MODULE_TABLE "/etc/earlyroot/modtable"

/* The boot's module state, from the modules stage to the hand-over. Zero it before the first use. */
struct modules {
	struct modtab table;
	const struct cmdline *cl;
	char autoloaded[512]; /* names, for the summary lines */
	unsigned nautoloaded;
	char kept_out[256]; /* the modules module_blacklist= kept from loading, "a,b" */
};

/* Load the image's named modules in order, then what rd.modules= asks for, then what the devices
 * present ask for; from then on, what each device UE announces asks for. Failures are logged, not
 * fatal: the root device wait says what is missing when it matters. */
void load_image_modules(struct modules *m, const char *list_path, const struct image_conf *conf,
			const struct cmdline *cl, struct uevents *ue);
/* Before the root is mounted: the filesystem modules for FSTYPE (the root's probed type, "" if none)
 * and the comma-separated TYPES (rootfstype=, or NULL), as the kernel would request "fs-ext4". */
void modules_for_filesystem(struct modules *m, const char *fstype, const char *types);

/* Module NAME of the table, with what it needs, for WHY ("the NFS root"): what the kernel asks for by
 * a module's name ("nfsv4"), which no alias matches. Not in the table: nothing (it may be built in). */
void modules_for_name(struct modules *m, const char *name, const char *why);
/* What the kernel's request_module(ALIAS) would load ("devname:loop-control", "fs-overlay"). */
void modules_for_alias(struct modules *m, const char *alias);

#endif
