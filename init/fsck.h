/* fsck.h — check the root filesystem before it is mounted, with the image's fsck.TYPE. */
#ifndef EARLYROOT_FSCK_H
#define EARLYROOT_FSCK_H

/* Run /sbin/fsck.FSTYPE -a DEVICE (e2fsck: -p) when the image has it and OFF is 0, and read its exit
 * code bit by bit as fsck(8) documents: 0 clean and 1 (errors corrected) go on (1 said in one line);
 * 2 (reboot needed) syncs and reboots, never returning; 4 and up (left uncorrected, operational or
 * usage error, cancelled, library error) return -1 after one error line naming the bits, fsck's own
 * output having gone to the console. Returns 0 also when there is no checker (said at debug level). */
int fsck_root(const char *device, const char *fstype, int off);

#endif
