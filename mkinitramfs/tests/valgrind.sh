#!/bin/sh
# mkinitramfs/tests/valgrind.sh — the plain (uninstrumented, -O2) mkinitramfs under valgrind's memcheck,
# on a real image build: modules from Debian's kernel package (qemu-tests/fetch-kernel) with their
# dependencies, the rescue shell, a dynamic program with its libraries and a gen_init_cpio list, written
# with zstd and with xz; then --list and --extract of each result. The ASan suite checks the same code
# compiled differently; this one checks the binary that ships, and the libraries it calls (libkmod,
# libzstd, liblzma) with the buffers it hands them. Any memcheck error or definite leak fails the test
# (--error-exitcode). Prints TAP.
#   MKINITRAMFS=path  the binary (default $BUILD/mkinitramfs)   INIT=path  the /init (default $BUILD/init)
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
. tests/tap.sh
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$top/$BUILD ;; esac
MK=${MKINITRAMFS:-$BUILD/mkinitramfs}
INIT=${INIT:-$BUILD/init}
export LC_ALL=C SOURCE_DATE_EPOCH=0

for f in "$MK" "$INIT"; do
	[ -x "$f" ] || { tap_fail "prerequisite $f exists" "build it first (make)"; tap_done; exit 1; }
done
if ! command -v valgrind >/dev/null; then
	tap_fail "valgrind is installed" "apt-get install valgrind (mk/deps check lists it)"
	tap_done
	exit 1
fi
T=$(mktemp -d /tmp/mkinitramfs-valgrind.XXXXXX)
trap 'rm -rf "$T"' EXIT
if ! D=$(qemu-tests/fetch-kernel generic 2>"$T/fetch.err") || [ ! -f "$D/kver" ]; then
	tap_skip "mkinitramfs under valgrind" "Debian's kernel cannot be fetched: $(tail -n1 "$T/fetch.err")"
	tap_done
	exit 0
fi
K=$(cat "$D/kver")
# The zstd frame cache: the run's own (cold for the first zstd build, warm for the second), never the user's.
export EARLYROOT_CACHE="$T/ercache"

# A list with every entry type, naming a real file.
printf 'hello\n' >"$T/hello"
cat >"$T/list" <<EOF
dir /srv 0750 0 0
file /srv/hello $T/hello 0644 0 0 /srv/hello.link
slink /srv/link hello 0777 0 0
nod /dev/vda 0660 0 6 b 254 0
pipe /run/fifo 0600 0 0
sock /run/sock 0600 0 0
EOF

# vg NAME ARGS... — run the tool under memcheck; the status is valgrind's 99 on any error, else the
# tool's. Definite and indirect leaks are errors: a lost block is a bug even in a short-lived tool.
vg() {
	name=$1
	shift
	start=$(date +%s)
	valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
		--show-leak-kinds=definite,indirect --num-callers=30 --log-file="$T/$name.vg" \
		"$MK" "$@" >"$T/$name.out" 2>"$T/$name.err"
	rc=$?
	secs=$(($(date +%s) - start))
}
# judge DESC — the last vg run: status 0 and an empty valgrind log.
judge() {
	if [ "$rc" = 0 ] && [ ! -s "$T/$name.vg" ]; then
		tap_ok "$1: no memcheck error, no leak ($secs s)"
	elif [ "$rc" = 99 ] || [ -s "$T/$name.vg" ]; then
		tap_fail "$1: no memcheck error, no leak" "valgrind status $rc; its report:" "$(head -n 40 "$T/$name.vg")"
	else
		tap_fail "$1: no memcheck error, no leak" "the tool failed with status $rc:" "$(tail -n 5 "$T/$name.err")"
	fi
}

# zstd twice: every frame compressed and cached, then the cached ones read back and checked. Level 3:
# level 19 runs the same code, a hundred times slower under memcheck.
for z in zstd zstd-warm xz; do
	zopt=$z
	case $z in zstd*) zopt=zstd:3 ;; esac
	vg build-$z -o "$T/img-$z" -z "$zopt" -b "$D" -k "$K" --init "$INIT" -m virtio_pci,virtio_blk,nvme,ext4 \
		--shell --add /usr/bin/ls --from-list "$T/list" -v
	judge "a real image ($z: Debian $K's modules with dependencies, --shell, --add ls, --from-list)"
	case $z in
	zstd) expect_grep "... every frame compressed" "$T/build-$z.out" '^mkinitramfs: zstd level 3, [0-9]+ frames: 0 from the cache' ;;
	zstd-warm) expect_grep "... the cached frames from the cache, the same bytes" "$T/build-$z.out" \
		'^mkinitramfs: zstd level 3, [0-9]+ frames: [1-9][0-9]* from the cache'
		expect_eq "... the same bytes" "$(cmp "$T/img-zstd" "$T/img-zstd-warm" 2>&1)" "" ;;
	esac
	vg list-$z --list "$T/img-$z" -v
	judge "--list -v of the $z image"
	n=$(grep -c ' lib/modules/.*\.ko$' "$T/list-$z.out")
	expect_eq "... it lists the modules the build wrote (ext4's dependencies too)" \
		"$([ "$n" -ge 6 ] && grep -q "/ext4\.ko$" "$T/list-$z.out" && grep -q "/nvme\.ko$" "$T/list-$z.out" && echo yes)" yes
	vg extract-$z --extract "$T/img-$z" "$T/x-$z" -v
	judge "--extract of the $z image"
	expect_eq "... the extracted /init is the init" "$(cmp "$INIT" "$T/x-$z/init" 2>&1 && echo same)" same
done
# An image the tool refuses: the error path frees what it built, too.
head -c 20000 "$T/img-xz" >"$T/truncated"
vg bad --list "$T/truncated"
if [ "$rc" = 1 ] && [ ! -s "$T/$name.vg" ]; then
	tap_ok "--list of a truncated image: one error, no memcheck error or leak"
else
	tap_fail "--list of a truncated image: one error, no memcheck error or leak" "status $rc" "$(head -n 30 "$T/$name.vg")"
fi
tap_done
