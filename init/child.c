/* child.c — see child.h. */
#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int wait_child(pid_t pid)
{
	int status = 0;

	for (;;) {
		/* Any child: we are PID 1, every orphan of the initramfs is ours to reap. */
		pid_t w = waitpid(-1, &status, 0);
		if (w == pid)
			return status;
		if (w < 0 && errno != EINTR)
			return -1;
	}
}

static void set_cloexec_pipe(int p[2])
{
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	fcntl(p[1], F_SETFD, FD_CLOEXEC);
}

static void close_pipe(int p[2])
{
	for (int i = 0; i < 2; i++)
		if (p[i] >= 0) {
			close(p[i]);
			p[i] = -1;
		}
}

int run_program(char *const argv[], char *const env[], const void *input, size_t len, char *out, size_t outsize,
		char *err, size_t errsize)
{
	int in[2] = {-1, -1}, po[2] = {-1, -1}, pe[2] = {-1, -1}, ex[2] = {-1, -1}, e;
	size_t got[2] = {0, 0};
	pid_t pid;

	if (out && outsize)
		out[0] = 0;
	if (err && errsize)
		err[0] = 0;
	if ((input && pipe(in) < 0) || (out && pipe(po) < 0) || (err && pipe(pe) < 0) || pipe(ex) < 0)
		goto fail;
	if (input)
		set_cloexec_pipe(in);
	if (out)
		set_cloexec_pipe(po);
	if (err)
		set_cloexec_pipe(pe);
	set_cloexec_pipe(ex);
	if ((pid = fork()) < 0)
		goto fail;
	if (pid == 0) {
		if (input)
			dup2(in[0], 0);
		if (out)
			dup2(po[1], 1);
		if (err)
			dup2(pe[1], 2);
		for (int i = 0; env && env[i]; i++)
			putenv(env[i]);
		execv(argv[0], argv);
		e = errno;
		(void)!write(ex[1], &e, sizeof e);
		_exit(127);
	}
	if (input)
		close(in[0]);
	if (out)
		close(po[1]);
	if (err)
		close(pe[1]);
	in[0] = po[1] = pe[1] = -1;
	close(ex[1]);
	ex[1] = -1;
	/* The close-on-exec pipe tells a program that could not be started (its errno, e.g. ENOENT: not
	 * in the image) from one that exits 127: it reads nothing once execv succeeded. */
	ssize_t n;
	while ((n = read(ex[0], &e, sizeof e)) < 0 && errno == EINTR)
		;
	close_pipe(ex);
	if (n == (ssize_t)sizeof e) {
		close_pipe(in), close_pipe(po), close_pipe(pe);
		wait_child(pid);
		errno = e;
		return -1;
	}
	/* The input is small (a passphrase): it fits in the pipe, so writing it all first cannot block
	 * against the child's output. A child that exits without reading it gives EPIPE; PID 1 gets no
	 * SIGPIPE (the kernel drops signals init has no handler for), and ignoring it here would be
	 * inherited by the real init. */
	for (size_t off = 0; input && off < len;) {
		ssize_t w = write(in[1], (const char *)input + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	close_pipe(in);
	struct pollfd fds[2] = {{.fd = out ? po[0] : -1, .events = POLLIN}, {.fd = err ? pe[0] : -1, .events = POLLIN}};
	char *bufs[2] = {out, err};
	size_t sizes[2] = {outsize, errsize};
	while (fds[0].fd >= 0 || fds[1].fd >= 0) {
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int i = 0; i < 2; i++) {
			char scratch[512];
			if (fds[i].fd < 0 || !fds[i].revents)
				continue;
			size_t room = got[i] + 1 < sizes[i] ? sizes[i] - 1 - got[i] : 0;
			ssize_t r = room ? read(fds[i].fd, bufs[i] + got[i], room) : read(fds[i].fd, scratch, sizeof scratch);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0) {
				close(fds[i].fd);
				fds[i].fd = -1;
			} else if (room) {
				got[i] += (size_t)r;
			}
		}
	}
	for (int i = 0; i < 2; i++)
		if (fds[i].fd >= 0)
			close(fds[i].fd);
	if (out && outsize)
		out[got[0]] = 0;
	if (err && errsize)
		err[got[1]] = 0;
	return wait_child(pid);
fail:
	e = errno;
	close_pipe(in), close_pipe(po), close_pipe(pe), close_pipe(ex);
	errno = e;
	return -1;
}

char *last_output_line(char *text)
{
	size_t n = strlen(text);

	while (n && (text[n - 1] == '\n' || text[n - 1] == ' ' || text[n - 1] == '\r'))
		text[--n] = 0;
	char *line = strrchr(text, '\n');
	line = line ? line + 1 : text;
	while (*line == ' ' || *line == '\t')
		line++;
	memmove(text, line, strlen(line) + 1);
	return text;
}
