#!/bin/sh
# mkinitramfs/tests/run.sh — TAP tests for mkinitramfs, against a real Debian kernel package
# (qemu-tests/fetch-kernel). Run from anywhere; needs root for the mount-namespace tests.
#
#   MKINITRAMFS=path   the binary under test (default: $BUILD/mkinitramfs, BUILD defaulting to build);
#                      run-asan.sh points it at the sanitizer build.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/tap.sh

MK=${MKINITRAMFS:-${BUILD:-build}/mkinitramfs}
case $MK in /*) ;; *) MK=$PWD/$MK ;; esac
# Sanitizer builds: a leak or UB report makes the run fail (and shows up as extra stderr lines).
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export LC_ALL=C
unset SOURCE_DATE_EPOCH

T=$(mktemp -d /tmp/mkinitramfs-test.XXXXXX)
trap 'rm -rf "$T"' EXIT

if [ ! -x "$MK" ]; then
	tap_fail "binary under test exists" "$MK is missing: run make first"
	tap_done
	exit 1
fi

# A stand-in for build/init: any file will do, the image only carries it. Mode 0700 on purpose: the
# archive must say 0755 whatever the source mode is.
printf '#!/bin/sh\necho stand-in init\n' >"$T/init"
chmod 0700 "$T/init"

# run ARGS... — run the binary; rc, $T/out and $T/err hold the result.
run() {
	"$MK" "$@" >"$T/out" 2>"$T/err"
	rc=$?
}

# expect_ok DESC — the last run succeeded and said nothing on stderr (sanitizer reports go there).
expect_ok() {
	if [ "$rc" = 0 ] && [ ! -s "$T/err" ]; then
		tap_ok "$1"
	else
		tap_fail "$1" "exit status $rc" "--- stderr:" "$(head -n 30 "$T/err")"
	fi
}

# expect_error DESC PATTERN OUTPUT ARGS... — the run fails with status 1 (2 for usage errors, with
# expect_usage_error) and exactly one stderr line matching PATTERN, and leaves neither OUTPUT nor a
# temporary file beside it.
expect_error() { want_rc=1; _expect_error "$@"; }
expect_usage_error() { want_rc=2; _expect_error "$@"; }
_expect_error() {
	desc=$1 pat=$2 out=$3
	shift 3
	run "$@"
	why=
	[ "$rc" = "$want_rc" ] || why="exit status $rc, want $want_rc"
	lines=$(wc -l <"$T/err" | tr -d ' ')
	[ "$lines" = 1 ] || why="$why; $lines lines on stderr, want 1"
	grep -Eq -- "$pat" "$T/err" || why="$why; stderr does not match: $pat"
	[ -e "$out" ] && why="$why; $out was left behind"
	dir=$(dirname "$out")
	# shellcheck disable=SC2010,SC2012 # the names mkinitramfs left in a directory of ours, listed as evidence
	if [ -d "$dir" ] && ls -A "$dir" | grep -q "^\.$(basename "$out")\."; then
		why="$why; temporary file left: $(ls -A "$dir" | tr '\n' ' ')"
	fi
	if [ -z "$why" ]; then tap_ok "$desc"; else tap_fail "$desc" "$why" "--- stderr:" "$(head -n 20 "$T/err")"; fi
}

# newc_list FILE — one line per archive entry, read straight from the newc headers:
# "ino mode(octal) uid gid nlink mtime size rmajor:rminor name", then "end OFFSET LENGTH".
newc_list() {
	f=$1 off=0
	len=$(wc -c <"$f" | tr -d ' ')
	while [ "$off" -lt "$len" ]; do
		h=$(tail -c +$((off + 1)) "$f" | head -c 110)
		case $h in 070701*) ;; *) echo "bad magic at $off"; return 1 ;; esac
		# The 13 fields of 8 hex digits after the magic.
		# shellcheck disable=SC2046 # the fields are words on purpose (set --)
		set -- $(printf '%s' "${h#070701}" | sed 's/......../& /g')
		namesize=$((0x${12}))
		size=$((0x$7))
		name=$(tail -c +$((off + 111)) "$f" | head -c $((namesize - 1)))
		printf '%d %o %d %d %d %d %d %d:%d %s\n' $((0x$1)) $((0x$2)) $((0x$3)) $((0x$4)) $((0x$5)) \
			$((0x$6)) "$size" $((0x${10})) $((0x${11})) "$name"
		off=$(((off + 110 + namesize + 3) / 4 * 4))
		off=$((off + (size + 3) / 4 * 4))
		[ "$name" = "TRAILER!!!" ] && break
	done
	echo "end $off $len"
}

if ! D=$(qemu-tests/fetch-kernel generic 2>"$T/fetch.err") || [ ! -f "$D/kver" ]; then
	tap_skip "tests against a Debian kernel package" "cannot fetch it: $(tail -n1 "$T/fetch.err")"
	tap_done
	exit 0
fi
K=$(cat "$D/kver")
MD=$D/lib/modules/$K
# One zstd frame cache for the whole run, never the user's: $ZC. Level 19 costs ~1 s per new set of
# modules; the cases share what they can.
export EARLYROOT_CACHE="$T/ercache"
ZC=$EARLYROOT_CACHE/zstd-frames
MODS=virtio_pci,virtio_blk,ext4

# ---------------------------------------------------------------------------------------------------
# Module closure and order, against modprobe (kmod) on the same tree.
run -o "$T/plain.img" -z none -b "$D" -k "$K" -m "$MODS" --init "$T/init"
expect_ok "build the virtio_pci,virtio_blk,ext4 image uncompressed"
mkdir "$T/x"
(cd "$T/x" && cpio -i -d -m --quiet --no-absolute-filenames <"$T/plain.img") 2>"$T/cpio.err"
expect_eq "GNU cpio -i extracts it without complaint" "$?:$(cat "$T/cpio.err")" "0:"

# modprobe takes one module per --show-depends run (the rest would be parameters); -C points it at a
# configuration that does not exist, as mkinitramfs reads modprobe.d from BASEDIR (none in a package).
for m in virtio_pci virtio_blk ext4; do
	modprobe -C "$T/no-modprobe.d" -d "$D" -S "$K" --show-depends "$m"
done | awk '$1 == "insmod" { print $2 }' | sed "s|^$MD/||" | sort -u >"$T/want"
sed "s|^/lib/modules/$K/||; s| .*||" "$T/x/etc/earlyroot/modules" | sort >"$T/got"
expect_eq "module set equals modprobe --show-depends (hard deps and softdeps)" \
	"$(tr '\n' ' ' <"$T/got")" "$(tr '\n' ' ' <"$T/want")"
expect_eq "12 modules, each listed once" "$(wc -l <"$T/got" | tr -d ' '):$(sort -u "$T/got" | wc -l | tr -d ' ')" "12:12"
expect_eq "module files in the image are exactly the listed ones" \
	"$(cd "$T/x/lib/modules/$K" && find . -name '*.ko' | sed 's|^\./||' | sort | tr '\n' ' ')" \
	"$(tr '\n' ' ' <"$T/got")"

# Every module after everything modules.dep says it needs, and after its pre-softdeps (crc32c for ext4
# and jbd2).
sed "s|^/lib/modules/$K/||; s| .*||" "$T/x/etc/earlyroot/modules" >"$T/order"
bad=$(awk -v depfile="$MD/modules.dep" '
	BEGIN { while ((getline line < depfile) > 0) { split(line, f, ":"); deps[f[1]] = f[2] } }
	{ pos[$1] = NR; mod[NR] = $1 }
	END {
		for (i = 1; i <= NR; i++) {
			n = split(deps[mod[i]], d, " ")
			for (j = 1; j <= n; j++)
				if (!(d[j] in pos) || pos[d[j]] > i) print mod[i] " before its dependency " d[j]
		}
		soft["kernel/fs/ext4/ext4.ko"]; soft["kernel/fs/jbd2/jbd2.ko"]
		for (s in soft)
			if (pos["kernel/crypto/crc32c_generic.ko"] > pos[s] || pos["kernel/arch/x86/crypto/crc32c-intel.ko"] > pos[s])
				print s " before its pre-softdep crc32c"
	}' "$T/order")
expect_eq "load order: every module after its dependencies and pre-softdeps" "$bad" ""

same=ok
while read -r p; do
	cmp -s "$MD/$p" "$T/x/lib/modules/$K/$p" || same="$p differs"
done <"$T/got"
expect_eq "module files are byte-identical to the kernel package's" "$same" ok

run -o "$T/alias.img" -z none -b "$D" -k "$K" -m virtio_pci -m virtio_blk -m fs-ext4 --init "$T/init"
expect_ok "build with an alias (fs-ext4) and repeated -m"
expect_eq "alias and repeated -m give the same image as names in one list" \
	"$(cmp "$T/alias.img" "$T/plain.img" 2>&1)" ""

run -o "$T/v.img" -z none -v -b "$D" -k "$K" -m ext4,virtio_pci --init "$T/init"
expect_ok "build with -v"
expect_grep "-v says a named module is named" "$T/out" '^mkinitramfs: \+ ext4 \(named\)$'
expect_grep "-v says why a dependency is there" "$T/out" '^mkinitramfs: \+ jbd2 \(needed by ext4\)$'
expect_grep "-v says why a softdep is there" "$T/out" '^mkinitramfs: \+ crc32c_generic \(softdep of ext4\)$'
expect_grep "-v prints a size summary" "$T/out" '^mkinitramfs: [0-9]+ entries, cpio [0-9]+ bytes'

# ---------------------------------------------------------------------------------------------------
# Archive contents and format.
{
	printf '%s\n' dev dev/console etc etc/earlyroot etc/earlyroot/image.conf etc/earlyroot/modtable etc/earlyroot/modules \
		etc/initrd-release init newroot proc run sys
	while read -r p; do
		d=lib/modules/$K/$p
		echo "$d"
		while [ "${d%/*}" != "$d" ]; do d=${d%/*}; echo "$d"; done
	done <"$T/got"
} | sort -u >"$T/want-list"
cpio -t --quiet <"$T/plain.img" >"$T/list" 2>&1
expect_eq "cpio -t lists exactly the contract's entries, sorted bytewise" \
	"$(tr '\n' ' ' <"$T/list")" "$(tr '\n' ' ' <"$T/want-list")"

cpio -t -v --quiet --numeric-uid-gid <"$T/plain.img" >"$T/listv"
bad=$(awk '
	$NF == "init" { if ($1 != "-rwxr-xr-x") print "init is " $1; next }
	$NF == "dev/console" { if ($1 != "crw-------" || $5 != "5," || $6 != "1") print "console is " $0; next }
	$3 != 0 || $4 != 0 { print "owner of " $NF " is " $3 ":" $4 }
	/^d/ { if ($1 != "drwxr-xr-x") print $NF " is " $1; next }
	{ if ($1 != "-rw-r--r--") print $NF " is " $1 }' "$T/listv")
expect_eq "modes: /init 0755 (source was 0700), files 0644, dirs 0755, console c 5:1 0600, owner 0:0" "$bad" ""
expect_eq "/dev/console was extracted as a character device 5:1" \
	"$(stat -c '%F %t:%T %a' "$T/x/dev/console")" "character special file 5:1 600"
expect_eq "/init content equals the --init file" "$(cmp "$T/init" "$T/x/init" 2>&1)" ""
expect_grep "image.conf has kernel=KVER" "$T/x/etc/earlyroot/image.conf" "^kernel=$K\$"
expect_eq "/etc/initrd-release exists" "$(test -f "$T/x/etc/initrd-release" && echo yes)" yes
bad=$(grep -Ev "^/lib/modules/$K/[^ ]+\.ko( .*)?$" "$T/x/etc/earlyroot/modules")
expect_eq "modules lines are absolute .ko paths inside the image" "$bad" ""

newc_list "$T/plain.img" >"$T/headers"
bad=$(awk '
	$1 == "end" { if ($2 > $3) print "archive runs past the file"; if ($3 % 512) print "not padded to 512"; next }
	$NF == "TRAILER!!!" { next }
	{ if ($1 == 0) print $NF " has inode 0"
	  if ($1 in seen) print $NF " has the inode of " seen[$1]; seen[$1] = $NF
	  if ($6 != 0) print $NF " has mtime " $6
	  dir = ($2 ~ /^40/); if ((dir && $5 != 2) || (!dir && $5 != 1)) print $NF " has nlink " $5 }' "$T/headers")
expect_eq "newc headers: inodes unique and nonzero, mtime 0, nlink 2 for dirs and 1 otherwise, 512-byte padded" "$bad" ""
# Inode numbers come from the path (so that a record's bytes do not depend on what precedes it): the
# image of ext4,virtio_pci has fewer entries, but the same numbers for the same paths.
newc_list "$T/v.img" | awk '$1 != "end" { print $1, $NF }' | sort -k2 >"$T/ino-v"
awk '$1 != "end" { print $1, $NF }' "$T/headers" | sort -k2 >"$T/ino-plain"
expect_eq "inode numbers: the same path has the same one in another image ($(join -1 2 -2 2 "$T/ino-v" "$T/ino-plain" | wc -l | tr -d ' ') paths)" \
	"$(join -1 2 -2 2 "$T/ino-v" "$T/ino-plain" | awk '$2 != $3' | head -n 3)" ""
expect_grep "archive ends with TRAILER!!!" "$T/headers" ' TRAILER!!!$'

run -o "$T/img.gz" -z gzip -b "$D" -k "$K" -m "$MODS" --init "$T/init"
expect_ok "build with -z gzip"
expect_eq "gzip image: zcat gives the uncompressed image byte for byte" "$(zcat "$T/img.gz" | cmp - "$T/plain.img" 2>&1)" ""
expect_eq "gzip header has mtime 0" "$(od -An -tx1 -j4 -N4 "$T/img.gz" | tr -d ' ')" 00000000
expect_eq "zcat | cpio -t lists the same entries" "$(zcat "$T/img.gz" | cpio -t --quiet | tr '\n' ' ')" \
	"$(tr '\n' ' ' <"$T/want-list")"

run -o "$T/img.zst" -b "$D" -k "$K" -m "$MODS" --init "$T/init"
expect_ok "build with the default compression (zstd)"
expect_eq "zstd image: zstdcat gives the uncompressed image byte for byte" \
	"$(zstdcat "$T/img.zst" | cmp - "$T/plain.img" 2>&1)" ""
expect_eq "zstdcat | cpio -i extracts the same init" \
	"$(zstdcat "$T/img.zst" | cpio -i --quiet --to-stdout init | cmp - "$T/init" 2>&1)" ""
expect_eq "zstd image: 3 frames (before the modules, the modules, after them), with checksums" \
	"$(zstd -lv "$T/img.zst" 2>&1 | awk -F': *' '/^# Zstandard Frames|^Check/ { split($2, w, " "); print w[1] }' | tr '\n' ' ')" \
	"3 XXH64 "
expect_grep "summary line names output, module count, sizes, method and time" "$T/out" \
	"^mkinitramfs: wrote $T/img.zst: 12 modules, [0-9.]+ MiB → [0-9.]+ KiB zstd in [0-9]+ ms\$"

# ---------------------------------------------------------------------------------------------------
# Reproducibility.
run -o "$T/img2.zst" -b "$D" -k "$K" -m "$MODS" --init "$T/init"
expect_eq "two builds give the same bytes" "$(cmp "$T/img.zst" "$T/img2.zst" 2>&1)" ""
mkdir "$T/cwd1" "$T/cwd2"
(cd "$T/cwd1" && umask 077 && "$MK" -o out.img -b "$(realpath --relative-to=. "$D")" -k "$K" -m "$MODS" \
	--init ../init >/dev/null)
(cd "$T/cwd2" && umask 022 && "$MK" -o "$T/cwd2/out.img" -b "$D/" -k "$K" -m ext4,virtio_blk,virtio_pci \
	--init "$T/init" >/dev/null)
expect_eq "different cwd, umask, relative or absolute paths, -m order: same bytes" \
	"$(cmp "$T/cwd1/out.img" "$T/cwd2/out.img" 2>&1)" ""
expect_eq "output file mode follows the umask" "$(stat -c %a "$T/cwd1/out.img") $(stat -c %a "$T/cwd2/out.img")" "600 644"
touch -d @123456789 "$T/init"
run -o "$T/touched.img" -b "$D" -k "$K" -m "$MODS" --init "$T/init"
expect_eq "input mtimes do not matter" "$(cmp "$T/img.zst" "$T/touched.img" 2>&1)" ""

# zstd frames are compressed single-threaded: 1 CPU and all CPUs give the same bytes, for a 33 MiB
# image too (level 3, not cached: level 19 would take ~20 s here).
if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
	run -o "$T/big-all.img" -z zstd:3 --no-cache -b "$D" -k "$K" -m amdgpu,i915,nouveau --init "$T/init"
	taskset -c 0 "$MK" -o "$T/big-one.img" -z zstd:3 --no-cache -b "$D" -k "$K" -m amdgpu,i915,nouveau \
		--init "$T/init" >/dev/null 2>&1
	expect_eq "a 33 MiB zstd image is the same on 1 CPU and on $(nproc)" \
		"$rc:$(cmp "$T/big-all.img" "$T/big-one.img" 2>&1)" "0:"
	rm -f "$T/big-all.img" "$T/big-one.img"
else
	tap_skip "a 33 MiB zstd image is the same on 1 CPU and on several" "needs 2 CPUs and taskset"
fi

SOURCE_DATE_EPOCH=1700000000 "$MK" -o "$T/sde.img" -z none -b "$D" -k "$K" -m "$MODS" --init "$T/init" >/dev/null
newc_list "$T/sde.img" >"$T/sde-headers"
expect_eq "SOURCE_DATE_EPOCH sets every entry's mtime" \
	"$(awk '$1 != "end" && $NF != "TRAILER!!!" { print $6 }' "$T/sde-headers" | sort -u)" 1700000000
awk '{ $6 = "" } 1' "$T/headers" >"$T/h0"
awk '{ $6 = "" } 1' "$T/sde-headers" >"$T/h1"
expect_eq "... and changes nothing else" "$(cmp "$T/h0" "$T/h1" 2>&1)" ""
SOURCE_DATE_EPOCH=1700000000 "$MK" -o "$T/sde2.img" -z none -b "$D" -k "$K" -m "$MODS" --init "$T/init" >/dev/null
expect_eq "... reproducibly" "$(cmp "$T/sde.img" "$T/sde2.img" 2>&1)" ""

# ---------------------------------------------------------------------------------------------------
# Compressed modules in, plain modules out: a small module tree with .ko.xz/.ko.zst/.ko.gz, depmod'ed.
KC=$T/kc/lib/modules/$K
while read -r p; do
	mkdir -p "$KC/${p%/*}"
	cp "$MD/$p" "$KC/$p"
done <"$T/got"
cp "$MD/modules.builtin" "$MD/modules.order" "$KC/"
xz --check=crc32 "$KC/kernel/fs/ext4/ext4.ko"
zstd -q --rm "$KC/kernel/drivers/block/virtio_blk.ko"
# modprobe.d under BASEDIR (not the host's): a softdep, and options with modprobe.d(5)'s rules: a name
# in etc/ hides the same name in lib/, files are read in lexical order, '\' continues a line, '-' is '_'.
mkdir -p "$T/kc/etc/modprobe.d" "$T/kc/lib/modprobe.d"
printf 'softdep virtio_blk pre: mbcache\noptions virtio_blk queue_depth=64\n' >"$T/kc/etc/modprobe.d/test.conf"
printf 'options virtio_blk num_request_queues=1\n' >"$T/kc/lib/modprobe.d/test.conf"
printf '# options virtio_pci force_legacy=1\noptions virtio-blk \\\n\tpoll_queues=1\n  options virtio_pci force_legacy=0  \n' \
	>"$T/kc/lib/modprobe.d/zz.conf"
if depmod -b "$T/kc" "$K" 2>"$T/depmod.err" && grep -q 'ext4.ko.xz' "$KC/modules.dep"; then
	run -o "$T/kc.img" -z none -b "$T/kc" -k "$K" -m "$MODS" -v --init "$T/init"
	expect_ok "build from a tree of .ko.xz, .ko.zst and .ko.gz modules"
	mkdir "$T/kcx"
	(cd "$T/kcx" && cpio -i -d --quiet <"$T/kc.img")
	same=ok
	for p in kernel/fs/ext4/ext4.ko kernel/drivers/block/virtio_blk.ko; do
		cmp -s "$MD/$p" "$T/kcx/lib/modules/$K/$p" || same="$p is not the original"
	done
	expect_eq "compressed modules are stored decompressed, identical to the originals" "$same" ok
	expect_eq "and listed as .ko" \
		"$(sed "s|^/lib/modules/$K/||; s| .*||" "$T/kcx/etc/earlyroot/modules" | sort | tr '\n' ' ')" \
		"$(tr '\n' ' ' <"$T/got")"
	expect_eq "modprobe.d options are written after the module path" \
		"$(grep ' ' "$T/kcx/etc/earlyroot/modules" | sed "s|^/lib/modules/$K/||" | sort | tr '\n' '|')" \
		"kernel/drivers/block/virtio_blk.ko queue_depth=64 poll_queues=1|kernel/drivers/virtio/virtio_pci.ko force_legacy=0|"
	expect_grep "modprobe.d under BASEDIR is read" "$T/out" '^mkinitramfs: \+ mbcache .*$'
	expect_eq "... its pre-softdep loads first" \
		"$(grep -o -e 'mbcache.ko' -e 'virtio_blk.ko' "$T/kcx/etc/earlyroot/modules" | tr '\n' ' ')" "mbcache.ko virtio_blk.ko "
	dd if=/dev/zero of="$KC/kernel/fs/ext4/ext4.ko.xz" bs=1 count=64 seek=100 conv=notrunc 2>/dev/null
	expect_error "a corrupt .ko.xz is one clear error" "^mkinitramfs: cannot decompress .*ext4\.ko\.xz: corrupt" \
		"$T/corrupt.img" -o "$T/corrupt.img" -b "$T/kc" -k "$K" -m ext4 --init "$T/init"
else
	tap_fail "depmod indexes a tree of compressed modules" "$(cat "$T/depmod.err")"
fi

# .ko.gz: Debian's depmod is built without zlib and skips such files, so index the module as a plain
# .ko and then rename it inside the index, keeping the length ("lib1/crc16.ko" -> "l/crc16.ko.gz").
KG=$T/kg/lib/modules/$K
mkdir -p "$KG/kernel/lib1" "$KG/kernel/l"
cp "$MD/kernel/lib/crc16.ko" "$KG/kernel/lib1/"
cp "$MD/modules.builtin" "$MD/modules.order" "$KG/"
depmod -b "$T/kg" "$K" 2>/dev/null
sed -i 's|kernel/lib1/crc16\.ko|kernel/l/crc16.ko.gz|' "$KG/modules.dep.bin" "$KG/modules.dep"
rm "$KG/kernel/lib1/crc16.ko"
gzip -n -c "$MD/kernel/lib/crc16.ko" >"$KG/kernel/l/crc16.ko.gz"
if modprobe -d "$T/kg" -S "$K" --show-depends crc16 2>/dev/null | grep -q 'l/crc16\.ko\.gz'; then
	run -o "$T/kg.img" -z none -b "$T/kg" -k "$K" -m crc16 --init "$T/init"
	expect_ok "build from a .ko.gz module"
	expect_eq "... stored decompressed as .ko, identical to the original" \
		"$(cpio -i --quiet --to-stdout "lib/modules/$K/kernel/l/crc16.ko" <"$T/kg.img" | cmp - "$MD/kernel/lib/crc16.ko" 2>&1)" ""
	expect_eq "... and listed as .ko" "$(cpio -i --quiet --to-stdout etc/earlyroot/modules <"$T/kg.img")" \
		"/lib/modules/$K/kernel/l/crc16.ko"
else
	tap_fail "set up a module index pointing at a .ko.gz" "modprobe does not see kernel/l/crc16.ko.gz"
fi

# A kernel with ext4 built in: named module reported, not an error.
KB=$T/kb/lib/modules/$K
mkdir -p "$KB/kernel/lib"
cp "$MD/kernel/lib/crc16.ko" "$KB/kernel/lib/"
{ cat "$MD/modules.builtin"; echo kernel/fs/ext4/ext4.ko; } >"$KB/modules.builtin"
depmod -b "$T/kb" "$K" 2>/dev/null
run -o "$T/kb.img" -z none -b "$T/kb" -k "$K" -m ext4,crc16 --init "$T/init"
expect_ok "a built-in module is not an error"
expect_grep "... and is reported" "$T/out" '^mkinitramfs: ext4: built into the kernel, nothing to add$'
expect_eq "... and the other modules still go in" \
	"$(cpio -i --quiet --to-stdout etc/earlyroot/modules <"$T/kb.img")" "/lib/modules/$K/kernel/lib/crc16.ko"

# ---------------------------------------------------------------------------------------------------
# The init: --init, else `init` next to the executable, else the installed one.
mkdir "$T/bin"
cp "$MK" "$T/bin/mkinitramfs"
printf 'sibling init\n' >"$T/bin/init"
MK_REAL=$MK MK=$T/bin/mkinitramfs # run (and expect_error) use the copy
run -o "$T/sib.img" -z none --no-modules
expect_ok "without --init, builds with the init next to the executable"
expect_eq "... whose content is in the image" "$(cpio -i --quiet --to-stdout init <"$T/sib.img")" "sibling init"
expect_eq "... and an empty module list" "$(cpio -i --quiet --to-stdout etc/earlyroot/modules <"$T/sib.img" | wc -c | tr -d ' ')" 0
rm "$T/bin/init"
if [ -e /usr/local/lib/earlyroot/init ]; then
	tap_skip "no init anywhere is a clear error" "an installed /usr/local/lib/earlyroot/init exists"
else
	expect_error "no init anywhere is a clear error" "^mkinitramfs: no init binary: .*--init PATH" "$T/noinit.img" \
		-o "$T/noinit.img"
fi
MK=$MK_REAL

# ---------------------------------------------------------------------------------------------------
# -m DIR/: every module below that directory of the module tree (as find sees it), with its deps.
"$MK" -o "$T/dir.img" -z none -b "$D" -k "$K" -m kernel/drivers/block/ --init "$T/init" >"$T/dir.log" 2>&1
want=$(find "$MD/kernel/drivers/block" -name '*.ko*' | sed 's|.*/||; s|\.ko.*||' | LC_ALL=C sort)
got=$("$MK" --list "$T/dir.img" 2>/dev/null | awk '$NF ~ /\/kernel\/drivers\/block\/.*\.ko$/ { n = $NF; sub(/.*\//, "", n); sub(/\.ko$/, "", n); print n }' | LC_ALL=C sort)
expect_eq "-m kernel/drivers/block/ takes every module below it ($(echo "$want" | wc -l))" "$got" "$want"
# A tree whose modules are symlinks (a kernel build tree staged by qemu-tests' er_kernel) counts the same.
LT=$T/linked/lib/modules/$K
mkdir -p "$LT/kernel/drivers/block"
cp "$MD"/modules.* "$LT/"
for f in $(cd "$MD" && find kernel -name '*.ko*'); do mkdir -p "$LT/${f%/*}" && ln -s "$MD/$f" "$LT/$f"; done
"$MK" -o "$T/dirl.img" -z none -b "$T/linked" -k "$K" -m kernel/drivers/block/ --init "$T/init" >"$T/dirl.log" 2>&1
got=$("$MK" --list "$T/dirl.img" 2>/dev/null | awk '$NF ~ /\/kernel\/drivers\/block\/.*\.ko$/ { n = $NF; sub(/.*\//, "", n); sub(/\.ko$/, "", n); print n }' | LC_ALL=C sort)
expect_eq "-m kernel/drivers/block/ in a tree of symlinked modules takes the same ones" "$got" "$want"
expect_error "-m DIR/ that does not exist" "^mkinitramfs: kernel/nowhere/: no such directory in $MD\$" "$T/e0.img" \
	-o "$T/e0.img" -b "$D" -k "$K" -m kernel/nowhere/ --init "$T/init"

# ---------------------------------------------------------------------------------------------------
# Errors: one line, status 1, nothing left behind, an existing image untouched.
expect_error "missing module" "^mkinitramfs: no_such_module: no such module in $MD\$" "$T/e1.img" \
	-o "$T/e1.img" -b "$D" -k "$K" -m virtio_blk,no_such_module --init "$T/init"
expect_error "missing module directory (wrong -k)" "^mkinitramfs: no module directory $D/lib/modules/0.0-none" \
	"$T/e2.img" -o "$T/e2.img" -b "$D" -k 0.0-none -m ext4 --init "$T/init"
# Without -m too: an image with no modules because of a typo in -k would only fail at boot.
expect_error "a -k with no module directory and no -m is one clear error, naming the way out" \
	"^mkinitramfs: no module directory $D/lib/modules/9\.9\.9 \(check -k KVER and -b BASEDIR; --no-modules builds an image without modules\)\$" \
	"$T/e2b.img" -o "$T/e2b.img" -b "$D" -k 9.9.9 --init "$T/init"
mkdir "$T/nomods"
expect_error "no -k (uname -r) and no module directory is the same error" \
	"^mkinitramfs: no module directory $T/nomods/lib/modules/$(uname -r | sed 's/[.+]/\\&/g') \(check -k" \
	"$T/e2c.img" -o "$T/e2c.img" -b "$T/nomods/" --init "$T/init"
run -o "$T/nomods.img" -z none -b "$T/nomods" -k 9.9.9 --no-modules --init "$T/init"
expect_ok "--no-modules builds without a module directory"
expect_eq "... an image with an empty module list for that kernel release" \
	"$(cpio -i --quiet --to-stdout etc/earlyroot/modules <"$T/nomods.img" | wc -c | tr -d ' '):$(cpio -i --quiet --to-stdout etc/earlyroot/image.conf <"$T/nomods.img" 2>/dev/null | grep '^kernel=')" \
	"0:kernel=9.9.9"
printf 'no-modules = yes\nkver = 9.9.9\n' >"$T/nomods.conf"
run -c "$T/nomods.conf" -o "$T/nomods-c.img" -z none -b "$T/nomods" --init "$T/init"
expect_eq "no-modules = yes in a -c file: the same image" "$rc:$(cmp "$T/nomods.img" "$T/nomods-c.img" 2>&1)" "0:"
expect_usage_error "--no-modules with -m" "^mkinitramfs: --no-modules contradicts -m: leave one of them out\$" "$T/e2d.img" \
	-o "$T/e2d.img" -b "$D" -k "$K" -m ext4 --no-modules --init "$T/init"
expect_error "output directory does not exist" "^mkinitramfs: cannot write $T/nodir/x.img: No such file or directory\$" \
	"$T/nodir/x.img" -o "$T/nodir/x.img" -b "$D" -k "$K" -m ext4 --init "$T/init"
expect_error "missing --init file" "^mkinitramfs: cannot read $T/nope: No such file or directory\$" "$T/e3.img" \
	-o "$T/e3.img" -b "$D" -k "$K" -m ext4 --init "$T/nope"
expect_usage_error "bad -z value" "^mkinitramfs: unknown compression 'brotli' \(use none, gzip, zstd, zstd:LEVEL, xz or lz4\)\$" "$T/e4.img" \
	-o "$T/e4.img" -z brotli --init "$T/init"
expect_usage_error "unknown long option" "^mkinitramfs: unknown option --frobnicate" "$T/e5.img" \
	-o "$T/e5.img" --frobnicate --init "$T/init"
expect_usage_error "unknown short option" "^mkinitramfs: unknown option -q" "$T/e6.img" -o "$T/e6.img" -q --init "$T/init"
expect_usage_error "option without its argument" "^mkinitramfs: option -m needs an argument" "$T/e7.img" \
	-o "$T/e7.img" --init "$T/init" -m
expect_usage_error "no -o" "^mkinitramfs: no output file given" "$T/e8.img" --init "$T/init"
export SOURCE_DATE_EPOCH=yesterday
expect_error "bad SOURCE_DATE_EPOCH" "^mkinitramfs: SOURCE_DATE_EPOCH='yesterday' is not" "$T/e9.img" \
	-o "$T/e9.img" --init "$T/init"
unset SOURCE_DATE_EPOCH
echo old >"$T/keep.img"
run -o "$T/keep.img" -b "$D" -k "$K" -m no_such_module --init "$T/init"
expect_eq "a failed build leaves an existing image untouched" "$rc:$(cat "$T/keep.img")" "1:old"

# Killed while writing (SIGTERM once the temporary file exists): it is removed. xz on 33 MiB of
# modules takes seconds after the file appears, and the signal comes within 50 ms of it, so the case
# happens; should the build still finish first, nothing was checked and that is a skip.
mkdir "$T/sig"
"$MK" -o "$T/sig/x.img" -z xz -b "$D" -k "$K" -m amdgpu,i915,nouveau --init "$T/init" >/dev/null 2>&1 &
pid=$!
i=0
# shellcheck disable=SC2010,SC2012 # the names mkinitramfs writes in a directory of ours, listed as evidence
while [ $i -lt 200 ] && ! ls -A "$T/sig" | grep -q .; do sleep 0.05; i=$((i + 1)); done
# shellcheck disable=SC2012 # as above
seen=$(ls -A "$T/sig" | tr '\n' ' ')
kill -TERM $pid 2>/dev/null
wait $pid
rc=$?
# shellcheck disable=SC2012 # as above
left=$(ls -A "$T/sig" | tr '\n' ' ')
case "$seen:$rc:$left" in
:*) tap_skip "SIGTERM while writing removes the temporary file" "no temporary file within 10 s: nothing to check" ;;
*:143:) tap_ok "SIGTERM while writing removes the temporary file" ;;
*:0:"x.img ") tap_skip "SIGTERM while writing removes the temporary file" "the build finished before the signal came" ;;
*) tap_fail "SIGTERM while writing removes the temporary file" "exit status $rc, seen before the signal: $seen" \
	"left in the directory: $left" ;;
esac

# Full and read-only filesystems, in a private mount namespace.
if unshare --mount true 2>/dev/null; then
	mkdir "$T/full" "$T/ro"
	# shellcheck disable=SC2016 # the sh -c script expands its own arguments
	unshare --mount sh -c '
		mount -t tmpfs -o size=64k tmpfs "$1" || exit 3
		echo old >"$1/x.img"
		"$2" -o "$1/x.img" -z none -b "$3" -k "$4" -m virtio_pci,virtio_blk,ext4 --init "$5" >"$6/out" 2>"$6/err"
		echo $? >"$6/rc"
		ls -A "$1" >"$6/ls"
		cat "$1/x.img" >"$6/content"' sh "$T/full" "$MK" "$D" "$K" "$T/init" "$T"
	expect_eq "full filesystem (ENOSPC): status 1, one line" \
		"$(cat "$T/rc") $(wc -l <"$T/err" | tr -d ' ') $(cat "$T/err")" \
		"1 1 mkinitramfs: cannot write $T/full/x.img: No space left on device"
	expect_eq "... no partial or temporary file, old image untouched" "$(cat "$T/ls"):$(cat "$T/content")" "x.img:old"
	# libkmod would merge the running kernel's command line into module options; we must not.
	echo "quiet virtio_blk.queue_depth=7 ext4.foo=1" >"$T/cmdline"
	# shellcheck disable=SC2016 # the sh -c script expands its own arguments
	unshare --mount sh -c '
		mount --bind "$1" /proc/cmdline || exit 3
		"$2" -o "$6/cmdline.img" -z none -b "$3" -k "$4" -m virtio_pci,virtio_blk,ext4 --init "$5" >/dev/null 2>&1
		echo $? >"$6/rc"' sh "$T/cmdline" "$MK" "$D" "$K" "$T/init" "$T"
	expect_eq "the build host's /proc/cmdline does not leak into module options" \
		"$(cat "$T/rc"):$(cpio -i --quiet --to-stdout etc/earlyroot/modules <"$T/cmdline.img" 2>&1 | grep -c ' ')" "0:0"
	# shellcheck disable=SC2016 # the sh -c script expands its own arguments
	unshare --mount sh -c '
		mount -t tmpfs -o ro tmpfs "$1" || exit 3
		"$2" -o "$1/x.img" -b "$3" -k "$4" -m ext4 --init "$5" >"$6/out" 2>"$6/err"
		echo $? >"$6/rc"' sh "$T/ro" "$MK" "$D" "$K" "$T/init" "$T"
	expect_eq "read-only output directory: status 1, one line" \
		"$(cat "$T/rc") $(wc -l <"$T/err" | tr -d ' ') $(cat "$T/err")" \
		"1 1 mkinitramfs: cannot write $T/ro/x.img: Read-only file system"
else
	tap_skip "full and read-only filesystem tests" "unshare --mount is not permitted here (needs root)"
fi

# shellcheck source=mkinitramfs/tests/features.sh
. mkinitramfs/tests/features.sh
# shellcheck source=mkinitramfs/tests/modtable.sh
. mkinitramfs/tests/modtable.sh
# shellcheck source=mkinitramfs/tests/zframes.sh
. mkinitramfs/tests/zframes.sh
# shellcheck source=mkinitramfs/tests/framecache.sh
. mkinitramfs/tests/framecache.sh
# shellcheck source=mkinitramfs/tests/live.sh
. mkinitramfs/tests/live.sh
# shellcheck source=mkinitramfs/tests/net.sh
. mkinitramfs/tests/net.sh
# shellcheck source=mkinitramfs/tests/storage.sh
. mkinitramfs/tests/storage.sh

tap_done
