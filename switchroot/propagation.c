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
		/* Field 4 is the mount point; it ends before DASH, so it fits between OUT and there. */
		if (strstr(line, " shared:") && fs_mountinfo_field(line, 4, out, (size_t)(dash - out) + 1) == 0) {
			out += strlen(out) + 1;
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
