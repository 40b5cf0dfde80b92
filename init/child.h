/* child.h — PID 1's children: waiting for one while reaping every orphan that ends meanwhile. */
#ifndef EARLYROOT_CHILD_H
#define EARLYROOT_CHILD_H
#include <sys/types.h>

/* Wait for PID to end; its wait status, or -1 (errno set) when it cannot be waited for. */
int wait_child(pid_t pid);

/* Run ARGV[0] (a path) with ARGV, the init's environment plus ENV ("NAME=value", NULL-terminated, or
 * NULL), INPUT (LEN bytes; "" for an empty stdin) on its stdin, or the console as its stdin when INPUT is
 * NULL, and its stdout and stderr each captured (cut to OUTSIZE/ERRSIZE, NUL-terminated; either buffer
 * may be NULL: that stream goes to the console). Returns the wait status, or -1 with errno when it
 * could not be started: execv's own (ENOENT: the program is not in the image), not an exit status 127.
 * For the tools of stacked storage, whose output is parsed (mdadm --export) or quoted in the one error
 * line (lvm, cryptsetup), and the root's fsck, which talks to the person at the console. */
int run_program(char *const argv[], char *const env[], const void *input, size_t len, char *out, size_t outsize,
		char *err, size_t errsize);

/* The last non-empty line of a tool's captured output, trimmed, moved to the start of TEXT (which is
 * returned); "" when there is none. What the one error line quotes. */
char *last_output_line(char *text);

#endif
