# tap.sh — TAP helpers for shell test suites (sourced).
# ok/fail/skip print one TAP line each; expect_* assert and print the line with the evidence on failure.
_tap_n=0
tap_ok() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - $1"; }
tap_fail() {
	_tap_n=$((_tap_n + 1)); echo "not ok $_tap_n - $1"
	shift; for line in "$@"; do printf '%s\n' "$line" | sed 's/^/#   /'; done
}
tap_skip() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - $1 # SKIP $2"; }
tap_done() { echo "1..$_tap_n"; }

# expect_grep DESC FILE PATTERN — FILE contains a line matching the extended regex PATTERN.
expect_grep() {
	if grep -Eq -- "$3" "$2"; then tap_ok "$1"; else tap_fail "$1" "no line matches: $3" "--- output:" "$(tail -n 25 "$2")"; fi
}
# expect_no_grep DESC FILE PATTERN — no line of FILE matches PATTERN.
expect_no_grep() {
	if grep -Eq -- "$3" "$2"; then tap_fail "$1" "unexpected line: $(grep -E -m1 -- "$3" "$2")"; else tap_ok "$1"; fi
}
# expect_eq DESC GOT WANT
expect_eq() {
	if [ "$2" = "$3" ]; then tap_ok "$1"; else tap_fail "$1" "got:  $2" "want: $3"; fi
}
