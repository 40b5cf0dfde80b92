#!/bin/bash
# qemu-tests/test-kernels.sh — any kernel for the harness (TAP): qemu-tests/kconfig prints and checks
# the config the harness needs; a kernel build tree (the minimal kernel's, kept by build-kernel) boots
# with `boot --kernel TREE` and `run --kernel TREE`, its modules staged by er_kernel.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
. tests/tap.sh
# shellcheck source=qemu-tests/lib.sh
. qemu-tests/lib.sh
K=qemu-tests/kconfig B=qemu-tests/boot
W=$(mktemp -d /tmp/earlyroot-kernels-test.XXXXXX)
trap 'rm -rf "$W"' EXIT

# --- kconfig ---------------------------------------------------------------------------------------------
"$K" >"$W/frag" 2>"$W/frag.err"
rc=$?
if [ "$rc" = 0 ] && cmp -s "$W/frag" configs/qemu-harness.config && grep -q '^CONFIG_9P_FS=m$' "$W/frag" &&
	grep -q '^CONFIG_DEVTMPFS=y$' "$W/frag" && grep -q '^CONFIG_SERIAL_8250_CONSOLE=y$' "$W/frag"; then
	tap_ok "kconfig prints configs/qemu-harness.config ($(grep -c '^CONFIG_' "$W/frag") symbols, 9p, devtmpfs, the serial console)"
else
	tap_fail "kconfig prints configs/qemu-harness.config" "exit $rc" "$(head -n 5 "$W/frag" "$W/frag.err")"
fi
"$B" --kconfig 2>&1 | cmp -s - configs/qemu-harness.config
expect_eq "boot --kconfig is qemu-tests/kconfig (the same fragment)" "$?" 0
# Every symbol has a reason: a "## " line before the first CONFIG_ line.
expect_eq "kconfig: the fragment's first symbol comes after a '## ' reason" \
	"$(grep -m1 '^## \|^CONFIG_' "$W/frag" | cut -c1-3)" "## "

# check NAME WANT-RC CONFIG — runs kconfig --check CONFIG; $W/NAME.out and .rc hold what it said.
check() {
	"$K" --check "$3" >"$W/$1.out" 2>"$W/$1.err"
	echo $? >"$W/$1.rc"
	[ "$(cat "$W/$1.rc")" = "$2" ]
}

kdir=$(qemu-tests/fetch-kernel minimal 2>"$W/minimal.err")
tree=${kdir:+$kdir/build}
if [ -z "$kdir" ] || [ ! -f "$tree/include/config/kernel.release" ]; then
	tap_fail "the minimal kernel and its build tree" "fetch-kernel minimal: ${kdir:-failed}" "$(tail -n 5 "$W/minimal.err")"
	tree=
fi
if [ -n "$tree" ]; then
	if check minimal 0 "$tree" && [ ! -s "$W/minimal.out" ]; then
		tap_ok "kconfig --check passes on the minimal kernel's build tree (configs/qemu-minimal.config's .config)"
	else
		tap_fail "kconfig --check on the minimal kernel's tree" "exit $(cat "$W/minimal.rc")" "$(cat "$W/minimal.out" "$W/minimal.err")"
	fi
	# Two symbols gone: both named, with what needs them, and nothing else.
	grep -v '^CONFIG_9P_FS=\|^CONFIG_DEVTMPFS=' "$tree/.config" >"$W/less.config"
	check less 1 "$W/less.config"
	if [ "$(cat "$W/less.rc")" = 1 ] && [ "$(wc -l <"$W/less.out")" = 2 ] &&
		grep -q '^CONFIG_DEVTMPFS is not set: needed for .*/dev' "$W/less.out" &&
		grep -q '^CONFIG_9P_FS is not set: needed for .*9p' "$W/less.out"; then
		tap_ok "kconfig --check without CONFIG_9P_FS and CONFIG_DEVTMPFS: exit 1, both named: $(tr '\n' '|' <"$W/less.out" | cut -c1-150)"
	else
		tap_fail "kconfig --check without CONFIG_9P_FS and CONFIG_DEVTMPFS" "exit $(cat "$W/less.rc") (want 1)" "$(cat "$W/less.out" "$W/less.err")"
	fi
	# The serial console as a module cannot print the first messages: =y is required there.
	sed 's/^CONFIG_SERIAL_8250=y$/CONFIG_SERIAL_8250=m/' "$tree/.config" >"$W/mod.config"
	check mod 1 "$W/mod.config"
	expect_grep "kconfig --check: the serial console as a module is refused (=y needed), exit $(cat "$W/mod.rc")" \
		"$W/mod.out" '^CONFIG_SERIAL_8250=m, needs =y'
else
	tap_skip "kconfig --check on the minimal kernel" "no minimal kernel (see above)"
	tap_skip "kconfig --check without CONFIG_9P_FS and CONFIG_DEVTMPFS" "no minimal kernel (see above)"
	tap_skip "kconfig --check: the serial console as a module" "no minimal kernel (see above)"
fi
gen=$(qemu-tests/fetch-kernel generic 2>"$W/generic.err")
gconfs=("$gen"/boot/config-*) gconf=${gconfs[0]}
if [ -z "$gen" ] || [ ! -f "$gconf" ]; then
	tap_fail "kconfig --check on Debian's generic kernel" "no config from fetch-kernel generic" "$(tail -n 5 "$W/generic.err")"
elif check generic 0 "$gconf" && [ ! -s "$W/generic.out" ]; then
	tap_ok "kconfig --check passes on Debian's generic kernel ($(basename "$gconf"))"
else
	tap_fail "kconfig --check on Debian's generic kernel" "exit $(cat "$W/generic.rc")" "$(cat "$W/generic.out" "$W/generic.err")"
fi
check missing 2 "$W/no-such.config"
expect_eq "kconfig --check of a file that cannot be read: exit 2 ($(cat "$W/missing.err"))" "$(cat "$W/missing.rc")" 2
"$K" --check >/dev/null 2>&1
expect_eq "kconfig --check without a file: exit 2" "$?" 2

# --- a kernel build tree ---------------------------------------------------------------------------------
# er_kernel stages trees in EARLYROOT_CACHE: from here on a private one, so that the stages of this
# test's throwaway trees go with it (the kernels above came from the real one).
export EARLYROOT_CACHE=$W/cache
# A Linux source tree with no build in it (the real top of Debian's linux-source): one line, status 3.
tarballs=(/usr/src/linux-source-*.tar.xz) tarball=${tarballs[0]}
if [ -f "$tarball" ]; then
	mkdir -p "$W/src"
	top_dir=$(tar -tf "$tarball" | head -n1) top_dir=${top_dir%%/*}
	tar -xf "$tarball" -C "$W/src" "$top_dir/Makefile" "$top_dir/Kconfig" "$top_dir/arch/Kconfig" 2>"$W/src.err"
	"$B" --kernel "$W/src/$top_dir" >"$W/src.out" 2>"$W/src.err"
	rc=$?
	if [ "$rc" = 3 ] && [ "$(wc -l <"$W/src.err")" = 1 ] &&
		grep -q "is a kernel source tree without a build (no include/config/kernel.release): give the O= directory" "$W/src.err"; then
		tap_ok "boot --kernel SOURCE-TREE (no build): exit 3, one line: $(cut -c1-120 "$W/src.err")"
	else
		tap_fail "boot --kernel SOURCE-TREE (no build)" "exit $rc (want 3)" "$(cat "$W/src.err")"
	fi
else
	tap_skip "boot --kernel SOURCE-TREE (no build)" "no /usr/src/linux-source-*.tar.xz (apt-get install linux-source-6.1)"
fi

if [ -z "$tree" ]; then
	for t in "er_kernel TREE" "boot --kernel TREE" "boot --kernel IN-TREE-BUILD" "run --kernel TREE" \
		"er_kernel TREE without modules" "boot --kernel TREE --run: an oops"; do
		tap_skip "$t" "no minimal kernel build tree (see above)"
	done
	tap_done
	exit 0
fi
kver=$(cat "$tree/include/config/kernel.release")

# er_kernel itself: the stage is fetch-kernel's layout, its modules links into the tree, depmod'd.
(
	er_kernel "$tree" || exit 1
	s1=$ER_KDIR
	er_kernel "$tree" || exit 1
	echo "kver=$ER_KVER"
	echo "vmlinuz=$(readlink -f "$ER_VMLINUZ")"
	echo "ko=$(readlink -f "$ER_KDIR/lib/modules/$ER_KVER/kernel/drivers/block/virtio_blk.ko")"
	echo "dep=$(cut -d: -f1 "$ER_KDIR/lib/modules/$ER_KVER/modules.dep")"
	echo "again=$([ "$s1" = "$ER_KDIR" ] && echo same)"
	echo "under=${ER_KDIR#"$W"/cache/kernels/tree_}"
) >"$W/stage.out" 2>"$W/stage.err"
want="kver=$kver
vmlinuz=$tree/arch/x86/boot/bzImage
ko=$tree/drivers/block/virtio_blk.ko
dep=kernel/drivers/block/virtio_blk.ko
again=same"
if [ "$(head -n 5 "$W/stage.out")" = "$want" ] && ! grep -q '^under=/' "$W/stage.out"; then
	tap_ok "er_kernel TREE: staged as boot/vmlinuz-$kver and lib/modules/$kver, virtio_blk.ko a link into the tree, depmod'd, once"
else
	tap_fail "er_kernel TREE" "got:" "$(cat "$W/stage.out" "$W/stage.err")" "want:" "$want"
fi

# A tree built with CONFIG_MODULES=n has an empty modules.order: nothing to stage, the rest works.
mkdir -p "$W/nomod/include/config" "$W/nomod/arch/x86/boot"
cp "$tree/include/config/kernel.release" "$W/nomod/include/config/"
cp "$tree/arch/x86/boot/bzImage" "$W/nomod/arch/x86/boot/"
: >"$W/nomod/modules.order"
(
	er_kernel "$W/nomod" && echo "kver=$ER_KVER modules=$(find "$ER_KDIR/lib/modules/$ER_KVER" -name '*.ko' | wc -l)" &&
		[ -f "$ER_KDIR/lib/modules/$ER_KVER/modules.dep" ] && echo depmod
) >"$W/nomod.out" 2>"$W/nomod.err"
expect_eq "er_kernel TREE without modules (empty modules.order): staged, no module, depmod'd" \
	"$(cat "$W/nomod.out" "$W/nomod.err")" "kver=$kver modules=0
depmod"

# An in-tree build: the same files at the top of a source tree (a copy, with the source's Kconfig).
cp -a "$tree" "$W/intree" && touch "$W/intree/Kconfig"
run() { # NAME ARGS... — a boot; $W/NAME.rc .err .log
	local n=$1
	shift
	"$B" --log "$W/$n.log" "$@" >"$W/$n.out" 2>"$W/$n.err"
	echo $? >"$W/$n.rc"
}
run tree --kernel "$tree" --append rd.debug & run intree --kernel "$W/intree" --append rd.debug & wait
for n in tree intree; do
	what="boot --kernel TREE (the O= directory build-kernel keeps)"
	[ $n = intree ] && what="boot --kernel IN-TREE-BUILD (a copy of it beside a Kconfig)"
	if [ "$(cat "$W/$n.rc")" = 0 ] && grep -q "^boot: PASS: the guest reported success" "$W/$n.err" &&
		grep -q "^boot: Linux $kver under QEMU" "$W/$n.err" &&
		grep -Eq "earlyroot: loaded [^ ]*/$kver/kernel/drivers/block/virtio_blk\.ko" "$W/$n.log" &&
		grep -q "earlyroot: loaded 1 modules in" "$W/$n.log"; then
		tap_ok "$what: PASS, the init loaded virtio_blk.ko from the staged modules"
	else
		tap_fail "$what" "exit $(cat "$W/$n.rc")" "$(tail -n 8 "$W/$n.err")" \
			"log: $(grep -m3 'virtio_blk\|loaded' "$W/$n.log" 2>/dev/null)"
	fi
done

# run --kernel TREE: the tree replaces Debian's kernel for the scenarios that do not name one.
qemu-tests/run -j 1 --kernel "$tree" root-default-ro >"$W/run.out" 2>&1
rc=$?
if [ "$rc" = 0 ] && grep -q "^# kernel: $kver " "$W/run.out" && grep -q '^ok 1 - root-default-ro' "$W/run.out"; then
	tap_ok "run --kernel TREE root-default-ro: ok on $kver"
else
	tap_fail "run --kernel TREE root-default-ro" "exit $rc" "$(tail -n 12 "$W/run.out")"
fi

# An oops in the command's guest ends the boot (oops=panic): the guest-failed status of --run.
if "$B" --help 2>/dev/null | grep -q -- '--run'; then
	# Nothing mounts debugfs in the guest: the command does.
	run oops --kernel "$tree" --run 'mount -t debugfs debugfs /sys/kernel/debug &&
		echo EXCEPTION > /sys/kernel/debug/provoke-crash/DIRECT'
	if [ "$(cat "$W/oops.rc")" = 251 ] && grep -Eqi '^boot: .*oops' "$W/oops.err" &&
		grep -q 'lkdtm_EXCEPTION' "$W/oops.log"; then
		tap_ok "boot --kernel TREE --run provoking an oops (lkdtm): exit 251, $(grep -Ei -m1 '^boot: .*oops' "$W/oops.err" | cut -c1-100)"
	else
		tap_fail "boot --kernel TREE --run provoking an oops" "exit $(cat "$W/oops.rc") (want 251)" "$(tail -n 8 "$W/oops.err")"
	fi
else
	tap_skip "boot --kernel TREE --run provoking an oops" "qemu-tests/boot has no --run yet"
fi
tap_done
