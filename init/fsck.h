/* fsck.h — check the root filesystem before it is mounted, with the image's fsck.TYPE. */
#ifndef EARLYROOT_FSCK_H
#define EARLYROOT_FSCK_H
#include <stddef.h>

/* Run /sbin/fsck.FSTYPE -a DEVICE (e2fsck: -p) when the image has it and OFF is 0, and read its exit
 * code bit by bit as fsck(8) documents: 0 clean and 1 (errors corrected) go on (1 said in one line);
 * 2 (reboot needed) syncs and reboots, never returning; 4 and up (left uncorrected, operational or
 * usage error, cancelled, library error) return -1 after one error line naming the bits, fsck's own
 * output having gone to the console. Returns 0 also when there is no checker (said at debug level). */
int fsck_root(const char *device, const char *fstype, int off);

/* What an exit code asks for (fsck(8)'s bits; a failure bit wins over the reboot bit: rebooting
 * would not repair what fsck left). */
enum fsck_verdict { FSCK_CLEAN, FSCK_CORRECTED, FSCK_REBOOT, FSCK_FAILED };
/* The verdict for exit code CODE (0..255), with the meanings of its bits from 2 up in WHY ("errors
 * left uncorrected, operational error"; "" for 0 and 1). */
enum fsck_verdict fsck_verdict(int code, char *why, size_t size);

/* CODE as fsck(8) means it, from the exit code of FSTYPE's checker: dosfstools' fsck.fat (vfat, msdos)
 * exits 2 for a usage error that left the filesystem unread (dosfstools#89), which is 16 here, not a
 * request to reboot (that would reboot for ever). Every other checker already speaks fsck(8). */
int fsck_convention(const char *fstype, int code);

#endif
