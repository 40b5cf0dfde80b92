#!/bin/sh
# init/tests/modtable-run.sh — the modtable suite: mkinitramfs writes the module table for every module
# below kernel/drivers/ of Debian's kernel (qemu-tests/fetch-kernel), and test-modtable checks the
# init's matcher on it against libkmod, for every modalias of this machine's /sys/devices. TAP.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/tap.sh
B=${BUILD:-build}
T=$(mktemp -d /tmp/modtable-test.XXXXXX)
trap 'rm -rf "$T"' EXIT
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"

if ! D=$(qemu-tests/fetch-kernel generic 2>"$T/fetch.err") || [ ! -f "$D/kver" ]; then
	tap_skip "the module table against libkmod" "cannot fetch Debian's kernel: $(tail -n1 "$T/fetch.err")"
	tap_done
	exit 0
fi
K=$(cat "$D/kver")
# An image of every driver: thousands of modules, so uncompressed, and only its table is kept.
if ! "$B/mkinitramfs" -o "$T/all.img" -z none -b "$D" -k "$K" -m kernel/drivers/ --init "$B/init" \
	>"$T/mk.out" 2>"$T/mk.err" ||
	! cpio -i --quiet --to-stdout etc/earlyroot/modtable <"$T/all.img" >"$T/modtable" 2>"$T/cpio.err"; then
	tap_fail "mkinitramfs -m kernel/drivers/ writes a module table" "$(cat "$T/mk.err" "$T/cpio.err" | head -n 5)"
	tap_done
	exit 1
fi
rm -f "$T/all.img"
"$B/tests/test-modtable" "$T/modtable" "$D/lib/modules/$K"
