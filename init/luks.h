/* luks.h — open a LUKS volume with the image's cryptsetup: a key file, or a passphrase asked on the
 * console. */
#ifndef EARLYROOT_LUKS_H
#define EARLYROOT_LUKS_H

#define LUKS_TRIES 3
#define LUKS_TOOL "/sbin/cryptsetup" /* where mkinitramfs --luks puts it */

struct luks_open {
	const char *device;  /* /dev/vdb */
	const char *uuid;    /* the LUKS header's, for the prompt and messages */
	const char *name;    /* the mapping: /dev/mapper/NAME */
	const char *keyfile; /* a path (in the image, or under a mounted key device), or NULL: ask */
	int discard, no_read_workqueue, no_write_workqueue, readonly;
	int tries;                /* passphrase prompts: 0 for LUKS_TRIES */
	unsigned long long keyfile_offset, keyfile_size; /* crypttab's keyfile-offset=, keyfile-size= (0: none) */
};

/* Open R. Asks for the passphrase at most R->tries (LUKS_TRIES) times on the console (no echo, the device and
 * its UUID in the prompt); *ASKED_MS grows by the time spent waiting for the person. Returns 0, or -1
 * with one error line logged (a wrong key file, three wrong passphrases, no console to ask on,
 * no cryptsetup in the image: each says what to do). */
int luks_open(const struct luks_open *r, long long *asked_ms);

#endif
