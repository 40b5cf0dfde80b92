#!/bin/sh
# lib/tests/fmtcheck.sh — the fmtcheck suite: every format string of the static programs' sources
# uses only what lib/fmt.c supports (lib/tests/fmtcheck.c, through each build's preprocessor), and
# the checker itself finds deliberate mistakes in a temporary file.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/tap.sh

B=${BUILD:-build}
CHK=$B/tests/fmtcheck
BUILDS=$B/tests/fmtcheck.builds
if [ ! -x "$CHK" ] || [ ! -f "$BUILDS" ]; then
	tap_fail "the checker is built" "$CHK or $BUILDS is missing: run make $CHK $BUILDS"
	tap_done
	exit 1
fi
T=$(mktemp -d /tmp/earlyroot-fmtcheck.XXXXXX)
trap 'rm -rf "$T"' EXIT
# log_msg expands %m itself (lib/log.c) before lib/fmt.c sees the format.
PCT_M="-m log_msg"

# check CC SRC — preprocess SRC with the build's command line CC, run the checker; $T/out, $rc.
check() {
	# shellcheck disable=SC2086 # CC is a command line
	if $1 -E "$2" >"$T/src.i" 2>"$T/cpp.err"; then
		# shellcheck disable=SC2086 # PCT_M is words (-m log_msg)
		"$CHK" $PCT_M <"$T/src.i" >"$T/out" 2>&1
		rc=$?
	else
		rc=cpp
		cp "$T/cpp.err" "$T/out"
	fi
}

total=0
while IFS='|' read -r cc srcs; do
	libc=${cc%% *}
	if ! command -v "$libc" >/dev/null; then
		tap_fail "formats of the $libc build" "$libc not found (mk/deps build installs it)"
		continue
	fi
	for src in $srcs; do
		check "$cc" "$src"
		n=$(sed -n 's/^fmtcheck: \([0-9]*\) formats checked$/\1/p' "$T/out")
		total=$((total + ${n:-0}))
		if [ "$rc" = 0 ]; then
			tap_ok "$src ($libc): $n formats, all supported by lib/fmt.c"
		else
			tap_fail "$src ($libc): every format supported by lib/fmt.c" "$(grep -v '^fmtcheck: [0-9]* formats checked$' "$T/out")"
		fi
	done
done <"$BUILDS"
# A scanner that finds nothing passes everything: the sources have well over a hundred formats.
if [ "$total" -ge 100 ]; then
	tap_ok "the scan found the formats ($total in all)"
else
	tap_fail "the scan found the formats" "only $total: the checker no longer sees the calls"
fi

# The checker against deliberate mistakes, some hidden from a simple regex (a macro, an octal escape,
# a conversion split over two literals), in a file outside the tree.
cat >"$T/bad.c" <<'SRC'
#include "log.h"
#include <stdio.h>
#define PCT "%"
void f(char *b, unsigned n, double d, const char *s);
void f(char *b, unsigned n, double d, const char *s) {
	log_error("count %+d", 1);
	snprintf(b, n, "%s: " PCT "#x", "a", n);
	log_warn("\045f", d);
	snprintf(b, n, "%m");
	snprintf(b, n, s);
	sprintf(b, "%ls", L"wide");
	log_info("%s %-5d %05lu %zu %.*s %m %%, %c %p %hhx %lld %jd %td", "x", 1, 2ul, (size_t)3, 2, "yy", 'c',
		 (void *)b, (unsigned char)4, 5ll, (long long)6, (long)7);
}
SRC
cc=$(head -n 1 "$BUILDS" | cut -d'|' -f1)
check "$cc" "$T/bad.c"
expect_eq "a file with bad formats fails the check" "$rc" 1
# Patterns (ERE): what the line says after "FILE:LINE: ".
for want in \
	'6: log_msg\(\): "%\+d" has a flag lib/fmt\.c does not support' \
	'7: snprintf\(\): "%#x" has a flag lib/fmt\.c does not support' \
	'8: log_msg\(\): "%f" is not a conversion lib/fmt\.c supports' \
	'9: snprintf\(\): "%m" is not known to lib/fmt\.c' \
	'10: snprintf\(\): a format that is not a string literal cannot be checked' \
	'11: sprintf\(\): "%ls" takes only'; do
	expect_grep "... names file:line and the conversion: bad.c:$(printf '%s' "$want" | sed 's/\\//g')" \
		"$T/out" "^$T/bad\.c:$want"
done
expect_eq "... and nothing else (the good formats on line 12 pass)" "$(grep -c "^$T/bad.c:" "$T/out")" 6
sed -i '6,11d' "$T/bad.c"
check "$cc" "$T/bad.c"
expect_eq "the supported subset passes" "$rc:$(cat "$T/out")" "0:fmtcheck: 1 formats checked"
tap_done
