#!/bin/sh
# tests/test-tap.sh — the TAP helpers of tests/tap.sh themselves: an assertion that checked nothing
# must not print "ok". Each helper runs in a subshell with its own count; its lines are judged here.
set -u
cd "$(dirname "$0")/.." || exit 1
. tests/tap.sh

T=$(mktemp -d /tmp/earlyroot-tap.XXXXXX)
trap 'rm -rf "$T"' EXIT
printf 'one\ntwo\n' >"$T/file"

# helper ARGS... — the first line the helper prints, in a fresh counter.
helper() { (_tap_n=0; "$@") | head -n 1; }

expect_eq "expect_no_grep: a missing file fails" \
	"$(helper expect_no_grep "desc" "$T/missing" 'x')" "not ok 1 - desc"
(_tap_n=0; expect_no_grep "desc" "$T/missing" 'x') >"$T/out2"
expect_grep "... and names the missing file on a comment line" "$T/out2" "^#   $T/missing does not exist"
expect_eq "expect_no_grep: a file without the pattern passes" "$(helper expect_no_grep "desc" "$T/file" 'three')" "ok 1 - desc"
expect_eq "expect_no_grep: a file with the pattern fails" "$(helper expect_no_grep "desc" "$T/file" '^tw')" "not ok 1 - desc"
expect_eq "expect_grep: a missing file fails" "$(helper expect_grep "desc" "$T/missing" 'x' 2>/dev/null)" "not ok 1 - desc"
expect_eq "expect_grep: a matching line passes" "$(helper expect_grep "desc" "$T/file" '^one$')" "ok 1 - desc"
expect_eq "tap_skip: ok with a SKIP directive and its reason" "$(helper tap_skip "desc" "why")" "ok 1 - desc # SKIP why"
tap_done
