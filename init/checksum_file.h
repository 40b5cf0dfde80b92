/* checksum_file.h — the SHA-256 checksum file beside a live image (squashfs.img.sha256), for
 * rd.live.check. Accepted, one per line (blank lines skipped, CRLF line ends too, hex in either case):
 *   HEX  NAME   HEX *NAME      what sha256sum writes (also one space or a tab, as sha256sum -c takes)
 *   \HEX  NAME                 sha256sum's form for a name with a backslash or newline (\\, \n, \r)
 *   SHA256 (NAME) = HEX        sha256sum --tag and BSD (and \SHA256 (...) with escapes)
 *   HEX                        a bare digest, only as the file's single line: it names no file
 * No system calls here: the caller reads the file; this can be unit-tested and fuzzed alone. */
#ifndef EARLYROOT_CHECKSUM_FILE_H
#define EARLYROOT_CHECKSUM_FILE_H
#include <stddef.h>
#include <stdint.h>

/* Looks for NAME's SHA-256 in the LEN bytes of TEXT. A line matches when its name, or the name's last
 * path component, equals NAME's last path component ("./LiveOS/squashfs.img" for "squashfs.img").
 * 1 found (DIGEST filled), 0 no line for NAME, -1 malformed: ERR (ERRSIZE bytes) says what and on which
 * line, e.g. "line 3: not a SHA-256 checksum line". The whole file is checked: one bad line, an empty
 * file or two different digests for NAME make it malformed, never a guess. */
int checksum_file_find(const char *text, size_t len, const char *name, uint8_t digest[32], char *err,
		       size_t errsize);

#endif
