#!/bin/sh
# init/tests/cross-unit.sh ARCH EMULATOR NAME... — the init's unit tests cross-built for ARCH
# ($BUILD/ARCH/tests/test-NAME, init/cross-tests.mk), each run under qemu-user's EMULATOR, as one TAP
# stream: every line renumbered and named "ARCH NAME: ...". A program that crashes, exits non-zero
# without a failed line, or stops before its plan is one failure. Without EMULATOR nothing can be
# checked: one skip naming the package.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/tap.sh
. "$top/tests/tap.sh"
B=${BUILD:-build}
case $B in /*) ;; *) B=$top/$B ;; esac
arch=$1 emu=$2
shift 2
if ! command -v "$emu" >/dev/null 2>&1; then
	tap_skip "$arch: the init's unit tests under $emu" "$emu is not installed (Debian package qemu-user)"
	tap_done
	exit 0
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT INT TERM
# The tests read their fixtures by paths relative to the top of the tree (init/tests/http-captures).
cd "$top" || exit 1
for name in "$@"; do
	prog=$B/$arch/tests/test-$name
	if [ ! -x "$prog" ]; then
		tap_fail "$arch $name: $prog exists" "build it first (make $prog)"
		continue
	fi
	start=$(date +%s)
	"$emu" "$prog" >"$out" 2>&1
	rc=$?
	seen=0 failed=0 plan=''
	while IFS= read -r line; do
		case $line in
		'ok '[0-9]*' - '* | 'not ok '[0-9]*' - '*)
			seen=$((seen + 1))
			case $line in 'not '*) failed=$((failed + 1)) verdict='not ok' ;; *) verdict=ok ;; esac
			_tap_n=$((_tap_n + 1))
			echo "$verdict $_tap_n - $arch $name: ${line#* - }"
			;;
		1..*) plan=${line#1..} ;;
		*) printf '%s\n' "$line" ;;
		esac
	done <"$out"
	if [ "$rc" != 0 ] && [ "$failed" = 0 ]; then
		tap_fail "$arch $name: exits with status $rc after $seen tests" "$(tail -n 5 "$out")"
	elif [ "$plan" != "$seen" ]; then
		tap_fail "$arch $name: ran its plan of ${plan:-(none)} tests" "it printed $seen" "$(tail -n 5 "$out")"
	fi
	echo "# $arch $name: $seen tests in $(($(date +%s) - start)) s"
done
tap_done
