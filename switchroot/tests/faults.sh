#!/bin/sh
# switchroot/tests/faults.sh — the hand-over under every single failure point (TAP).
#
# build/fault/switch_root is earlyroot linked with tests/faultinject.c: EARLYROOT_FAULT=CALL:N:ERRNO makes
# the Nth mount/umount2/chroot/unlinkat/execve fail. A traced run counts the calls of a normal switch in the
# fixture (tests/fixture.sh), in each scenario (the fixture as it is, or changed by a prep step); then each
# point fails in turn, and the outcome must be the documented one:
#   refused  — before the point of no return: one clear line, the old root exactly as it was (files,
#              contents, mounts and their propagation identical before and after);
#   boots    — a step that is allowed to fail: a warning, and the real init still runs with nothing lost;
#   late     — after the point of no return: one clear line and the end of PID 1 (the panic= policy),
#              never a hang.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
. tests/tap.sh
. tests/fixture.sh
FAULT_SR=${FAULT_SR:-$top/${BUILD:-build}/fault/switch_root}
PROBE=${PROBE:-$top/${BUILD:-build}/probe}
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

count() { grep -c "^FAULT-TRACE: $1 #" "$FX_OUT/$scen-trace.err"; }

# scenario NAME PREP WHAT — from here on the cases run PREP (ash, before the "before" snapshot) first. A
# traced normal switch counts the calls of each kind (n_mount, n_unlink) and must work. Returns 1 if not.
scenario() {
	scen=$1 prep=$2 what=$3
	fx_case "$scen-trace" "prep() { $prep; }
run() { export EARLYROOT_FAULT_TRACE=1; fx_switch /newroot /sbin/init; }"
	if grep -q '^PROBE: done' "$FX_OUT/$scen-trace.out"; then
		tap_ok "$what: the traced switch works: mount x$(count mount), chroot x$(count chroot), unlinkat x$(count unlinkat), execve x$(count execve), umount2 x$(count umount2)"
	else
		tap_fail "$what: the traced switch works" "$(tail -n 10 "$FX_OUT/$scen-trace.err")"
		return 1
	fi
	n_mount=$(count mount) n_unlink=$(count unlinkat)
}

same_section() { # CASE SECTION — the before and after snapshots agree on SECTION
	[ "$(fx_section "$FX_OUT/$1.before" "$2")" = "$(fx_section "$FX_OUT/$1.after" "$2")" ]
}

# fault CALL N ERRNO EXPECT [MESSAGE-REGEX] — in the current scenario
fault() {
	call=$1 n=$2 err=$3 expect=$4 msg=${5:-}
	name=$scen-$call-$n
	fx_case "$name" "prep() { $prep; }
run() { export EARLYROOT_FAULT=$call:$n:$err; fx_switch /newroot /sbin/init; }"
	o=$FX_OUT/$name
	rc=$(cat "$o.rc")
	desc="$call #$n fails ($expect${what:+, $what})"
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
		for sec in files contents mounts propagation; do
			same_section "$name" "$sec" ||
				why="$why; the $sec of the old root changed: $(fx_section "$o.before" "$sec" >"$o.b"
					fx_section "$o.after" "$sec" >"$o.a"; diff "$o.b" "$o.a" | grep '^[<>]' | head -n 4 | tr '\n' ' ')"
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
FINAL_MOVE='^switch_root: cannot move /newroot onto /: I/O error$'

# The fixture as it is: nothing is shared (unshare --propagation private), so nothing is made private:
# one mount per API filesystem moved, then the last one moves the new root.
what=
if scenario plain : "the fixture as it is"; then
	expect_eq "nothing shared: the propagation is left alone (4 API moves and the final move)" "$n_mount" 5
	i=1
	while [ "$i" -lt "$n_mount" ]; do
		fault mount "$i" 5 boots '^switch_root: cannot move /[a-z]+ to /newroot/[a-z]+ \(I/O error\)$'
		i=$((i + 1))
	done
	fault mount "$n_mount" 5 refused "$FINAL_MOVE"
	fault chroot 1 5 late '^switch_root: cannot chroot into the new root: I/O error$'
	fault execve 1 13 late '^switch_root: cannot run INIT /sbin/init: Permission denied$'
	for i in 1 2 $((n_unlink / 2)) "$n_unlink"; do
		fault unlinkat "$i" 5 boots '^switch_root: freed the initramfs only in part: .*, 1 error$'
	done
fi

# An API mount that NEWROOT cannot receive is detached only after the point of no return (through the old
# root's fd, which the new root covers by then): a refusal before it leaves it where it was.
what="NEWROOT/run already a mount point"
if scenario busy-run 'mount -t tmpfs fxbusy /newroot/run' "$what"; then
	o=$FX_OUT/$scen-trace
	expect_grep "$what: said so, and /run detached instead of moved" "$o.err" \
		'^switch_root: /newroot/run is already a mount point: /run is detached instead of moved$'
	if grep -q '^PROBE: oldroot-left=run$' "$o.out"; then
		tap_fail "$what: the detach after the switch reaches the covered old root" "/run is still mounted there"
	else
		tap_ok "$what: the detach after the switch reaches the covered old root (its /run is gone)"
	fi
	fault mount "$n_mount" 5 refused "$FINAL_MOVE"
fi
what="NEWROOT read-only without /proc"
scenario ro-noproc 'rmdir /newroot/proc && mount -o remount,ro /newroot' "$what" &&
	fault mount "$n_mount" 5 refused "$FINAL_MOVE"
# A target directory created in NEWROOT is removed again.
what="NEWROOT without /run (created)"
scenario rw-norun 'rmdir /newroot/run' "$what" && fault mount "$n_mount" 5 refused "$FINAL_MOVE"

# / shared (mount --make-rshared, as systemd leaves it): mount #1 makes the mounts private; a refusal
# makes shared again those that were (the propagation section of the snapshots).
what="/ rshared"
if scenario shared 'mount --make-rshared /' "$what"; then
	expect_grep "$what: the precondition holds (shared mounts before the switch)" "$FX_OUT/$scen-trace.before" \
		'^propagation / shared$'
	fault mount 1 5 refused '^switch_root: cannot make the mounts private: I/O error$'
	fault mount 2 5 boots '^switch_root: cannot move /dev to /newroot/dev \(I/O error\)$'
	fault mount "$n_mount" 5 refused "$FINAL_MOVE"
fi

tap_done
