#!/bin/sh
# init/tests/blockprobe-run.sh — the init's block probes against blkid, on real images made by the real
# tools (sparse files, nothing mounted), then the robustness tests (cuts, mutations, garbage) under
# ASan/UBSan on the same images. Prints TAP. A missing mkfs tool skips its images.
#   BLOCKPROBE_KEEP=DIR   make the images in DIR and keep them (the fuzzer's seeds)
#   --cross ARCH:EMULATOR (repeatable) the same comparisons, on the same images made once, with
#                         $BUILD/ARCH/tests/blockprobe-cli (init/cross-tests.mk) run under qemu-user's
#                         EMULATOR for each ARCH instead of the host's CLI: a byte-order or width bug
#                         is a mismatch with blkid on s390x or armhf. Each line is named "ARCH: ...".
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/tap.sh
. "$top/tests/tap.sh"
B=${BUILD:-build}
case $B in /*) ;; *) B=$top/$B ;; esac
CLI=$B/tests/blockprobe-cli
TEST=$B/tests/test-blockprobe
export LC_ALL=C.UTF-8 # partx prints names as UTF-8 only in a UTF-8 locale

# The probes compared: "host", or ARCH:EMULATOR for each --cross.
targets=
while [ $# -gt 0 ]; do
	case $1 in
	--cross) [ $# -ge 2 ] || { echo "usage: $0 [--cross ARCH:EMULATOR]..." >&2; exit 2; }; targets="$targets $2"; shift 2 ;;
	*) echo "usage: $0 [--cross ARCH:EMULATOR]..." >&2; exit 2 ;;
	esac
done
if [ -z "$targets" ]; then
	for f in "$CLI" "$TEST"; do
		[ -x "$f" ] || { tap_fail "prerequisite $f exists" "build it first (make $f)"; tap_done; exit 1; }
	done
	targets=host
else
	usable=
	for tgt in $targets; do
		arch=${tgt%%:*} emu=${tgt#*:}
		if ! command -v "$emu" >/dev/null 2>&1; then
			tap_skip "$arch: blockprobe against blkid" "$emu is not installed (Debian package qemu-user)"
			continue
		fi
		for f in "$B/$arch/tests/blockprobe-cli" "$B/$arch/tests/test-blockprobe" "$TEST"; do
			[ -x "$f" ] || { tap_fail "prerequisite $f exists" "build it first (make $f)"; tap_done; exit 1; }
		done
		usable="$usable $tgt"
	done
	targets=$usable
	[ -n "$targets" ] || { tap_done; exit 0; }
fi
# cli TARGET ARGS...: that target's blockprobe-cli on ARGS. tag TARGET: "ARCH: " for a cross target.
cli() {
	case $1 in
	host) shift; "$CLI" "$@" ;;
	*) tgt=$1; shift; "${tgt#*:}" "$B/${tgt%%:*}/tests/blockprobe-cli" "$@" ;;
	esac
}
tag() { case $1 in host) ;; *) printf '%s: ' "${1%%:*}" ;; esac; }
# cli_all ARGS...: every target's blockprobe-cli on ARGS at once (qemu-user's start is most of a call):
# the Kth target's output in $work/out.K, its exit status in $work/rc.K.
cli_all() {
	k=0
	for tgt in $targets; do
		k=$((k + 1))
		{ cli "$tgt" "$@" >"$work/out.$k" 2>&1; echo $? >"$work/rc.$k"; } &
	done
	wait
}
if ! command -v blkid >/dev/null || ! command -v partx >/dev/null; then
	tap_skip "blockprobe against blkid" "blkid/partx (util-linux) not installed"
	tap_done
	exit 0
fi
if [ -n "${BLOCKPROBE_KEEP:-}" ]; then
	work=$BLOCKPROBE_KEEP
	mkdir -p "$work"
else
	work=$(mktemp -d /tmp/earlyroot-blockprobe.XXXXXX)
	trap 'rm -rf "$work"' EXIT INT TERM
fi
U=0a1b2c3d-4e5f-4061-8273-8495a6b7c8d9
mkdir -p "$work/tree"
echo "a file" >"$work/tree/file"
images= # "fs:PATH" and "disk:PATH" for the robustness tests

# mk NAME SIZE TOOL ARGS...: make $work/NAME (a sparse file of SIZE, unless SIZE is -) with TOOL ARGS,
# where the word IMG stands for the image's path. Fails (with a SKIP or a failed test) when TOOL is
# missing or fails.
mk() {
	name=$1 size=$2 tool=$3
	shift 2
	img=$work/$name
	if ! command -v "$tool" >/dev/null; then
		tap_skip "$name" "$tool not installed"
		return 1
	fi
	rm -f "$img"
	[ "$size" = - ] || truncate -s "$size" "$img"
	# Replace the word IMG in the arguments (no eval: labels have spaces and quotes).
	n=$#
	for a in "$@"; do
		[ "$a" = IMG ] && a=$img
		set -- "$@" "$a"
	done
	shift "$n"
	if ! "$@" >"$work/$name.log" 2>&1; then
		tap_fail "$name: made with $tool" "$(tail -n 5 "$work/$name.log")"
		return 1
	fi
	return 0
}

# unescape TEXT: partx -P writes bytes outside printable ASCII as \xHH; turn them back into bytes.
unescape() {
	printf '%s' "$1" | LC_ALL=C awk '{
		out = ""; s = $0; hex = "0123456789abcdef"
		while ((i = index(s, "\\x")) > 0) {
			h = tolower(substr(s, i + 2, 2))
			out = out substr(s, 1, i - 1) sprintf("%c", (index(hex, substr(h, 1, 1)) - 1) * 16 + index(hex, substr(h, 2, 1)) - 1)
			s = substr(s, i + 4)
		}
		printf "%s", out s
	}'
}

# fs NAME [norobust|robust] [LEVEL]: our TYPE/UUID/LABEL for the image against blkid -p's (its udev
# output: one call, the label with every unusual byte escaped, so nothing is lost to quoting), and an md
# member's RAID level, which blkid does not print, against LEVEL. The image then goes to the robustness
# tests too, unless norobust. With PSIZE set, both look at the image as if it ended there.
fs() {
	img=$work/$1
	blkid -p ${PSIZE:+-S "$PSIZE"} -o udev "$img" >"$img.blkid" 2>&1
	type='' uuid='' label=''
	while IFS= read -r line; do
		case $line in
		ID_FS_TYPE=*) type=${line#*=} ;;
		ID_FS_UUID=*) uuid=${line#*=} ;;
		ID_FS_LABEL_ENC=*) label=${line#*=} ;;
		esac
	done <"$img.blkid"
	case $label in *\\x*) label=$(unescape "$label") ;; esac
	want=${type:+TYPE=$type}${uuid:+
UUID=$uuid}${label:+
LABEL=$label}${3:+
RAID_LEVEL=$3}
	[ -n "$want" ] || want="(nothing)"
	cli_all ${PSIZE:+--size "$PSIZE"} "$img"
	k=0
	for tgt in $targets; do
		k=$((k + 1))
		got=$(cat "$work/out.$k")
		[ -n "$got" ] || got="(nothing)"
		expect_eq "$(tag "$tgt")$1${PSIZE:+ (the first $PSIZE bytes)}: $type $uuid $label${3:+ level $3}" "$got" "$want"
	done
	[ "${2:-}" = norobust ] || [ -n "${PSIZE:-}" ] || images="$images fs:$1"
}

# parts NAME [SECTOR]: PARTUUID/PARTLABEL of partitions 1 to 16 against libblkid's partition probe
# (partx).
parts() {
	img=$work/$1
	sector=${2:-512}
	partx -g -P -S "$sector" -o NR,UUID,NAME "$img" >"$img.partx" 2>&1 || { tap_fail "$1: partx reads it" "$(cat "$img.partx")"; return; }
	want=$(while IFS= read -r line; do
		NR='' UUID='' NAME=''
		eval "$line"
		NAME=$(unescape "$NAME")
		echo "PART=$NR${UUID:+ PARTUUID=$UUID}${NAME:+ PARTLABEL=$NAME}"
	done <"$img.partx")
	cli_all --part all --sector "$sector" "$img"
	k=0
	for tgt in $targets; do
		k=$((k + 1))
		got=$(cat "$work/out.$k")
		expect_eq "$(tag "$tgt")$1: partitions $(cut -d'"' -f2 "$img.partx" | tr '\n' ' ')against partx" "$got" "$want"
	done
}

# disk NAME [SECTOR]: its partitions against partx, and nothing as a filesystem on the whole disk
# (blkid -p says only PTTYPE there).
disk() {
	parts "$@"
	pt=$(blkid -p -o value -s PTTYPE "$img")
	cli_all "$img"
	k=0
	for tgt in $targets; do
		k=$((k + 1))
		if [ "$(cat "$work/rc.$k")" = 0 ]; then r=found; else r=nothing; fi
		expect_eq "$(tag "$tgt")$1: the whole $pt disk is no filesystem" "$r" nothing
	done
	[ "$sector" != 512 ] || images="$images disk:$1"
}

mk ext2 16M mke2fs -q -F -t ext2 -L "with space" -U $U IMG && fs ext2
mk ext3 16M mke2fs -q -F -t ext3 -L ext3-label -U $U IMG && fs ext3
mk ext4 16M mke2fs -q -F -t ext4 -L ext4-label -U $U IMG && fs ext4
mk ext4-nolabel 16M mke2fs -q -F -t ext4 IMG && fs ext4-nolabel norobust
mk ext4-nojournal 16M mke2fs -q -F -t ext4 -O ^has_journal -L nojournal IMG && fs ext4-nojournal
mk ext4-nocsum 16M mke2fs -q -F -t ext4 -O ^metadata_csum,^64bit -L nocsum IMG && fs ext4-nocsum norobust
mk ext3-extents 16M mke2fs -q -F -t ext3 -O extents -L ext3+extents IMG && fs ext3-extents norobust
mk xfs 300M mkfs.xfs -q -f -L xfs-label -m uuid=$U IMG && fs xfs
mk xfs-v4 300M mkfs.xfs -q -f -m crc=0 -L xfsv4 IMG && fs xfs-v4 norobust
mk btrfs 128M mkfs.btrfs -q -f -U $U -L "a btrfs label that is rather longer than sixteen bytes, with spaces" IMG &&
	fs btrfs
mk fat12 2M mkfs.vfat -F 12 -n FAT12LABEL -i 1234ABCD IMG && fs fat12
mk fat16 32M mkfs.vfat -F 16 -n "FAT 16" -i 0BADF00D IMG && fs fat16
mk fat32 64M mkfs.vfat -F 32 -n FAT32LABEL -i DEADBEEF IMG && fs fat32
mk fat32-nolabel 64M mkfs.vfat -F 32 IMG && fs fat32-nolabel norobust
mk fat16-4k 64M mkfs.vfat -F 16 -S 4096 -n SECT4K IMG && fs fat16-4k
mk f2fs 64M mkfs.f2fs -q -f -U $U -l "f2fs-ünïcödé ✓" IMG && fs f2fs
# FAT's label corner cases, patched in place: blkid's LABEL is the root directory's volume entry only.
# patch NAME FROM OFFSET BYTES: copy image FROM to NAME and write BYTES (printf format) at OFFSET.
patch() {
	# shellcheck disable=SC2059 # BYTES is a printf format on purpose (octal escapes)
	cp "$work/$2" "$work/$1" && printf "$4" | dd of="$work/$1" bs=1 seek="$3" conv=notrunc 2>/dev/null
}
# the last copy of the label on disk is the root directory's entry (the boot sectors come first)
rootlab() { grep -obUa "$2" "$work/$1" | tail -n 1 | cut -d: -f1; }
if [ -f "$work/fat16" ] && [ -f "$work/fat32" ]; then
	off16=$(rootlab fat16 "FAT 16") off32=$(rootlab fat32 FAT32LABEL)
	patch fat16-rootdeleted fat16 "$off16" '\345' && fs fat16-rootdeleted norobust
	patch fat16-bootdiffers fat16 43 'BOOTLABEL  ' && fs fat16-bootdiffers norobust
	patch fat16-noname fat16 "$off16" 'NO NAME    ' && fs fat16-noname norobust
	patch fat16-extsig28 fat16 38 '\050' && fs fat16-extsig28 norobust
	patch fat16-nosig fat16 38 '\000' && fs fat16-nosig norobust
	patch fat32-rootdeleted fat32 "$off32" '\345' && fs fat32-rootdeleted norobust
fi
mk fat16-serial0 32M mkfs.vfat -F 16 -i 00000000 -n SERIAL0 IMG && fs fat16-serial0 norobust

# A deliberate difference: a superblock whose checksum is wrong is no filesystem for us (the kernel
# will not mount it, and udev's libblkid does not list it), while blkid -p 2.38 still prints it.
if [ -f "$work/ext4" ]; then
	patch ext4-badcsum ext4 $((1024 + 0x78)) X
	for tgt in $targets; do
		got=$(cli "$tgt" "$work/ext4-badcsum")
		expect_eq "$(tag "$tgt")ext4-badcsum: nothing (blkid -p: $(blkid -p -o value -s TYPE "$work/ext4-badcsum"))" "${got:-(nothing)}" "(nothing)"
	done
fi

mk squashfs - mksquashfs "$work/tree" IMG -noappend -quiet && fs squashfs
mk erofs - mkfs.erofs --quiet -U $U IMG "$work/tree" && fs erofs
# mkfs.erofs 1.5 cannot set a label: write one into the superblock (whose checksum neither blkid 2.38
# nor we check; the kernel does).
[ -f "$work/erofs" ] && patch erofs-label erofs $((1024 + 64)) 'ero label' && fs erofs-label norobust

# iso9660, made by xorriso: the primary volume descriptor's name alone, and with a Joliet (UCS-2) one
# beside it, which blkid merges with the primary's (see probe_iso9660); UUID= is a volume date.
mk iso - xorriso -as mkisofs -quiet -o IMG -V ISO_LABEL "$work/tree" && fs iso
mk iso-joliet - xorriso -as mkisofs -quiet -o IMG -J -V "My Live CD" "$work/tree" && fs iso-joliet
mk iso-lower - xorriso -as mkisofs -quiet -o IMG -V my-live "$work/tree" && fs iso-lower norobust
mk iso-32 - xorriso -as mkisofs -quiet -o IMG -V ABCDEFGHIJKLMNOPQRSTUVWXYZ012345 "$work/tree" && fs iso-32 norobust
mk iso-32-joliet - xorriso -as mkisofs -quiet -o IMG -J -V abcdefghijklmnopqrstuvwxyz-01234 "$work/tree" &&
	fs iso-32-joliet
mk iso-unicode - xorriso -as mkisofs -quiet -o IMG -J -V "ünï cödé ✓ label" "$work/tree" && fs iso-unicode norobust
# The two volume dates told apart: blkid's UUID is the modification date, the creation date when that
# one is "not specified" (sixteen '0' and a zero time zone), else none.
mk iso-dates - xorriso -outdev IMG -volume_date c 2020010203040500 -volume_date m 2021050607080900 \
	-volid DATES -map "$work/tree" / && fs iso-dates norobust
if [ -f "$work/iso-dates" ]; then
	patch iso-nomdate iso-dates $((32768 + 830)) '0000000000000000\0' && fs iso-nomdate norobust
	patch iso-nodates iso-nomdate $((32768 + 813)) '0000000000000000\0' && fs iso-nodates norobust
fi
# The label rule, with the Joliet name (the descriptor at 34 KiB here) and the primary's patched apart.
# jname TEXT: TEXT's UCS-2 BE bytes, padded with spaces to 32 bytes, as printf octal escapes.
jname() {
	# shellcheck disable=SC2046 # the words are od's octal bytes
	set -- $(printf '%s' "$1" | iconv -f UTF-8 -t UTF-16BE | od -An -v -to1)
	out='' n=0
	for o in "$@"; do
		[ $n -lt 32 ] && out="$out\\$o" && n=$((n + 1))
	done
	while [ $n -lt 32 ]; do
		out="$out\\000 " && n=$((n + 2))
	done
	printf '%s' "$out"
}
if [ -f "$work/iso-joliet" ] && [ "$(od -An -tu1 -j $((32768 + 2048)) -N1 "$work/iso-joliet" | tr -d ' ')" = 2 ]; then
	pvd=$((32768 + 40)) jol=$((32768 + 2048 + 40))
	# isojp NAME PRIMARY JOLIET: an image whose primary name is PRIMARY (printf format, padded with
	# spaces) and Joliet name JOLIET (UTF-8 text, or a printf format when it starts with a backslash).
	isojp() {
		case $3 in \\*) j=$3 ;; *) j=$(jname "$3") ;; esac
		# shellcheck disable=SC2059 # J is a printf format on purpose (octal escapes)
		patch "$1" iso-joliet $pvd "$(printf '%-32s' "$2")" &&
			printf "$j" | dd of="$work/$1" bs=1 seek=$jol conv=notrunc 2>/dev/null && fs "$1" norobust
	}
	isojp iso-j-case "MY LIVE CD" "My Live CD"
	isojp iso-j-mixedcase "AbCdEfGh" "aBcDeFgH"
	isojp iso-j-long ABCDEFGHIJKLMNOPQRSTUVWXYZ012345 abcdefghijklmnop
	isojp iso-j-underscore "aBC_EFGHIJKLMNOPQRS" "AbC-efghijklmnop"
	isojp iso-j-differs ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnoX
	isojp iso-j-shorter ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefgh
	isojp iso-j-nul "aBCDEFGHIJKLMNOPQRS" '\000A\000b\000C\000d\000e\000f\000g\000h\000i\000j\000k\000l\000m\000n\000o\000\000'
	isojp iso-j-blank ABCD ""
	isojp iso-j-empty ABCD '\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000'
	isojp iso-j-surrogate _CDEFGHIJKLMNOPQRS "😀cdefghijklmnop"
	isojp iso-j-latin1 'ABCDEFGHIJKLMNOP\374n\357' abcdefghijklmnop
	isojp iso-j-latin1-match '\351BCDEFGHIJKLMNOPQRS' ébcdefghijklmnop
	# Another supplementary descriptor than Joliet's (escape sequence %/G): the primary's name alone.
	patch iso-notjoliet iso-j-long $((32768 + 2048 + 90)) G && fs iso-notjoliet norobust
fi
# A hybrid image as grub-mkrescue writes it (an MBR and a GPT in front, the descriptors at 32 KiB):
# the whole disk is the ISO.
if command -v grub-mkrescue >/dev/null && [ -d /usr/lib/grub/i386-pc ]; then
	mkdir -p "$work/grub/boot/grub" && echo 'set timeout=0' >"$work/grub/boot/grub/grub.cfg"
	mk iso-grub - grub-mkrescue -o IMG "$work/grub" -- -volid GRUB_RESCUE && fs iso-grub && parts iso-grub
else
	tap_skip iso-grub "grub-mkrescue (grub-common, grub-pc-bin) not installed"
fi
mk gpt 16M sgdisk -n1:2048:+4M -c1:"EFI system" -u1:11111111-2222-3333-4444-555555555555 \
	-n3:0:+4M -c3:"räksmörgås ✓" -n4:0:+2M -c4:"trailing  " IMG && disk gpt
printf 'label: dos\nlabel-id: 0x1234abcd\n,2M,83\n,2M,83\n,10M,5\n,1M,83\n,1M,83\n,1M,83\n' >"$work/mbr.sfdisk"
# shellcheck disable=SC2016 # the sh -c script expands its own $1 and $2
mk mbr 16M sh -c 'sfdisk -q "$1" <"$2"' sh IMG "$work/mbr.sfdisk" && disk mbr
printf 'label: dos\nlabel-id: 0x0000c0de\n,1M,83\n,12M,f\n,1M,c\n,1M,83\n,1M,7\n' >"$work/mbr2.sfdisk"
# shellcheck disable=SC2016 # the sh -c script expands its own $1 and $2
mk mbr-lba-ext 16M sh -c 'sfdisk -q "$1" <"$2"' sh IMG "$work/mbr2.sfdisk" && disk mbr-lba-ext

printf 'label: dos\nlabel-id: 0x0\n,2M,83\n,2M,83\n' >"$work/mbr-nosig.sfdisk"
# shellcheck disable=SC2016 # the sh -c script expands its own $1 and $2
mk mbr-nosig 16M sh -c 'sfdisk -q "$1" <"$2"' sh IMG "$work/mbr-nosig.sfdisk" && disk mbr-nosig
# A GPT for 4096-byte logical sectors: written through a loop device that has them.
if [ "$(id -u)" = 0 ] && command -v sgdisk >/dev/null && command -v losetup >/dev/null; then
	rm -f "$work/gpt-4k" && truncate -s 32M "$work/gpt-4k"
	if loop=$(losetup -f --show -b 4096 "$work/gpt-4k" 2>/dev/null); then
		sgdisk -n1:0:+4M -c1:"four k" -n2:0:+4M -c2:second "$loop" >"$work/gpt-4k.log" 2>&1
		rc=$?
		losetup -d "$loop"
		if [ $rc = 0 ]; then disk gpt-4k 4096; else tap_fail "gpt-4k: made with sgdisk" "$(tail -n 5 "$work/gpt-4k.log")"; fi
	else
		tap_skip "gpt-4k" "no loop device with 4096-byte sectors here"
	fi
else
	tap_skip "gpt-4k" "needs root, sgdisk and losetup (a loop device with 4096-byte sectors)"
fi

# --- the containers and swap, probed before the filesystems, against blkid the same way ---
# LUKS1 and LUKS2 on a plain file (no device-mapper needed to format), a cheap PBKDF: only the header
# matters here.
printf 'a key file, not a passphrase' >"$work/luks.key"
luks() {
	name=$1
	shift
	mk "$name" 20M cryptsetup luksFormat -q --pbkdf pbkdf2 --pbkdf-force-iterations 1000 --key-file "$work/luks.key" "$@" IMG
}
luks luks1 --type luks1 --uuid $U && fs luks1
luks luks2 --type luks2 --uuid $U --label "root disk" && fs luks2
luks luks2-nolabel --type luks2 && fs luks2-nolabel norobust
# The primary LUKS2 header's magic wiped: blkid finds the secondary header (at 16 KiB here).
[ -f "$work/luks2" ] && patch luks2-secondary luks2 0 '\0\0\0\0\0\0' && fs luks2-secondary norobust
# A LUKS volume whose encrypted data happens to hold an ext4's magic is still LUKS.
[ -f "$work/luks1" ] && patch luks1-ext4magic luks1 $((1024 + 0x38)) '\123\357' && fs luks1-ext4magic norobust

# LVM2 physical volumes: pvcreate needs a block device, so a loop device over the image, and a
# configuration that looks at that device only (no udev, no devices file).
PVU=AbCdEf-0123-4567-89ab-CDEF-ghij-klMNop
pv() {
	name=$1
	shift
	rm -f "$work/$name" && truncate -s 16M "$work/$name"
	if ! loop=$(losetup -f --show "$work/$name" 2>"$work/$name.log"); then
		tap_fail "$name: a loop device for pvcreate" "$(cat "$work/$name.log")"
		return 1
	fi
	LVM_SUPPRESS_FD_WARNINGS=1 lvm pvcreate -ff -y "$@" --config "devices { filter = [ \"a|^$loop\$|\", \"r|.*|\" ] \
use_devicesfile = 0 obtain_device_list_from_udev = 0 }" "$loop" >"$work/$name.log" 2>&1
	rc=$?
	losetup -d "$loop"
	[ $rc = 0 ] || tap_fail "$name: made with pvcreate" "$(tail -n 5 "$work/$name.log")"
	return $rc
}
if [ "$(id -u)" = 0 ] && command -v lvm >/dev/null && command -v losetup >/dev/null; then
	pv lvm-pv --uuid $PVU --norestorefile && fs lvm-pv
	pv lvm-pv-sector3 --labelsector 3 && fs lvm-pv-sector3 norobust
	pv lvm-pv-sector0 --labelsector 0 && fs lvm-pv-sector0 norobust
	# A label whose checksum is wrong is nothing, for blkid as for us.
	[ -f "$work/lvm-pv" ] && patch lvm-pv-badcrc lvm-pv $((512 + 40)) X && fs lvm-pv-badcrc norobust
else
	tap_skip "lvm-pv" "needs root, lvm2 (pvcreate) and losetup"
fi

# Swap areas, and hibernation images: the kernel rewrites the signature (S1SUSPEND) and keeps the rest
# of the first page; uswsusp and others their own.
mk swap 16M mkswap -U $U -L swaplabel IMG && fs swap
mk swap-nolabel 16M mkswap IMG && fs swap-nolabel norobust
mk swap-64k 16M mkswap -p 65536 -L big-pages IMG && fs swap-64k norobust
if [ -f "$work/swap" ] && [ -f "$work/swap-64k" ]; then
	patch swsuspend swap 4086 'S1SUSPEND\0' && fs swsuspend
	patch swsuspend-ul swap 4086 'ULSUSPEND\0' && fs swsuspend-ul norobust
	patch swsuspend-linhib swap-64k 65526 'LINHIB0001' && fs swsuspend-linhib norobust
	# TuxOnIce's magic at 0 keeps the swap signature: a hibernation image, not swap
	patch swsuspend-toi swap 0 '\355\303\002\351\230\126\345\014' && fs swsuspend-toi norobust
	patch swap-v0 swap 4086 'SWAP-SPACE' && fs swap-v0 norobust
	# The header as a big-endian machine (s390x) writes it: the version and the last page big-endian.
	last=$(od -An -tu1 -j1028 -N4 "$work/swap" | awk '{ printf "\\%03o\\%03o\\%03o\\%03o", $4, $3, $2, $1 }')
	patch swap-be swap 1024 "\\000\\000\\000\\001$last" && fs swap-be norobust
	patch swap-badversion swap 1024 '\2' && fs swap-badversion norobust
	# fewer than ten pages: too small to be swap, for blkid as for us
	patch swap-small swap 0 '' && truncate -s 40959 "$work/swap-small" && fs swap-small norobust
fi

# MD RAID members: no md in this kernel, so the superblocks are written by mdsuper.py per the on-disk
# format; blkid (libblkid) is the reference for what they say, mdadm --examine for their checksums.
md() {
	name=$1 version=$2 level=$3
	shift 3
	[ -f "$work/$name" ] || truncate -s 16M "$work/$name"
	if ! "$top/init/tests/mdsuper.py" "$@" --level "$level" "$version" "$work/$name" >"$work/$name.data" 2>&1; then
		tap_fail "$name: written by mdsuper.py" "$(cat "$work/$name.data")"
		return 1
	fi
	if command -v mdadm >/dev/null && [ "$version" != 0.90 ]; then
		mdadm --examine "$work/$name" >"$work/$name.examine" 2>&1
	fi
	return 0
}
# checksum NAME WORD: mdadm --examine's verdict on the member's checksum ("correct" or "expected")
checksum() {
	if command -v mdadm >/dev/null; then
		expect_grep "$1: mdadm --examine finds the checksum $2" "$work/$1.examine" "Checksum : .* $2"
	fi
}
MDU=0a1b2c3d-4e5f-4061-8273-8495a6b7c8d9
md md-0.90 0.90 1 --uuid $MDU && fs md-0.90 robust 1
md md-0.90-be 0.90 5 --uuid $MDU --big-endian && fs md-0.90-be norobust 5
md md-1.0 1.0 1 --uuid $MDU --name "host:root" && fs md-1.0 robust 1 && checksum md-1.0 correct
md md-1.1 1.1 -1 --uuid $MDU --name "host:linear" && fs md-1.1 robust -1 && checksum md-1.1 correct
md md-1.2 1.2 5 --uuid $MDU --name "any:r5" && fs md-1.2 robust 5 && checksum md-1.2 correct
md md-1.2-raid10 1.2 10 --name "a name that fills all 32 bytes!" && fs md-1.2-raid10 norobust 10
# The checksum over an odd number of roles ends on a half word; 1920 roles fill the 4 KiB the kernel reads.
md md-1.2-maxdev3 1.2 6 --name odd --max-dev 3 && fs md-1.2-maxdev3 norobust 6 && checksum md-1.2-maxdev3 correct
md md-1.1-maxdev1920 1.1 1 --name full --max-dev 1920 && fs md-1.1-maxdev1920 norobust 1 &&
	checksum md-1.1-maxdev1920 correct
# A RAID1 member with metadata 1.0 holds its array's ext4 at offset 0: blkid says linux_raid_member,
# and so must we; the data area alone (the first data_size bytes) is the ext4.
if mk md-1.0-ext4 16M mke2fs -q -F -t ext4 -L inside IMG 15M && md md-1.0-ext4 1.0 1 --uuid $MDU --name h:data; then
	fs md-1.0-ext4 robust 1
	PSIZE=$(cut -d' ' -f2 "$work/md-1.0-ext4.data")
	fs md-1.0-ext4
	PSIZE=
fi
if mk md-0.90-ext4 16M mke2fs -q -F -t ext4 -L inside IMG 15M && md md-0.90-ext4 0.90 1 --uuid $MDU; then
	fs md-0.90-ext4 norobust 1
fi
# An MBR disk whose last partition, a 0.90 member, ends where the disk does: its superblock is at the
# disk's end too, and belongs to the partition (blkid -p on the disk says PTTYPE only).
printf 'label: dos\nlabel-id: 0x00c0ffee\n,15M,83\n,,fd\n' >"$work/md-mbr.sfdisk"
# shellcheck disable=SC2016 # the sh -c script expands its own $1 and $2
if mk md-mbr 32M sh -c 'sfdisk -q "$1" <"$2"' sh IMG "$work/md-mbr.sfdisk"; then
	start=$(partx -g -n 2 -o START "$work/md-mbr" | tr -d ' ')
	sectors=$(partx -g -n 2 -o SECTORS "$work/md-mbr" | tr -d ' ')
	truncate -s $((sectors * 512)) "$work/md-mbr-p2"
	if md md-mbr-p2 0.90 1 --uuid $MDU; then
		fs md-mbr-p2 norobust 1
		dd if="$work/md-mbr-p2" of="$work/md-mbr" bs=512 seek="$start" conv=notrunc,sparse 2>/dev/null
		disk md-mbr
	fi
fi
# A deliberate difference, as for ext4: a version-1 superblock whose checksum is wrong (a member wiped
# badly, a disk reused) is nothing for us, as for the kernel; blkid 2.38 does not check it.
if md md-1.2-badcsum 1.2 1 --uuid $MDU --name stale --bad-csum; then
	checksum md-1.2-badcsum expected
	for tgt in $targets; do
		got=$(cli "$tgt" "$work/md-1.2-badcsum")
		expect_eq "$(tag "$tgt")md-1.2-badcsum: nothing (blkid -p: $(blkid -p -o value -s TYPE "$work/md-1.2-badcsum"))" "${got:-(nothing)}" "(nothing)"
	done
fi

# The robustness tests, numbered on from here: on the host under ASan/UBSan, every image. Under
# emulation (no sanitizer: what shows is a crash, an unaligned access trapping, a cut read wrongly) only
# on s390x (big-endian) and armhf (32-bit, traps on some unaligned loads), and on one image of each kind
# (ROBUST_CROSS): ~13 s per architecture so, where every image would take about a minute.
ROBUST_CROSS="fs:ext4 fs:xfs fs:btrfs fs:fat12 fs:fat32 fs:f2fs fs:squashfs fs:erofs fs:iso-joliet fs:luks1 fs:luks2 \
fs:lvm-pv fs:swap fs:md-0.90 fs:md-1.0 fs:md-1.2 fs:md-1.0-ext4 disk:gpt disk:mbr disk:mbr-lba-ext"
cross_list=
for i in $images; do
	case " $ROBUST_CROSS " in *" $i "*) cross_list="$cross_list $i" ;; esac
done
# Every answer of an image's cuts and mutations, folded into one number by test-blockprobe ("# answers
# IMAGE HEX"), must be the host's: the host's build, on the same list, is the reference.
if [ "$targets" != host ]; then
	# shellcheck disable=SC2086 # a list of words: fs:NAME and disk:NAME, names without spaces
	(cd "$work" && "$TEST" $cross_list) 2>&1 | grep '^# answers ' >"$work/host.answers"
	[ -s "$work/host.answers" ] || [ -z "$cross_list" ] ||
		tap_fail "the host's test-blockprobe gives the reference answers" "none printed for:$cross_list"
fi
for tgt in $targets; do
	if [ "$tgt" = host ]; then
		set -- "$TEST"
		list=$images
	else
		case $tgt in s390x:* | armhf:*) ;; *) continue ;; esac
		set -- "${tgt#*:}" "$B/${tgt%%:*}/tests/test-blockprobe"
		list=$cross_list
	fi
	# shellcheck disable=SC2086 # list is a list of words: fs:NAME and disk:NAME, names without spaces
	(cd "$work" && "$@" $list) >"$work/test.tap" 2>"$work/test.err"
	rc=$?
	pre=$(tag "$tgt")
	while IFS= read -r line; do
		case $line in
		"ok "*) _tap_n=$((_tap_n + 1)); rest=${line#ok [0-9]* }; echo "ok $_tap_n - $pre${rest#- }" ;;
		"not ok "*) _tap_n=$((_tap_n + 1)); rest=${line#not ok [0-9]* }; echo "not ok $_tap_n - $pre${rest#- }" ;;
		1..*) ;;
		*) echo "$line" ;;
		esac
	done <"$work/test.tap"
	if [ $rc != 0 ] && ! grep -q '^not ok' "$work/test.tap"; then
		tap_fail "${pre}test-blockprobe exited with status $rc" "$(tail -n 20 "$work/test.err")"
	fi
	[ "$tgt" = host ] && continue
	while read -r _ _ name want; do
		got=$(awk -v n="$name" '$1 == "#" && $2 == "answers" && $3 == n { print $4 }' "$work/test.tap")
		expect_eq "$pre$name: every answer of its cuts and mutations is the host's" "${got:-(none)}" "$want"
	done <"$work/host.answers"
done
tap_done
