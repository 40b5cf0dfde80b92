#!/bin/sh
# switchroot/tests/run.sh — the switch_root / pivot_root commands, tested as PID 1 of a fake initramfs (TAP).
#
# Written from the specification, not from the code. Every case runs in its own mount+PID namespace built by
# tests/fixture.sh: / is a tmpfs that claims to be the initramfs (/etc/initrd-release), the new root is mounted
# at /newroot, the API filesystems, canaries, odd files and a 2001-deep tree are in place, and PID 1 execs the
# switch_root under test. The real init is the probe (tests/probe.c): it reports what it sees as PROBE: lines.
#
#   sudo switchroot/tests/run.sh                          test build/switch_root and build/pivot_root
#   SWITCH_ROOT=build/asan/init switchroot/tests/run.sh   another binary (copied in as /sut/switch_root, with
#                                                         the libraries ldd lists)
#   PIVOT_ROOT=...  PROBE=...  UL_SWITCH_ROOT=... (util-linux's, for the comparison; default /usr/sbin/switch_root;
#                                                  empty to skip)  FX_JOBS=N (cases run in parallel)
#   FX_KEEP=DIR     keep every case's files (.script .out .err .rc .before .after .setup) in DIR
set -u
start_dir=$PWD
top=$(cd "$(dirname "$0")/../.." && pwd)
abs() { case $1 in /*) echo "$1" ;; *) echo "$start_dir/$1" ;; esac; }
SWITCH_ROOT=$(abs "${SWITCH_ROOT:-$top/${BUILD:-build}/switch_root}")
PIVOT_ROOT=$(abs "${PIVOT_ROOT:-$top/${BUILD:-build}/pivot_root}")
UL_SWITCH_ROOT=${UL_SWITCH_ROOT-/usr/sbin/switch_root}
PROBE=$(abs "${PROBE:-$top/${BUILD:-build}/probe}")
cd "$top" || exit 1
. tests/tap.sh
. tests/fixture.sh

[ -n "${FX_KEEP:-}" ] && FX_OUT=$(abs "$FX_KEEP")
if ! fx_init; then
	tap_skip "switch_root namespace tests" "$FX_SKIP"
	tap_done
	exit 0
fi
lanes_pids=
trap fx_cleanup EXIT
trap 'kill $lanes_pids 2>/dev/null; exit 1' INT TERM

if [ ! -x "$SWITCH_ROOT" ]; then
	tap_fail "switch_root under test exists" "not executable: $SWITCH_ROOT (build it: make build/init)"
	tap_done
	exit 1
fi
if [ ! -x "$PROBE" ]; then
	PROBE=$FX_TMP/probe
	musl-gcc -static -Os -std=gnu11 -Wall -Wextra -Werror tests/probe.c -o "$PROBE" -s ||
		{ tap_fail "build the probe" "musl-gcc tests/probe.c failed"; tap_done; exit 1; }
fi
FX_PROBE=$PROBE
fx_add "$SWITCH_ROOT" /sut/switch_root
have_pivot=0
[ -x "$PIVOT_ROOT" ] && fx_add "$PIVOT_ROOT" /sut/pivot_root && have_pivot=1
have_ul=0
[ -n "$UL_SWITCH_ROOT" ] && [ -x "$UL_SWITCH_ROOT" ] && fx_add "$UL_SWITCH_ROOT" /ul/switch_root && have_ul=1
fx_build
echo "# switch_root under test: $SWITCH_ROOT"

# ---------------------------------------------------------------------------------------------------------------
# Case definitions: def NAME [VAR=VALUE...] -- SCRIPT. SCRIPT is ash run by PID 1 inside the fake initramfs; it
# defines run() and optionally prep() (extra setup before the "before" snapshot). $SR is the binary under test.
CASES=
def() {
	_n=$1 _e=
	shift
	while [ "$1" != -- ]; do _e="$_e $1"; shift; done
	printf '%s\n' "$2" >"$FX_TMP/def.$_n.sh"
	printf '%s\n' "$_e" >"$FX_TMP/def.$_n.env"
	CASES="$CASES $_n"
}
SWITCH='run() { fx_switch /newroot /sbin/init --flag -x a; }'

# Hand-overs that must work.
def basic -- "$SWITCH"
def ext4 FX_NEWROOT=ext4 -- "$SWITCH"
def trailing-slash -- 'run() { fx_switch /newroot/ /sbin/init; }'
# shellcheck disable=SC2016 # the case script runs in the namespace, which expands its $
def rshared -- 'prep() { mount --make-rshared / || mount -o rshared /; echo "shared-mounts=$(grep -c " shared:" /proc/self/mountinfo)"; }
'"$SWITCH"
def console-missing -- 'run() { fx_switch -c /dev/nonexistent /newroot /sbin/init --flag; }'
def init-args -- 'run() { fx_switch /newroot /sbin/init -n -c /dev/null -- --version; }'
def init-abs-symlink -- 'run() { fx_switch /newroot /sbin/init-link; }'
def stdin-closed -- 'run() { exec 0<&-; fx_switch /newroot /sbin/init; }'
def run-not-mounted -- 'prep() { umount /run/sub && umount /run; }
'"$SWITCH"
def target-missing -- 'prep() { rmdir /newroot/run; }
'"$SWITCH"
def target-missing-ro -- 'prep() { rmdir /newroot/run && mount -o remount,ro /newroot; }
'"$SWITCH"
def ramfs-root FX_ROOTFS=ramfs -- "$SWITCH"
# shellcheck disable=SC2016 # the case script runs in the namespace, which expands its $
def samefs-bind-in-old -- 'prep() {
	mkdir -p /hidden/keep /mnt/samefs && echo canary >/hidden/keep/canary
	mount --bind /hidden/keep /mnt/samefs && mount -t tmpfs fxhide /hidden
}
run() { fx_fds; exec 8</mnt/samefs; exec "$SR" /newroot /sbin/init; }'
# shellcheck disable=SC2016 # the case script runs in the namespace, which expands its $
def dry-run -- 'run() { fx_fds; "$SR" -n /newroot /sbin/init --flag; }'
# shellcheck disable=SC2016 # the case script runs in the namespace, which expands its $
def dry-run-bad-init -- 'run() { fx_fds; "$SR" -n /newroot /sbin/nope; }'

# Refusals: each must leave the system untouched.
# shellcheck disable=SC2016 # the case script runs in the namespace, which expands its $
def not-pid1 -- 'run() { fx_fds; "$SR" /newroot /sbin/init; }'
def not-initramfs FX_ROOTFS=ext4 -- "$SWITCH"
def no-initrd-release -- 'prep() { rm /etc/initrd-release; }
'"$SWITCH"
def relative -- 'run() { cd / && fx_switch newroot /sbin/init; }'
def missing -- 'run() { fx_switch /nonexistent /sbin/init; }'
def regular-file -- 'run() { fx_switch /big /sbin/init; }'
def root-slash -- 'run() { fx_switch / /sbin/init; }'
def root-dotdot -- 'run() { fx_switch //./.. /sbin/init; }'
def root-slashdotdot -- 'run() { fx_switch /.. /sbin/init; }'
def not-mountpoint -- 'run() { fx_switch /newroot/nested /sbin/init; }'
def samefs-bind -- 'prep() { mkdir /sysroot && cp -a /newroot/. /sysroot/ && mount --bind /sysroot /sysroot; }
run() { fx_switch /sysroot /sbin/init; }'
# shellcheck disable=SC2016 # the case script runs in the namespace, which expands its $
def path-max -- 'run() { p=/newroot; i=0; while [ $i -lt 2100 ]; do p=$p/.; i=$((i + 1)); done; fx_switch "$p" /sbin/init; }'
def empty-newroot -- 'run() { fx_switch "" /sbin/init; }'
def no-init-arg -- 'run() { fx_switch /newroot; }'
def init-missing -- 'run() { fx_switch /newroot /sbin/nope; }'
def init-only-in-initramfs -- 'run() { fx_switch /newroot /bin/sh; }'
def init-644 -- 'run() { fx_switch /newroot /sbin/init644; }'
def init-dir -- 'run() { fx_switch /newroot /sbin/initdir; }'
def init-dangling -- 'run() { fx_switch /newroot /sbin/dangling; }'
def init-bad-interp -- 'run() { fx_switch /newroot /sbin/script; }'
def init-noexec -- 'prep() { mount -o remount,noexec /newroot; }
run() { fx_switch /newroot /sbin/init; }'

# pivot_root NEW PUT_OLD in a namespace where / is a real mount (the fake initramfs tmpfs).
if [ $have_pivot = 1 ]; then
	# shellcheck disable=SC2016 # the case script runs in the namespace, which expands its $
	def pivot -- 'run() {
	P=/sut/pivot_root
	mkdir -p /tmp; "$P" /newroot 2>/tmp/e; echo "PIVOT: one-arg rc=$? err=$(head -n1 /tmp/e)"
	"$P" /nonexistent /nonexistent/old 2>/tmp/e; echo "PIVOT: bad rc=$? err=$(head -n1 /tmp/e)"
	mkdir /newroot/put_old
	cd /newroot && "$P" /newroot /newroot/put_old; echo "PIVOT: rc=$?"
	B=/bin/busybox
	$B test -e /canary-in-newroot && echo "PIVOT: new-root-is-root=yes"
	$B test -e /put_old/etc/initrd-release && echo "PIVOT: old-root-at-put_old=yes"
	$B sed -n "s/^[^ ]* [^ ]* [^ ]* [^ ]* \(\/[^ ]*\) .* - \([^ ]*\) \([^ ]*\) .*/PIVOT: mount \1 \2 \3/p" /put_old/proc/self/mountinfo
	echo "PIVOT: cwd=$($B pwd)"
}'
fi

# The same fixture with util-linux's switch_root, for the comparison.
UL_SAME="basic ext4 trailing-slash run-not-mounted target-missing-ro ramfs-root init-abs-symlink"
UL_DIFF="rshared target-missing not-pid1 not-initramfs no-initrd-release relative root-slash not-mountpoint samefs-bind init-missing init-bad-interp"
if [ $have_ul = 1 ]; then
	for c in $UL_SAME $UL_DIFF; do
		cp "$FX_TMP/def.$c.sh" "$FX_TMP/def.ul-$c.sh"
		echo "$(cat "$FX_TMP/def.$c.env") FX_SR=/ul/switch_root" >"$FX_TMP/def.ul-$c.env"
		CASES="$CASES ul-$c"
	done
fi

# ---------------------------------------------------------------------------------------------------------------
# Run every case: FX_JOBS lanes in parallel, each lane running every FX_JOBS-th case in turn.
lanes=${FX_JOBS:-$(($(nproc 2>/dev/null || echo 1) * 2))}
_l=0
while [ $_l -lt "$lanes" ]; do
	(
		_i=0
		for c in $CASES; do
			if [ $((_i % lanes)) = $_l ]; then
				(
					read -r _env <"$FX_TMP/def.$c.env" || _env=
					for kv in $_env; do export "${kv?}"; done
					fx_case "$c" "$(cat "$FX_TMP/def.$c.sh")"
				)
			fi
			_i=$((_i + 1))
		done
	) &
	lanes_pids="$lanes_pids $!"
	_l=$((_l + 1))
done
wait

# ---------------------------------------------------------------------------------------------------------------
# Assertions. Each condition function returns 0/1 and may set $why (extra evidence lines, newline-separated).
# load NAME sets O E B A S (paths of .out .err .before .after .setup) and RC (exit status of PID 1).
loaded='' failed=0
load() {
	[ "$loaded" = "$1" ] && return 0
	loaded=$1 O=$FX_OUT/$1.out E=$FX_OUT/$1.err B=$FX_OUT/$1.before A=$FX_OUT/$1.after S=$FX_OUT/$1.setup RC=none
	read -r RC <"$FX_OUT/$1.rc" || RC=none
	read -r STATE <"$A" || STATE=none
}
evidence() { # what the case did and what came out
	printf 'case %s: %s\n' "$loaded" "$(sed 's/^[[:space:]]*//' "$FX_OUT/$loaded.script" | tr '\n' ' ' | cut -c1-400)"
	echo "exit status of PID 1: $RC"
	echo "--- stderr:"
	head -n 12 "$E"
	echo "--- stdout:"
	grep -v -e '^PROBE: mem' -e '^PROBE: shmem' "$O" | head -n 40
	if [ -s "$S" ]; then echo "--- fixture setup log:"; tail -n 8 "$S"; fi
}
check() { # check DESC NAME CONDITION [ARGS...]
	_desc=$1
	load "$2"
	shift 2
	why=
	if "$@"; then
		tap_ok "$_desc"
	else
		tap_fail "$_desc" "${why:-condition failed: $*}" "$(evidence)"
		failed=$((failed + 1))
	fi
}
has() { # has REGEX [FILE] — a line of FILE (default .out) matches the extended REGEX
	grep -Eq -- "$1" "${2:-$O}" || { why="no line matches: $1 (in ${2:-$O})"; return 1; }
}
hasnt() {
	! grep -Eq -- "$1" "${2:-$O}" || { why="unexpected line: $(grep -E -m1 -- "$1" "${2:-$O}")"; return 1; }
}
lines_eq() { # lines_eq REGEX WANT — the lines of .out matching REGEX (mount options cut), each + "|", equal WANT
	_got=$(grep -E -- "$1" "$O" | sed 's/ opts=.*//' | tr '\n' '|')
	[ "$_got" = "$2" ] || { why="got:  $_got
want: $2"; return 1; }
}
booted() { # INIT ran as PID 1 and finished
	[ "$RC" = 0 ] || { why="exit status $RC, want 0"; return 1; }
	_got=$(grep -E -c '^PROBE: (pid=1|done)$' "$O")
	[ "$_got" = 2 ] || { why="no 'PROBE: pid=1' and 'PROBE: done' lines"; return 1; }
}
oldroot_left() { # oldroot_left "a b" — what the probe found left in the old root (sorted), "" for empty
	has '^PROBE: oldroot=' || return 1
	_got=$(sed -n 's/^PROBE: oldroot-left=//p' "$O" | sort | tr '\n' ' ')
	[ "$_got" = "${1:+$1 }" ] || { why="left in the old root: [$_got]
want:                [${1:+$1 }]"; return 1; }
}
MOUNT_DEV='PROBE: mount=/dev fstype=tmpfs source=fxdev|'
MOUNT_PROC='PROBE: mount=/proc fstype=proc source=fxproc|'
MOUNT_SYS='PROBE: mount=/sys fstype=sysfs source=fxsys|'
MOUNT_RUN='PROBE: mount=/run fstype=tmpfs source=fxrun|'
api_moved() { lines_eq '^PROBE: mount=' "$MOUNT_DEV$MOUNT_PROC$MOUNT_SYS$MOUNT_RUN"; }
api_moved_but_run() { lines_eq '^PROBE: mount=' "$MOUNT_DEV$MOUNT_PROC$MOUNT_SYS""PROBE: mount=/run none|"; }
submounts() {
	lines_eq '^PROBE: submount=' 'PROBE: submount=/dev/shm fstype=tmpfs source=fxshm|PROBE: submount=/run/sub fstype=tmpfs source=fxrunsub|'
}
root_is() { has "^PROBE: root=/ fstype=$1 source=$2 "; }
newroot_files() { # the new root's files before (under /newroot) and after (under /) the switch
	fx_section "$B" files | sed -n 's|^/newroot$|/|p; s|^/newroot/|/|p' | sort -u >"$FX_TMP/nr.before"
	fx_section "$A" files >"$FX_TMP/nr.after"
}
newroot_unchanged() { # the new root holds exactly the files it held before the switch (seen from inside it)
	[ "$STATE" = state=switched ] || { why="after the case / is not the new root: $(head -n 3 "$A")"; return 1; }
	newroot_files
	cmp -s "$FX_TMP/nr.before" "$FX_TMP/nr.after" || { why="the new root changed (diff before/after):
$(diff "$FX_TMP/nr.before" "$FX_TMP/nr.after" | head -n 30)"; return 1; }
}
files_in_newroot() { # the files the initramfs symlinks point at (before and after a chroot) still exist
	[ "$STATE" = state=switched ] || { why="after the case / is not the new root: $(head -n 3 "$A")"; return 1; }
	fx_section "$A" files >"$FX_TMP/nr.after"
	for p in /somefile /keepdir/survivor /newroot/somefile /newroot/keepdir/file /canary-in-newroot /sbin/init; do
		grep -qxF "$p" "$FX_TMP/nr.after" || { why="missing in the new root: $p"; return 1; }
	done
}
untouched() { # after the refusal: same files, same mounts, canaries and deep tree intact, nothing moved
	[ "$STATE" = state=initramfs ] || { why="after the case / is not the fake initramfs any more: $(head -n 3 "$A")"; return 1; }
	grep -q '^== end$' "$B" || { why="no snapshot before the run; setup log: $(head -n 5 "$S")"; return 1; }
	sed 1d "$A" >"$FX_TMP/u.after"
	cmp -s "$B" "$FX_TMP/u.after" || { why="the system changed (diff before/after):
$(diff "$B" "$FX_TMP/u.after" | head -n 30)"; return 1; }
	_got=$(grep -c -x -e 'depth=2001+leaf' -e '/mnt/canary/canary:canary' -e 'mount /proc type=proc' "$B")
	[ "$_got" = 3 ] || { why="fixture incomplete: $(grep -e '^depth=' -e canary -e '^mount /proc' "$B")"; return 1; }
}
refused() { # refused REGEX — exit status != 0, INIT never ran, one line on stderr: "switch_root: ...REGEX..."
	[ "$RC" != 0 ] || { why="exit status 0, want non-zero"; return 1; }
	hasnt '^PROBE: start' || return 1
	_got=$(grep -c '' "$E")
	[ "$_got" = 1 ] || { why="stderr has $_got lines, want exactly one"; return 1; }
	grep -Eiq -- "^switch_root: .*($1)" "$E" || { why="the line is not 'switch_root: ...' matching /$1/ (case-insensitive)"; return 1; }
}
refused_loose() { # without the one-line rule (usage errors): exit status != 0, INIT never ran, a switch_root: line
	[ "$RC" != 0 ] || { why="exit status 0, want non-zero"; return 1; }
	hasnt '^PROBE: start' && has '^switch_root: ' "$E"
}
refuses_untouched() { refused_loose && untouched; }
summary_line() { # exactly one "switch_root: ... removed/deleted/freed ..." line
	_got=$(grep -Eic '^switch_root: .*(remov|delet|free)' "$E")
	[ "$_got" = 1 ] || { why="$_got summary lines (switch_root: ... removed|deleted|freed ...), want 1"; return 1; }
}
dry_ok() { # dry run: exit status 0, INIT never ran, something reported
	[ "$RC" = 0 ] || { why="exit status $RC, want 0"; return 1; }
	hasnt '^PROBE: start' || return 1
	[ -s "$O" ] || [ -s "$E" ] || { why="nothing reported"; return 1; }
}

# --- the basic hand-over, tmpfs new root ---
c=basic
check "basic: switch_root /newroot /sbin/init --flag -x a runs INIT as PID 1" $c booted
check "basic: INIT's arguments arrive untouched, incl. --flag and -x" $c lines_eq '^PROBE: arg' \
	'PROBE: argc=4|PROBE: argv[0]=/sbin/init|PROBE: argv[1]=--flag|PROBE: argv[2]=-x|PROBE: argv[3]=a|'
check "basic: / is the new root" $c root_is tmpfs fxnewroot
check "basic: cwd is /" $c has '^PROBE: cwd=/$'
check "basic: /dev /proc /sys /run moved into the new root" $c api_moved
check "basic: submounts /dev/shm and /run/sub came along" $c submounts
check "basic: old root emptied; only mount points of foreign filesystems left (bound, mnt)" $c oldroot_left "bound mnt"
check "basic: the 2001-deep tree (path > PATH_MAX) is gone" $c hasnt '^PROBE: oldroot-left=deep$'
check "basic: the tmpfs at /mnt/canary in the old root kept its file" $c has '^PROBE: canary=present$'
check "basic: the new root's canary is there" $c has '^PROBE: newroot-canary=present$'
check "basic: new root unchanged (symlinks x -> /, into, intodir not followed; /bound's source kept)" $c newroot_unchanged
check "basic: the files the initramfs symlinks point at still exist" $c files_in_newroot
check "basic: one summary line about the deletion on stderr" $c summary_line

c=ext4
check "ext4 new root (mke2fs -d, loop mount): INIT runs as PID 1" $c booted
check "ext4 new root: / is the ext4 filesystem" $c has '^PROBE: root=/ fstype=ext4 '
check "ext4 new root: /dev /proc /sys /run moved" $c api_moved
check "ext4 new root: submounts /dev/shm and /run/sub intact" $c submounts
check "ext4 new root: old root emptied except foreign mount points" $c oldroot_left "bound mnt"
check "ext4 new root: canary on /mnt/canary present" $c has '^PROBE: canary=present$'
check "ext4 new root: the new root's files unchanged" $c newroot_unchanged

c=trailing-slash
check "NEWROOT with a trailing slash (/newroot/) is fine" $c booted
check "NEWROOT /newroot/: / is the new root afterwards" $c root_is tmpfs fxnewroot

c=rshared
check "mount --make-rshared / beforehand: precondition holds (shared mounts exist)" $c has '^shared-mounts=[1-9]' "$FX_OUT/$c.setup"
check "mount --make-rshared / beforehand: the switch still works" $c booted
check "mount --make-rshared /: / is the new root" $c root_is tmpfs fxnewroot
check "mount --make-rshared /: /dev /proc /sys /run moved" $c api_moved
check "mount --make-rshared /: submounts intact" $c submounts
check "mount --make-rshared /: old root emptied except foreign mount points" $c oldroot_left "bound mnt"

c=console-missing
check "-c /dev/nonexistent: the boot goes on (INIT runs as PID 1)" $c booted
check "-c /dev/nonexistent: a warning names the console" $c has '^switch_root: .*/dev/nonexistent' "$FX_OUT/$c.err"

c=init-args
check "INIT args that look like options (-n -c /dev/null -- --version) reach INIT" $c lines_eq '^PROBE: arg' \
	'PROBE: argc=6|PROBE: argv[0]=/sbin/init|PROBE: argv[1]=-n|PROBE: argv[2]=-c|PROBE: argv[3]=/dev/null|PROBE: argv[4]=--|PROBE: argv[5]=--version|'
check "INIT args that look like options: a real switch, not a dry run" $c root_is tmpfs fxnewroot

c=init-abs-symlink
check "INIT an absolute symlink valid only inside NEWROOT (/sbin/init-link -> /lib/real-init): accepted" $c booted
check "INIT absolute symlink: argv[0] is the name given" $c has '^PROBE: argv\[0\]=/sbin/init-link$'

c=stdin-closed
check "stdin closed at start: the switch still works" $c booted

c=run-not-mounted
check "/run not a mount point: skipped, the switch works" $c booted
check "/run not a mount point: /dev /proc /sys moved, /run left alone" $c api_moved_but_run

c=target-missing
check "NEWROOT/run missing, NEWROOT writable: the switch works" $c booted
check "NEWROOT/run missing, writable: created, /run moved there" $c api_moved
check "NEWROOT/run missing, writable: /run/sub came along" $c submounts

c=target-missing-ro
check "NEWROOT/run missing, NEWROOT read-only: the switch still works" $c booted
check "NEWROOT/run missing, read-only: /dev /proc /sys moved, /run not" $c api_moved_but_run
check "NEWROOT/run missing, read-only: a message names /run" $c has '^switch_root: .*/run' "$FX_OUT/$c.err"
check "NEWROOT/run missing, read-only: old /run detached (not left behind as a mount point)" $c oldroot_left "bound mnt"

c=ramfs-root
check "/ is ramfs (with /etc/initrd-release): accepted, INIT runs" $c booted
check "/ is ramfs: old root emptied except foreign mount points" $c oldroot_left "bound mnt"

c=samefs-bind-in-old
check "same-filesystem bind mount in the old root (/mnt/samefs of a hidden dir): the switch works" $c booted
check "same-filesystem bind mount in the old root: not descended into (its file survives)" $c has '^PROBE: canary=present$'
check "same-filesystem bind mount in the old root: only mount points left (bound hidden mnt)" $c oldroot_left "bound hidden mnt"

c=dry-run
check "-n as non-PID-1: exit status 0, INIT not run, a report" $c dry_ok
check "-n as non-PID-1: nothing changed" $c untouched
c=dry-run-bad-init
check "-n with a missing INIT: refused (the dry run performs every check)" $c refused 'not found'
check "-n with a missing INIT: nothing changed" $c untouched

# --- refusals: NAME;REGEX the one stderr line must match;what is wrong ---
while IFS=';' read -r c re what; do
	[ -n "$c" ] || continue
	check "refuses $what: one line 'switch_root: ...' matching /$re/, exit status != 0" "$c" refused "$re"
	check "refuses $what: system untouched (files, canaries, deep tree, /proc etc. where they were)" "$c" untouched
done <<'FX_REFUSALS'
not-pid1;PID 1;when not PID 1 (run from a child shell)
not-initramfs;not an initramfs;when / is ext4, not ramfs/tmpfs
no-initrd-release;initrd-release;when / is a tmpfs without /etc/initrd-release (not the kernel's rootfs)
relative;absolute;a relative NEWROOT (newroot)
missing;/nonexistent;a missing NEWROOT (/nonexistent)
regular-file;not a directory;NEWROOT a regular file (/big)
root-slash;.;NEWROOT /
root-dotdot;.;NEWROOT //./..
root-slashdotdot;.;NEWROOT /..
not-mountpoint;not a mount point;NEWROOT a plain directory on another fs (/newroot/nested)
samefs-bind;same filesystem;NEWROOT a bind mount of an initramfs directory (/sysroot)
path-max;too long|PATH_MAX;a NEWROOT longer than PATH_MAX
init-missing;not found;a missing INIT (/sbin/nope)
init-only-in-initramfs;not found;INIT present only in the initramfs, not in NEWROOT (/bin/sh)
init-644;not executable;INIT with mode 0644
init-dir;not a regular file;INIT a directory
init-dangling;.;INIT a dangling symlink
init-bad-interp;/bin/missing-interpreter;INIT a script whose interpreter is missing
init-noexec;mounted noexec;NEWROOT mounted noexec (the flag read with fstatvfs)
FX_REFUSALS

for c in empty-newroot no-init-arg; do
	check "refuses $c (usage error): exit status != 0, a switch_root: message" $c refused_loose
	check "refuses $c: system untouched" $c untouched
done

# --- pivot_root ---
if [ $have_pivot = 1 ]; then
	c=pivot
	check "pivot_root with one argument: usage error" $c has '^PIVOT: one-arg rc=[1-9]'
	check "pivot_root /nonexistent /nonexistent/old: fails with a pivot_root: message" $c has '^PIVOT: bad rc=[1-9][0-9]* err=pivot_root: '
	check "pivot_root NEW PUT_OLD: exit status 0" $c has '^PIVOT: rc=0$'
	check "pivot_root NEW PUT_OLD: / is NEW" $c has '^PIVOT: new-root-is-root=yes$'
	check "pivot_root NEW PUT_OLD: the old root is at PUT_OLD" $c has '^PIVOT: old-root-at-put_old=yes$'
	check "pivot_root NEW PUT_OLD: the mount table agrees (/ is fxnewroot)" $c has '^PIVOT: mount / tmpfs fxnewroot$'
	check "pivot_root NEW PUT_OLD: the mount table agrees (/put_old is fxinitramfs)" $c has '^PIVOT: mount /put_old tmpfs fxinitramfs$'
else
	tap_skip "pivot_root" "no pivot_root binary at $PIVOT_ROOT"
fi

# --- util-linux comparison ---
norm() { # the facts both implementations must agree on (each run attaches its own loop device)
	grep -E '^PROBE: (pid|argc|argv\[[0-9]+\]|cwd|root|root-magic|mount|submount|canary|newroot-canary)=' "$FX_OUT/$1.out" |
		sed -E 's|/dev/loop[0-9]+|/dev/loopN|g'
}
left() { sed -n 's/^PROBE: oldroot-left=//p' "$FX_OUT/$1.out" | sort | tr '\n' ' '; }
describe() { # describe NAME — one line on what happened
	load "$1"
	_p=no
	grep -q '^PROBE: start' "$O" && _p="yes, as pid $(sed -n 's/^PROBE: pid=//p' "$O")"
	if [ "$STATE" = state=initramfs ]; then
		sed 1d "$A" >"$FX_TMP/d.after"
		_chg=
		for sec in mounts files deep contents; do
			fx_section "$B" $sec >"$FX_TMP/d.1"
			fx_section "$FX_TMP/d.after" $sec >"$FX_TMP/d.2"
			cmp -s "$FX_TMP/d.1" "$FX_TMP/d.2" || _chg="$_chg $sec"
		done
		_chg="afterwards still in the initramfs, changed:${_chg:- nothing}"
	elif [ "$STATE" = state=switched ]; then
		newroot_files
		_chg="afterwards / is the new root: $(grep -c '' "$FX_TMP/nr.after") of its $(grep -c '' "$FX_TMP/nr.before") entries left"
	else
		_chg="afterwards the new root cannot be inspected ($STATE)"
	fi
	grep -q '^PROBE: newroot-canary=present' "$O" || { [ "$_p" = no ] || _p="$_p (without /canary-in-newroot)"; }
	echo "exit $RC; INIT ran: $_p; $_chg; stderr: $(head -n1 "$E" | cut -c1-110)"
}
if [ $have_ul = 1 ]; then
	echo "# util-linux: $("$UL_SWITCH_ROOT" --version 2>/dev/null | head -n1), same fixture, same cases:"
	for c in $UL_SAME; do
		norm "$c" >"$FX_TMP/cmp.ours"
		norm "ul-$c" >"$FX_TMP/cmp.ul"
		load "ul-$c"
		if [ ! -s "$FX_TMP/cmp.ul" ]; then
			tap_fail "util-linux agrees ($c): util-linux's switch_root ran INIT" "$(evidence)"
			failed=$((failed + 1))
		elif cmp -s "$FX_TMP/cmp.ours" "$FX_TMP/cmp.ul"; then
			tap_ok "util-linux agrees ($c): the new init sees the same pid, argv, root, API mounts, canaries"
		else
			tap_fail "util-linux agrees ($c): the new init sees the same pid, argv, root, API mounts, canaries" \
				"diff ours util-linux:" "$(diff "$FX_TMP/cmp.ours" "$FX_TMP/cmp.ul")"
			failed=$((failed + 1))
		fi
	done
	echo "#   old root as the new init saw it (basic): ours [$(left basic)], util-linux [$(left ul-basic)]"
	echo "#   (util-linux empties the old root in a forked child, racing the new init: the probe sees it first)"
	while IFS='|' read -r c cond note; do
		[ -n "$c" ] || continue
		# shellcheck disable=SC2086 # cond is a condition with its arguments: words
		check "util-linux differs on purpose ($c): $note" "$c" $cond
		echo "#   util-linux ($c): $(describe "ul-$c")"
	done <<'FX_UL'
rshared|booted|ours makes mounts private first and switches
target-missing|api_moved|ours creates the missing NEWROOT/run and moves /run there
not-pid1|refuses_untouched|ours refuses when not PID 1
not-initramfs|refuses_untouched|ours refuses when / is not ramfs/tmpfs
no-initrd-release|refuses_untouched|ours refuses a tmpfs / that is not marked as an initramfs
relative|refuses_untouched|ours refuses a relative NEWROOT before touching anything
root-slash|refuses_untouched|ours refuses NEWROOT / before touching anything
not-mountpoint|refuses_untouched|ours refuses a NEWROOT that is not a mount point before touching anything
samefs-bind|refuses_untouched|ours refuses a NEWROOT on the initramfs' own filesystem
init-missing|refuses_untouched|ours checks INIT inside NEWROOT before touching anything
init-bad-interp|refuses_untouched|ours checks a script INIT's interpreter before touching anything
FX_UL
elif [ -z "$UL_SWITCH_ROOT" ]; then
	tap_skip "the comparison with util-linux's switch_root" "UL_SWITCH_ROOT= is empty (the switchroot suite makes it)"
else
	tap_skip "the comparison with util-linux's switch_root" "$UL_SWITCH_ROOT is not there to compare with (util-linux)"
fi

tap_done
[ "$failed" = 0 ]
