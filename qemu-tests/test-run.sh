#!/bin/bash
# qemu-tests/test-run.sh — qemu-tests/boot --run: a command in a guest, its exit status, its output, and
# every way the guest can fail, each from a real boot (TAP).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
. tests/tap.sh
B=$top/qemu-tests/boot
build=${BUILD:-build}
case $build in /*) ;; *) build=$top/$build ;; esac
W=$(mktemp -d /tmp/earlyroot-run-test.XXXXXX)
trap 'rm -rf "$W"' EXIT
chmod 0755 "$W" # the non-root run reads its kernel and disk from here

# A busybox root disk: what only it has (/etc/only-on-disk), and 1 MiB of random bytes twice.
r=$W/root
mkdir -p "$r/bin" "$r/sbin" "$r/proc" "$r/sys" "$r/dev" "$r/run" "$r/root" "$r/tmp" "$r/etc" "$r/data"
cp /bin/busybox "$r/bin/busybox"
for c in sh cat echo ls sleep pwd id touch; do ln -s busybox "$r/bin/$c"; done
echo "the disk's own file" >"$r/etc/only-on-disk"
head -c 1M /dev/urandom >"$r/data/out"
head -c 1M /dev/urandom >"$r/data/err"
mke2fs -q -t ext4 -d "$r" "$W/disk.ext4" 32M >/dev/null 2>&1
chmod 0644 "$W/disk.ext4"
# The same tree as a --rootdir, with its own marker.
cp -a "$r" "$W/rootdir" && rm -rf "$W/rootdir/data" && echo "the directory's own file" >"$W/rootdir/etc/only-in-rootdir"

# Two boots at a time (two cores); each case records its exit status, stdout, stderr and --json.
run() { # NAME ARGS...
	local n=$1
	shift
	"$B" --json "$W/$n.json" --log "$W/$n.log" "$@" >"$W/$n.out" 2>"$W/$n.err"
	echo $? >"$W/$n.rc"
}
D=(--disk "$W/disk.ext4")
t0=$EPOCHREALTIME
run true "${D[@]}" --run true & run false "${D[@]}" --run false & wait
run e42 "${D[@]}" --run 'exit 42' & run e252 "${D[@]}" --run 'echo before >&2; printf no-newline >&2; exit 252' & wait
run big "${D[@]}" --run 'cat /data/out; cat /data/err >&2' & run panic "${D[@]}" --run 'echo c >/proc/sysrq-trigger' & wait
run reboot "${D[@]}" --run 'echo b >/proc/sysrq-trigger' & run poweroff "${D[@]}" --run 'echo o >/proc/sysrq-trigger' & wait
run triple "${D[@]}" --append reboot=t --run 'echo b >/proc/sysrq-trigger' &
# The init sleeps before it looks for the root (rootdelay=), silently: the no-output rule, before the
# command has started.
run silent "${D[@]}" --timeout 30 --append rootdelay=1000 --run true & wait
# 45 s: the no-output rule (15 s) must not end a loaded machine's slow boot before the command starts.
run sleep "${D[@]}" --timeout 45 --run 'sleep 1000' &
run flood "${D[@]}" --timeout 45 --run 'while :; do echo flood; done >/dev/console' & wait
mkdir -p "$W/share" && chmod 0777 "$W/share"
run share "${D[@]}" --share "$W/share:/mnt/out" --run 'pwd >written; echo from-the-guest >>written' &
run rootdir --rootdir "$W/rootdir" --run 'cat /etc/only-in-rootdir; echo x >/tmp/written-to-overlay' &
wait
mkdir -p "$W/cwd" && echo "made by the test at $t0" >"$W/cwd/fresh"
(cd "$W/cwd" && run hostroot --run 'cat fresh; pwd') &
# A 9p tag the guest does not have (root= given after boot's own): the init's one line, with the tags it has.
run wrongtag --rootdir "$W/rootdir" --append 'root=nosuchtag rd.timeout=3' --run true & wait
# A share whose host path has a comma (QEMU's option syntax doubles it).
mkdir -p "$W/sh,are" && chmod 0777 "$W/sh,are"
run comma "${D[@]}" --share "$W/sh,are:/mnt/c" --run 'echo through-the-comma >f' &

# A user without privileges (uid 65534 when we are root): the kernel hard-linked where that user can
# read it, the build tree only read (the work directory falls back to TMPDIR), a fresh cache and HOME.
mkdir -p "$W/nobody" "$W/nshare"
as=()
if [ "$(id -u)" = 0 ]; then
	chown 65534:65534 "$W/nobody" "$W/nshare"
	as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
# That user must be able to run the harness: a checkout under /root (mode 0700) it cannot read, so then
# a copy of what boot runs (qemu-tests/, the init, mkinitramfs, vmrun) where it can.
UB=$B ubuild=$build
if [ ${#as[@]} -gt 0 ] && ! "${as[@]}" test -x "$B"; then
	mkdir -p "$W/harness/build" && cp -a "$top/qemu-tests" "$W/harness/" &&
		cp "$build/init" "$build/mkinitramfs" "$build/vmrun" "$W/harness/build/" && chmod -R a+rX "$W/harness"
	UB=$W/harness/qemu-tests/boot ubuild=$W/harness/build
fi
nonroot=''
# The kernel's tree hard-linked (405 MB), but what that user could not read (the cache made under a
# umask of 077: kver, depmod's files) copied and made readable, never chmod-ed in the cache itself.
readable_copy() { # SRC DST
	# Across filesystems (a tmpfs /tmp) cp -al leaves the directories it made: cp -a would then copy
	# into them, one level too deep.
	cp -al "$1" "$2" 2>/dev/null || { rm -rf "$2" && cp -a "$1" "$2"; } || return 1
	find "$2" -type d -exec chmod a+rx {} + || return 1
	find "$2" -type f ! -perm -o=r | while IFS= read -r f; do
		cp "$f" "$f.copy" && mv -f "$f.copy" "$f" && chmod a+r "$f" || exit 1
	done
}
if kdir=$("$top/qemu-tests/fetch-kernel" generic) && readable_copy "$kdir" "$W/kernel"; then
	HOME=$W/nobody XDG_CACHE_HOME=$W/nobody/cache TMPDIR=$W/nobody BUILD=$ubuild "${as[@]}" \
		"$UB" --kernel "$W/kernel" "${D[@]}" --share "$W/nshare:/mnt/n" --json "$W/nobody/nonroot.json" \
		--run 'echo written >file' >"$W/nonroot.out" 2>"$W/nonroot.err"
	echo $? >"$W/nonroot.rc"
else
	nonroot="cannot copy the kernel to $W/kernel"
fi
wait
# The minimal kernel: the virtio console, 9p and overlayfs built in (mkinitramfs adds no module for them).
run minimal --kernel minimal --run 'cat /proc/version' &
# KVM forced where there is none: QEMU's own error (where there is one, an absent --smp 4096 instead).
kvmargs=(--accel kvm)
{ [ -c /dev/kvm ] && { : <>/dev/kvm; } 2>/dev/null; } && kvmargs=(--smp 4096)
# virtiofs (QEMU 7.2's virtiofsd, root only): after the QEMU that cannot start, in the same slot.
vfsd=/usr/lib/qemu/virtiofsd vfs=''
[ -x "$vfsd" ] || vfs="no $vfsd on this machine (Debian 12: qemu-system-common)"
[ -n "$vfs" ] || [ "$(id -u)" = 0 ] || vfs="$vfsd (QEMU 7.2's) needs root"
{
	run qemuerr "${D[@]}" "${kvmargs[@]}" --run true
	[ -n "$vfs" ] || run virtiofs --virtiofs --rootdir "$W/rootdir" --run 'cat /etc/only-in-rootdir; grep -w virtiofs /proc/mounts'
} &
wait
# --virtiofs's setup errors: no boot. No daemon (a path that is none), and a user who is not root.
EARLYROOT_VIRTIOFSD=/nonexistent run vfsnone --virtiofs --rootdir "$W/rootdir" --run true
if [ -x "$vfsd" ]; then
	HOME=$W/nobody TMPDIR=$W/nobody BUILD=$ubuild "${as[@]}" "$UB" --virtiofs --rootdir "$W/rootdir" --run true \
		>"$W/vfsuser.out" 2>"$W/vfsuser.err"
	echo $? >"$W/vfsuser.rc"
fi
wall=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%d", b - a }')

rc() { cat "$W/$1.rc" 2>/dev/null; }
# The virtiofsd processes that serve the test's directory (from /proc: no pgrep on a minimal Debian).
vfs_left() {
	local c
	for c in /proc/[0-9]*/cmdline; do
		[[ $(tr '\0' ' ' 2>/dev/null <"$c") == *virtiofsd*"source=$W/rootdir"* ]] && echo "${c%/cmdline}"
	done
}
jget() { # NAME EXPR — a value of NAME's --json (python3 expression on j)
	python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$W/$1.json" "$2" 2>&1
}
check() { # NAME WANT-RC REASON-REGEX DESCRIPTION
	local got
	got=$(rc "$1")
	if [ "$got" = "$2" ] && { [ -z "$3" ] || grep -Eq -- "$3" "$W/$1.err"; }; then
		tap_ok "$4: exit $got${3:+, $(grep -E -m1 -- "$3" "$W/$1.err" | cut -c1-90)}"
	else
		tap_fail "$4" "exit $got (want $2)" "--- stderr:" "$(tail -n 12 "$W/$1.err")"
	fi
}
check true 0 '' "--run true: 0"
expect_eq "--run true: boot says nothing of its own on stderr" "$(cat "$W/true.err")" ""
check false 1 '' "--run false: 1"
check e42 42 '' "--run 'exit 42': 42"
check e252 250 '^boot: the command exited with 252, returned as 250' "a command's own 252 is returned as 250"
expect_eq "...its stderr first, then boot's line, on a line of its own" "$(head -n3 "$W/e252.err")" \
	"$(printf 'before\nno-newline\nboot: the command exited with 252, returned as 250 (251-253 are boot'"'"'s own)')"
expect_eq "...--json has its exact status" "$(jget e252 '(j["command_exit"], j["exit"], j["status"])')" \
	"(252, 250, 'command-failed')"
check big 0 '' "1 MiB to stdout and another 1 MiB to stderr"
expect_eq "...stdout is byte for byte the command's" "$(sha256sum <"$W/big.out")" "$(sha256sum <"$r/data/out")"
expect_eq "...stderr is byte for byte the command's" "$(sha256sum <"$W/big.err")" "$(sha256sum <"$r/data/err")"
expect_grep "...and the console went to --log (its first line the accelerator and why)" "$W/big.log" \
	'^boot: Linux .* under QEMU \((tcg|kvm): .*\), timeout [0-9]+ s'
check sleep 252 '^boot: timeout \(no exit after 45 s\)' "a silent command that never ends: the timeout, not the idle rule"
w=$(jget sleep 'j["wall_s"]')
if awk -v w="$w" 'BEGIN { exit !(w >= 44 && w < 60) }'; then tap_ok "...in bounded time ($w s of QEMU)"; else tap_fail "...in bounded time" "wall_s $w"; fi
check panic 251 '^boot: kernel panic: .*Kernel panic - not syncing: sysrq triggered crash' "sysrq c: 251, the panic"
check reboot 251 '^boot: the guest rebooted' "sysrq b: 251, rebooted"
check poweroff 251 "^boot: the guest powered off without the command's status" "sysrq o: 251, powered off without the status"
check triple 251 '^boot: the guest rebooted' "reboot=t and sysrq b (a triple fault): 251, rebooted"
check flood 252 '^boot: timeout \(no exit after 45 s\)' "endless console output: 252 all the same"
expect_eq "...both after the command had started (--json's command_start)" \
	"$(jget sleep 'j["phases_ms"]["command_start"] is not None') $(jget flood 'j["phases_ms"]["command_start"] is not None')" "True True"
check silent 252 '^boot: timeout \(no output for 10 s\)' "a boot that stops, silent, before the command: the no-output rule"
check share 0 '' "--share HOSTDIR:GUESTDIR"
expect_eq "...the guest wrote the host's file, in the share as its cwd" "$(cat "$W/share/written" 2>&1)" \
	"$(printf '/mnt/out\nfrom-the-guest')"
check rootdir 0 '' "--rootdir DIR"
expect_eq "...the root is the directory, writable through its overlay" "$(cat "$W/rootdir.out")" "the directory's own file"
expect_eq "...and the directory was not written" "$(ls "$W/rootdir/tmp")" ""
expect_grep "...the init mounted the share and the overlay (root=TAG rootfstype=9p systemd.volatile=overlay)" "$W/rootdir.log" \
	"earlyroot: volatile root: overlay of /run/rootfsbase and tmpfs \(lost at power-off\) on /newroot"
check hostroot 0 '' "the host's / as the root (the default)"
expect_eq "...a file the test just made, the host's cwd as the command's" "$(cat "$W/hostroot.out")" \
	"$(printf '%s\n%s' "$(cat "$W/cwd/fresh")" "$W/cwd")"
check wrongtag 251 '' "root= a 9p tag the guest does not have: the guest fails before the command"
expect_grep "...with the init's line naming the tags there are" "$W/wrongtag.log" \
	"earlyroot: no 9p share tagged 'nosuchtag' after 3 s \(the guest has 'earlyroot-root'\): root= must be the host's tag"
check comma 0 '' "--share of a host path with a comma"
expect_eq "...written there" "$(cat "$W/sh,are/f" 2>&1)" "through-the-comma"
if [ -n "$vfs" ]; then
	tap_skip "--virtiofs --rootdir DIR: a virtiofs root" "$vfs"
else
	check virtiofs 0 '' "--virtiofs --rootdir DIR: a virtiofs root"
	expect_eq "...the directory's file" "$(head -n1 "$W/virtiofs.out")" "the directory's own file"
	expect_grep "...the share in the guest's mount table, the overlay's lower layer" "$W/virtiofs.out" \
		'^earlyroot-root /run/rootfsbase virtiofs ro[, ]'
	expect_grep "...mounted by the init (root=TAG rootfstype=virtiofs)" "$W/virtiofs.log" \
		"earlyroot: mounted the virtiofs share 'earlyroot-root' \(ro\) on /newroot"
	expect_eq "...and no virtiofsd is left running" "$(vfs_left)" ""
fi
check vfsnone 253 '^boot: --virtiofs: no /nonexistent \(install qemu-system-common\)$' \
	"--virtiofs without the daemon: a setup error naming the package"
if [ -x "$vfsd" ]; then
	check vfsuser 253 "^boot: --virtiofs: $vfsd \(QEMU 7.2's virtiofsd\) needs root" \
		"--virtiofs as uid $(stat -c %u "$W/nobody"): a setup error, not a hang"
fi
if [ -n "$nonroot" ]; then
	tap_skip "--run as a user without privileges" "$nonroot"
else
	check nonroot 0 '' "--run as uid $(stat -c %u "$W/nobody") (--disk, --share, a kernel it can read)"
	expect_eq "...the share written as that user" "$(cat "$W/nshare/file" 2>&1) $(stat -c %u "$W/nshare/file" 2>&1)" \
		"written $(stat -c %u "$W/nobody")"
fi
check minimal 0 '' "--kernel minimal (what --run needs built in)"
expect_grep "...the command ran on it" "$W/minimal.out" '^Linux version [^ ]+-earlyroot-minimal '
check qemuerr 253 '^boot: QEMU error: ' "a QEMU that cannot start: 253 with QEMU's line"
phases=$(jget true '" ".join(str(j["phases_ms"][k]) for k in ("kernel_start", "init_start", "handover", "command_start", "command_end"))')
# shellcheck disable=SC2086 # five numbers
if [ "$(jget true 'j["status"]')" = pass ] && awk 'BEGIN { for (i = 2; i < ARGC; i++) if (!(ARGV[i] ~ /^[0-9]+$/ && ARGV[i] + 0 >= ARGV[i - 1] + 0)) exit 1 }' $phases; then
	tap_ok "--json: status pass, phases in order: $phases"
else
	tap_fail "--json: status pass, phases in order" "$(cat "$W/true.json")"
fi
expect_eq "--json of a panic: guest-failed, no command_exit" "$(jget panic '(j["status"], j["exit"], j["command_exit"])')" \
	"('guest-failed', 251, None)"
echo "# $wall s for the boots"
tap_done
