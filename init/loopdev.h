/* loopdev.h — a file attached to a free loop device, from PID 1 without udev or losetup: for a live
 * image inside a medium, an ISO file on a disk, an overlay image. */
#ifndef EARLYROOT_LOOPDEV_H
#define EARLYROOT_LOOPDEV_H
#include <stddef.h>

#define LOOPDEV_PARTSCAN 0x1u /* scan the image for a partition table (/dev/loopNpM) */

/* Attaches FILE (read-write if RW, else read-only: the file is then opened read-only too) to a free
 * loop device with autoclear. Returns an open file descriptor (O_CLOEXEC) on the device and writes its
 * path ("/dev/loop0") into DEV (DEVSIZE bytes); -1 with errno set and nothing left attached. ENOENT:
 * FILE is missing, or there is no /dev/loop-control (the loop module is not loaded or not in the image).
 *
 * Autoclear: the kernel detaches the loop when its last user goes. Mount DEV, then close the fd, and
 * the loop lives as long as the mount and is freed by the unmount. Closing the fd BEFORE mounting
 * detaches it at once: the mount then fails. */
int loop_attach(const char *file, int rw, unsigned flags, char *dev, size_t devsize);

#endif
