#!/bin/sh
# tests/cross-run.sh EMULATOR PROGRAM... — run static test programs of another architecture
# ($BUILD/ARCH/tests/NAME: lib/build.mk, init/cross-tests.mk) under qemu-user's EMULATOR and print their
# TAP as one stream: each line numbered anew and named ARCH/NAME. A program that is missing, crashes,
# exits non-zero without a failed line, or ends before its plan is one failure. Exits 1 after any
# failure. No EMULATOR: one skip naming the package (qemu-user): nothing was checked.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=tests/tap.sh
. "$top/tests/tap.sh"
emu=$1
shift
if ! command -v "$emu" >/dev/null 2>&1; then
	tap_skip "$* under $emu" "$emu is not installed (Debian package qemu-user)"
	tap_done
	exit 0
fi
out=$(mktemp) status=0
trap 'rm -f "$out"' EXIT
for prog in "$@"; do
	case $prog in /*) ;; *) prog=$PWD/$prog ;; esac
	name=$(basename "$(dirname "$(dirname "$prog")")")/$(basename "$prog")
	if [ ! -x "$prog" ]; then
		tap_fail "$name: $prog exists" "build it first (make $prog)"
		status=1
		continue
	fi
	start=$(date +%s)
	# From the top of the tree: the tests read their fixtures by relative paths (init/tests/http-captures).
	(cd "$top" && "$emu" "$prog") >"$out" 2>&1
	rc=$?
	seen=0 failed=0 plan=''
	while IFS= read -r line; do
		case $line in
		'ok '[0-9]*' - '* | 'not ok '[0-9]*' - '*)
			seen=$((seen + 1))
			case $line in 'not '*) failed=$((failed + 1)) verdict='not ok' ;; *) verdict=ok ;; esac
			_tap_n=$((_tap_n + 1))
			echo "$verdict $_tap_n - $name: ${line#* - }"
			;;
		1..[0-9]*) plan=${line#1..} ;;
		'#'*) echo "$line" ;;
		*) echo "# $line" ;;
		esac
	done <"$out"
	[ "$failed" = 0 ] || status=1
	if [ "$rc" != 0 ] && [ "$failed" = 0 ]; then
		tap_fail "$name exited with status $rc without a failed test"
	elif [ "$plan" != "$seen" ]; then
		tap_fail "$name ended after $seen tests, its plan says ${plan:-nothing}"
	fi
	[ "$rc" = 0 ] && [ "$plan" = "$seen" ] || status=1
	echo "# $name: $seen tests, $failed failed, $(($(date +%s) - start)) s under $emu"
done
tap_done
exit "$status"
