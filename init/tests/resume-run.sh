#!/bin/sh
# init/tests/resume-run.sh — resume= in the init (init/resume.c) as PID 1 of a PID+mount namespace, as in
# run.sh, with swap areas on loop devices: a plain swap, one with a hibernation signature (S1SUSPEND, as
# the kernel leaves it), an ext4. /sys/power is a directory of this test bound over the real one inside
# the namespace, so what the init writes there is read back here and never reaches this machine's kernel
# (a real resume is qemu-tests' resume-hibernate). Needs root. Prints TAP.
#   INIT=path   the init under test (default build/init)
set -u
NS_SUITE="resume namespace tests"
# shellcheck source=init/tests/ns-prologue.sh
. "$(dirname "$0")/ns-prologue.sh"
command -v mkswap >/dev/null || { tap_fail "prerequisite mkswap" "install util-linux"; tap_done; exit 1; }

INIT_LIBS=$(ldd "$INIT" 2>/dev/null | grep -o '/[^ ]*' | tr '\n' ' ')
work=$(mktemp -d /tmp/earlyroot-resume-test.XXXXXX)
loops=
cleanup() {
	for l in $loops; do losetup -d "$l" 2>/dev/null; done
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

mkdir -p "$work/rootfs/sbin" "$work/rootfs/dev" "$work/rootfs/proc" "$work/rootfs/sys" "$work/rootfs/run"
cp "$PROBE" "$work/rootfs/sbin/init"
mke2fs -q -t ext4 -L resume-test -d "$work/rootfs" "$work/root.ext4" 16M >"$work/mke2fs.log" 2>&1
SWAP_UUID=5ab5ab00-1111-4222-8333-000000000001
IMG_UUID=5ab5ab00-1111-4222-8333-000000000002
truncate -s 4M "$work/swap.img" "$work/image.img"
mkswap -U "$SWAP_UUID" -L resume-swap "$work/swap.img" >/dev/null 2>&1
mkswap -U "$IMG_UUID" "$work/image.img" >/dev/null 2>&1
# What hibernation leaves: the signature at the end of the first page becomes S1SUSPEND.
printf 'S1SUSPEND\0' | dd of="$work/image.img" bs=1 seek=4086 conv=notrunc status=none
expect_eq "the image's signature is what blkid calls swsuspend" "$(blkid -p -o value -s TYPE "$work/image.img")" swsuspend

{ ROOT=$(losetup -f --show "$work/root.ext4") && loops=$ROOT &&
	SWAP=$(losetup -f --show "$work/swap.img") && loops="$loops $SWAP" &&
	IMG=$(losetup -f --show "$work/image.img") && loops="$loops $IMG"; } ||
	{ tap_fail "attach loop devices" "losetup failed"; tap_done; exit 1; }
majmin() { stat -L -c '%t %T' "$1" | { read -r ma mi; printf '%d:%d' 0x"$ma" 0x"$mi"; }; }

# boot NAME CMDLINE — the init in a namespace (as run.sh's boot), with sysfs mounted beforehand and
# $work/NAME.power bound over its /sys/power: files resume, resume_offset (empty) and disk (POWER_DISK, or
# "[shutdown] reboot"; POWER=none: no resume file, as in a kernel without hibernation; POWER=nooffset: no
# resume_offset file, as before Linux 4.17). The init leaves
# an existing /sys mount alone. Output and "exit=N" in $work/NAME.out.
boot() {
	name=$1 cmdline="$2 panic=-1"
	out=$work/$name.out power=$work/$name.power
	rm -rf "$power" && mkdir -p "$power" && printf '%s\n' "${POWER_DISK:-[shutdown] reboot}" >"$power/disk"
	[ "${POWER:-}" = none ] || : >"$power/resume"
	[ "${POWER:-}" = nooffset ] || : >"$power/resume_offset"
	timeout -s KILL 60 unshare --mount --pid --fork --propagation private sh -s >"$out" 2>&1 <<EOF
set -e
ir=\$(mktemp -d /tmp/ir.XXXXXX)
mount -t tmpfs initramfs "\$ir"
mkdir -p "\$ir/bin" "\$ir/etc/earlyroot" "\$ir/dev" "\$ir/proc" "\$ir/sys" "\$ir/run" "\$ir/newroot" "\$ir/old"
cp "$INIT" "\$ir/init"
for lib in $INIT_LIBS; do mkdir -p "\$ir\${lib%/*}"; cp -L "\$lib" "\$ir\$lib"; done
cp "$BUSYBOX" "\$ir/bin/busybox"
touch "\$ir/etc/initrd-release"
printf '%s\n' "$cmdline" >"\$ir/cmdline"
mount -t tmpfs dev "\$ir/dev"
for l in $loops; do cp -a "\$l" "\$ir/dev/"; done
cp -a /dev/null /dev/console "\$ir/dev/"
# Never the real /sys/power: a failed bind stops here (set -e), before the init runs.
mount -t sysfs sysfs "\$ir/sys"
mount --bind "$power" "\$ir/sys/power"
[ -f "\$ir/sys/power/disk" ] && grep -q . "\$ir/sys/power/disk"
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
probe_ran() { expect_grep "$1" "$2" '^PROBE: pid=1$'; }
probe_not_run() { if grep -q '^PROBE:' "$2"; then tap_fail "$1" "$(grep -m3 PROBE: "$2")"; else tap_ok "$1"; fi; }
written() { cat "$work/$1.power/$2" 2>/dev/null; }

boot none "root=$ROOT"
expect_no_grep "no resume=: nothing said" "$work/none.out" 'resum|hibernat'
expect_eq "no resume=: nothing written" "$(written none resume)" ""
probe_ran "no resume=: the boot goes on" "$work/none.out"

boot swap "root=$ROOT resume=$SWAP"
expect_grep "a swap without an image: one info line" "$work/swap.out" \
	"^earlyroot: no hibernation image on $SWAP \(resume=$SWAP\): booting fresh$"
expect_eq "... nothing written to /sys/power/resume" "$(written swap resume)" ""
probe_ran "... the boot goes on" "$work/swap.out"

boot uuid "root=$ROOT resume=UUID=$SWAP_UUID"
expect_grep "resume=UUID=: found by its swap UUID" "$work/uuid.out" "^earlyroot: resume=UUID=$SWAP_UUID is $SWAP$"
expect_grep "... and looked at" "$work/uuid.out" "^earlyroot: no hibernation image on $SWAP"
boot label "root=$ROOT resume=LABEL=resume-swap"
expect_grep "resume=LABEL=: found by the swap's label" "$work/label.out" "^earlyroot: resume=LABEL=resume-swap is $SWAP$"
mm=$(majmin "$SWAP")
boot majmin "root=$ROOT resume=$mm"
expect_grep "resume=MAJ:MIN ($mm) works too" "$work/majmin.out" "no hibernation image on [^ ]* \(resume=$mm\)"

mm=$(majmin "$IMG")
boot image "root=$ROOT resume=UUID=$IMG_UUID"
o=$work/image.out
expect_grep "an image: the init says it resumes, with the device and its number" "$o" \
	"^earlyroot: resuming from the hibernation image on $IMG \($mm\)$"
expect_eq "... and writes MAJ:MIN to /sys/power/resume" "$(written image resume)" "$mm"
expect_eq "... no resume_offset without resume_offset=" "$(written image resume_offset)" ""
# Here the write returns (a file, not the kernel): as when the kernel refuses an image.
expect_grep "the write returned with an image there: one error line" "$o" \
	"^earlyroot: the kernel did not resume from the hibernation image on $IMG \($mm\): its reason is in the kernel log"
probe_not_run "... and the boot stops (rescue/panic policy): mounting now would lose the session" "$o"

boot offset "root=$ROOT resume=$ROOT resume_offset=8"
o=$work/offset.out
expect_eq "resume_offset=8 (a swap file): written to /sys/power/resume_offset" "$(written offset resume_offset)" 8
expect_eq "... and the filesystem's device to /sys/power/resume, though it holds ext4 (the kernel checks)" \
	"$(written offset resume)" "$(majmin "$ROOT")"
expect_grep "... nothing resumed: said, and the boot goes on" "$o" \
	"^earlyroot: the kernel resumed no hibernation image from the swap file at resume_offset=8 on $ROOT"
probe_ran "... to the real root" "$o"

POWER=nooffset
boot nooffset "root=$ROOT resume=$ROOT resume_offset=8"
POWER=
expect_grep "no /sys/power/resume_offset (before 4.17): one warning, the kernel's own resume_offset= stands" \
	"$work/nooffset.out" "^earlyroot: cannot write resume_offset=8 to /sys/power/resume_offset: .*; the kernel's own from its command line stands$"
expect_eq "... and the device is written all the same" "$(written nooffset resume)" "$(majmin "$ROOT")"

boot noresume "root=$ROOT resume=$IMG noresume"
expect_grep "noresume: one line, the image left alone" "$work/noresume.out" \
	"^earlyroot: noresume: not resuming from resume=$IMG; booting fresh$"
expect_eq "... nothing written" "$(written noresume resume)" ""
probe_ran "... a fresh boot" "$work/noresume.out"

boot ext4 "root=$ROOT resume=$ROOT"
expect_grep "resume= naming an ext4: a warning that says what is there" "$work/ext4.out" \
	"^earlyroot: resume=$ROOT: $ROOT holds ext4, not a swap area: booting without resuming"
expect_eq "... nothing written" "$(written ext4 resume)" ""
probe_ran "... the boot goes on" "$work/ext4.out"

POWER_DISK='[disabled]'
boot disabled "root=$ROOT resume=$IMG"
POWER_DISK=
expect_grep "hibernation disabled (nohibernate, lockdown): said, not written" "$work/disabled.out" \
	"^earlyroot: hibernation is disabled in this kernel \(nohibernate, or lockdown\): the hibernation image on $IMG is not resumed"
expect_eq "... nothing written" "$(written disabled resume)" ""
probe_ran "... the boot goes on" "$work/disabled.out"
POWER=none
boot nosupport "root=$ROOT resume=$IMG"
POWER=
expect_grep "a kernel without hibernation: said" "$work/nosupport.out" \
	"^earlyroot: this kernel has no hibernation support \(CONFIG_HIBERNATION\)"
probe_ran "... the boot goes on" "$work/nosupport.out"

boot missing "root=$ROOT rd.timeout=1 resume=UUID=0badc0de-0000-4000-8000-000000000000"
o=$work/missing.out
expect_grep "a resume device that never comes: one warning naming it, after the root's wait" "$o" \
	"^earlyroot: resume device UUID=0badc0de-0000-4000-8000-000000000000 not found after 1 s \(block devices: .*\): booting without resuming; check resume="
expect_eq "... that one line" "$(grep -c 'resume' "$o")" 1
probe_ran "... and the boot goes on" "$o"

# The stack handles a device once in the boot, not once per wait: a LUKS volume left alone (rd.luks=0)
# while the root is waited for is not left alone again, nor named twice, in resume='s wait. The root's
# loop device is empty (size 0: not read) until the volume was looked at, then gets its filesystem and
# a change event: both waits go through the stack.
if command -v cryptsetup >/dev/null; then
	printf 'a key' >"$work/luks.key"
	{ truncate -s 4M "$work/luks.img" && : >"$work/late.img" &&
		cryptsetup luksFormat -q --type luks1 --pbkdf-force-iterations 1000 --key-file "$work/luks.key" \
			"$work/luks.img" >"$work/luks.log" 2>&1 &&
		mke2fs -q -t ext4 -L resume-late -d "$work/rootfs" "$work/late.ext4" 16M >>"$work/mke2fs.log" 2>&1 &&
		LUKS=$(losetup -f --show "$work/luks.img") && loops="$loops $LUKS" &&
		LATE=$(losetup -f --show "$work/late.img" 2>/dev/null) && loops="$loops $LATE"; } ||
		{ tap_fail "the LUKS volume and the late root" "$(tail -n1 "$work/luks.log")"; tap_done; exit 1; }
	(
		n=0
		until grep -q 'left alone' "$work/once.out" 2>/dev/null; do
			[ $((n += 1)) -le 300 ] || exit 1
			sleep 0.1
		done
		cat "$work/late.ext4" >"$work/late.img" && losetup -c "$LATE" && echo change >"/sys/class/block/${LATE#/dev/}/uevent"
	) &
	filler=$!
	boot once "root=LABEL=resume-late rd.luks=0 rd.timeout=5 resume=UUID=0badc0de-0000-4000-8000-000000000000"
	wait "$filler"
	o=$work/once.out
	expect_grep "a LUKS volume with rd.luks=0: left alone in the root's wait" "$o" "^earlyroot: LUKS: ${LUKS#/dev/} left alone: rd.luks=0$"
	expect_eq "... and not again in resume='s wait" "$(grep -c 'left alone:' "$o")" 1
	expect_grep "... whose one line names it once" "$o" \
		"^earlyroot: resume device UUID=0badc0de-.* still waiting: left alone as asked: LUKS ${LUKS#/dev/} \(rd\.luks=0\)\): booting without resuming"
	probe_ran "... and the root that came after it boots" "$o"
else
	tap_skip "a LUKS volume left alone once in the boot" "no cryptsetup to format one (cryptsetup-bin)"
fi

# A tool the image lacks, named by the command line (rd.lvm.vg=): the wait's line says that lvm cannot
# run and execve's reason, not an exit status 127.
if command -v lvm >/dev/null; then
	truncate -s 8M "$work/pv.img"
	if PV=$(losetup -f --show "$work/pv.img") && loops="$loops $PV" &&
		LVM_SUPPRESS_FD_WARNINGS=1 lvm pvcreate -ff -y --config "devices { filter = [ \"a|^$PV\$|\", \"r|.*|\" ] \
use_devicesfile = 0 obtain_device_list_from_udev = 0 }" "$PV" >"$work/pv.log" 2>&1; then
		boot nolvm "root=$ROOT rd.lvm.vg=ervg rd.timeout=1 resume=/dev/ervg/swap"
		expect_grep "a PV and no lvm in the image: the wait's line says lvm cannot run, and why" "$work/nolvm.out" \
			"still waiting: LVM: cannot run /sbin/lvm: No such file or directory \(make the image with mkinitramfs --lvm\) \(physical volumes: ${PV#/dev/}\)"
		probe_ran "... and the boot goes on" "$work/nolvm.out"
	else
		tap_fail "an LVM physical volume for the test" "$(tail -n1 "$work/pv.log")"
	fi
else
	tap_skip "no lvm in the image: said" "no lvm here to make a physical volume (lvm2)"
fi
tap_done
