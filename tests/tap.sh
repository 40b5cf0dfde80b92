# tap.sh — TAP helpers for shell test suites (sourced).
# shellcheck shell=sh
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
# expect_no_grep DESC FILE PATTERN — FILE exists and no line of it matches PATTERN (a missing file
# means the run that should have written it did not: nothing was checked).
expect_no_grep() {
	if [ ! -f "$2" ]; then
		tap_fail "$1" "$2 does not exist: the run that writes it did not happen"
	elif grep -Eq -- "$3" "$2"; then
		tap_fail "$1" "unexpected line: $(grep -E -m1 -- "$3" "$2")"
	else
		tap_ok "$1"
	fi
}
# expect_eq DESC GOT WANT
expect_eq() {
	if [ "$2" = "$3" ]; then tap_ok "$1"; else tap_fail "$1" "got:  $2" "want: $3"; fi
}
