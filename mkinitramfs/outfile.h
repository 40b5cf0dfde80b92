/* outfile.h — write the image to a temporary file next to its final name and rename it into place,
 * so that the output is either the complete new image or untouched: never a partial file. */
#ifndef MKINITRAMFS_OUTFILE_H
#define MKINITRAMFS_OUTFILE_H

struct outfile {
	const char *path; /* final name */
	char *tmp;        /* temporary file in the same directory, while open */
	int fd;
};

int outfile_open(struct outfile *o, const char *path);
/* fsync, close and rename into place; on failure the temporary file is removed. */
int outfile_commit(struct outfile *o);
/* Remove the temporary file (after an error). Safe to call after commit or a failed open. */
void outfile_abort(struct outfile *o);

#endif
