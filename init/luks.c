/* luks.c — open a LUKS volume (luks.h) with Debian's cryptsetup, carried in the image by
 * `mkinitramfs --luks`.
 *
 * Why the cryptsetup program and not libcryptsetup or our own LUKS code: LUKS2 keyslots need Argon2,
 * JSON metadata and the kernel's crypto API; libcryptsetup is the one well-kept implementation, and
 * linking it (with OpenSSL, json-c and libargon2) into the static init would multiply its size for
 * every image, encrypted or not. The program runs only when a LUKS volume is there. It runs with
 * DM_DISABLE_UDEV=1: with no udevd, libdevmapper would otherwise wait forever on its udev cookie
 * (anchors: rancher/os#2795 and others), and makes the /dev/mapper node itself. */
#include "luks.h"
#include "child.h"
#include "clock.h"
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define PASSPHRASE_MAX 512

static char *const tool_env[] = {"DM_DISABLE_UDEV=1", NULL};

/* Read one line from the console without echo. Returns its length, or -1 (no console, end of input). */
static int ask(const char *prompt, char *buf, size_t size)
{
	struct termios old, quiet;
	int have_tty = tcgetattr(0, &old) == 0;
	size_t n = 0;

	if (!have_tty && errno != ENOTTY)
		return -1;
	if (have_tty) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
		quiet.c_lflag |= ICANON;
		tcsetattr(0, TCSAFLUSH, &quiet);
	}
	(void)!write(1, prompt, strlen(prompt));
	for (;;) {
		char ch;
		ssize_t r = read(0, &ch, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			n = (size_t)-1;
			break;
		}
		if (ch == '\n' || ch == '\r')
			break;
		if (n + 1 < size)
			buf[n++] = ch;
	}
	if (have_tty)
		tcsetattr(0, TCSAFLUSH, &old);
	(void)!write(1, "\n", 1);
	if (n == (size_t)-1)
		return -1;
	buf[n] = 0;
	return (int)n;
}

/* One cryptsetup open; its exit code (2: the key did not open any keyslot), or -1. */
static int open_once(const struct luks_open *r, const char *keyfile, const char *pass, size_t len, char *err,
		     size_t errsize)
{
	char keyarg[300], offarg[48], sizearg[48];
	char *argv[18];
	int n = 0;

	argv[n++] = LUKS_TOOL;
	argv[n++] = "open";
	argv[n++] = "--type";
	argv[n++] = "luks";
	snprintf(keyarg, sizeof keyarg, "--key-file=%s", keyfile ? keyfile : "-");
	argv[n++] = keyarg;
	if (keyfile && r->keyfile_offset) {
		snprintf(offarg, sizeof offarg, "--keyfile-offset=%llu", r->keyfile_offset);
		argv[n++] = offarg;
	}
	if (keyfile && r->keyfile_size) {
		snprintf(sizearg, sizeof sizearg, "--keyfile-size=%llu", r->keyfile_size);
		argv[n++] = sizearg;
	}
	if (r->discard)
		argv[n++] = "--allow-discards";
	if (r->no_read_workqueue)
		argv[n++] = "--perf-no_read_workqueue";
	if (r->no_write_workqueue)
		argv[n++] = "--perf-no_write_workqueue";
	if (r->readonly)
		argv[n++] = "--readonly";
	argv[n++] = (char *)r->device;
	argv[n++] = (char *)r->name;
	argv[n] = NULL;
	/* An empty stdin with a key file: nothing to wait for at the console. */
	int status = run_program(argv, tool_env, pass ? pass : "", len, NULL, 0, err, errsize);
	if (status < 0) {
		snprintf(err, errsize, "cannot run %s: %s", LUKS_TOOL, strerror(errno));
		return -1;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int luks_open(const struct luks_open *r, long long *asked_ms)
{
	char pass[PASSPHRASE_MAX], prompt[256], err[1024];
	struct stat st;
	int status;

	if (stat(LUKS_TOOL, &st) < 0) {
		log_error("LUKS: %s (UUID %s) is encrypted, and this image has no cryptsetup: make it with "
			  "mkinitramfs --luks", r->device, r->uuid);
		return -1;
	}
	/* cryptsetup's lock directory; without it every open warns. */
	mkdir("/run/cryptsetup", 0700);
	if (r->keyfile) {
		if (stat(r->keyfile, &st) < 0) {
			log_error("LUKS: the key file %s for %s (UUID %s) is not there (%m): add it to the image "
				  "(mkinitramfs --add FILE:%s) or fix rd.luks.key=/crypttab",
				  r->keyfile, r->device, r->uuid, r->keyfile);
			return -1;
		}
		status = open_once(r, r->keyfile, NULL, 0, err, sizeof err);
		if (status == 0) {
			log_info("LUKS: %s unlocked with %s as /dev/mapper/%s", r->device, r->keyfile, r->name);
			return 0;
		}
		log_error("LUKS: the key file %s does not open %s (UUID %s): %s%s", r->keyfile, r->device, r->uuid,
			  last_output_line(err), status == 2 ? "; is it the key of this volume?" : "");
		return -1;
	}
	const int max_tries = r->tries > 0 ? r->tries : LUKS_TRIES;
	for (int tries = 1; tries <= max_tries; tries++) {
		long long t0 = now_ms();
		snprintf(prompt, sizeof prompt, "Passphrase for %s (LUKS UUID %s)%s: ", r->device, r->uuid,
			 tries > 1 ? " — try again" : "");
		int len = ask(prompt, pass, sizeof pass);
		*asked_ms += now_ms() - t0;
		if (len < 0) {
			log_error("LUKS: %s (UUID %s) needs a passphrase and there is no console to ask on: add a key "
				  "(rd.luks.key=, crypttab) or boot with a working console=",
				  r->device, r->uuid);
			return -1;
		}
		status = open_once(r, NULL, pass, (size_t)len, err, sizeof err);
		memset(pass, 0, sizeof pass);
		if (status == 0) {
			log_info("LUKS: %s unlocked as /dev/mapper/%s", r->device, r->name);
			return 0;
		}
		if (status != 2) {
			log_error("LUKS: cannot open %s (UUID %s) as %s: %s", r->device, r->uuid, r->name,
				  last_output_line(err));
			return -1;
		}
		if (tries < max_tries)
			log_warn("LUKS: that passphrase does not open %s; %d %s left", r->device, max_tries - tries,
				 max_tries - tries == 1 ? "try" : "tries");
	}
	log_error("LUKS: %d wrong passphrase%s for %s (UUID %s): it stays locked; check the keyboard layout "
		  "and Caps Lock, or boot with a key file (rd.luks.key=)",
		  max_tries, max_tries == 1 ? "" : "s", r->device, r->uuid);
	return -1;
}
