# qemu-tests/lib.sh — shared by qemu-tests/run and qemu-tests/demo (bash, sourced).
# shellcheck shell=bash
#
# Builds what a boot needs (kernel, root disk, initramfs), boots one QEMU guest under a hard timeout and
# a no-output watchdog, and judges the serial log plus the exit status against a scenario.
#
# The contract with the guest (see README.md):
#   status 85   = (0x2a << 1) | 1, written to isa-debug-exit only by the probe on the real root; it is
#                 impossible from poweroff, reboot or a panic under "panic=-1 -no-reboot" (all 0),
#                 QEMU's own errors (1) or our kill (we record that ourselves).
#   serial log  = kernel console + PID 1 output (console=ttyS0), CRs stripped before matching.

ER_TOP=${ER_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
ER_BUILD=${BUILD:-build}
case $ER_BUILD in /*) ;; *) ER_BUILD=$ER_TOP/$ER_BUILD ;; esac
ER_QEMU=${EARLYROOT_QEMU:-qemu-system-x86_64}
# The guest architectures (QEMU, machine, console, disk, exit, kernel, compiler): one table, er_arch.
# shellcheck source=qemu-tests/arch.sh
. "$ER_TOP/qemu-tests/arch.sh"
ER_MKINITRAMFS=${EARLYROOT_MKINITRAMFS:-$ER_BUILD/mkinitramfs}
ER_MODULES=${EARLYROOT_MODULES:-virtio_pci,virtio_blk,ext4}
# Always on the command line before the scenario's own arguments. panic=-1 + -no-reboot: a panic ends
# QEMU at once (status 0) instead of hanging until the timeout; oops=panic makes an oops fatal too.
# shellcheck disable=SC2034 # read by run, demo and boot, which source this file
ER_BASE_APPEND=${EARLYROOT_BASE_APPEND:-console=ttyS0 panic=-1 oops=panic}
# Forbidden in every scenario unless it says default_forbid=no. An initramfs the kernel could not (fully)
# unpack is a broken image even when the boot happens to get through.
ER_DEFAULT_FORBID=('Kernel panic' 'BUG:' 'Oops' 'Call Trace' 'Initramfs unpacking failed')
PATH=$PATH:/sbin:/usr/sbin

[ -n "${EPOCHREALTIME:-}" ] || { echo "qemu-tests: needs bash 5 (EPOCHREALTIME)" >&2; exit 1; }
er_now() { echo "$EPOCHREALTIME"; }
# er_elapsed START — seconds since START with one decimal.
er_elapsed() { awk -v a="$1" -v b="$(er_now)" 'BEGIN { printf "%.1f", b - a }'; }
er_die() { echo "qemu-tests: $*" >&2; exit 1; }

# er_kernel [DIR] — sets ER_KDIR, ER_KVER, ER_VMLINUZ. DIR (or $EARLYROOT_KERNEL_DIR) is a directory
# laid out like fetch-kernel's: boot/vmlinuz-KVER, lib/modules/KVER, and a `kver` file; or a kernel
# build tree (in-tree or its O= directory) after `make`, no modules_install: er_kernel_tree stages it
# into that layout and ER_KDIR is the staging directory, so mkinitramfs -b ER_KDIR -k ER_KVER works.
er_kernel() {
	ER_KDIR=${1:-${EARLYROOT_KERNEL_DIR:-}}
	if [ -z "$ER_KDIR" ]; then
		ER_KDIR=$("$ER_TOP/qemu-tests/fetch-kernel" generic) || return 1
	fi
	[ -d "$ER_KDIR" ] || { echo "kernel directory $ER_KDIR does not exist" >&2; return 1; }
	if [ ! -f "$ER_KDIR/kver" ] && [ ! -d "$ER_KDIR/lib/modules" ]; then
		if [ -f "$ER_KDIR/include/config/kernel.release" ]; then
			ER_KDIR=$(er_kernel_tree "$ER_KDIR") || return 1
		elif [ -f "$ER_KDIR/Kconfig" ] && [ -f "$ER_KDIR/Makefile" ] && [ -d "$ER_KDIR/arch" ]; then
			echo "$ER_KDIR is a kernel source tree without a build (no include/config/kernel.release): give the O= directory" >&2
			return 1
		fi
	fi
	if [ -f "$ER_KDIR/kver" ]; then
		ER_KVER=$(cat "$ER_KDIR/kver")
	else
		# shellcheck disable=SC2012 # the first name there, a kernel version (no odd characters)
		ER_KVER=$(ls "$ER_KDIR/lib/modules" 2>/dev/null | head -n1)
	fi
	ER_VMLINUZ=$ER_KDIR/boot/vmlinuz-$ER_KVER
	# Debian's ppc64el kernel is an ELF boot/vmlinux-KVER, which -M pseries takes as it is.
	[ -f "$ER_VMLINUZ" ] || [ ! -f "$ER_KDIR/boot/vmlinux-$ER_KVER" ] || ER_VMLINUZ=$ER_KDIR/boot/vmlinux-$ER_KVER
	{ [ -n "$ER_KVER" ] && [ -f "$ER_VMLINUZ" ] && [ -d "$ER_KDIR/lib/modules/$ER_KVER" ]; } ||
		{ echo "$ER_KDIR: no boot/vmlinuz-KVER with lib/modules/KVER, nor a kernel build tree" >&2; return 1; }
}

# er_kernel_tree TREE — prints a directory laid out like fetch-kernel's for the kernel build tree TREE:
# boot/vmlinuz-KVER and boot/config-KVER link to the tree's image and .config, lib/modules/KVER holds
# links to the .ko files modules.order names (at the paths modules_install would give them), the
# tree's modules.builtin*, and depmod's indexes. Staged in the cache, not a caller's work directory:
# run and boot both call er_kernel, run several times, and a rebuild of the same tree replaces its
# stage. The key is the tree's path, its kernel.release and the mtimes of modules.order and every
# module, so a rebuilt module gets a fresh depmod. Links, not copies: a distribution-sized tree has
# gigabytes of unstripped modules, and mkinitramfs and depmod read through links.
er_kernel_tree() {
	local tree kver image='' order mods=() m p key dir cache tmp old
	tree=$(cd "$1" && pwd -P) || return 1
	{ kver=$(cat "$tree/include/config/kernel.release") && [ -n "$kver" ]; } ||
		{ echo "$tree: an empty include/config/kernel.release" >&2; return 1; }
	# A tree is built for one architecture: whichever image is there.
	for m in arch/x86/boot/bzImage arch/arm64/boot/Image; do
		[ -f "$tree/$m" ] && image=$tree/$m && break
	done
	[ -n "$image" ] || { echo "$tree: a kernel build tree ($kver) without its image (arch/x86/boot/bzImage or arch/arm64/boot/Image): run make" >&2; return 1; }
	# modules.order names objects: drivers/block/virtio_blk.ko (6.1), .o (6.2 on), kernel/... (older).
	order=$tree/modules.order
	if [ -f "$order" ]; then
		while IFS= read -r m; do
			[ -n "$m" ] || continue
			m=${m#kernel/} m=${m%.o} m=${m%.ko}
			[ -f "$tree/$m.ko" ] || { echo "$tree: modules.order names $m.ko, which is not built: run make modules" >&2; return 1; }
			mods+=("$m")
		done <"$order"
	fi
	key=$({ echo "$tree $kver"; [ -f "$order" ] && stat -c '%n %Y' "$order"
		for m in "${mods[@]}"; do echo "$m.ko"; done | (cd "$tree" && xargs -r stat -c '%n %Y'); } |
		sha256sum | cut -c1-12) || return 1
	cache=${EARLYROOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/earlyroot}/kernels
	dir=$cache/tree_$key
	if [ ! -f "$dir/kver" ]; then
		mkdir -p "$cache" && tmp=$(mktemp -d "$cache/.tree.XXXXXX") || return 1
		p=$tmp/lib/modules/$kver
		{ mkdir -p "$tmp/boot" "$p" && ln -s "$image" "$tmp/boot/vmlinuz-$kver"; } || { rm -rf "$tmp"; return 1; }
		[ ! -f "$tree/.config" ] || ln -s "$tree/.config" "$tmp/boot/config-$kver"
		for m in "${mods[@]}"; do
			{ mkdir -p "$p/kernel/${m%/*}" && ln -s "$tree/$m.ko" "$p/kernel/$m.ko"; } || { rm -rf "$tmp"; return 1; }
			echo "kernel/$m.ko"
		done >"$p/modules.order"
		# modules.builtin as modules_install writes it: kernel/PATH.ko lines.
		if [ -f "$tree/modules.builtin" ]; then
			sed -e 's|^kernel/||' -e 's|\.o$||' -e 's|\.ko$||' -e 's|^\(.\)|kernel/\1|' -e 's|$|.ko|' \
				"$tree/modules.builtin" | grep -v '^\.ko$' >"$p/modules.builtin"
		else
			: >"$p/modules.builtin"
		fi
		[ ! -f "$tree/modules.builtin.modinfo" ] || cp "$tree/modules.builtin.modinfo" "$p/"
		if ! depmod -b "$tmp" "$kver" 2>"$tmp/depmod.err"; then
			echo "$tree: depmod failed: $(tail -n1 "$tmp/depmod.err")" >&2
			rm -rf "$tmp"
			return 1
		fi
		rm -f "$tmp/depmod.err"
		{ echo "$kver" >"$tmp/kver" && echo "$tree" >"$tmp/tree"; } || { rm -rf "$tmp"; return 1; }
		# Another boot may have staged the same key meanwhile: the first rename wins.
		mv -T "$tmp" "$dir" 2>/dev/null || rm -rf "$tmp"
		# The stages of this tree's earlier builds are stale.
		for old in "$cache"/tree_*; do
			[ "$old" != "$dir" ] && [ "$(cat "$old/tree" 2>/dev/null)" = "$tree" ] && rm -rf "$old"
		done
	fi
	echo "$dir"
}

# er_accel — sets ER_ACCEL (kvm|tcg), ER_ACCEL_ARGS and ER_ACCEL_WHY. KVM when /dev/kvm can be opened
# read-write (as every peer harness checks); EARLYROOT_QEMU_ACCEL=tcg|kvm overrides.
# shellcheck disable=SC2034 # ER_ACCEL and ER_ACCEL_WHY are for run, demo and boot, which source this file
er_accel() {
	local want=${EARLYROOT_QEMU_ACCEL:-auto}
	if [ "$want" = kvm ] || { [ "$want" = auto ] && [ -c /dev/kvm ] && [ -r /dev/kvm ] && [ -w /dev/kvm ] &&
		{ : 2>/dev/null <>/dev/kvm; }; }; then
		ER_ACCEL=kvm ER_ACCEL_WHY="/dev/kvm is usable"
		[ "$want" = kvm ] && ER_ACCEL_WHY="EARLYROOT_QEMU_ACCEL=kvm"
	else
		ER_ACCEL=tcg ER_ACCEL_WHY="no usable /dev/kvm"
		[ "$want" = tcg ] && ER_ACCEL_WHY="EARLYROOT_QEMU_ACCEL=tcg"
	fi
}
er_accel_args() { # er_accel_args kvm|tcg
	if [ "$1" = kvm ]; then echo "-accel kvm -cpu host"; else echo "-accel tcg -cpu max"; fi
}

# er_probe OUTDIR — sets ER_PROBE: build/probe when it is newer than tests/probe.c, else compiled into
# OUTDIR (never into build/, which the top Makefile owns).
er_probe() {
	local src=$ER_TOP/tests/probe.c
	if [ -x "$ER_BUILD/probe" ] && ! [ "$src" -nt "$ER_BUILD/probe" ]; then
		ER_PROBE=$ER_BUILD/probe
		return 0
	fi
	ER_PROBE=$1/probe
	${MUSL_CC:-musl-gcc} -static -Os -std=gnu11 -Wall -Wextra -Werror "$src" -o "$ER_PROBE" -s ||
		{ echo "cannot build the probe from $src" >&2; return 1; }
}

# er_probe_arch ARCH OUTDIR — sets ER_PROBES[ARCH]: the probe built for ARCH (static, musl), as er_probe
# does: build/ARCH/probe (mk/cross.mk) when up to date, else compiled into OUTDIR with the table's compiler
# (er_arch: its packages are named when it is missing).
declare -A ER_PROBES
er_probe_arch() {
	local src=$ER_TOP/tests/probe.c
	er_arch "$1" || return 1
	if [ "$1" = x86_64 ]; then
		er_probe "$2" && ER_PROBES[$1]=$ER_PROBE
		return
	fi
	if [ -x "$ER_A_BUILD/probe" ] && ! [ "$src" -nt "$ER_A_BUILD/probe" ]; then
		ER_PROBES[$1]=$ER_A_BUILD/probe
		return 0
	fi
	er_arch_cc "$src" "$2/probe.$1" || return 1
	ER_PROBES[$1]=$2/probe.$1
}

# er_rootdisk OUT [TYPE [ARCH]] — a root disk image made without mounts or privileges, holding the probe as
# /sbin/init and /sbin/probe, /etc/probe.conf = exit=isa-debug-exit, empty /dev /proc /sys /run.
# ARCH (er_arch; default x86_64) not x86_64: ER_PROBES[ARCH] (er_probe_arch), and the table's exit= mode
# (poweroff-marker where there is no isa-debug-exit; see er_boot).
#   ext4 (default)  the whole disk, mke2fs -d, LABEL=earlyroot-test, the UUID below
#   ext2            the same made as ext2 (no journal, no extents), LABEL=earlyroot-ext2, 4 KiB blocks
#                   (so that a CD drive, 2 KiB sectors, can hold it too: ER_MEDIUM_AFTER)
#   xfs             the whole disk, mkfs.xfs -p (a protofile), LABEL=er-xfs-root (xfs allows 12 characters), ER_XFS_UUID
#   btrfs           the whole disk, mkfs.btrfs --rootdir, LABEL=earlyroot-btrfs, ER_BTRFS_UUID
#   gpt-ext4        a GPT disk: partition 1 "earlyroot-spare" (empty), partition 2 "earlyroot-root"
#                   (unique GUID ER_GPT_PART2) holding the ext4 filesystem
# er_roottree DIR [ARCH] — the tree every root disk and live image is made from (see er_rootdisk).
er_roottree() {
	local dir=$1 probe=${ER_PROBE:-} arch=${2:-x86_64}
	er_arch "$arch" || return 1
	[ "$arch" = x86_64 ] || probe=${ER_PROBES[$arch]:-}
	[ -n "$probe" ] || { echo "no probe built for $arch (er_probe_arch)" >&2; return 1; }
	rm -rf "$dir" && mkdir -p "$dir/sbin" "$dir/etc" "$dir/dev" "$dir/proc" "$dir/sys" "$dir/run" || return 1
	cp "$probe" "$dir/sbin/init" && cp "$probe" "$dir/sbin/probe" || return 1
	chmod 0755 "$dir/sbin/init" "$dir/sbin/probe"
	echo "exit=$ER_A_EXIT" >"$dir/etc/probe.conf"
}

ER_EXT4_UUID=6b0a3c5e-7d1f-4e2a-9c3b-5a8e0f1d2c4b
ER_XFS_UUID=3f1e9a52-0c6b-4d7e-8a24-9b5c1d0e7f63
ER_BTRFS_UUID=a7c2e4f1-5b3d-4e8a-9f60-1d2c3b4a5e6f
ER_GPT_PART2=5d8e1c3a-2b7f-4a96-8e0d-4c1b2a3f9e87
er_rootdisk() {
	local out=$1 type=${2:-ext4} dir=$1.d
	er_roottree "$dir" "${3:-x86_64}" || return 1
	rm -f "$out"
	case $type in
	ext4)
		mke2fs -q -F -t ext4 -L earlyroot-test -U "$ER_EXT4_UUID" \
			-E root_owner=0:0 -d "$dir" "$out" 16M >"$out.mkfs.log" 2>&1 ;;
	ext2)
		mke2fs -q -F -t ext2 -b 4096 -L earlyroot-ext2 -E root_owner=0:0 -d "$dir" "$out" 16M >"$out.mkfs.log" 2>&1 ;;
	xfs) # mkfs.xfs fills a filesystem only from a protofile; xfs wants 300 MiB (sparse here)
		{
			echo "/dev/null"; echo "0 0"; echo "d--755 0 0"
			echo "sbin d--755 0 0"
			echo "init ---755 0 0 $dir/sbin/init"; echo "probe ---755 0 0 $dir/sbin/probe"; echo '$'
			echo "etc d--755 0 0"; echo "probe.conf ---644 0 0 $dir/etc/probe.conf"; echo '$'
			for d in dev proc sys run; do echo "$d d--755 0 0"; echo '$'; done
			echo '$'
		} >"$out.proto"
		truncate -s 300M "$out" &&
			mkfs.xfs -q -f -L er-xfs-root -m uuid="$ER_XFS_UUID" -p "$out.proto" "$out" >"$out.mkfs.log" 2>&1 ;;
	btrfs)
		truncate -s 200M "$out" &&
			mkfs.btrfs -q -f -L earlyroot-btrfs -U "$ER_BTRFS_UUID" --rootdir "$dir" "$out" >"$out.mkfs.log" 2>&1 ;;
	gpt-ext4)
		truncate -s 40M "$out" &&
			sgdisk -o -n1:2048:+8M -c1:earlyroot-spare -n2:0:+24M -c2:earlyroot-root -u2:"$ER_GPT_PART2" \
				"$out" >"$out.mkfs.log" 2>&1 &&
			mke2fs -q -F -t ext4 -E root_owner=0:0 -d "$dir" "$out.part" 24M >>"$out.mkfs.log" 2>&1 &&
			dd if="$out.part" of="$out" bs=512 conv=notrunc status=none \
				seek="$(sgdisk -i 2 "$out" | sed -n 's/^First sector: \([0-9]*\).*/\1/p')" &&
			rm -f "$out.part" ;;
	*) echo "unknown root disk type $type (ext4, ext2, xfs, btrfs, gpt-ext4)" >"$out.mkfs.log"; false ;;
	esac || { cat "$out.mkfs.log" >&2; return 1; }
}

# er_initramfs OUT COMPRESSION PAD_MIB [MODULES [ARGS]] — build/mkinitramfs for ER_KDIR/ER_KVER with
# ER_MODULES and MODULES (comma-separated, e.g. a root filesystem's) and more mkinitramfs ARGS (--shell);
# COMPRESSION "default" passes no -z. With PAD_MIB > 0 a second, uncompressed newc archive with PAD_MIB MiB of files under
# /padding is appended (the kernel unpacks concatenated archives), so that an init which does not empty
# the initramfs leaves that memory in use. PAD_FILES > 0 spreads the PAD_MIB over that many files
# (qemu-tests/mkpadding), instead of 16 MiB ones.
er_initramfs() {
	local out=$1 z=$2 pad=${3:-0} extra=${4:-} args=${5:-} padfiles=${6:-0} zopt=() mopt=() base=$ER_MODULES
	[ "$z" = default ] || zopt=(-z "$z")
	# MODULES "only:LIST": LIST instead of ER_MODULES (an image whose disk driver must be autoloaded).
	case $extra in only:*) base=${extra#only:} extra= ;; esac
	[ -z "$extra" ] || mopt=(-m "$extra")
	# shellcheck disable=SC2086 # ARGS are words (--shell --lockdown ...)
	"$ER_MKINITRAMFS" -o "$out" -b "$ER_KDIR" -k "$ER_KVER" -m "$base" "${mopt[@]}" "${zopt[@]}" $args \
		>"$out.log" 2>&1 || { echo "mkinitramfs failed:" >&2; cat "$out.log" >&2; return 1; }
	[ -s "$out" ] || { echo "mkinitramfs wrote no $out" >&2; return 1; }
	if [ "$pad" -gt 0 ] && [ "$padfiles" -gt 0 ]; then
		# shellcheck disable=SC2094 # stat runs before >> opens the file, and >> does not truncate
		head -c $(((4 - $(stat -c %s "$out") % 4) % 4)) /dev/zero >>"$out"
		"$ER_TOP/qemu-tests/mkpadding" "$pad" "$padfiles" >>"$out" || return 1
	elif [ "$pad" -gt 0 ]; then
		local d=$out.pad i
		rm -rf "$d" && mkdir -p "$d/padding" || return 1
		for ((i = 0; i < pad / 16; i++)); do
			head -c 16M /dev/zero >"$d/padding/blob$i" || return 1
		done
		[ $((pad % 16)) = 0 ] || head -c "$((pad % 16))M" /dev/zero >"$d/padding/blob$i"
		# The kernel takes an uncompressed archive only at a 4-byte aligned offset and skips NULs
		# between archives ("invalid magic at start of compressed archive" otherwise).
		# shellcheck disable=SC2094 # stat runs before >> opens the file, and >> does not truncate
		head -c $(((4 - $(stat -c %s "$out") % 4) % 4)) /dev/zero >>"$out"
		(cd "$d" && find padding | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >>"$out" || return 1
		rm -rf "$d"
	fi
}

# er_early_root IMG OUT [nvme|initrd] — the initramfs IMG unpacked (mkinitramfs --extract) onto a disk
# image OUT: an early root the kernel mounts itself, for the init's pivot mode. nvme (default): ext4,
# 64 MiB (root=/dev/nvme0n1); initrd: ext2 sized to its files, for -initrd (root=/dev/ram0).
er_early_root() {
	local img=$1 out=$2 fs=ext4 size=64M
	rm -rf "$out.d" "$out" && mkdir -p "$out.d" || return 1
	"$ER_MKINITRAMFS" --extract "$img" "$out.d" >"$out.log" 2>&1 || { cat "$out.log" >&2; return 1; }
	case ${3:-nvme} in
	nvme) ;;
	initrd) fs=ext2 size=$(($(du -sk "$out.d" | cut -f1) * 5 / 4 + 1024))K ;;
	*) echo "unknown early_root $3 (nvme, initrd)" >&2; return 1 ;;
	esac
	mke2fs -q -F -t $fs -E root_owner=0:0 -d "$out.d" "$out" "$size" >>"$out.log" 2>&1 ||
		{ cat "$out.log" >&2; return 1; }
	rm -rf "$out.d"
}

# --- live media (issue 12; README.md: live=) ------------------------------------------------------------
# Labels the live scenarios name. The ISO's volume id is what root=live:CDLABEL= (and blkid) sees.
ER_LIVE_LABEL=earlyroot-live
ER_LIVE_ISO_LABEL=EARLYROOT_LIVE
ER_PERSIST_LABEL=persist
# Fixed, so that scenarios can name them: the ext4 media's UUID, and the ISO's, which is its modification
# date (as blkid prints it: 2025-01-02-03-04-05-00).
ER_LIVE_EXT4_UUID=0c1e5a7b-3d2f-4b69-8e14-7f2a9c6d5b30
ER_LIVE_ISO_DATE=2025010203040500
ER_LIVE_LAYOUTS='disk-squashfs disk-erofs raw-squashfs isofile cdrom usb iso-boot usb-boot corrupt missing-image big-image'
# big-image: this many MiB of /dev/urandom in the image, too big to copy to a 512M guest's RAM with
# rd.minmem's 256 MiB kept free; generated once and kept in the cache (it is the same every run).
ER_LIVE_BIG_MIB=300

# er_live_tree DIR — the live image's tree: the probe's root tree (er_roottree), and what only the image
# has: /etc/live-marker (read back, it proves / is the image) and /var/payload, 2.3 MiB of text nobody
# reads before the probe does, so that after an eject and probe.drop_caches it can come only from RAM.
er_live_tree() {
	er_roottree "$1" || return 1
	mkdir -p "$1/var" "$1/root" || return 1
	echo "earlyroot live image" >"$1/etc/live-marker"
	awk 'BEGIN { for (i = 0; i < 32768; i++) printf "payload line %05d of the live image, there after the eject\n", i }' \
		>"$1/var/payload"
}

# er_live_bigfile — prints the path of the cached ER_LIVE_BIG_MIB MiB random file, made on first use.
er_live_bigfile() {
	local dir=${EARLYROOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/earlyroot}/live f
	f=$dir/random-${ER_LIVE_BIG_MIB}M.bin
	if [ "$(stat -c %s "$f" 2>/dev/null)" != $((ER_LIVE_BIG_MIB << 20)) ]; then
		if ! { mkdir -p "$dir" && head -c "${ER_LIVE_BIG_MIB}M" /dev/urandom >"$f.tmp.$$" && mv -f "$f.tmp.$$" "$f"; }; then
			rm -f "$f.tmp.$$"
			echo "cannot write $f" >&2
			return 1
		fi
	fi
	echo "$f"
}

# er_live_squashfs TREE IMG — IMG a squashfs of TREE, all files root's; IMG.sha256 beside it in sha256sum's
# format with IMG's base name (what rd.live.check reads).
er_live_squashfs() {
	mksquashfs "$1" "$2" -noappend -all-root -no-progress -quiet >"$2.log" 2>&1 || { cat "$2.log" >&2; return 1; }
	rm -f "$2.log"
	er_live_sha256 "$2"
}
er_live_sha256() { (cd "$(dirname "$1")" && sha256sum "$(basename "$1")" >"$(basename "$1").sha256"); }

# er_live_big_squashfs TREE IMG — IMG a squashfs (er_live_squashfs) of TREE plus the cached big file as
# /var/big.bin: too big for a 512M guest's RAM (live=big-image, and http_big=yes's /big.img).
er_live_big_squashfs() {
	local big t=$2.tree
	big=$(er_live_bigfile) || return 1
	# A copy of the tree with the big file hard-linked in (copied where a link cannot be made).
	rm -rf "$t" && cp -a "$1" "$t" || return 1
	ln "$big" "$t/var/big.bin" 2>/dev/null || cp "$big" "$t/var/big.bin" || return 1
	er_live_squashfs "$t" "$2" && rm -rf "$t"
}

# er_live_ext4 DIR OUT — OUT an ext4 filesystem (LABEL=earlyroot-live, ER_LIVE_EXT4_UUID) holding DIR, sized
# to it.
er_live_ext4() {
	local kb
	kb=$(du -sk "$1" | cut -f1)
	mke2fs -q -F -t ext4 -L "$ER_LIVE_LABEL" -U "$ER_LIVE_EXT4_UUID" -E root_owner=0:0 -d "$1" "$2" "$((kb * 11 / 10 + 8192))K" >"$2.log" 2>&1 ||
		{ cat "$2.log" >&2; return 1; }
	rm -f "$2.log"
}

# er_live_iso DIR OUT — OUT a plain ISO 9660 image of DIR (Rock Ridge, Joliet; no boot loader), volume id
# EARLYROOT_LIVE, UUID from ER_LIVE_ISO_DATE.
er_live_iso() {
	xorriso -as mkisofs -quiet -R -J -V "$ER_LIVE_ISO_LABEL" --modification-date="$ER_LIVE_ISO_DATE" -o "$2" "$1" >"$2.log" 2>&1 || { cat "$2.log" >&2; return 1; }
	rm -f "$2.log"
}

# er_live_medium OUT LAYOUT TREE — the medium of a live scenario in OUT, from TREE (er_live_tree), with
# no mounts and no privileges. Every layout holds LiveOS/squashfs.img and its .sha256, except as said:
#   disk-squashfs  ext4 LABEL=earlyroot-live
#   disk-erofs     the same with an erofs image (lz4hc) as LiveOS/squashfs.img, and again as
#                  rescue/root.erofs (rd.live.dir=rescue rd.live.squashimg=root.erofs)
#   raw-squashfs   the squashfs itself is the disk
#   isofile        ext4 LABEL=earlyroot-live holding /images/live.iso, an ISO (as cdrom) with the image
#   cdrom, usb     the ISO itself: ISO 9660, volume id EARLYROOT_LIVE, no boot loader
#   corrupt        disk-squashfs with one byte of the image flipped after the .sha256 was written
#   missing-image  ext4 LABEL=earlyroot-live with an empty LiveOS/
#   big-image      disk-squashfs with ER_LIVE_BIG_MIB MiB of random bytes as /var/big.bin in the image
# (iso-boot and usb-boot: er_live_mklive.)
er_live_medium() {
	local out=$1 layout=$2 tree=$3 d=$1.d big off byte
	rm -rf "$d" "$out" && mkdir -p "$d/LiveOS" || return 1
	case $layout in
	disk-squashfs)
		er_live_squashfs "$tree" "$d/LiveOS/squashfs.img" && er_live_ext4 "$d" "$out" ;;
	disk-erofs)
		mkfs.erofs --quiet -zlz4hc --all-root "$d/LiveOS/squashfs.img" "$tree" >"$out.log" 2>&1 &&
			er_live_sha256 "$d/LiveOS/squashfs.img" && mkdir -p "$d/rescue" &&
			cp "$d/LiveOS/squashfs.img" "$d/rescue/root.erofs" && er_live_sha256 "$d/rescue/root.erofs" &&
			er_live_ext4 "$d" "$out" || { cat "$out.log" >&2; false; } ;;
	raw-squashfs)
		er_live_squashfs "$tree" "$d/LiveOS/squashfs.img" && mv "$d/LiveOS/squashfs.img" "$out" ;;
	cdrom | usb)
		er_live_squashfs "$tree" "$d/LiveOS/squashfs.img" && er_live_iso "$d" "$out" ;;
	isofile)
		er_live_squashfs "$tree" "$d/LiveOS/squashfs.img" && mkdir -p "$1.disk/images" &&
			er_live_iso "$d" "$1.disk/images/live.iso" && er_live_ext4 "$1.disk" "$out" && rm -rf "$1.disk" ;;
	corrupt)
		# One byte in the middle (file data, not the superblock or the tables at the end, so that the image
		# still mounts: only the checksum can tell), inverted; the harness checks it did change the sum.
		er_live_squashfs "$tree" "$d/LiveOS/squashfs.img" || return 1
		off=$(($(stat -c %s "$d/LiveOS/squashfs.img") / 2))
		byte=$(od -An -tu1 -j "$off" -N1 "$d/LiveOS/squashfs.img" | tr -d ' ')
		# shellcheck disable=SC2059 # the format is an octal escape made here
		printf "\\$(printf %03o $((byte ^ 255)))" |
			dd of="$d/LiveOS/squashfs.img" bs=1 seek="$off" conv=notrunc status=none || return 1
		! (cd "$d/LiveOS" && sha256sum --status -c squashfs.img.sha256) ||
			{ echo "corrupt: flipping byte $off left the sha256 unchanged" >&2; return 1; }
		er_live_ext4 "$d" "$out" ;;
	missing-image)
		er_live_ext4 "$d" "$out" ;;
	big-image)
		er_live_big_squashfs "$tree" "$d/LiveOS/squashfs.img" && er_live_ext4 "$d" "$out" ;;
	*)
		echo "unknown live layout $layout ($ER_LIVE_LAYOUTS)" >&2
		false ;;
	esac || return 1
	rm -rf "$d" "$out.log"
}

# er_live_mklive OUT.iso TREE IMG APPEND — OUT.iso the bootable hybrid ISO mklive/earlyroot-mklive makes of TREE
# with ER_VMLINUZ and the initramfs IMG, GRUB on the serial console, no menu delay, and APPEND on the
# kernel command line after mklive's own root=live:CDLABEL=EARLYROOT_LIVE (iso-boot, usb-boot).
er_live_mklive() {
	local mklive=$ER_TOP/mklive/earlyroot-mklive
	[ -x "$mklive" ] || { echo "$mklive does not exist yet" >&2; return 1; }
	if ! "$mklive" --serial --timeout 0 --kernel "$ER_VMLINUZ" --initramfs "$3" --append "$4" "$2" "$1" >"$1.log" 2>&1; then
		tail -n1 "$1.log" >&2 # its error first, then all it said
		cat "$1.log" >&2
		return 1
	fi
	rm -f "$1.log"
}

# er_live_args LAYOUT MEDIUM — sets ER_LIVE_DISK (the virtio disk: the medium, or "-" for none),
# ER_LIVE_FIRMWARE (1: no -kernel/-initrd/-append, the firmware boots the medium) and ER_LIVE_QEMU (more
# QEMU arguments) for a live scenario. The CD drive and the USB stick have the drive id "live" (for
# monitor_cmd=eject -f live).
# shellcheck disable=SC2034 # the ER_LIVE_* variables are for run, which sources this file
er_live_args() {
	local m=$2
	ER_LIVE_DISK=- ER_LIVE_FIRMWARE=0 ER_LIVE_QEMU=()
	case $1 in
	cdrom) ER_LIVE_QEMU=(-drive "file=$m,if=none,id=live,format=raw,media=cdrom,readonly=on"
		-device "ide-cd,drive=live,bus=ide.0") ;;
	usb) ER_LIVE_QEMU=(-device "qemu-xhci,id=xhci" -drive "file=$m,if=none,id=live,format=raw,snapshot=on"
		-device "usb-storage,bus=xhci.0,drive=live") ;;
	# SeaBIOS boots the first bootindex; there is no VGA (-nodefaults), so GRUB speaks on the serial port.
	iso-boot) ER_LIVE_FIRMWARE=1 ER_LIVE_QEMU=(-boot menu=off
		-drive "file=$m,if=none,id=live,format=raw,media=cdrom,readonly=on" -device "ide-cd,drive=live,bus=ide.0,bootindex=0") ;;
	usb-boot) ER_LIVE_FIRMWARE=1 ER_LIVE_QEMU=(-boot menu=off -device "qemu-xhci,id=xhci"
		-drive "file=$m,if=none,id=live,format=raw,snapshot=on" -device "usb-storage,bus=xhci.0,drive=live,bootindex=0") ;;
	*) ER_LIVE_DISK=$m ;;
	esac
}

# --- network boot (issue 13; README.md: net=, nics=, http=, nfs=, pxe=) -----------------------------------
# Everything stays on this machine: the guests' NICs are on QEMU's user networking (slirp: its own DHCP
# server, the host's 127.0.0.1 seen as 10.0.2.2) or on a unix stream socket nobody connects to (a link
# with nothing on it), and every server the harness starts listens on 127.0.0.1 only, on a port chosen
# when it starts. No bridge, no tap, no address off the machine.
# The NICs' MACs: 52:54:00:45:52:0N for NIC N (BOOTIF=01-52-54-00-45-52-0N).
ER_NET_MAC=52:54:00:45:52:0
# The NFS export's name (v4 pseudo path, and the v3 mount path: mount_path_pseudo).
ER_NFS_EXPORT=/earlyroot

# er_net_args W NET NICS [TFTPDIR] — sets ER_NET_QEMU, the NICs of a scenario (virtio-net, in PCI order):
# NET user: NICS-1 NICs on dead links, then one on user networking (the only DHCP server the guest can
# reach is on the last NIC); NET dead: NICS NICs, all on dead links. TFTPDIR: the user NIC's slirp also
# serves TFTPDIR over TFTP and offers boot.ipxe as the boot file (pxe=yes).
# shellcheck disable=SC2034 # ER_NET_QEMU is for run, which sources this file
er_net_args() {
	local w=$1 net=$2 n=$3 tftp=${4:-} i nd
	ER_NET_QEMU=()
	for ((i = 1; i <= n; i++)); do
		if [ "$net" = user ] && [ "$i" = "$n" ]; then
			nd="user,id=net$i"
			[ -z "$tftp" ] || nd="$nd,tftp=$tftp,bootfile=boot.ipxe"
		else
			# A listening unix socket nobody connects to: frames from the guest go nowhere, nothing comes
			# back (slirp with restrict=on would still answer DHCP itself).
			nd="stream,id=net$i,server=on,addr.type=unix,addr.path=$w/dead$i.sock"
		fi
		ER_NET_QEMU+=(-netdev "$nd" -device "virtio-net-pci,netdev=net$i,mac=$ER_NET_MAC$i")
	done
}

# er_server_start W NAME READY_RE TIMEOUT CMD... — CMD in its own process group (its id in W/NAME.pid, for
# er_server_stop and run's cleanup), output in W/NAME.log, dying with us; waits at most TIMEOUT s for a
# line of the log to match READY_RE (an extended regex). False, with the log's last line, when it exits
# or the wait ends first.
er_server_start() {
	local w=$1 name=$2 ready=$3 t=$4 pid i pd=()
	shift 4
	setpriv --help 2>&1 | grep -q pdeathsig && pd=(setpriv --pdeathsig KILL)
	: >"$w/$name.log"
	# Not a process-group leader here, so setsid execs in place: $! is the group's id.
	setsid "${pd[@]}" "$@" </dev/null >>"$w/$name.log" 2>&1 &
	pid=$!
	echo "$pid" >"$w/$name.pid"
	for ((i = 0; i < t * 5; i++)); do
		grep -Eq -- "$ready" "$w/$name.log" && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.2
	done
	echo "$name: not ready after $i tries of 0.2 s: $(grep -v '^$' "$w/$name.log" | tail -n1 | cut -c1-200)" >&2
	er_server_stop "$w" "$name"
	return 1
}

# er_server_stop W NAME — ends NAME's process group (TERM, then KILL after 2 s) and reaps it.
er_server_stop() {
	local f=$1/$2.pid pid i
	[ -s "$f" ] || return 0
	pid=$(cat "$f")
	kill -TERM -- "-$pid" 2>/dev/null
	for ((i = 0; i < 10; i++)); do
		kill -0 -- "-$pid" 2>/dev/null || break
		sleep 0.2
	done
	kill -KILL -- "-$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	rm -f "$f"
}

# er_http_start W MODE DIR — an HTTP server on 127.0.0.1 serving DIR; sets ER_HTTP_PORT and ER_HTTP_DIR. MODE plain is
# python's own http.server; truncate, truncate-once, 404 and chunked are qemu-tests/httpd.py. Both bind
# port 0 (the kernel picks a free one) and print it, so that parallel scenarios never race for a port.
er_http_start() {
	local w=$1 mode=$2 dir=$3 cmd
	ER_HTTP_DIR=$dir
	if [ "$mode" = plain ]; then
		cmd=(python3 -u -m http.server --bind 127.0.0.1 --directory "$dir" 0)
	else
		cmd=(python3 -u "$ER_TOP/qemu-tests/httpd.py" "$mode" "$dir")
	fi
	er_server_start "$w" http 'Serving HTTP on 127\.0\.0\.1 port [0-9]+' 15 "${cmd[@]}" || return 1
	ER_HTTP_PORT=$(sed -n 's/.*Serving HTTP on 127\.0\.0\.1 port \([0-9][0-9]*\).*/\1/p' "$w/http.log" | head -n1)
}

# er_free_ports N — N TCP ports of 127.0.0.1 free right now (for servers that cannot take port 0).
er_free_ports() {
	python3 -c '
import socket, sys
s = [socket.socket() for _ in range(int(sys.argv[1]))]
for x in s: x.bind(("127.0.0.1", 0))
print(" ".join(str(x.getsockname()[1]) for x in s))' "$1"
}

# er_nfs_start W TREE — nfs-ganesha (VFS) exporting a copy of TREE, W/export, read-write without root
# squashing, as ER_NFS_EXPORT for NFSv4 and v3 (TCP only, no NLM, no rquota), bound to 127.0.0.1; sets
# ER_NFS_PORT (NFS) and ER_MOUNT_PORT (MOUNT v3). Ganesha will not start unless it can register v3 with
# rpcbind, so it runs in a mount namespace of its own where /run is a tmpfs and /run/rpcbind.sock is
# qemu-tests/rpcbind-stub.py: no rpcbind on port 111, and the guests never need one (port=, mountport=).
# Graceless: no 90 s NFSv4 grace period after the start. Root only (ganesha's VFS uses file handles).
er_nfs_start() {
	local w=$1 tree=$2 ports
	[ "$(id -u)" = 0 ] || { echo "nfs: nfs-ganesha needs root (open_by_handle_at)" >&2; return 1; }
	command -v ganesha.nfsd >/dev/null || { echo "nfs: ganesha.nfsd not found (mk/deps check installs nfs-ganesha)" >&2; return 1; }
	rm -rf "$w/export" "$w/nfs.recov" && cp -a "$tree" "$w/export" && mkdir -p "$w/nfs.recov" || return 1
	ports=$(er_free_ports 2) || return 1
	ER_NFS_PORT=${ports% *} ER_MOUNT_PORT=${ports#* }
	cat >"$w/ganesha.conf" <<-EOF2
		NFS_CORE_PARAM {
			Bind_addr = 127.0.0.1;
			NFS_Port = $ER_NFS_PORT;
			MNT_Port = $ER_MOUNT_PORT;
			Protocols = 3, 4;
			Enable_NLM = false;
			Enable_RQUOTA = false;
			Enable_UDP = false;
			mount_path_pseudo = true;
		}
		NFSv4 {
			Graceless = true;
			RecoveryBackend = fs;
			RecoveryRoot = "$w/nfs.recov";
		}
		NFS_KRB5 { Active_krb5 = false; }
		EXPORT {
			Export_Id = 1;
			Path = "$w/export";
			Pseudo = $ER_NFS_EXPORT;
			Access_Type = RW;
			Squash = No_Root_Squash;
			Protocols = 3, 4;
			Transports = TCP;
			SecType = sys;
			FSAL { Name = VFS; }
		}
	EOF2
	# The stub must be listening before ganesha registers (bounded wait: 10 s).
	# shellcheck disable=SC2016 # expanded by the inner sh
	# ganesha's VFS export reads /etc/mtab, which a debootstrapped root (a container, a fresh CI image)
	# lacks; without it the export is silently not created. A private copy of /etc with the link,
	# in ganesha's own mount namespace only: the host's /etc is not touched.
	er_server_start "$w" nfs 'NFS SERVER INITIALIZED' 30 unshare -m sh -c '
		if [ ! -e /etc/mtab ]; then
			cp -a /etc "$2/etc" && ln -s /proc/self/mounts "$2/etc/mtab" && mount --bind "$2/etc" /etc || exit 1
		fi
		mount -t tmpfs -o size=1m,mode=0755 earlyroot-nfs /run || exit 1
		python3 -u "$1" /run/rpcbind.sock &
		i=0
		while ! [ -S /run/rpcbind.sock ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
		exec ganesha.nfsd -F -f "$2/ganesha.conf" -L /dev/stdout -p "$2/nfs.ganesha.pid" -N NIV_EVENT' \
		sh "$ER_TOP/qemu-tests/rpcbind-stub.py" "$w"
}

# er_net_subst STRING — STRING with the running servers' ports and the served image's sum put in:
# @HTTP_PORT@, @NFS_PORT@, @MOUNT_PORT@, @LIVE_SHA256@ (squashfs.img's). False, naming it, when one is
# left that no server of the scenario fills in (a scenario without http= that says @HTTP_PORT@).
er_net_subst() {
	local s=$1 sum
	[ -z "${ER_HTTP_PORT:-}" ] || s=${s//@HTTP_PORT@/$ER_HTTP_PORT}
	[ -z "${ER_NFS_PORT:-}" ] || s=${s//@NFS_PORT@/$ER_NFS_PORT}
	[ -z "${ER_MOUNT_PORT:-}" ] || s=${s//@MOUNT_PORT@/$ER_MOUNT_PORT}
	if [[ $s == *@LIVE_SHA256@* ]] && [ -n "${ER_HTTP_PORT:-}" ]; then
		sum=$(sed -n '1s/ .*//p' "$ER_HTTP_DIR/squashfs.img.sha256" 2>/dev/null)
		[ ${#sum} = 64 ] || { echo "no sha256 of $ER_HTTP_DIR/squashfs.img" >&2; return 1; }
		s=${s//@LIVE_SHA256@/$sum}
	fi
	if [[ $s =~ @[A-Z0-9_]+@ ]]; then
		echo "${BASH_REMATCH[0]} in the command line, and no server of this scenario to fill it in (http=, nfs=)" >&2
		return 1
	fi
	printf '%s\n' "$s"
}

# er_pxe_tftp DIR IMG APPEND — DIR the TFTP root of a PXE boot: the kernel, the initramfs IMG, and
# boot.ipxe, the script iPXE (QEMU's NIC ROM, Debian's ipxe-qemu) runs once slirp's DHCP names it:
# both files over TFTP from slirp (10.0.2.2), the kernel started with APPEND (in which iPXE expands
# ${net0/mac:hexhyp} and the like).
er_pxe_tftp() {
	rm -rf "$1" && mkdir -p "$1" || return 1
	cp "$ER_VMLINUZ" "$1/vmlinuz" && cp "$2" "$1/initrd.img" || return 1
	printf '#!ipxe\necho earlyroot-pxe: boot.ipxe runs\nkernel vmlinuz %s\ninitrd initrd.img\nboot\n' "$3" >"$1/boot.ipxe"
}

# er_persist_disk OUT — an empty ext4 LABEL=persist for rd.live.overlay=LABEL=persist: attached without
# snapshot=on, so that what the first boot writes is there in the second.
er_persist_disk() {
	rm -f "$1"
	mke2fs -q -F -t ext4 -L "$ER_PERSIST_LABEL" -E root_owner=0:0 "$1" 64M >"$1.log" 2>&1 || { cat "$1.log" >&2; return 1; }
	rm -f "$1.log"
}

# er_image_drop IMG PATH — IMG repacked by GNU cpio (newc, uncompressed) without PATH: an image made by
# another tool, e.g. one without /dev/console, which mkinitramfs always adds.
er_image_drop() {
	local img=$1 path=${2#/} d=$1.drop
	rm -rf "$d" && mkdir -p "$d" || return 1
	"$ER_MKINITRAMFS" --extract "$img" "$d" >/dev/null || return 1
	[ -e "$d/$path" ] || [ -L "$d/$path" ] || { echo "$path is not in the image" >&2; return 1; }
	rm -rf "${d:?}/$path"
	(cd "$d" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$img" || return 1
	rm -rf "$d"
}

# er_image_format FILE — none|gzip|zstd|xz|lz4|unknown, from the first bytes.
er_image_format() {
	case $(head -c 6 "$1" | od -An -tx1 | tr -d ' \n') in
	303730373031) echo none ;;
	1f8b*) echo gzip ;;
	28b52ffd*) echo zstd ;;
	fd377a585a00*) echo xz ;;
	02214c18*) echo lz4 ;;
	*) echo unknown ;;
	esac
}

# er_boot W IMG ROOTDISK APPEND TIMEOUT IDLE ACCEL MEM CHARDEV [EXTRA QEMU ARGS...]
# Boots one guest; the serial log goes to W/serial.log (CHARDEV "file", or "stdio" = also to our stdout).
# ER_SMP: the guest's CPUs (1). ER_IDLE_ALSO, ER_IDLE_UNTIL: see er_watchdog.
# Writes W/qemu.cmd (for reproduction), W/qemu.err, W/status (QEMU's status, or "timeout"/"idle" when the
# watchdog killed it), W/wall (seconds, QEMU start to exit) and W/clean.log (the log without CRs).
# QEMU runs in its own session and process group (setsid), stdin from /dev/null, and dies with its
# parent (setpriv --pdeathsig). A watchdog beside it kills only that process group: after TIMEOUT s, or
# after IDLE s without serial output; we wait for QEMU itself, so the wall time is exact and it is reaped.
er_boot() {
	local w=$1 img=$2 disk=$3 append=$4 timeout=$5 idle=$6 accel=$7 mem=$8 chardev=$9
	shift 9
	local log=$w/serial.log con
	if [ "$chardev" = stdio ]; then
		con="stdio,id=con,signal=off,logfile=$log"
	elif [ -n "${ER_SERIAL_INPUT:-}${ER_SEND_WHEN:-}" ]; then
		# Someone types at the console: a FIFO pair (QEMU 7.2's file chardev takes no input).
		rm -f "$w/serial.in" "$w/serial.out" && mkfifo "$w/serial.in" "$w/serial.out" || return 1
		con="pipe,id=con,path=$w/serial"
	else
		con="file,id=con,path=$log"
	fi
	# IMG "-": no initramfs (ER_EARLY_ROOT names a disk image the kernel mounts itself, on NVMe).
	local initrd_args=(-initrd "$img")
	if [ "$img" = - ]; then
		initrd_args=(-drive "file=$ER_EARLY_ROOT,if=none,id=early,format=raw,snapshot=on"
			-device "nvme,drive=early,serial=earlyroot")
	fi
	# ER_HOTPLUG_AFTER=N: the root disk is not there at boot; N s after the init says it is waiting for it
	# (the guest's own word, so the test proves a wait whatever TCG's speed), it is plugged into a PCIe root
	# port through the monitor (a FIFO pair), as a disk that arrives late would.
	# ER_MEDIUM_AFTER=N: an empty CD drive (on q35's AHCI) whose disc, an ext2 filesystem (er_rootdisk ext2,
	# LABEL=earlyroot-ext2), is inserted through the monitor N s after the init says it is waiting: a disc
	# that arrives late, announced only by the kernel's change event.
	# ER_MONITOR_CMD: typed at the monitor once a console line matches ER_MONITOR_WHEN (an extended regex),
	# e.g. "eject -f live" once the probe says it waits: the medium taken away after the hand-over.
	# Several lines are several commands, each after the answer to the one before and ER_MONITOR_GAP s
	# (stack= disks marked late: one device_add each, announced one at a time).
	er_arch "${ER_ARCH:-x86_64}" || return 1
	local disk_dev=(-device "$ER_A_DISK,drive=root") mon=() cd=() moncmd=${ER_MONITOR_CMD:-}
	local monwhen=${ER_MONITOR_WHEN:-} mondelay=${ER_MONITOR_DELAY:-0}
	if [ -n "${ER_HOTPLUG_AFTER:-}" ]; then
		disk_dev=(-device "pcie-root-port,id=hotport,chassis=1,slot=1")
		moncmd="device_add virtio-blk-pci,drive=root,bus=hotport,id=hotroot"
		monwhen='earlyroot: waiting for root device' mondelay=$ER_HOTPLUG_AFTER
	elif [ -n "${ER_MEDIUM_AFTER:-}" ]; then
		er_rootdisk "$w/medium.ext2" ext2 || return 1
		cd=(-drive "if=none,id=cd,media=cdrom,readonly=on" -device "ide-cd,drive=cd,bus=ide.0")
		moncmd="change cd $w/medium.ext2 raw"
		monwhen='earlyroot: waiting for root device' mondelay=$ER_MEDIUM_AFTER
	fi
	# DISK "-": no virtio root disk (a live scenario whose medium is a CD or a USB stick).
	local root_drive=(-drive "file=$disk,if=none,id=root,format=raw,snapshot=on")
	[ "$disk" = - ] && root_drive=() disk_dev=()
	if [ -n "$moncmd" ]; then
		rm -f "$w/monitor.in" "$w/monitor.out" && mkfifo "$w/monitor.in" "$w/monitor.out" || return 1
		mon=(-chardev "pipe,id=mon,path=$w/monitor" -mon "chardev=mon,mode=readline")
	fi
	# ER_ARCH (default x86_64): er_arch's QEMU, machine, console and disk; isa-debug-exit only where the
	# probe reports through it (x86), elsewhere its poweroff marker stands for it (er_poweroff_marker).
	local qemu=$ER_A_QEMU machine=() exitdev=()
	# shellcheck disable=SC2207 # er_accel_args prints words (-accel tcg -cpu max)
	[ -n "$ER_A_MACHINE" ] || machine=(-M q35 $(er_accel_args "$accel"))
	[ -z "$ER_A_MACHINE" ] || read -r -a machine <<<"$ER_A_MACHINE"
	[ "$ER_A_EXIT" = isa-debug-exit ] && exitdev=(-device "isa-debug-exit,iobase=0xf4,iosize=0x04")
	append=${append//console=ttyS0/console=$ER_A_CONSOLE}
	# ER_FIRMWARE_BOOT=1: no -kernel, -initrd or -append: the firmware boots a medium's own boot loader.
	local kernel_args=(-kernel "$ER_VMLINUZ" "${initrd_args[@]}" -append "$append")
	[ "${ER_FIRMWARE_BOOT:-0}" = 1 ] && kernel_args=()
	local cmd=("$qemu" "${machine[@]}" -smp "${ER_SMP:-1}" -m "$mem"
		-nodefaults -no-user-config -display none -no-reboot
		-chardev "$con" -serial chardev:con
		"${exitdev[@]}"
		"${root_drive[@]}" "${disk_dev[@]}" "${cd[@]}" "${mon[@]}"
		"${kernel_args[@]}" "$@")
	echo "$timeout" >"$w/timeout"
	echo "$idle" >"$w/idle"
	printf '%q ' "${cmd[@]}" >"$w/qemu.cmd"
	echo >>"$w/qemu.cmd"
	rm -f "$w/killed" "$w/sent" "$w/hotplug"
	: >"$log"
	local pd=()
	setpriv --help 2>&1 | grep -q pdeathsig && pd=(setpriv --pdeathsig KILL)
	local start=$EPOCHREALTIME qpid wdpid s
	# Not a process-group leader here (no job control), so setsid execs in place: $! is QEMU itself and
	# the id of its process group.
	if [ "$chardev" = stdio ]; then
		setsid "${pd[@]}" "${cmd[@]}" </dev/null 2>"$w/qemu.err" &
	else
		setsid "${pd[@]}" "${cmd[@]}" </dev/null >"$w/qemu.out" 2>"$w/qemu.err" &
	fi
	qpid=$!
	echo "$qpid" >"$w/qemu.pid"
	er_watchdog "$qpid" "$log" "${start/./}" "$timeout" "$idle" "$w/killed" </dev/null &
	wdpid=$!
	local hppid='' inpid='' catpid='' sendpid=''
	if [ "$con" = "pipe,id=con,path=$w/serial" ]; then
		# The console's output, copied into the log the watchdog and the judge read.
		cat "$w/serial.out" >>"$log" </dev/null &
		catpid=$!
	fi
	if [ -n "${ER_SERIAL_INPUT:-}" ]; then
		# ER_SERIAL_INPUT is typed (with a newline) once the console shows ER_SERIAL_WHEN (a regex).
		(until tr -d '\r' <"$log" | grep -Eq -- "${ER_SERIAL_WHEN:-.}"; do sleep 0.2; done
			# After the monitor's command, when there is one: the guest is told only once it is done.
			[ -z "${ER_MONITOR_CMD:-}" ] || until [ -e "$w/monitor.sent" ]; do sleep 0.2; done
			sleep 0.5 # let the shell print its prompt and read
			printf '%s\n' "$ER_SERIAL_INPUT" >"$w/serial.in"
			echo typed >"$w/typed") </dev/null &
		inpid=$!
	fi
	if [ -n "${ER_SEND_WHEN:-}" ]; then
		# ER_SEND_WHEN: "REGEX=>TEXT" lines, in order: TEXT (and a newline) is typed once the log matches
		# REGEX in what came after the previous one was typed (a prompt asked again is a new prompt).
		# W/sent says what was typed when, for the kept log.
		(off=0 k=0
			while IFS= read -r pair; do
				k=$((k + 1))
				until tail -c +$((off + 1)) "$log" 2>/dev/null | tr -d '\r' | grep -Eq -- "${pair%%=>*}"; do sleep 0.2; done
				sleep 0.5 # the reader is set up after its prompt is printed
				off=$(stat -c %s "$log")
				printf '%s\n' "${pair#*=>}" >"$w/serial.in"
				echo "send_when $k (${pair%%=>*}) at $(er_elapsed "$start") s, log offset $off" >>"$w/sent"
			done <<<"$ER_SEND_WHEN") </dev/null &
		sendpid=$!
	fi
	if [ -n "$moncmd" ]; then
		# QEMU opens the FIFOs read-write itself; drain the monitor's output so it never blocks.
		(cat "$w/monitor.out" >"$w/monitor.log" 2>/dev/null &
			until tr -d '\r' <"$log" 2>/dev/null | grep -Eq -- "$monwhen"; do sleep 0.2; done
			sleep "$mondelay"
			k=0
			while IFS= read -r c; do
				[ $k = 0 ] || sleep "${ER_MONITOR_GAP:-1}"
				k=$((k + 1))
				echo "$c" >"$w/monitor.in"
				echo "${c%% *} at $(er_elapsed "$start") s" >>"$w/hotplug"
				# The monitor answers with its next prompt: the command has been carried out.
				until [ "$(grep -o '(qemu)' "$w/monitor.log" 2>/dev/null | wc -l)" -gt $k ]; do sleep 0.2; done
			done <<<"$moncmd"
			touch "$w/monitor.sent") </dev/null &
		hppid=$!
	fi
	wait "$qpid"
	s=$?
	local end=$EPOCHREALTIME
	kill "$wdpid" $hppid 2>/dev/null
	[ -n "$hppid" ] && pkill -P "$hppid" 2>/dev/null
	[ -n "$inpid" ] && { pkill -P "$inpid" 2>/dev/null; kill "$inpid" 2>/dev/null; }
	[ -n "$sendpid" ] && { pkill -P "$sendpid" 2>/dev/null; kill "$sendpid" 2>/dev/null; }
	if [ -n "$catpid" ]; then
		# QEMU is gone: what it wrote is still in the FIFO, and cat ends at its EOF.
		for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$catpid" 2>/dev/null || break; sleep 0.2; done
		kill "$catpid" 2>/dev/null
	fi
	wait "$wdpid" $hppid $inpid $sendpid $catpid 2>/dev/null
	rm -f "$w/qemu.pid"
	awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f\n", b - a }' >"$w/wall"
	if [ -s "$w/killed" ]; then cat "$w/killed" >"$w/status"; else echo "$s" >"$w/status"; fi
	tr -d '\r' <"$log" >"$w/clean.log"
	if [ "$ER_A_EXIT" = poweroff-marker ] && [ "$s" = 0 ] && ! [ -s "$w/killed" ] && er_poweroff_marker "$w/clean.log" "$ER_A_POWERDOWN"; then
		echo 85 >"$w/status"
		echo "QEMU exited 0 after the probe's poweroff marker (and the kernel's power-off line where the console shows it): counted as 85" >"$w/status.why"
	fi
}

# er_poweroff_marker LOG [POWERDOWN] — true when LOG has the probe's "PROBE: poweroff-marker=0x2a" line,
# then the kernel's "reboot: Power down" (then PSCI SYSTEM_OFF or RTAS: QEMU exits 0), and no kernel
# panic: on a machine without isa-debug-exit, the probe's success as surely as status 85 (a panic also
# exits 0). POWERDOWN "no" (s390x, er_arch): the kernel's line never reaches the SCLP console, which is
# shut down before it is printed; the marker, QEMU's status 0 and no panic must do.
er_poweroff_marker() {
	awk -v need="${2:-yes}" '/PROBE: poweroff-marker=0x2a$/ { m = 1 } m && /reboot: Power down/ { p = 1 } /Kernel panic/ { k = 1 }
		END { exit !(m && (p || need == "no") && !k) }' "$1"
}

# er_watchdog PGID LOG START_US TIMEOUT IDLE KILLEDFILE — (run in the background) kill process group
# PGID after TIMEOUT s from START_US, or after IDLE s in which LOG did not grow; say which in KILLEDFILE.
# ER_IDLE_ALSO: more files (blank-separated) whose growth counts as output too (boot --run's ports);
# ER_IDLE_UNTIL: a file whose first line, once there, ends the idle rule (a silent command is legitimate).
er_watchdog() {
	local pg=$1 log=$2 start=$3 t=$(($4 * 1000000)) idle=$(($5 * 1000000)) out=$6
	local size=0 nsize last=$3 now why='' fd i first=''
	local -a also
	read -r -a also <<<"${ER_IDLE_ALSO:-}"
	exec {fd}<> <(:) # a pipe nobody writes: "read -t" on it is a sleep without a fork
	while :; do
		read -r -t 0.25 -u "$fd"
		kill -0 -- "-$pg" 2>/dev/null || exit 0 # QEMU is gone (also when our parent was killed)
		now=${EPOCHREALTIME/./}
		nsize=$(stat -c %s "$log" "${also[@]}" 2>/dev/null) || nsize=0 # one size a line
		[ "$nsize" != "$size" ] && size=$nsize last=$now
		[ -n "${ER_IDLE_UNTIL:-}" ] && [ -z "$first" ] && { IFS= read -r first <"$ER_IDLE_UNTIL"; } 2>/dev/null
		if ((now - start >= t)); then
			why=timeout
		elif [ -z "$first" ] && ((now - last >= idle)); then
			why=idle
		else
			continue
		fi
		echo "$why" >"$out"
		kill -TERM -- "-$pg" 2>/dev/null || exit 0
		for ((i = 0; i < 10; i++)); do
			read -r -t 0.2 -u "$fd"
			kill -0 -- "-$pg" 2>/dev/null || exit 0
		done
		kill -KILL -- "-$pg" 2>/dev/null
		exit 0
	done
}

# Scenario files: "key=value" lines, "#" comments, no shell evaluation. expect, expect_re, forbid and
# forbid_re may repeat. See README.md for the keys.
# shellcheck disable=SC2034 # the SC_* variables are the scenario, for run, demo and boot, which source this file
er_load_scenario() {
	local file=$1 line key val
	SC_NAME=$(basename "$file" .scn)
	SC_DESCRIPTION='' SC_APPEND='' SC_STATUS=85 SC_STATUS1='' SC_TIMEOUT=90 SC_IDLE=30 SC_COMPRESSION=default SC_PAD=0
	SC_MEMFREE_REF='' SC_MEMFREE_MAX_DIFF_KB=1024 SC_QEMU_ARGS='' SC_MUST_FAIL='' SC_DEFAULT_FORBID=yes
	SC_ACCEL='' SC_MEM=512M SC_SCALE=yes SC_LOG_OF='' SC_ROOTFS=ext4 SC_MODULES='' SC_HOTPLUG_AFTER='' SC_MEDIUM_AFTER='' SC_SERIAL_WHEN='' SC_SERIAL_INPUT='' SC_IMAGE_ARGS='' SC_KERNEL=generic SC_EARLY_ROOT='' SC_LIBC=musl SC_IMAGE_DROP=''
	SC_PAD_FILES=0 SC_MEMUSED_MAX_KB='' SC_NOTE_RE='' SC_ARCH=x86_64
	SC_LIVE='' SC_PERSIST=no SC_BOOT2_APPEND='' SC_BOOT2_INITRD='' SC_MONITOR_WHEN='' SC_MONITOR_CMD=''
	SC_NET='' SC_NICS=1 SC_HTTP='' SC_HTTP_BIG=no SC_NFS=no SC_PXE=no SC_DISK=yes SC_EXPORT_EXPECT=()
	SC_STACK='' SC_STACK_ARGS='' SC_SEND_WHEN=()
	SC_EXPECT=() SC_EXPECT_RE=() SC_FORBID=() SC_FORBID_RE=() SC_EXPECT2=() SC_EXPECT2_RE=()
	while IFS= read -r line || [ -n "$line" ]; do
		case $line in '' | '#'*) continue ;; esac
		case $line in *=*) ;; *)
			echo "$file: not key=value: $line" >&2
			return 1
			;;
		esac
		key=${line%%=*} val=${line#*=}
		key=${key//[[:space:]]/}
		case $key in
		description) SC_DESCRIPTION=$val ;;
		append) SC_APPEND=$val ;;
		status) SC_STATUS=$val ;;
		status1) SC_STATUS1=$val ;;
		timeout) SC_TIMEOUT=$val ;;
		idle_timeout) SC_IDLE=$val ;;
		compression) SC_COMPRESSION=$val ;;
		pad_mib) SC_PAD=$val ;;
		pad_files) SC_PAD_FILES=$val ;;
		memused_max_kb) SC_MEMUSED_MAX_KB=$val ;;
		note_re) SC_NOTE_RE=$val ;;
		arch) SC_ARCH=$val ;;
		memfree_ref) SC_MEMFREE_REF=$val ;;
		memfree_max_diff_kb) SC_MEMFREE_MAX_DIFF_KB=$val ;;
		qemu_args) SC_QEMU_ARGS=$val ;;
		must_fail) SC_MUST_FAIL=$val ;;
		default_forbid) SC_DEFAULT_FORBID=$val ;;
		accel) SC_ACCEL=$val ;;
		memory) SC_MEM=$val ;;
		scale_timeouts) SC_SCALE=$val ;;
		judge_log_of) SC_LOG_OF=$val ;;
		rootfs) SC_ROOTFS=$val ;;
		hotplug_after) SC_HOTPLUG_AFTER=$val ;;
		medium_after) SC_MEDIUM_AFTER=$val ;;
		serial_when) SC_SERIAL_WHEN=$val ;;
		serial_input) SC_SERIAL_INPUT=$val ;;
		image_args) SC_IMAGE_ARGS=$val ;;
		kernel) SC_KERNEL=$val ;;
		early_root) SC_EARLY_ROOT=$val ;;
		libc) SC_LIBC=$val ;;
		image_drop) SC_IMAGE_DROP=$val ;;
		modules) SC_MODULES=$val ;;
		live) SC_LIVE=$val ;;
		persist) SC_PERSIST=$val ;;
		boot2_append) SC_BOOT2_APPEND=$val ;;
		boot2_initrd) SC_BOOT2_INITRD=$val ;;
		expect2) SC_EXPECT2+=("$val") ;;
		expect2_re) SC_EXPECT2_RE+=("$val") ;;
		monitor_when) SC_MONITOR_WHEN=$val ;;
		monitor_cmd) SC_MONITOR_CMD=$val ;;
		net) SC_NET=$val ;;
		nics) SC_NICS=$val ;;
		http) SC_HTTP=$val ;;
		http_big) SC_HTTP_BIG=$val ;;
		nfs) SC_NFS=$val ;;
		pxe) SC_PXE=$val ;;
		disk) SC_DISK=$val ;;
		export_expect) SC_EXPORT_EXPECT+=("$val") ;;
		stack) SC_STACK=$val ;;
		stack_args) SC_STACK_ARGS=$val ;;
		send_when) SC_SEND_WHEN+=("$val") ;;
		expect) SC_EXPECT+=("$val") ;;
		expect_re) SC_EXPECT_RE+=("$val") ;;
		forbid) SC_FORBID+=("$val") ;;
		forbid_re) SC_FORBID_RE+=("$val") ;;
		*)
			echo "$file: unknown key '$key'" >&2
			return 1
			;;
		esac
	done <"$file"
	case $SC_COMPRESSION in default | none | gzip | zstd | xz | lz4) ;; *)
		echo "$file: compression must be default, none, gzip or zstd" >&2
		return 1
		;;
	esac
	case $SC_LIBC in
	musl) ;;
	klibc) SC_IMAGE_ARGS="--init $ER_BUILD/klibc/init $SC_IMAGE_ARGS" ;; # the init built with klcc
	*)
		echo "$file: libc must be musl or klibc" >&2
		return 1
		;;
	esac
	# Another architecture (er_arch): Debian's kernel for it, the init cross-built for it (make cross), its
	# own root disk (SC_DISK_KEY = ROOTFS.ARCH) and the modules its bus needs.
	er_arch "$SC_ARCH" 2>/dev/null || { echo "$file: arch must be one of $ER_ARCHES" >&2; return 1; }
	SC_DISK_KEY=$SC_ROOTFS
	if [ "$SC_ARCH" != x86_64 ]; then
		SC_DISK_KEY=$SC_ROOTFS.$SC_ARCH
		[ "$SC_KERNEL" = generic ] && SC_KERNEL=$ER_A_KERNEL
		SC_IMAGE_ARGS="--init $ER_A_BUILD/init $SC_IMAGE_ARGS"
		if [ "$ER_A_MODULES" != "$ER_MODULES" ] && [[ $SC_MODULES != only:* ]]; then
			SC_MODULES=only:$ER_A_MODULES${SC_MODULES:+,$SC_MODULES}
		fi
	fi
	if [ -n "$SC_LIVE" ] && ! [[ " $ER_LIVE_LAYOUTS " == *" $SC_LIVE "* ]]; then
		echo "$file: live must be one of: $ER_LIVE_LAYOUTS" >&2
		return 1
	fi
	{ [ -z "$SC_LIVE" ] || [ "$SC_ARCH" = x86_64 ]; } || { echo "$file: live= needs arch x86_64" >&2; return 1; }
	case $SC_PERSIST in yes | no) ;; *) echo "$file: persist must be yes or no" >&2; return 1 ;; esac
	if { [ -n "$SC_MONITOR_CMD" ] && [ -z "$SC_MONITOR_WHEN" ]; } ||
		{ [ -n "$SC_BOOT2_APPEND" ] && [ "$SC_PERSIST" != yes ] && [ -z "$SC_STACK" ]; } ||
		{ [ -z "$SC_BOOT2_APPEND$SC_BOOT2_INITRD" ] && [ $((${#SC_EXPECT2[@]} + ${#SC_EXPECT2_RE[@]})) != 0 ]; }; then
		# A second boot only makes sense with a disk that keeps what the first wrote.
		echo "$file: monitor_cmd needs monitor_when; boot2_append needs persist=yes or stack=; expect2 needs boot2_append or boot2_initrd" >&2
		return 1
	fi
	# boot2_initrd=disk:N: boot 2's initramfs is what boot 1 wrote onto the stack's disk N (raw, from its
	# first byte; the zeros after it are padding the kernel skips).
	if [ -n "$SC_BOOT2_INITRD" ] && { ! [[ $SC_BOOT2_INITRD =~ ^disk:[1-9]$ ]] || [ -z "$SC_STACK" ]; }; then
		echo "$file: boot2_initrd must be disk:N (a disk of stack=)" >&2
		return 1
	fi
	# Network boots (issue 13): what they start and attach.
	case $SC_NET in '' | user | dead) ;; *) echo "$file: net must be user or dead" >&2; return 1 ;; esac
	case $SC_HTTP in '' | plain | truncate | truncate-once | 404 | chunked) ;; *)
		echo "$file: http must be plain, truncate, truncate-once, 404 or chunked" >&2
		return 1
		;;
	esac
	if ! [[ $SC_NICS =~ ^[1-8]$ ]] || ! [[ "$SC_HTTP_BIG $SC_NFS $SC_PXE" =~ ^(yes|no)\ (yes|no)\ (yes|no)$ ]] ||
		! [[ $SC_DISK =~ ^(yes|none)$ ]]; then
		echo "$file: nics is 1 to 8; http_big, nfs and pxe are yes or no; disk is yes or none" >&2
		return 1
	fi
	local bad=no
	[ "$SC_PXE" = yes ] && { [ "$SC_NET" != user ] || [ -n "$SC_LIVE" ]; } && bad=yes
	{ [ -n "$SC_NET$SC_HTTP" ] || [ "$SC_NFS" = yes ]; } && [ "$SC_ARCH" != x86_64 ] && bad=yes
	[ ${#SC_EXPORT_EXPECT[@]} != 0 ] && [ "$SC_NFS" != yes ] && bad=yes
	if [ $bad = yes ]; then
		echo "$file: pxe=yes needs net=user and no live=; network scenarios are x86_64; export_expect needs nfs=yes" >&2
		return 1
	fi
	# stack=NAME: qemu-tests/stacks/NAME makes the disks (er_stack_make); send_when=REGEX=>TEXT.
	if [ -n "$SC_STACK" ] && { ! [[ $SC_STACK =~ ^[A-Za-z0-9][A-Za-z0-9_.-]*$ ]] || ! [ -x "$ER_TOP/qemu-tests/stacks/$SC_STACK" ]; }; then
		echo "$file: stack=$SC_STACK: no executable qemu-tests/stacks/$SC_STACK" >&2
		return 1
	fi
	[ -z "$SC_STACK_ARGS" ] || [ -n "$SC_STACK" ] || { echo "$file: stack_args needs stack=" >&2; return 1; }
	{ [ -z "$SC_STACK" ] || [ -z "$SC_LIVE" ]; } || { echo "$file: stack= and live= both say what the disks are" >&2; return 1; }
	for val in "${SC_SEND_WHEN[@]}"; do
		[[ $val == ?*'=>'* ]] || { echo "$file: send_when must be REGEX=>TEXT: $val" >&2; return 1; }
	done
	[[ $SC_STATUS =~ ^[0-9]+$ && $SC_STATUS1 =~ ^[0-9]*$ && $SC_TIMEOUT =~ ^[0-9]+$ && $SC_IDLE =~ ^[0-9]+$ && $SC_PAD =~ ^[0-9]+$ &&
		$SC_PAD_FILES =~ ^[0-9]+$ && $SC_MEMUSED_MAX_KB =~ ^[0-9]*$ ]] ||
		{ echo "$file: status, timeout, idle_timeout, pad_mib, pad_files and memused_max_kb must be numbers" >&2; return 1; }
	[ "$SC_DEFAULT_FORBID" = yes ] && SC_FORBID=("${ER_DEFAULT_FORBID[@]}" "${SC_FORBID[@]}")
	return 0
}

# --- stacked storage (stack=, README.md) ------------------------------------------------------------------
# er_stack_make OUTDIR NAME ROOTIMG [WORDS...] — runs qemu-tests/stacks/NAME OUTDIR WORDS... with the
# environment the stack scripts are written against: ER_KERNEL_DIR (ER_KDIR, and ER_KVER), ER_BUILD,
# ER_ROOTIMG (the probe's root disk: to copy, never to change), ER_CACHE, ER_QEMU_ACCEL_ARGS. The script
# writes OUTDIR/disks ("PATH [late]" lines) and OUTDIR/vars ("NAME=VALUE"); both are checked here. Its
# stderr is OUTDIR.err; false on its failure, with the reason on our stderr.
er_stack_make() {
	local out=$1 name=$2 rootimg=$3 line path flag
	shift 3
	rm -rf "$out" && mkdir -p "$out" || return 1
	ER_KERNEL_DIR=$ER_KDIR ER_KVER=$ER_KVER ER_BUILD=$ER_BUILD ER_ROOTIMG=$rootimg \
		ER_CACHE=${EARLYROOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/earlyroot} \
		ER_QEMU_ACCEL_ARGS="$(er_accel_args "$ER_ACCEL")" \
		"$ER_TOP/qemu-tests/stacks/$name" "$out" "$@" </dev/null >"$out.out" 2>"$out.err" || {
		echo "stacks/$name $* failed: $(grep . "$out.err" | tail -n1 | cut -c1-200)" >&2
		return 1
	}
	[ -s "$out/disks" ] || { echo "stacks/$name $* wrote no disks" >&2; return 1; }
	while read -r path flag; do
		[ -n "$path" ] || continue
		if ! [ -f "$path" ] || ! [[ $flag =~ ^(late)?$ ]]; then
			echo "stacks/$name $*: bad disks line: $path $flag" >&2
			return 1
		fi
	done <"$out/disks"
	touch "$out/vars"
	while IFS= read -r line; do
		[[ -z $line || $line =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] || { echo "stacks/$name $*: bad vars line: $line" >&2; return 1; }
	done <"$out/vars"
}

# er_stack_subst VARSFILE STRING — STRING with every @NAME@ of VARSFILE's NAME=VALUE lines replaced.
er_stack_subst() {
	local s=$2 line
	while IFS= read -r line; do
		[ -n "$line" ] && s=${s//@${line%%=*}@/"${line#*=}"} # quoted: a & in VALUE stays one (bash 5.2)
	done <"$1"
	printf '%s\n' "$s"
}

# er_stack_attach W STACKDIR — private copies of the stack's disks in W (disk1, disk2, ...), kept for a
# second boot; sets ER_STACK_QEMU (the drives; a late one's PCIe root port) and ER_STACK_LATE (the monitor's
# device_add lines for the late ones, in order).
er_stack_attach() {
	local w=$1 path flag i=0
	ER_STACK_QEMU=() ER_STACK_LATE=''
	while read -r path flag; do
		[ -n "$path" ] || continue
		i=$((i + 1))
		cp --sparse=always "$path" "$w/disk$i" || return 1
		ER_STACK_QEMU+=(-drive "file=$w/disk$i,if=none,id=disk$i,format=raw")
		if [ "$flag" = late ]; then
			ER_STACK_QEMU+=(-device "pcie-root-port,id=port$i,chassis=$((10 + i)),slot=0")
			ER_STACK_LATE+="device_add virtio-blk-pci,drive=disk$i,bus=port$i,id=vdisk$i"$'\n'
		else
			ER_STACK_QEMU+=(-device "virtio-blk-pci,drive=disk$i,id=vdisk$i")
		fi
	done <"$2/disks"
	ER_STACK_LATE=${ER_STACK_LATE%$'\n'}
}

# er_judge W — prints the failure reason for the boot in W against the loaded scenario, or nothing when
# it passed. Order: timeout, qemu-error, forbidden, wrong-exit-status, missing (the first that applies).
er_judge() {
	local w=$1 st log p hit
	st=$(cat "$w/status")
	log=$w/clean.log
	case $st in
	timeout) echo "timeout (no exit after $(cat "$w/timeout") s)"; return ;;
	idle) echo "timeout (no serial output for $(cat "$w/idle") s)"; return ;;
	esac
	# QEMU's own failure: status 1 (its error exit; the probe never writes 0 to isa-debug-exit), death by
	# a signal, or no guest output at all — with something on its stderr. A mere warning on stderr
	# beside a guest that panicked (status 0) is judged by the log instead.
	if [ "$st" != "$SC_STATUS" ] && [ -s "$w/qemu.err" ] && { [ "$st" = 1 ] || [ "$st" -ge 128 ] || ! [ -s "$log" ]; }; then
		echo "qemu-error: $(grep -m1 . "$w/qemu.err" | cut -c1-200)"
		return
	fi
	for p in "${SC_FORBID[@]}"; do
		if hit=$(grep -a -m1 -F -- "$p" "$log"); then
			echo "forbidden:$(printf '%s' "$hit" | cut -c1-160)"
			return
		fi
	done
	for p in "${SC_FORBID_RE[@]}"; do
		if hit=$(grep -a -m1 -E -- "$p" "$log"); then
			echo "forbidden:$(printf '%s' "$hit" | cut -c1-160)"
			return
		fi
	done
	if [ "$st" != "$SC_STATUS" ]; then
		echo "wrong-exit-status:$st"
		return
	fi
	for p in "${SC_EXPECT[@]}"; do
		grep -a -q -F -- "$p" "$log" || { echo "missing:$p"; return; }
	done
	for p in "${SC_EXPECT_RE[@]}"; do
		grep -a -q -E -- "$p" "$log" || { echo "missing:$p"; return; }
	done
}

# er_memfree W — the probe's MemFree in kB, or nothing.
er_memfree() { sed -n 's/.*PROBE: memfree_kb=\([0-9][0-9]*\)$/\1/p' "$1/clean.log" 2>/dev/null | tail -n1; }
