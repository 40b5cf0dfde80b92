#!/bin/sh
# switchroot/tests/faults.sh — the hand-over under every single failure point (TAP).
#
# build/fault/switch_root is earlyroot linked with tests/faultinject.c: EARLYROOT_FAULT=CALL:N:ERRNO makes
# the Nth mount/umount2/chroot/unlinkat/execve fail. A traced run counts the calls of a normal switch in the
# fixture (tests/fixture.sh); then each point fails in turn, and the outcome must be the documented one:
#   refused  — before the point of no return: one clear line, the old root exactly as it was (files,
#              contents and mounts identical before and after);
#   boots    — a step that is allowed to fail: a warning, and the real init still runs with nothing lost;
#   late     — after the point of no return: one clear line and the end of PID 1 (the panic= policy),
#              never a hang.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
. tests/tap.sh
. tests/fixture.sh
FAULT_SR=${FAULT_SR:-$top/build/fault/switch_root}
PROBE=${PROBE:-$top/build/probe}
[ -n "${FX_KEEP:-}" ] && FX_OUT=$FX_KEEP # keep every case's files there

if ! fx_init; then
	tap_skip "switch_root fault injection" "$FX_SKIP"
	tap_done
	exit 0
fi
trap fx_cleanup EXIT
for f in "$FAULT_SR" "$PROBE"; do
	[ -x "$f" ] || { tap_fail "$f exists" "build it: make $f"; tap_done; exit 1; }
done
FX_PROBE=$PROBE
fx_add "$FAULT_SR" /sut/switch_root
fx_build

# How many calls of each kind does a normal switch make here?
fx_case trace 'run() { export EARLYROOT_FAULT_TRACE=1; fx_switch /newroot /sbin/init; }'
count() { grep -c "^FAULT-TRACE: $1 #" "$FX_OUT/trace.err"; }
if grep -q '^PROBE: done' "$FX_OUT/trace.out"; then
	tap_ok "the traced switch works: mount x$(count mount), chroot x$(count chroot), unlinkat x$(count unlinkat), execve x$(count execve), umount2 x$(count umount2)"
else
	tap_fail "the traced switch works" "$(tail -n 10 "$FX_OUT/trace.err")"
	tap_done
	exit 1
fi
n_mount=$(count mount) n_unlink=$(count unlinkat)

same_section() { # CASE SECTION — the before and after snapshots agree on SECTION
	[ "$(fx_section "$FX_OUT/$1.before" "$2")" = "$(fx_section "$FX_OUT/$1.after" "$2")" ]
}

# fault CALL N ERRNO EXPECT [MESSAGE-REGEX]
fault() {
	name=$1-$2 call=$1 n=$2 err=$3 expect=$4 msg=${5:-}
	fx_case "$name" "run() { export EARLYROOT_FAULT=$call:$n:$err; fx_switch /newroot /sbin/init; }"
	o=$FX_OUT/$name
	rc=$(cat "$o.rc")
	desc="$call #$n fails ($expect)"
	if [ "$rc" = 137 ] || [ "$rc" = none ]; then
		tap_fail "$desc: the case ends" "killed after ${FX_TIMEOUT} s (rc=$rc): a hang"
		return
	fi
	if ! grep -q "^FAULT: $call #$n " "$o.err"; then
		tap_fail "$desc: the fault was injected" "$(head -n 5 "$o.err")"
		return
	fi
	booted=0
	grep -q '^PROBE: done' "$o.out" && booted=1
	why=
	case $expect in
	refused)
		[ $booted = 0 ] || why="the real init ran"
		grep -q '^state=initramfs' "$o.after" || why="$why; / was switched"
		for sec in files contents mounts; do
			same_section "$name" "$sec" || why="$why; the $sec of the old root changed"
		done
		;;
	boots)
		[ $booted = 1 ] || why="the real init did not run"
		grep -q '^PROBE: canary=present' "$o.out" || why="$why; the canary is gone"
		grep -q '^PROBE: newroot-canary=present' "$o.out" || why="$why; the new root lost a file"
		;;
	late)
		[ $booted = 0 ] || why="the real init ran"
		[ "$rc" != 0 ] || why="$why; PID 1 exited 0"
		;;
	esac
	if [ -n "$msg" ] && ! grep -Eq "$msg" "$o.err"; then
		why="$why; no line matches: $msg"
	fi
	if [ -z "$why" ]; then
		tap_ok "$desc: $(grep -E -m1 "${msg:-^switch_root: }" "$o.err" | cut -c1-110)"
	else
		tap_fail "$desc" "${why#; }" "--- stderr:" "$(grep -v FAULT-TRACE "$o.err" | tail -n 8)"
	fi
}

# mount #1 makes the mounts private; then one mount per API filesystem moved; the last moves the new root.
fault mount 1 5 refused '^switch_root: cannot make the mounts private: I/O error$'
i=2
while [ "$i" -lt "$n_mount" ]; do
	fault mount "$i" 5 boots '^switch_root: cannot move /[a-z]+ to /newroot/[a-z]+ \(I/O error\)$'
	i=$((i + 1))
done
fault mount "$n_mount" 5 refused '^switch_root: cannot move /newroot onto /: I/O error$'
fault chroot 1 5 late '^switch_root: cannot chroot into the new root: I/O error$'
fault execve 1 13 late '^switch_root: cannot run INIT /sbin/init: Permission denied$'
for i in 1 2 $((n_unlink / 2)) "$n_unlink"; do
	fault unlinkat "$i" 5 boots '^switch_root: freed the initramfs only in part: .*, 1 error$'
done

tap_done
