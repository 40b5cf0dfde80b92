#!/bin/sh
# init/tests/fsck-run.sh — the root's fsck before the mount (init/fsck.c), with the host's real e2fsck as
# the image's /sbin/fsck.ext4: the init as PID 1 of a PID+mount namespace (as in run.sh) boots ext4
# images on loop devices that are clean, repairable (exit 1) and beyond -p (exit 4; exit 8 for a
# garbled superblock), then checkers that stand in for the exit codes e2fsck gives no easy way to
# make (2, 3, 12, one that cannot be exec'd). Judged on the init's line, e2fsck's own and whether
# the probe ran. Needs root. Prints TAP.
#   INIT=path   the init under test (default build/init)
set -u
E2FSCK=${E2FSCK:-$(command -v e2fsck || echo /sbin/e2fsck)}
NS_SUITE="fsck namespace tests"
NS_NEEDS=$E2FSCK
# shellcheck source=init/tests/ns-prologue.sh
. "$(dirname "$0")/ns-prologue.sh"
command -v debugfs >/dev/null || { tap_fail "prerequisite debugfs" "install e2fsprogs"; tap_done; exit 1; }

# The image's checker with its libraries and ld.so, as mkinitramfs --add brings a dynamic program.
LIBS=$({ ldd "$E2FSCK"; ldd "$INIT"; } 2>/dev/null | grep -o '/[^ ]*' | sort -u | tr '\n' ' ')
work=$(mktemp -d /tmp/earlyroot-fsck-test.XXXXXX)
loops=
cleanup() {
	for l in $loops; do losetup -d "$l" 2>/dev/null; done
	rm -rf "$work"
}
trap cleanup EXIT INT TERM
[ -z "${KEEP:-}" ] || trap - EXIT

# A root: the probe as /sbin/init, two data files whose blocks the corruptions below play with.
mkdir -p "$work/rootfs/sbin" "$work/rootfs/etc" "$work/rootfs/dev" "$work/rootfs/proc" "$work/rootfs/sys" \
	"$work/rootfs/run"
cp "$PROBE" "$work/rootfs/sbin/init"
head -c 20480 /dev/urandom >"$work/rootfs/etc/data1"
head -c 20480 /dev/urandom >"$work/rootfs/etc/data2"
mke2fs -q -t ext4 -L fsck-test -d "$work/rootfs" "$work/clean.ext4" 16M >"$work/mke2fs.log" 2>&1
for n in fixed dup magic; do cp "$work/clean.ext4" "$work/$n.ext4"; done
dbg() { debugfs -w -R "$2" "$work/$1.ext4" >>"$work/debugfs.log" 2>&1; }
# fixed: a file's size below its last block (e2fsck -p: "i_size is 100, should be 20480. FIXED."), and
# the state "not clean" so that -p looks at all.
dbg fixed "sif /etc/data1 size 100" && dbg fixed "ssv state 0"
# dup: data2's extent pointed at data1's blocks: multiply-claimed blocks, which -p leaves to a person.
d1=$(debugfs -R "bmap /etc/data1 0" "$work/dup.ext4" 2>/dev/null)
dbg dup "sif /etc/data2 block[5] $d1" && dbg dup "ssv state 0"
# magic: the superblock's magic zeroed: e2fsck cannot even open it (operational error, 8).
printf '\0\0' | dd of="$work/magic.ext4" bs=1 seek=$((1024 + 56)) conv=notrunc status=none
# The same on a read-only device (as dm-verity gives): nothing to repair there, nor could fsck open it.
cp "$work/dup.ext4" "$work/dup-ro.ext4"
# Check the corruptions themselves, so that a case below cannot pass for the wrong reason.
"$E2FSCK" -n "$work/fixed.ext4" >/dev/null 2>&1; fixed_rc=$?
"$E2FSCK" -n "$work/dup.ext4" >/dev/null 2>&1; dup_rc=$?
expect_eq "the repairable image has an error (e2fsck -n: 4)" "$fixed_rc" 4
expect_eq "the image beyond -p has one too (e2fsck -n: 4)" "$dup_rc" 4

{ CLEAN=$(losetup -f --show "$work/clean.ext4") && loops=$CLEAN &&
	FIXED=$(losetup -f --show "$work/fixed.ext4") && loops="$loops $FIXED" &&
	DUP=$(losetup -f --show "$work/dup.ext4") && loops="$loops $DUP" &&
	MAGIC=$(losetup -f --show "$work/magic.ext4") && loops="$loops $MAGIC" &&
	DUPRO=$(losetup -r -f --show "$work/dup-ro.ext4") && loops="$loops $DUPRO"; } ||
	{ tap_fail "attach loop devices" "losetup failed"; tap_done; exit 1; }

# boot NAME CMDLINE — as run.sh's boot: a tmpfs initramfs with /init, busybox, and /sbin/fsck.ext4 (the
# host's e2fsck with its libraries; CHECKER=FILE another, CHECKER=none none), made / of a new namespace;
# CMDLINE bound over /proc/cmdline. Output and "exit=N" in $work/NAME.out.
boot() {
	name=$1 cmdline="$2 panic=-1"
	out=$work/$name.out
	timeout -s KILL 60 unshare --mount --pid --fork --propagation private sh -s >"$out" 2>&1 <<EOF
set -e
ir=\$(mktemp -d /tmp/ir.XXXXXX)
mount -t tmpfs initramfs "\$ir"
mkdir -p "\$ir/bin" "\$ir/sbin" "\$ir/etc/earlyroot" "\$ir/dev" "\$ir/proc" "\$ir/sys" "\$ir/run" "\$ir/newroot" "\$ir/old"
cp "$INIT" "\$ir/init"
[ "${CHECKER:-}" = none ] || cp "${CHECKER:-$E2FSCK}" "\$ir/sbin/fsck.ext4"
for lib in $LIBS; do mkdir -p "\$ir\${lib%/*}"; cp -L "\$lib" "\$ir\$lib"; done
cp "$BUSYBOX" "\$ir/bin/busybox"
touch "\$ir/etc/initrd-release"
printf '%s\n' "$cmdline" >"\$ir/cmdline"
mount -t tmpfs dev "\$ir/dev"
for l in $loops; do cp -a "\$l" "\$ir/dev/"; done
cp -a /dev/null /dev/console "\$ir/dev/"
cd "\$ir"
pivot_root . old
exec /bin/busybox sh -c '
set -e
/bin/busybox umount -l /old
/bin/busybox rmdir /old
/bin/busybox mount -t proc proc /proc
/bin/busybox mount --bind /cmdline /proc/cmdline
exec /init </dev/null'
EOF
	echo "exit=$?" >>"$out"
}

probe_ran() { # DESC FILE — the boot reached the real root
	expect_grep "$1" "$2" '^PROBE: pid=1$'
}
probe_not_run() { # DESC FILE
	if grep -q '^PROBE:' "$2"; then tap_fail "$1" "$(grep -m3 PROBE: "$2")"; else tap_ok "$1"; fi
}

boot clean "root=$CLEAN"
o=$work/clean.out
expect_grep "clean: e2fsck -p ran on the root before the mount (its report)" "$o" '^fsck-test: clean, [0-9]+/[0-9]+ files'
expect_no_grep "clean: the init says nothing about it" "$o" 'earlyroot: fsck'
probe_ran "clean: the boot goes on" "$o"

boot fixed "root=$FIXED rw"
o=$work/fixed.out
expect_grep "exit 1: e2fsck's repair is on the console" "$o" 'fsck-test: Inode [0-9]+, i_size is 100, should be 20480\. +FIXED\.'
expect_grep "exit 1: one info line from the init" "$o" "^earlyroot: fsck.ext4 corrected errors on $FIXED \(exit 1\); going on$"
expect_eq "exit 1: that line once" "$(grep -c 'earlyroot: fsck' "$o")" 1
probe_ran "exit 1: the boot goes on" "$o"
"$E2FSCK" -n "$work/fixed.ext4" >/dev/null 2>&1
expect_eq "exit 1: the repair is on the disk (e2fsck -n: 0 after the boot)" "$?" 0

boot dup "root=$DUP"
o=$work/dup.out
expect_grep "exit 4: e2fsck says why on the console" "$o" 'UNEXPECTED INCONSISTENCY; RUN fsck MANUALLY'
expect_grep "exit 4: one error line naming the bit, the device and what to do" "$o" \
	"^earlyroot: fsck.ext4 $DUP exited with 4 \(errors left uncorrected\): the root is not mounted; .*repair it by hand \(/sbin/fsck.ext4 $DUP\) or boot with rd.fsck=0$"
probe_not_run "exit 4: the boot stops (rescue/panic policy)" "$o"
expect_grep "exit 4: ... as a failure of the mount stage" "$o" "^earlyroot: boot failed at stage 'mount'"

boot magic "root=$MAGIC rootfstype=ext4"
o=$work/magic.out
expect_grep "exit 8: operational error named" "$o" "^earlyroot: fsck.ext4 $MAGIC exited with 8 \(operational error\)"
probe_not_run "exit 8: the boot stops" "$o"

boot magic-probe "root=$MAGIC"
expect_no_grep "an unrecognised superblock and no rootfstype=: no checker is guessed" "$work/magic-probe.out" \
	'earlyroot: fsck|Bad magic'

for w in rd.fsck=0 rd.skipfsck; do
	boot "off-$w" "root=$DUP $w"
	o=$work/off-$w.out
	expect_no_grep "$w: no check" "$o" 'INCONSISTENCY|earlyroot: fsck'
	probe_ran "$w: the root is mounted unchecked" "$o"
done
boot readonly "root=$DUPRO"
expect_no_grep "a read-only device (dm-verity, write-protected): not checked" "$work/readonly.out" 'INCONSISTENCY|earlyroot: fsck'
probe_ran "... and mounted (read-only)" "$work/readonly.out"
boot on "root=$DUP rd.fsck=1"
expect_grep "rd.fsck=1: checked" "$work/on.out" "earlyroot: fsck.ext4 $DUP exited with 4"

# Exit codes e2fsck gives no easy way to make: a stand-in checker (busybox sh) that exits with N.
fake() {
	printf '#!/bin/busybox sh\necho fake-fsck "$@"\nexit %s\n' "$1" >"$work/fake$1"
	chmod +x "$work/fake$1"
	CHECKER=$work/fake$1
}
for code in 2 3; do
	fake "$code"
	boot "reboot$code" "root=$CLEAN"
	o=$work/reboot$code.out
	expect_grep "exit $code: the checker ran with -p on the root" "$o" "^fake-fsck -p $CLEAN$"
	expect_grep "exit $code: one line saying it reboots" "$o" \
		"^earlyroot: fsck.ext4 repaired $CLEAN and asks for a reboot \(exit $code\): rebooting$"
	probe_not_run "exit $code: no mount, no hand-over" "$o"
	# reboot(2) in a PID namespace ends it: its init is killed by SIGHUP (exit status 128+1).
	expect_grep "exit $code: reboot(2) was called (the namespace ended by SIGHUP)" "$o" '^exit=129$'
done
fake 12
boot fail12 "root=$CLEAN"
expect_grep "exit 12: both bits named" "$work/fail12.out" \
	"^earlyroot: fsck.ext4 $CLEAN exited with 12 \(errors left uncorrected, operational error\)"
probe_not_run "exit 12: the boot stops" "$work/fail12.out"
printf '#!/nonexistent/sh\n' >"$work/noexec" && chmod +x "$work/noexec"
CHECKER=$work/noexec
boot noexec "root=$CLEAN"
expect_grep "a checker that cannot be exec'd: one warning, the root not checked" "$work/noexec.out" \
	"^earlyroot: cannot run /sbin/fsck.ext4: No such file or directory .*: root $CLEAN not checked$"
probe_ran "... and the boot goes on" "$work/noexec.out"
CHECKER=none
boot nochecker "root=$DUP"
expect_no_grep "no checker in the image: nothing said (without rd.debug), nothing run" "$work/nochecker.out" 'earlyroot: .*fsck'
probe_ran "... and the boot goes on" "$work/nochecker.out"
CHECKER=
tap_done
