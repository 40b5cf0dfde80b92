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

# An arm64 root with a shell, for --arch aarch64 --run: Debian's busybox-static for arm64, fetched once
# with apt-get download (as fetch-kernel fetches the arm64 kernel), unpacked into the cache. On failure
# it prints why (the cases are then skipped with that reason).
arm64_busybox() {
	local cache=${EARLYROOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/earlyroot}/busybox-static-arm64 tmp sandbox=()
	[ -x "$cache/bin/busybox" ] && return 0
	command -v apt-get >/dev/null || { echo "apt-get not found"; return 1; }
	dpkg --print-foreign-architectures 2>/dev/null | grep -qx arm64 ||
		{ echo "arm64 is not a dpkg foreign architecture (dpkg --add-architecture arm64 && apt-get update)"; return 1; }
	if ! { mkdir -p "${cache%/*}" && tmp=$(mktemp -d "${cache%/*}/.busybox.XXXXXX"); } 2>/dev/null; then
		echo "cannot write ${cache%/*}"
		return 1
	fi
	# As root, apt would hand the download to its _apt user, who cannot write here.
	[ "$(id -u)" = 0 ] && sandbox=(-o APT::Sandbox::User=root)
	if (cd "$tmp" && apt-get download -q "${sandbox[@]}" busybox-static:arm64 >/dev/null 2>&1) &&
		dpkg-deb -x "$tmp"/*.deb "$tmp/root" && [ -x "$tmp/root/bin/busybox" ]; then
		mv -T "$tmp/root" "$cache" 2>/dev/null # a parallel fetch may have been first: its copy is as good
		rm -rf "$tmp"
		return 0
	fi
	rm -rf "$tmp"
	echo "apt-get download busybox-static:arm64 failed (no network or no arm64 package lists)"
	return 1
}
arm64_skip=$(arm64_busybox) || arm64_skip=${arm64_skip:-"cannot fetch busybox-static:arm64"}
if [ -z "$arm64_skip" ]; then
	# bin/busybox and the applets the cases use (an arm64 binary: no busybox --install on this host).
	a=$W/arm64root
	mkdir -p "$a/bin" "$a/proc" "$a/sys" "$a/dev" "$a/run" "$a/tmp" "$a/etc" "$a/root"
	cp "${EARLYROOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/earlyroot}/busybox-static-arm64/bin/busybox" "$a/bin/busybox" ||
		arm64_skip="cannot copy the cached busybox"
	for l in sh uname cat grep; do ln -s busybox "$a/bin/$l"; done
	mke2fs -q -t ext4 -E root_owner=0:0 -d "$a" "$W/arm64.ext4" 16M >/dev/null 2>&1 || arm64_skip="mke2fs -d failed"
fi

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
tap_done
