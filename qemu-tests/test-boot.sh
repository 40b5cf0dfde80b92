#!/bin/bash
# qemu-tests/test-boot.sh — qemu-tests/boot's exit statuses, each from a real boot (TAP).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
. tests/tap.sh
B=qemu-tests/boot
W=$(mktemp -d /tmp/earlyroot-boot-test.XXXXXX)
trap 'rm -rf "$W"' EXIT

# A root disk that is not ours: busybox, and an init script that says it ran and powers off.
mkdir -p "$W/root/bin" "$W/root/sbin" "$W/root/proc" "$W/root/dev"
cp /bin/busybox "$W/root/bin/busybox" && ln -s busybox "$W/root/bin/sh"
printf '#!/bin/sh\necho "CUSTOM-INIT: ran as pid $$ with $*"\n/bin/busybox poweroff -f\n' >"$W/root/sbin/init"
chmod +x "$W/root/sbin/init"
mke2fs -q -t ext4 -d "$W/root" "$W/custom.ext4" 16M >/dev/null 2>&1

# Two boots at a time (two cores); each case records its exit status and stderr.
run() { # NAME ARGS...
	local n=$1
	shift
	"$B" "$@" >"$W/$n.out" 2>"$W/$n.err"
	echo $? >"$W/$n.rc"
}
run default & run expect --expect 'earlyroot: mounted /dev/vda' & wait
run panic --append 'root=/dev/vdz rd.timeout=0' & run custom --disk "$W/custom.ext4" --expect 'CUSTOM-INIT: ran as pid 1 with hello' --append 'rw -- hello' & wait
run custom-off --disk "$W/custom.ext4" & run timeout --timeout 2 & wait
run nokernel --kernel /nonexistent & run arm64 --arch aarch64 & run minimal --kernel minimal & wait

check() { # NAME WANT-RC VERDICT-REGEX DESCRIPTION
	local rc
	rc=$(cat "$W/$1.rc")
	if [ "$rc" = "$2" ] && grep -Eq "$3" "$W/$1.err"; then
		tap_ok "$4: exit $rc, $(grep -E -m1 "$3" "$W/$1.err" | cut -c1-100)"
	else
		tap_fail "$4" "exit $rc (want $2)" "$(tail -n 12 "$W/$1.err")"
	fi
}
check default 0 '^boot: PASS: the guest reported success \(isa-debug-exit 0x2a\)' "a plain boot to the probe is a success"
check expect 0 '^boot: PASS: seen /earlyroot: mounted /dev/vda/' "--expect: success as soon as the line appears"
check panic 1 '^boot: FAIL: .*Kernel panic' "a missing root: the panic is a failure, though QEMU exits 0"
check custom 0 '^boot: PASS: seen /CUSTOM-INIT: ran as pid 1 with hello/' "a root disk and init that are not ours, with init arguments"
check custom-off 1 '^boot: FAIL: the guest powered off or rebooted without reporting success' \
	"a clean power-off without --expect is not taken for success"
check timeout 2 '^boot: TIMEOUT' "--timeout 2: a timeout"
check arm64 0 '^boot: PASS: the guest reported success \(poweroff marker, then PSCI power-off\)' \
	"--arch aarch64: Debian's arm64 kernel, the cross-built init and probe, the poweroff marker"
check minimal 0 '^boot: PASS: the guest reported success \(isa-debug-exit 0x2a\)' \
	"--kernel minimal: to the probe through earlyroot"
check minimal 0 '^boot: Linux [^ ]+-earlyroot-minimal under QEMU' "...on the kernel built from configs/qemu-minimal.config"
check nokernel 3 '^boot: --kernel /nonexistent: neither' "a kernel that does not exist: a setup error"
tap_done
