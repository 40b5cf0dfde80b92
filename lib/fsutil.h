/* fsutil.h — small filesystem questions asked by both init and switchroot. */
#ifndef EARLYROOT_FSUTIL_H
#define EARLYROOT_FSUTIL_H
#include <stddef.h>
#include <sys/types.h>

/* Is PATH (relative to DIRFD; "" with DIRFD itself) the root of a mount? 1 yes, 0 no, -1 error.
 * Catches bind mounts of the same filesystem too, which an st_dev comparison cannot see. */
int fs_is_mount_point(int dirfd, const char *path);

/* statfs magic of the filesystem holding the open file FD, or 0 on error. */
unsigned long fs_magic_fd(int fd);
/* A readable name for a statfs magic ("tmpfs", "ext4", ...), or "unknown". */
const char *fs_magic_name(unsigned long magic);

/* Field N (0-based, space-separated) of a mountinfo LINE, its octal escapes undone ("\040" is a
 * space), copied to OUT. OUT may also lie before LINE in the same buffer. 0, or -1 when the line is
 * shorter or the field does not fit in SIZE. */
int fs_mountinfo_field(const char *line, int n, char *out, size_t size);
/* /proc/self/mountinfo, whole and NUL-terminated, in a malloc'd buffer; NULL when /proc is not mounted. */
char *fs_read_mountinfo(void);
/* The filesystem type that /proc/self/mountinfo reports for the mount at MOUNTPOINT (the visible one).
 * Returns 0 and fills FSTYPE, or -1 when /proc is not mounted or no such mount is listed. */
int fs_mount_fstype(const char *mountpoint, char *fstype, size_t size);

/* "MAJOR:MINOR" in decimal, the whole of S: 0 and the numbers, or -1. (No sscanf: in a static binary it
 * brings the whole scanf and floating-point parser of the libc along.) */
int parse_majmin(const char *s, unsigned *maj, unsigned *min);

/* Read a small file into BUF (NUL-terminated, trailing newline kept). Returns bytes read or -1. */
ssize_t read_small_file(const char *path, char *buf, size_t size);

#endif
