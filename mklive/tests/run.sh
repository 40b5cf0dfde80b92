#!/bin/sh
# mklive/tests/run.sh — TAP tests for earlyroot-mklive: ISOs made from a tiny root and Debian's kernel
# (qemu-tests/fetch-kernel), read back with xorriso, blkid, unsquashfs and mtools. No boots here: the
# QEMU tier boots the ISOs.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/tap.sh

ML=$PWD/mklive/earlyroot-mklive
export LC_ALL=C
unset SOURCE_DATE_EPOCH
T=$(mktemp -d /tmp/mklive-test.XXXXXX)
trap 'rm -rf "$T"' EXIT
export EARLYROOT_CACHE="$T/ercache" # mkinitramfs's frame cache: never the user's

# run ARGS... — rc, $T/out and $T/err hold the result.
run() {
	"$ML" "$@" >"$T/out" 2>"$T/err"
	rc=$?
}
expect_ok() {
	if [ "$rc" = 0 ] && [ ! -s "$T/err" ]; then tap_ok "$1"; else tap_fail "$1" "exit status $rc" "--- stderr:" "$(head -n 20 "$T/err")"; fi
}
# expect_error DESC STATUS PATTERN OUTPUT ARGS... — exit STATUS, one stderr line matching PATTERN, and
# neither OUTPUT nor a work directory left beside it.
expect_error() {
	desc=$1 want=$2 pat=$3 out=$4
	shift 4
	run "$@"
	why=
	[ "$rc" = "$want" ] || why="exit status $rc, want $want"
	[ "$(wc -l <"$T/err" | tr -d ' ')" = 1 ] || why="$why; $(wc -l <"$T/err" | tr -d ' ') lines on stderr, want 1"
	grep -Eq -- "$pat" "$T/err" || why="$why; stderr does not match: $pat"
	[ -e "$out" ] && why="$why; $out was left behind"
	for w in "$(dirname "$out")"/.earlyroot-mklive.*; do
		[ -e "$w" ] && why="$why; work directory $w left"
	done
	if [ -z "$why" ]; then tap_ok "$desc"; else tap_fail "$desc" "$why" "--- stderr:" "$(cat "$T/err")"; fi
}

if ! D=$(qemu-tests/fetch-kernel generic 2>"$T/fetch.err") || [ ! -f "$D/kver" ]; then
	tap_skip "ISOs with a Debian kernel" "cannot fetch it: $(tail -n 1 "$T/fetch.err")"
	tap_done
	exit 0
fi
K=$(cat "$D/kver")
MD=$D/lib/modules/$K
VMLINUZ=$D/boot/vmlinuz-$K
MK=${BUILD:-build}/mkinitramfs
if [ ! -x "$MK" ]; then
	tap_fail "the tree's mkinitramfs exists" "$MK is missing: run make first"
	tap_done
	exit 1
fi

# A tiny root: an init, an os-release, a file, a symlink, an empty directory.
R=$T/root
mkdir -p "$R/sbin" "$R/etc" "$R/data" "$R/proc"
printf '#!/bin/sh\necho live\n' >"$R/sbin/init"
chmod 0755 "$R/sbin/init"
printf 'PRETTY_NAME="Tiny \\"Live\\" 1"\nID=tiny\n' >"$R/etc/os-release"
head -c 100000 /dev/urandom >"$R/data/blob"
ln -s ../data/blob "$R/etc/link"

# xiso ISO — the ISO's files (no GRUB modules), one path a line.
xiso() { xorriso -indev "$1" -find / -type f 2>/dev/null | tr -d "'" | grep -Ev '\.(mod|lst)$' | sort; }
# xget ISO PATH DEST — one file out of the ISO.
xget() { xorriso -osirrox on -indev "$1" -extract "$2" "$3" >/dev/null 2>&1; }

# ---------------------------------------------------------------------------------------------------
# The full build: the initramfs made by the tree's mkinitramfs --live.
export SOURCE_DATE_EPOCH=1700000000
run --kernel "$VMLINUZ" --basedir "$D" --label TEST_LIVE --append "quiet x=1" --timeout 0 --serial \
	"$R" "$T/a.iso"
expect_ok "an ISO from a tiny root and Debian's kernel"
expect_grep "... with one summary line" "$T/out" "^earlyroot-mklive: wrote $T/a.iso: squashfs root of [0-9]+ MiB, label TEST_LIVE, BIOS and UEFI"
eval "$(blkid -p -o export "$T/a.iso" | grep -E '^(LABEL|TYPE|PTTYPE|UUID)=')"
expect_eq "blkid: iso9660, labelled TEST_LIVE, a GPT, the UUID from SOURCE_DATE_EPOCH" \
	"${TYPE:-} ${LABEL:-} ${PTTYPE:-} ${UUID:-}" "iso9660 TEST_LIVE gpt 2023-11-14-22-13-20-00"
expect_eq "the layout: kernel, initramfs, GRUB, the root image and its checksum" "$(xiso "$T/a.iso" | tr '\n' ' ')" \
	"/LiveOS/squashfs.img /LiveOS/squashfs.img.sha256 /boot/grub/efi.img /boot/grub/grub.cfg /boot/grub/i386-pc/eltorito.img /boot/initrd.img /boot/vmlinuz "
mkdir "$T/a"
xorriso -osirrox on -indev "$T/a.iso" -extract / "$T/a" >/dev/null 2>&1
chmod -R u+w "$T/a"
expect_eq "/boot/vmlinuz is the kernel" "$(cmp "$VMLINUZ" "$T/a/boot/vmlinuz" 2>&1)" ""
"$MK" --list "$T/a/boot/initrd.img" >"$T/initrd.list" 2>&1
expect_grep "/boot/initrd.img was made with --live (squashfs, overlay, usb-storage in it)" "$T/initrd.list" \
	"lib/modules/$K/kernel/fs/squashfs/squashfs.ko"
expect_eq "... for the kernel's release" "$(grep -c -e '/overlay\.ko$' -e '/usb-storage\.ko$' -e "^.* etc/earlyroot/image.conf$" "$T/initrd.list")" 3
expect_eq "the checksum file is sha256sum's format, named by the image's basename" \
	"$(sed 's/^[0-9a-f]\{64\}  //' "$T/a/LiveOS/squashfs.img.sha256")" "squashfs.img"
expect_eq "sha256sum -c accepts it" "$(cd "$T/a/LiveOS" && sha256sum -c squashfs.img.sha256 2>&1)" "squashfs.img: OK"
expect_eq "the root image is a squashfs" "$(blkid -p -o value -s TYPE "$T/a/LiveOS/squashfs.img")" squashfs
unsquashfs -q -n -d "$T/a-root" "$T/a/LiveOS/squashfs.img" >/dev/null 2>&1
expect_eq "... holding the root: files, modes, symlinks, directories" \
	"$(cmp "$R/data/blob" "$T/a-root/data/blob" 2>&1)|$(stat -c %a "$T/a-root/sbin/init")|$(readlink "$T/a-root/etc/link")|$(test -d "$T/a-root/proc" && echo dir)" \
	"|755|../data/blob|dir"
expect_eq "... every timestamp SOURCE_DATE_EPOCH" "$(find "$T/a-root" -exec stat -c %Y {} + | sort -u)" 1700000000

# shellcheck disable=SC2016 # GRUB's text, $ and all
printf '%s\n' '# earlyroot-mklive: TEST_LIVE' 'set default=0' 'set timeout=0' 'insmod all_video' \
	'serial --unit=0 --speed=115200' 'terminal_input serial console' 'terminal_output serial console' \
	'menuentry "Tiny Live 1 (earlyroot live)" {' \
	'	linux /boot/vmlinuz root=live:CDLABEL=TEST_LIVE rd.live.image console=tty0 console=ttyS0,115200 quiet x=1' \
	'	initrd /boot/initrd.img' '}' \
	'menuentry "Tiny Live 1 (earlyroot live), copied to RAM" {' \
	'	linux /boot/vmlinuz root=live:CDLABEL=TEST_LIVE rd.live.image console=tty0 console=ttyS0,115200 quiet x=1 rd.live.ram' \
	'	initrd /boot/initrd.img' '}' \
	'menuentry "Tiny Live 1 (earlyroot live), check the medium first" {' \
	'	linux /boot/vmlinuz root=live:CDLABEL=TEST_LIVE rd.live.image console=tty0 console=ttyS0,115200 quiet x=1 rd.live.check' \
	'	initrd /boot/initrd.img' '}' >"$T/want.cfg"
expect_eq "grub.cfg: serial, timeout, the three entries with --append" "$(diff "$T/want.cfg" "$T/a/boot/grub/grub.cfg")" ""

xorriso -indev "$T/a.iso" -report_el_torito plain -report_system_area plain >"$T/report" 2>&1
expect_eq "El Torito: a BIOS and a UEFI boot image" \
	"$(awk '/^El Torito boot img :/ { print $6, $7 } /^El Torito img path :/ { print $6, $7 }' "$T/report" | tr '\n' ' ')" \
	"1 BIOS 2 UEFI 1 /boot/grub/i386-pc/eltorito.img 2 /boot/grub/efi.img "
expect_grep "the MBR: GRUB's hybrid boot code and a partition table" "$T/report" \
	'^System area summary: MBR protective-msdos-label grub2-mbr .*GPT'
expect_grep "... whose first partition covers the disk (0xee)" "$T/report" '^MBR partition +: +1 +0x00 +0xee '
expect_grep "the GPT's EFI system partition is the FAT image" "$T/report" '^GPT partition path :   2  /boot/grub/efi.img$'
expect_grep "... of the EFI system partition type" "$T/report" '^GPT type GUID +: +2 +28732ac11ff8d211ba4b00a0c93ec93b$'
expect_eq "the FAT image holds /efi/boot/bootx64.efi, a PE file" \
	"$(mtype -i "$T/a/boot/grub/efi.img" ::/efi/boot/bootx64.efi 2>/dev/null | head -c 2)" MZ

# ---------------------------------------------------------------------------------------------------
# Reproducible: the same input and SOURCE_DATE_EPOCH, the same bytes (a second later).
sleep 1
run --kernel "$VMLINUZ" --basedir "$D" --label TEST_LIVE --append "quiet x=1" --timeout 0 --serial \
	"$R" "$T/b.iso"
expect_ok "a second build"
expect_eq "... byte-identical to the first" "$(cmp "$T/a.iso" "$T/b.iso" 2>&1)" ""

# erofs, --initramfs, --no-checksum, the defaults.
INITRD=$T/a/boot/initrd.img
run --kernel "$VMLINUZ" --initramfs "$INITRD" --format erofs --no-checksum "$R" "$T/e.iso"
expect_ok "--format erofs --initramfs IMG --no-checksum"
xget "$T/e.iso" /LiveOS/squashfs.img "$T/e.img"
expect_eq "the root image is an erofs, under the same name" "$(blkid -p -o value -s TYPE "$T/e.img")" erofs
expect_eq "... the checksum file is not there" "$(xiso "$T/e.iso" | grep -c sha256)" 0
xget "$T/e.iso" /boot/initrd.img "$T/e-initrd.img"
expect_eq "--initramfs IMG goes in as it is" "$(cmp "$INITRD" "$T/e-initrd.img" 2>&1)" ""
xget "$T/e.iso" /boot/grub/grub.cfg "$T/e.cfg"
expect_eq "defaults: label EARLYROOT_LIVE, timeout 5, no serial; no check entry without a checksum" \
	"$(blkid -p -o value -s LABEL "$T/e.iso") $(grep -c '^set timeout=5$' "$T/e.cfg") $(grep -c -e serial -e 'check the medium' "$T/e.cfg") $(grep -c '^menuentry' "$T/e.cfg")" \
	"EARLYROOT_LIVE 1 0 2"
sleep 1
run --kernel "$VMLINUZ" --initramfs "$INITRD" --format erofs --no-checksum "$R" "$T/e2.iso"
expect_eq "erofs ISOs are reproducible too" "$rc:$(cmp "$T/e.iso" "$T/e2.iso" 2>&1)" "0:"
unset SOURCE_DATE_EPOCH

# The kernel found in ROOTDIR/boot: the newest by version, its modules in ROOTDIR/lib/modules/KVER.
R2=$T/root2
cp -a "$R" "$R2"
mkdir -p "$R2/boot" "$R2/lib/modules"
printf 'not a kernel\n' >"$R2/boot/vmlinuz-6.1.0-9-amd64"
cp "$VMLINUZ" "$R2/boot/vmlinuz-$K"
# A symlink to the package's modules: mkinitramfs follows it, mksquashfs keeps it (not 400 MiB).
ln -s "$MD" "$R2/lib/modules/$K"
run "$R2" "$T/k.iso"
expect_ok "the kernel and its modules from ROOTDIR"
xget "$T/k.iso" /boot/vmlinuz "$T/k-vmlinuz"
expect_eq "... the newest vmlinuz-* by version (6.1.0-57 over 6.1.0-9)" "$(cmp "$VMLINUZ" "$T/k-vmlinuz" 2>&1)" ""

# ---------------------------------------------------------------------------------------------------
# Refusals: one line, no ISO, no work directory.
expect_error "a lower-case label is refused, with the upper-case one suggested" 1 \
	"^earlyroot-mklive: bad --label 'my live': an ISO9660 volume label is 1 to 32 of A-Z, 0-9 and _ \(e\.g\. MY_LIVE\)\$" \
	"$T/x.iso" --label "my live" --kernel "$VMLINUZ" --initramfs "$INITRD" "$R" "$T/x.iso"
expect_error "a label of 33 characters is refused" 1 "^earlyroot-mklive: bad --label 'A{33}': 33 characters" \
	"$T/x.iso" --label AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA --kernel "$VMLINUZ" --initramfs "$INITRD" "$R" "$T/x.iso"
expect_error "no kernel in ROOTDIR/boot and no --kernel" 1 \
	"^earlyroot-mklive: no kernel: $R/boot has no vmlinuz-\* \(install one into the root, or give --kernel VMLINUZ\)\$" \
	"$T/x.iso" "$R" "$T/x.iso"
expect_error "no modules for the kernel's release" 1 \
	"^earlyroot-mklive: no modules for $K: $R/lib/modules/$K is missing" "$T/x.iso" --kernel "$VMLINUZ" "$R" "$T/x.iso"
# shellcheck disable=SC2016 # a literal $x, as a user might type it
expect_error "GRUB syntax in --append is refused" 1 "^earlyroot-mklive: bad --append 'a=\\\$x': GRUB would read" \
	"$T/x.iso" --append 'a=$x' --kernel "$VMLINUZ" --initramfs "$INITRD" "$R" "$T/x.iso"
expect_error "an unknown --format" 2 "^earlyroot-mklive: unknown --format 'ext4' \(squashfs or erofs\)" \
	"$T/x.iso" --format ext4 "$R" "$T/x.iso"
expect_error "ROOTDIR that does not exist" 1 "^earlyroot-mklive: ROOTDIR '$T/none' is not a directory\$" \
	"$T/x.iso" "$T/none" "$T/x.iso"
# A missing tool: a PATH with everything but mksquashfs.
mkdir "$T/path"
for d in /usr/local/bin /usr/bin /bin /usr/sbin /sbin; do
	for f in "$d"/*; do
		[ -x "$f" ] && [ ! -e "$T/path/${f##*/}" ] && ln -s "$f" "$T/path/${f##*/}"
	done
done 2>/dev/null
rm "$T/path/mksquashfs"
# shellcheck disable=SC2123 # on purpose: the search path without mksquashfs
OLDPATH=$PATH PATH=$T/path
expect_error "a missing tool names its Debian package" 1 \
	"^earlyroot-mklive: mksquashfs is missing: apt-get install squashfs-tools\$" \
	"$T/x.iso" --kernel "$VMLINUZ" --initramfs "$INITRD" "$R" "$T/x.iso"
PATH=$OLDPATH
mkdir -p "$T/empty/etc"
run --kernel "$VMLINUZ" --initramfs "$INITRD" "$T/empty" "$T/w.iso"
expect_eq "a root without /sbin/init nor /bin/sh: one warning, and the ISO" \
	"$rc $(cat "$T/err") $(test -f "$T/w.iso" && echo iso)" \
	"0 earlyroot-mklive: warning: $T/empty has neither /sbin/init nor /bin/sh: the medium will boot into nothing iso"

# The man page formats cleanly and documents every option of --help.
if command -v groff >/dev/null; then
	expect_eq "the man page formats without warnings" "$(groff -man -ww -z mklive/earlyroot-mklive.1 2>&1)" ""
else
	tap_skip "the man page formats without warnings" "no groff (groff-base)"
fi
missing=$("$ML" --help | grep -o -e '--[a-z-]*' | sort -u | while read -r o; do
	grep -q -- "$(printf '%s' "$o" | sed 's/-/\\\\-/g')" mklive/earlyroot-mklive.1 || echo "$o"
done)
expect_eq "the man page documents every option of --help" "$missing" ""

tap_done
