/* propagation.c — MS_MOVE is refused under a shared parent (mount --make-rshared, systemd), so for the
 * hand-over the mounts are made private; a refusal makes shared again those that were.
 *
 * Only when /proc/self/mountinfo shows a shared mount: in the common initramfs nothing is, and then
 * nothing is changed. Without /proc nothing says what is shared: all is made private, and a refusal
 * cannot tell what to restore. */
#include "internal.h"
#include "fsutil.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

/* The mount point of mountinfo LINE, unescaped ("\040" is a space), written to OUT (never past LINE).
 * Returns the end of what was written, or OUT itself for a line too short to have one. */
static char *copy_mount_point(const char *line, char *out)
{
	for (int i = 0; i < 4; i++)
		if (!(line = strchr(line, ' ')) || !*++line)
			return out;
	for (; *line && *line != ' '; line++) {
		if (line[0] == '\\' && line[1] >= '0' && line[1] <= '3' && line[2] >= '0' && line[2] <= '7' &&
		    line[3] >= '0' && line[3] <= '7') {
			*out++ = (char)((line[1] - '0') << 6 | (line[2] - '0') << 3 | (line[3] - '0'));
			line += 3;
		} else {
			*out++ = *line;
		}
	}
	*out++ = 0;
	return out;
}

int sr_make_private(struct sr_shared *saved)
{
	char *buf = fs_read_mountinfo(), *out = buf;

	saved->paths = buf;
	saved->n = 0;
	/* id parent maj:min root MOUNTPOINT opts [optional fields...] - fstype source superopts; paths are
	 * escaped, so " shared:" before " - " can only be an optional field. The list overwrites the text
	 * it is read from: each entry is shorter than its line. */
	for (char *line = buf, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		char *dash = strstr(line, " - ");
		if (!dash)
			continue;
		*dash = 0;
		char *end = strstr(line, " shared:") ? copy_mount_point(line, out) : out;
		if (end != out) {
			out = end;
			saved->n++;
		}
	}
	if (buf && !saved->n) {
		sr_forget_shared(saved);
		return 0;
	}
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		log_error("cannot make the mounts private: %m");
		sr_forget_shared(saved);
		return -1;
	}
	return 0;
}

void sr_restore_shared(struct sr_shared *saved)
{
	const char *p = saved->paths;

	/* Each becomes the first of a new peer group: the kernel cannot put a mount back into its old
	 * group, so what used to propagate between them no longer does. */
	for (unsigned i = 0; i < saved->n; i++, p += strlen(p) + 1)
		if (mount(NULL, p, NULL, MS_SHARED, NULL) < 0)
			log_warn("cannot make %s shared again: %m", p);
	sr_forget_shared(saved);
}

void sr_forget_shared(struct sr_shared *saved)
{
	free(saved->paths);
	saved->paths = NULL;
	saved->n = 0;
}
