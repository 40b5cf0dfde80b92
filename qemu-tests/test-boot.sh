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

# A root with a shell for --arch ARCH --run: Debian's busybox-static for DEBARCH (arm64, armhf, ...), fetched
# once with apt-get download (as fetch-kernel fetches the kernels), unpacked into the cache. On failure
# it prints why (the cases are then skipped with that reason).
busybox_for() { # DEBARCH
	local cache=${EARLYROOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/earlyroot}/busybox-static-$1 tmp sandbox=()
	[ -x "$cache/bin/busybox" ] && return 0
	command -v apt-get >/dev/null || { echo "apt-get not found"; return 1; }
	dpkg --print-foreign-architectures 2>/dev/null | grep -qx "$1" ||
		{ echo "$1 is not a dpkg foreign architecture (dpkg --add-architecture $1 && apt-get update)"; return 1; }
	if ! { mkdir -p "${cache%/*}" && tmp=$(mktemp -d "${cache%/*}/.busybox.XXXXXX"); } 2>/dev/null; then
		echo "cannot write ${cache%/*}"
		return 1
	fi
	# As root, apt would hand the download to its _apt user, who cannot write here.
	[ "$(id -u)" = 0 ] && sandbox=(-o APT::Sandbox::User=root)
	if (cd "$tmp" && apt-get download -q "${sandbox[@]}" "busybox-static:$1" >/dev/null 2>&1) &&
		dpkg-deb -x "$tmp"/*.deb "$tmp/root" && [ -x "$tmp/root/bin/busybox" ]; then
		mv -T "$tmp/root" "$cache" 2>/dev/null # a parallel fetch may have been first: its copy is as good
		rm -rf "$tmp"
		return 0
	fi
	rm -rf "$tmp"
	echo "apt-get download busybox-static:$1 failed (no network or no $1 package lists)"
	return 1
}
# busybox_root DEBARCH DIR — DIR a root with that busybox as bin/busybox and the applets the cases use
# (a foreign binary: no busybox --install on this host); prints why not.
busybox_root() {
	local l
	busybox_for "$1" || return 1
	mkdir -p "$2/bin" "$2/proc" "$2/sys" "$2/dev" "$2/run" "$2/tmp" "$2/etc" "$2/root"
	cp "${EARLYROOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/earlyroot}/busybox-static-$1/bin/busybox" "$2/bin/busybox" ||
		{ echo "cannot copy the cached busybox-static:$1"; return 1; }
	for l in sh uname cat grep; do ln -s busybox "$2/bin/$l"; done
}
arm64_skip=$(busybox_root arm64 "$W/arm64root") || arm64_skip=${arm64_skip:-"cannot fetch busybox-static:arm64"}
if [ -z "$arm64_skip" ]; then
	mke2fs -q -t ext4 -E root_owner=0:0 -d "$W/arm64root" "$W/arm64.ext4" 16M >/dev/null 2>&1 || arm64_skip="mke2fs -d failed"
fi
# The other architectures: ARCH DEBARCH `uname -m`.
others='armhf armhf armv7l
i386 i386 i686
ppc64el ppc64el ppc64le
s390x s390x s390x'
declare -A skip_of
while read -r a d _; do
	skip_of[$a]=$(busybox_root "$d" "$W/$a.root") || skip_of[$a]=${skip_of[$a]:-"cannot fetch busybox-static:$d"}
done <<<"$others"

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
# Each architecture of qemu-tests/arch.sh to the probe, and with --run a command on its busybox.
run armhf --arch armhf & run i386 --arch i386 & wait
run ppc64el --arch ppc64el & run s390x --arch s390x & wait
k=0
while read -r a _; do
	[ -n "${skip_of[$a]}" ] || run "$a-run" --arch "$a" --rootdir "$W/$a.root" --run 'uname -m; echo to-stderr >&2; exit 7' &
	k=$((k + 1))
	[ $((k % 2)) = 1 ] || wait
done <<<"$others"
wait
# Bad input: an architecture that does not exist, no cross compiler for the probe (a build directory
# without make cross's programs), no qemu-system binary.
run badarch --arch mips &
mk=${BUILD:-build}/mkinitramfs
case $mk in /*) ;; *) mk=$top/$mk ;; esac
EARLYROOT_MKINITRAMFS=$mk BUILD=$W/nobuild ARMHF_CC=earlyroot-no-such-gcc run nocc --arch armhf --initrd /dev/null &
EARLYROOT_QEMU_S390X=earlyroot-no-such-qemu run noqemu --arch s390x & wait
if [ -z "$arm64_skip" ]; then
	run arm64-run --arch aarch64 --rootdir "$W/arm64root" --run 'uname -m; echo to-stderr >&2; exit 7' &
	run arm64-panic --arch aarch64 --rootdir "$W/arm64root" --run 'echo c >/proc/sysrq-trigger' & wait
	run arm64-disk --arch aarch64 --disk "$W/arm64.ext4" --run 'uname -m; grep " / " /proc/mounts'
fi

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
check armhf 0 '^boot: PASS: the guest reported success \(poweroff marker, then PSCI power-off\)' \
	"--arch armhf: Debian's armmp-lpae kernel on -M virt, the cross-built init and probe, the poweroff marker"
check i386 0 '^boot: PASS: the guest reported success \(isa-debug-exit 0x2a\)' \
	"--arch i386: Debian's 686-pae kernel on q35, the cross-built init and probe, isa-debug-exit"
check ppc64el 0 '^boot: PASS: the guest reported success \(poweroff marker, then the kernel.s power-off\)' \
	"--arch ppc64el: Debian's powerpc64le kernel on -M pseries (VOF), the cross-built init and probe"
check s390x 0 '^boot: PASS: the guest reported success \(poweroff marker, then the kernel.s power-off\)' \
	"--arch s390x: Debian's s390x kernel on -M s390-ccw-virtio (virtio-blk-ccw, ttysclp0)"
check badarch 3 '^boot: --arch mips: not one of x86_64 aarch64 armhf i386 ppc64el s390x$' \
	"--arch of an architecture the harness does not know: a setup error naming those it knows"
check nocc 3 '^boot: earlyroot-no-such-gcc not found: .*apt-get install gcc-arm-linux-gnueabihf musl-dev:armhf' \
	"--arch armhf without its cross compiler (and no build/armhf/probe): the packages to install"
check noqemu 3 '^boot: earlyroot-no-such-qemu not found: install qemu-system-misc' \
	"--arch s390x without its qemu-system binary: the package to install"
# check_run NAME WANT-RC WANT-STDOUT STDERR-REGEX DESCRIPTION — a --run case: exit status, stdout exactly,
# and a line of stderr matching the regex (an empty one: stderr is empty).
check_run() {
	local rc out
	rc=$(cat "$W/$1.rc") out=$(cat "$W/$1.out")
	if [ "$rc" = "$2" ] && [ "$out" = "$3" ] && { [ -n "$4" ] && grep -Eq "$4" "$W/$1.err" || { [ -z "$4" ] && ! [ -s "$W/$1.err" ]; }; }; then
		tap_ok "$5: exit $rc, stdout $(printf '%s' "$out" | tr '\n' '|' | cut -c1-60), $(grep -E -m1 "$4" "$W/$1.err" | cut -c1-80)"
	else
		tap_fail "$5" "exit $rc (want $2)" "stdout: $out" "want:   $3" "--- stderr:" "$(tail -n 12 "$W/$1.err")"
	fi
}
if [ -n "$arm64_skip" ]; then
	for d in "--arch aarch64 --run --rootdir: the command's stdout, stderr and exit status" \
		"...stderr is exactly the command's" "--arch aarch64 --run: a kernel panic in the command is 251" \
		"--arch aarch64 --run --disk: an ext4 root"; do
		tap_skip "$d" "$arm64_skip"
	done
else
	check_run arm64-run 7 aarch64 '^to-stderr$' \
		"--arch aarch64 --run --rootdir: busybox-static:arm64 over 9p, the command's stdout, stderr and exit status"
	if [ "$(cat "$W/arm64-run.err")" = to-stderr ]; then tap_ok "...stderr is exactly the command's"
	else tap_fail "...stderr is exactly the command's" "$(cat "$W/arm64-run.err")"; fi
	check_run arm64-panic 251 '' '^boot: kernel panic: .*sysrq triggered crash' \
		"--arch aarch64 --run: a kernel panic in the command is 251, though PSCI/QEMU exit 0"
	check_run arm64-disk 0 "aarch64
/dev/vda / ext4 rw,relatime 0 0" '' "--arch aarch64 --run --disk: an ext4 root (root=/dev/vda rw)"
fi
while read -r a d m; do
	if [ -n "${skip_of[$a]}" ]; then
		tap_skip "--arch $a --run --rootdir: the command's stdout, stderr and exit status" "${skip_of[$a]}"
	else
		check_run "$a-run" 7 "$m" '^to-stderr$' \
			"--arch $a --run --rootdir: busybox-static:$d over 9p, the command's stdout, stderr and exit status"
	fi
done <<<"$others"
tap_done
