/* switchroot.h — hand the system over from the early root to the real root, then exec the real init.
 *
 * Two modes:
 *  - switch (sr_switch): the early root is the initramfs (the kernel's rootfs, ramfs/tmpfs). It cannot
 *    be unmounted, so the new root is moved on top of it and its contents are deleted to free the memory.
 *  - pivot (sr_pivot): the early root is a real mount (an initrd on /dev/ram0, a disk). pivot_root(2)
 *    swaps the roots; the old one is detached (and a ram disk flushed), or kept under NEWROOT/PUT_OLD.
 *
 * Every check runs before anything irreversible; a refusal is one log line naming what is wrong and
 * what to do, and leaves the system exactly as it was. */
#ifndef EARLYROOT_SWITCHROOT_H
#define EARLYROOT_SWITCHROOT_H
#include <stdbool.h>
#include <stddef.h>

struct sr_request {
	const char *newroot;  /* absolute path where the real root is mounted */
	const char *init;     /* the program to exec, as a path inside NEWROOT */
	char *const *argv;    /* its argv (argv[0] included); NULL: { init } */
	char *const *envp;    /* its environment; NULL: the current one */
	const char *console;  /* reopen stdin/stdout/stderr on this device after the switch, or NULL */
	const char *put_old;  /* pivot mode: keep the old root at NEWROOT/PUT_OLD; NULL: detach it */
	bool dry_run;         /* run every check and report; change nothing */
};

enum sr_result {
	SR_OK = 0,          /* dry run passed (the real thing does not return) */
	SR_REFUSED = -1,    /* a check failed or a step before the point of no return failed: nothing
	                       changed (or it was put back); the early root still works */
	SR_FAILED_LATE = -2 /* failed after the root moved: only the new root is left (panic or rescue) */
};

/* Checks shared by both modes: NEWROOT and INIT. Logs each refusal; but with WHY, a refusal of INIT is
 * written there instead (one line; WHY stays "" when it is NEWROOT that was refused, and logged). */
enum sr_result sr_check(const struct sr_request *req, char *why, size_t why_size);

/* The full switch for an initramfs root. Returns only on failure (or after a dry run). */
enum sr_result sr_switch(const struct sr_request *req);

/* The full pivot for an early root that is a real mount. Returns only on failure (or a dry run). */
enum sr_result sr_pivot(const struct sr_request *req);

/* Is / the kernel's initramfs (ramfs/tmpfs that is the kernel's rootfs or carries /etc/initrd-release)?
 * 1 yes; 0 no, with the reason written to WHY (for the caller's message). */
int sr_root_is_initramfs(char *why, unsigned why_size);

/* Command-line front ends (util-linux syntax). */
int switch_root_main(int argc, char **argv);
int pivot_root_main(int argc, char **argv);

#endif
