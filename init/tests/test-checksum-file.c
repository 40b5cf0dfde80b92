/* test-checksum-file — init/checksum_file.c under the sanitizers (TAP): files written by the real
 * sha256sum and sha256sum --tag (names with spaces, a backslash, a newline, paths), and bad input. */
#include "checksum_file.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char err[128];
static uint8_t dg[32];

static int find(const char *text, const char *name)
{
	memset(dg, 0, sizeof dg);
	return checksum_file_find(text, strlen(text), name, dg, err, sizeof err);
}

static int digest_hex_is(const char *want)
{
	char h[65];
	for (int i = 0; i < 32; i++)
		sprintf(h + 2 * i, "%02x", dg[i]);
	return !strcmp(h, want);
}

/* The output of a shell command (at most 64 KiB). */
static char *run(const char *cmd)
{
	static char out[65536];
	size_t n = 0;
	FILE *p = popen(cmd, "r");
	if (!p)
		return NULL;
	while (n < sizeof out - 1 && !feof(p))
		n += fread(out + n, 1, sizeof out - 1 - n, p);
	out[n] = 0;
	return pclose(p) == 0 ? out : NULL;
}

#define H_A "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb" /* "a" */
#define H_B "3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d" /* "b" */
#define HEX_A_UP "CA978112CA1BBDCAFAC231B39A23DC4DA786EFF8147C4E72B9807785AFEE48BB"

int main(void)
{
	char dir[] = "/tmp/earlyroot-cksum.XXXXXX", cmd[1024];
	if (!mkdtemp(dir)) {
		CHECK(0, "mkdtemp");
		return tap_finish();
	}
	/* Files whose names need every form: plain, a space, a backslash, a newline, in a subdirectory. */
	snprintf(cmd, sizeof cmd,
		 "cd %s && mkdir LiveOS && printf a >squashfs.img && printf b >'with space.img' && printf a >'back\\slash' &&"
		 " printf b >\"$(printf 'new\\nline')\" &&"
		 " printf b >LiveOS/rootfs.img",
		 dir);
	char *o = run(cmd);
	CHECK(o != NULL, "fixture files made");
	const char *files = "squashfs.img 'with space.img' 'back\\slash' \"$(printf 'new\\nline')\" LiveOS/rootfs.img";

	for (int tag = 0; tag < 3; tag++) {
		const char *how = tag == 0 ? "sha256sum" : tag == 1 ? "sha256sum --tag" : "sha256sum -b";
		snprintf(cmd, sizeof cmd, "cd %s && %s %s", dir, how, files);
		char *text = run(cmd);
		if (!text) {
			CHECK(0, "%s ran", how);
			continue;
		}
		char *copy = strdup(text);
		CHECK(find(copy, "squashfs.img") == 1 && digest_hex_is(H_A), "%s: squashfs.img found", how);
		CHECK(find(copy, "/run/initramfs/live/LiveOS/squashfs.img") == 1 && digest_hex_is(H_A),
		      "%s: a path whose last component is listed", how);
		CHECK(find(copy, "with space.img") == 1 && digest_hex_is(H_B), "%s: a name with a space", how);
		CHECK(find(copy, "back\\slash") == 1 && digest_hex_is(H_A), "%s: a name with a backslash (escaped)", how);
		CHECK(find(copy, "new\nline") == 1 && digest_hex_is(H_B), "%s: a name with a newline (escaped)", how);
		CHECK(find(copy, "rootfs.img") == 1 && digest_hex_is(H_B), "%s: LiveOS/rootfs.img as rootfs.img", how);
		CHECK(find(copy, "other.img") == 0, "%s: a name not listed: 0", how);
		CHECK(find(copy, "squashfs") == 0 && find(copy, "quashfs.img") == 0 && find(copy, "squashfs.img2") == 0,
		      "%s: no prefix or suffix matches", how);
		free(copy);
	}

	/* A digest alone (sha256sum | cut), and hand-written variants sha256sum -c accepts. */
	CHECK(find(H_A "\n", "anything.img") == 1 && digest_hex_is(H_A), "a bare digest names any file");
	CHECK(find(H_A, "x") == 1 && find(H_A "  \n\n", "x") == 1, "a bare digest without a newline, or with blanks");
	CHECK(find(HEX_A_UP "  squashfs.img\n", "squashfs.img") == 1 && digest_hex_is(H_A), "uppercase hex");
	CHECK(find(H_A " squashfs.img\n", "squashfs.img") == 1 && find(H_A "\tsquashfs.img\n", "squashfs.img") == 1,
	      "one space or a tab between digest and name");
	CHECK(find("  " H_A "  squashfs.img\n", "squashfs.img") == 1, "leading blanks");
	CHECK(find(H_B "  a.img\r\n" H_A "  squashfs.img\r\n", "squashfs.img") == 1 && digest_hex_is(H_A),
	      "CRLF line ends");
	CHECK(find("SHA256(squashfs.img)= " H_A "\n", "squashfs.img") == 1 && find("SHA256 (squashfs.img) =" H_A, "squashfs.img") == 1,
	      "the tagged form with its spaces left out");
	CHECK(find("SHA256 (a (1).img) = " H_A "\n", "a (1).img") == 1, "a tagged name with parentheses");
	CHECK(find(H_A "  squashfs.img\n" H_A "  ./squashfs.img\n", "squashfs.img") == 1,
	      "the same digest twice for a name: fine");
	CHECK(find("\n\n" H_A "  trailing.img  \n", "trailing.img  ") == 1 && find(H_A "  trailing.img  \n", "trailing.img") == 0,
	      "a name's trailing spaces are part of it");

	/* Bad input: -1 and a message naming the line. */
	CHECK(find("", "x") == -1 && strstr(err, "empty"), "an empty file: -1 (%s)", err);
	CHECK(find("\n  \n", "x") == -1, "only blank lines: -1");
	CHECK(find("ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48b  squashfs.img\n", "squashfs.img") == -1 &&
		      !strcmp(err, "line 1: not a SHA-256 checksum line"),
	      "63 hex digits: -1 (%s)", err);
	CHECK(find(H_B "  a.img\n" "ga978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb  squashfs.img\n",
		   "squashfs.img") == -1 && !strcmp(err, "line 2: not a SHA-256 checksum line"),
	      "a non-hex digit: -1 (%s)", err);
	CHECK(find(H_A "  \n", "x") == 1 && find(H_A "*\n", "x") == -1 && find(H_A " *\n", "x") == -1,
	      "a digest and a missing name: -1 (blanks alone are a bare digest)");
	CHECK(find("SHA256 () = " H_A "\n", "x") == -1 && find("SHA256 (x) = \n", "x") == -1 &&
		      find("SHA256 (x = " H_A "\n", "x") == -1,
	      "tagged lines without a name, a digest or the parenthesis: -1");
	CHECK(find("MD5 (x) = 0cc175b9c0f1b6a831c399e269772661\n", "x") == -1, "another algorithm's line: -1");
	CHECK(find(H_A H_A "  x\n", "x") == -1, "a 128-digit (SHA-512 sized) digest: -1");
	CHECK(find(H_A "x\n", "x") == -1, "no blank between digest and name: -1");
	CHECK(find(H_A "\n" H_A "  x\n", "x") == -1 && strstr(err, "line 1"), "a bare digest among other lines: -1 (%s)", err);
	CHECK(find("\\" H_A "  bad\\escape\n", "bad") == -1 && strstr(err, "escape"), "a bad escape: -1 (%s)", err);
	CHECK(find("\\" H_A "  ends\\\n", "ends") == -1, "a trailing backslash in an escaped name: -1");
	CHECK(find(H_A "  x\n" H_B "  dir/x\n", "x") == -1 && strstr(err, "line 2"),
	      "two different digests for the name: -1 (%s)", err);
	static const char with_nul[] = H_A "  x\0y\n";
	CHECK(checksum_file_find(with_nul, sizeof with_nul - 1, "x", dg, err, sizeof err) == -1, "a NUL byte in a line: -1");
	CHECK(find("# comment\n" H_A "  x\n", "x") == -1, "a comment line: -1 (sha256sum has none)");
	CHECK(checksum_file_find("garbage", 7, "x", dg, NULL, 0) == -1, "no room for the message: still -1");
	char small[12];
	CHECK(checksum_file_find("garbage", 7, "x", dg, small, sizeof small) == -1 && strlen(small) == sizeof small - 1,
	      "the message is cut to its buffer");

	/* 10,000 lines: the last one is found, and a bad one at the end is reported with its number. */
	size_t cap = 10001 * 80, n = 0;
	char *big = malloc(cap);
	for (int i = 1; i < 10000; i++)
		n += (size_t)snprintf(big + n, cap - n, "%s  file%d.img\n", i & 1 ? H_A : H_B, i);
	n += (size_t)snprintf(big + n, cap - n, "%s  squashfs.img\n", H_A);
	CHECK(checksum_file_find(big, n, "squashfs.img", dg, err, sizeof err) == 1 && digest_hex_is(H_A),
	      "10,000 lines: the last one found");
	CHECK(checksum_file_find(big, n, "file9998.img", dg, err, sizeof err) == 1 && digest_hex_is(H_B),
	      "10,000 lines: one in the middle found");
	n += (size_t)snprintf(big + n, cap - n, "not a line\n");
	CHECK(checksum_file_find(big, n, "squashfs.img", dg, err, sizeof err) == -1 &&
		      !strcmp(err, "line 10001: not a SHA-256 checksum line"),
	      "10,001 lines, the last one bad: %s", err);
	free(big);

	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	CHECK(system(cmd) == 0, "cleaned up");
	return tap_finish();
}
