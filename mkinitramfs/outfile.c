/* outfile.c — atomic output: temporary file, fsync, rename. A signal (Ctrl-C during a long zstd run)
 * removes the temporary file too. */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

/* The temporary file a signal handler must remove; only one output is open at a time. */
static char *volatile pending;

static void on_signal(int sig)
{
	char *p = pending;
	if (p)
		unlink(p); /* async-signal-safe */
	signal(sig, SIG_DFL);
	raise(sig);
}

int outfile_open(struct outfile *o, const char *path)
{
	o->path = path;
	o->fd = -1;
	/* Same directory, so rename(2) is atomic; a dot name so that globs like *.img skip it. */
	const char *slash = strrchr(path, '/');
	int dirlen = slash ? (int)(slash - path + 1) : 0;
	o->tmp = xasprintf("%.*s.%s.XXXXXX", dirlen, path, path + dirlen);
	o->fd = mkostemp(o->tmp, O_CLOEXEC);
	if (o->fd < 0) {
		errorf("cannot write %s: %s", path, strerror(errno));
		free(o->tmp);
		o->tmp = NULL;
		return -1;
	}
	pending = o->tmp;
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], on_signal);
	/* mkstemp makes 0600; give the image the mode any newly created file would get. */
	mode_t mask = umask(0);
	umask(mask);
	if (fchmod(o->fd, 0666 & ~mask) < 0) {
		errorf("cannot write %s: %s", path, strerror(errno));
		outfile_abort(o);
		return -1;
	}
	return 0;
}

int outfile_commit(struct outfile *o)
{
	/* fsync before rename: after a crash the name points at the whole image or at the old one. */
	if (fsync(o->fd) < 0 || close(o->fd) < 0) {
		o->fd = -1;
		errorf("cannot write %s: %s", o->path, strerror(errno));
		outfile_abort(o);
		return -1;
	}
	o->fd = -1;
	if (rename(o->tmp, o->path) < 0) {
		errorf("cannot write %s: %s", o->path, strerror(errno));
		outfile_abort(o);
		return -1;
	}
	pending = NULL;
	free(o->tmp);
	o->tmp = NULL;
	return 0;
}

void outfile_abort(struct outfile *o)
{
	if (o->fd >= 0)
		close(o->fd);
	o->fd = -1;
	if (o->tmp) {
		unlink(o->tmp);
		pending = NULL;
		free(o->tmp);
		o->tmp = NULL;
	}
}
