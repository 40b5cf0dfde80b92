/* rootspec.h — what root= (or rd.root=) names, in every spelling the init accepts. */
#ifndef EARLYROOT_ROOTSPEC_H
#define EARLYROOT_ROOTSPEC_H
#include <stddef.h>

enum root_kind { ROOT_PATH, ROOT_DEVNUM, ROOT_UUID, ROOT_LABEL, ROOT_PARTUUID, ROOT_PARTLABEL };

struct rootspec {
	enum root_kind kind;
	const char *text;  /* as given, for messages */
	const char *key;   /* the parameter that gave it, for messages: NULL is "root" */
	char value[256];   /* the path, UUID, label... (a UUID in lower case) */
	unsigned maj, min; /* ROOT_DEVNUM */
	int partnroff;     /* ROOT_PARTUUID: PARTUUID=X/PARTNROFF=N names the partition N after X */
};

/* Parse ROOT: /dev/NAME, MAJ:MIN, hex (0x801 or 801, as the kernel reads it), UUID=, LABEL= (CDLABEL=),
 * PARTUUID=[/PARTNROFF=N], PARTLABEL=, and /dev/disk/by-{uuid,label,partuuid,partlabel}/X (no udev
 * runs here, so those links never appear: they are read as the names they stand for). Returns 0, or
 * -1 with a message for the user in ERR. */
int rootspec_parse(const char *root, struct rootspec *rs, char *err, size_t errsize);
/* The same for a device named by another parameter, KEY ("rd.live.overlay"), which messages name. */
int rootspec_parse_key(const char *key, const char *root, struct rootspec *rs, char *err, size_t errsize);

/* Does VALUE (from a probe) match what RS asks for? UUIDs case-insensitively. */
int rootspec_matches(const struct rootspec *rs, const char *value);

#endif
