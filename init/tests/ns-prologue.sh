# init/tests/ns-prologue.sh — sourced by the namespace suites (run.sh, fsck-run.sh, resume-run.sh): the
# programs under test and the checks before any namespace is made. Set NS_SUITE (what the skip line
# names) and NS_NEEDS (more programs that must be executable) first.
#   INIT=path   the init under test (default build/init); PROBE, BUSYBOX likewise
# shellcheck shell=sh
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/tap.sh
. "$top/tests/tap.sh"
INIT=${INIT:-$top/${BUILD:-build}/init}
PROBE=${PROBE:-$top/${BUILD:-build}/probe}
BUSYBOX=${BUSYBOX:-/bin/busybox}

if [ "$(id -u)" != 0 ]; then
	tap_skip "${NS_SUITE:-init namespace tests}" "they need root (mount namespaces, loop devices)"
	tap_done
	exit 0
fi
for f in "$INIT" "$PROBE" "$BUSYBOX" ${NS_NEEDS:-}; do
	[ -x "$f" ] || { tap_fail "prerequisite $f exists" "build it first (make)${NS_NEEDS:+, or install the package that has it}"; tap_done; exit 1; }
done
