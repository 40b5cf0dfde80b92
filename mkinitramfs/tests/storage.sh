# mkinitramfs/tests/storage.sh — sourced by run.sh (same helpers, $MK, $T, $D, $K, $MD): --luks, --lvm,
# --md, --verity, --fsck (issue 14): the tools with their libraries, their udev-less configuration and
# the module lists the init loads by name; --hostonly's walk down a LUKS-on-LVM-on-RAID stack, in a
# sysfs tree made here whose device nodes are files with real signatures (cryptsetup, mkfs).
# shellcheck shell=sh

# listed PATH — the last --list ($T/st.list) has an entry PATH.
listed() { awk -v p="$1" '$0 ~ / -> / { sub(/ -> .*/, "") } $NF == p { f = 1 } END { exit !f }' "$T/st.list"; }

# ---------------------------------------------------------------------------------------------------
run -o "$T/st.img" -z none -b "$D" -k "$K" --luks --lvm --md --verity --fsck --init "$T/init"
expect_ok "--luks --lvm --md --verity --fsck build against Debian's kernel, silently"
"$MK" --list "$T/st.img" >"$T/st.list" 2>&1
mkdir "$T/stx"
"$MK" --extract "$T/st.img" "$T/stx" >/dev/null 2>&1
missing=
for p in sbin/cryptsetup sbin/lvm sbin/mdadm sbin/e2fsck etc/lvm/lvm.conf etc/mdadm/mdadm.conf \
	etc/earlyroot/modules.luks etc/earlyroot/modules.lvm etc/earlyroot/modules.md etc/earlyroot/modules.verity; do
	listed "$p" || missing="$missing $p"
done
expect_eq "the image has the tools at their fixed paths, their configuration and the module lists" "$missing" ""
expect_eq "fsck.ext2/3/4 are links to e2fsck" \
	"$(grep -E ' sbin/fsck\.ext[234] -> ' "$T/st.list" | sed 's/.* sbin\///' | tr '\n' ' ')" \
	"fsck.ext2 -> e2fsck fsck.ext3 -> e2fsck fsck.ext4 -> e2fsck "
if [ -x /usr/sbin/fsck.fat ] || [ -x /sbin/fsck.fat ]; then
	expect_eq "dosfstools' fsck.fat is there, as fsck.vfat and fsck.msdos too" \
		"$(grep -E ' sbin/fsck\.(fat|vfat|msdos)( |$)' "$T/st.list" | sed 's/.* sbin\///' | tr '\n' ' ')" \
		"fsck.fat fsck.msdos -> fsck.fat fsck.vfat -> fsck.fat "
else
	tap_skip "fsck.fat in the image" "dosfstools is not installed here"
fi
expect_no_grep "no fsck.xfs nor fsck.btrfs (no-ops by design)" "$T/st.list" ' sbin/fsck\.(xfs|btrfs)$'
# Every library the tools need, as this machine's ld.so resolves them, at that path.
missing=
for tool in cryptsetup lvm mdadm e2fsck; do
	for lib in $(ldd "$(command -v "$tool" || echo "/sbin/$tool")" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\/.*ld-linux/ { print $1 }'); do
		listed "${lib#/}" || missing="$missing $tool:$lib"
	done
done
expect_eq "... with every library ldd names for them (and the interpreter)" "$missing" ""

# The tools run from the image alone (its ld.so, its libraries): on a LUKS2 header, an ext4 filesystem.
if [ "$(id -u)" = 0 ] && command -v cryptsetup >/dev/null && command -v mkfs.ext4 >/dev/null && chroot "$T/stx" /sbin/mdadm --version 2>/dev/null; then
	truncate -s 20M "$T/stx/luks.img"
	printf 'pw' | cryptsetup luksFormat --type luks2 --batch-mode --pbkdf pbkdf2 --pbkdf-force-iterations 1000 \
		--key-file - "$T/stx/luks.img" >/dev/null 2>&1
	truncate -s 8M "$T/stx/root.img"
	mkfs.ext4 -q -F "$T/stx/root.img" 2>/dev/null
	# What the init's devtmpfs has: cryptsetup's RNG backend opens /dev/urandom and /dev/random.
	mknod -m 666 "$T/stx/dev/null" c 1 3
	mknod -m 666 "$T/stx/dev/urandom" c 1 9
	mknod -m 666 "$T/stx/dev/random" c 1 8
	expect_eq "in the image: cryptsetup reads a LUKS2 header, e2fsck checks an ext4 filesystem, lvm and mdadm start" \
		"$(chroot "$T/stx" /sbin/cryptsetup luksUUID /luks.img 2>&1; echo "$?")|$(chroot "$T/stx" /sbin/fsck.ext4 -n -f /root.img >/dev/null 2>&1; echo "$?")|$(chroot "$T/stx" /sbin/lvm version </dev/null 2>/dev/null | grep -c 'LVM version'; echo "$?")|$(chroot "$T/stx" /sbin/mdadm --version 2>&1 | grep -c '^mdadm - v')" \
		"$(cryptsetup luksUUID "$T/stx/luks.img")
0|0|1
0|1"
	rm -f "$T/stx/luks.img" "$T/stx/root.img" "$T/stx/dev/null" "$T/stx/dev/urandom" "$T/stx/dev/random"
else
	tap_skip "the tools run from the image alone" "needs root (chroot), cryptsetup and mkfs.ext4"
fi

# The module lists: the names of each layer's modules that Debian's kernel has as modules (aes, sha256,
# cbc are built in; the arm64 ciphers absent), each in the module table for the init to load by name.
expect_eq "modules.luks: dm-crypt and the LUKS ciphers that are modules in Debian's kernel" \
	"$(tr '\n' ' ' <"$T/stx/etc/earlyroot/modules.luks")" \
	"dm_mod dm_crypt xts ecb essiv aesni_intel sha256_ssse3 sha512_generic af_alg algif_skcipher algif_hash "
expect_eq "modules.lvm: dm_mod and the snapshot, mirror, thin and raid targets" \
	"$(tr '\n' ' ' <"$T/stx/etc/earlyroot/modules.lvm")" "dm_mod dm_snapshot dm_mirror dm_thin_pool dm_raid "
expect_eq "modules.md: md_mod and every RAID level" \
	"$(tr '\n' ' ' <"$T/stx/etc/earlyroot/modules.md")" "md_mod linear raid0 raid1 raid10 raid456 "
expect_eq "modules.verity: dm_verity and its hash" \
	"$(tr '\n' ' ' <"$T/stx/etc/earlyroot/modules.verity")" "dm_mod dm_verity sha256_ssse3 "
missing=
for m in $(cat "$T/stx/etc/earlyroot/modules.luks" "$T/stx/etc/earlyroot/modules.lvm" "$T/stx/etc/earlyroot/modules.md" \
	"$T/stx/etc/earlyroot/modules.verity") async_xor async_pq raid6_pq dm_bufio; do
	awk -v m="$m" '$1 == "module" && $2 == m { f = 1 } END { exit !f }' "$T/stx/etc/earlyroot/modtable" ||
		missing="$missing $m"
done
expect_eq "... every one in the module table, with raid456's and dm_verity's dependencies" "$missing" ""
expect_eq "none of them loads at every boot (the init loads a layer's when it meets one)" \
	"$(grep -c . "$T/stx/etc/earlyroot/modules" || true)" "0"

expect_eq "mdadm.conf assembles arrays made on any host (no --hostonly: no ARRAY lines)" \
	"$(grep -v '^#' "$T/stx/etc/mdadm/mdadm.conf" | tr '\n' '|')" "HOMEHOST <ignore>|AUTO +all|"
if command -v lvm >/dev/null; then
	mkdir "$T/lvmconf"
	cp "$T/stx/etc/lvm/lvm.conf" "$T/lvmconf/"
	LVM_SYSTEM_DIR=$T/lvmconf lvm config --validate >"$T/lvm.out" 2>&1 </dev/null
	expect_eq "lvm.conf: lvm config --validate accepts every key ($(lvm version 2>/dev/null </dev/null | sed -n 's/ *LVM version: *\([^ ]*\).*/\1/p'))" \
		"$?:$(grep -v 'leaked on lvm' "$T/lvm.out")" "0:  LVM configuration valid."
	expect_eq "... and says no udev, no device list or hints from udev, no monitoring, no lvmpolld" \
		"$(LVM_SYSTEM_DIR=$T/lvmconf lvm config activation/udev_sync activation/udev_rules \
			devices/obtain_device_list_from_udev devices/use_devicesfile devices/hints activation/monitoring \
			global/use_lvmpolld 2>/dev/null </dev/null | tr '\n' ' ')" \
		'udev_sync=0 udev_rules=0 obtain_device_list_from_udev=0 use_devicesfile=0 hints="none" monitoring=0 use_lvmpolld=0 '
else
	tap_skip "lvm.conf validated by lvm" "lvm2 is not installed here"
fi

run -o "$T/st-c.img" -z none -b "$D" -k "$K" -c configs/storage.conf --init "$T/init"
expect_ok "-c configs/storage.conf builds"
expect_eq "... the same image as --luks --lvm --md --fsck --verity" "$(cmp "$T/st-c.img" "$T/st.img" 2>&1)" ""
printf 'luks = maybe\n' >"$T/bad-luks.conf"
expect_error "a config value that is not yes or no is one clear error" \
	"^mkinitramfs: $T/bad-luks.conf:1: luks must be yes or no, not 'maybe'\$" \
	"$T/bad-luks.img" -o "$T/bad-luks.img" -c "$T/bad-luks.conf" -b "$D" -k "$K" --init "$T/init"

run -o "$T/st-nm.img" -z none --no-modules --luks --fsck --init "$T/init"
expect_ok "--no-modules --luks --fsck builds (a kernel with dm-crypt built in)"
"$MK" --list "$T/st-nm.img" >"$T/st.list" 2>&1
expect_eq "... with the tools and no module list" \
	"$(listed sbin/cryptsetup && echo c)$(listed sbin/e2fsck && echo e)$(grep -c 'modules\.luks' "$T/st.list")" "ce0"
expect_usage_error "--list --luks is refused" "^mkinitramfs: --list reads an image; it takes no build options" \
	"$T/none.img" --list "$T/st.img" --luks
"$MK" --help >"$T/help" 2>&1
expect_eq "--help names every new option" \
	"$(for o in luks lvm md verity fsck; do grep -q -- "^      --$o " "$T/help" && echo "$o"; done | tr '\n' ' ')" \
	"luks lvm md verity fsck "

# A tool not installed: one line naming the Debian package (an empty /usr/sbin in a mount namespace).
if unshare --mount true 2>/dev/null; then
	# shellcheck disable=SC2016 # expanded by the inner shell
	unshare --mount sh -c 'mount -t tmpfs none /usr/sbin && "$1" -o "$2" -z none --no-modules --md --init "$3"' \
		sh "$MK" "$T/nomd.img" "$T/init" >"$T/out" 2>"$T/err"
	expect_eq "--md without mdadm installed: status 1, one line naming the package" \
		"$? $(wc -l <"$T/err" | tr -d ' ') $(cat "$T/err")" \
		"1 1 mkinitramfs: --md needs mdadm, which is not installed here (Debian: apt-get install mdadm)"
else
	tap_skip "--md without mdadm installed" "unshare --mount is not permitted here (needs root)"
fi

# ---------------------------------------------------------------------------------------------------
# --hostonly on LUKS on LVM on RAID1: the tree the kernel would show for an ext4 root on dm-2 (LUKS2
# mapping) on dm-1 (LV vg-0/root) on md0 (RAID1 of sda1 and sdb1). The LUKS device (dm-1) and the root
# (dm-2) are files with real signatures: libblkid reads their bytes.
H=$T/host
# sysdev NAME DEVDIR MAJ:MIN — a block device in $H/sys (DEVDIR below devices/), linked from dev/block.
sysdev() {
	mkdir -p "$H/sys/devices/$2/slaves" "$H/sys/dev/block"
	printf 'MAJOR=%s\nMINOR=%s\nDEVNAME=%s\nDEVTYPE=disk\n' "${3%:*}" "${3#*:}" "$1" >"$H/sys/devices/$2/uevent"
	echo "$3" >"$H/sys/devices/$2/dev"
	ln -s "../../devices/$2" "$H/sys/dev/block/$3"
}
# slave UPPER LOWER — LOWER (a DEVDIR) is under UPPER.
slave() { ln -s "$H/sys/devices/$2" "$H/sys/devices/$1/slaves/$(basename "$2")"; }
# layer DEVDIR NAME UUID — a device-mapper device's dm/name and dm/uuid.
layer() { mkdir -p "$H/sys/devices/$1/dm" && echo "$2" >"$H/sys/devices/$1/dm/name" && echo "$3" >"$H/sys/devices/$1/dm/uuid"; }

if command -v cryptsetup >/dev/null && command -v mkfs.ext4 >/dev/null; then
	mkdir -p "$H/dev" "$H/proc/self" "$H/etc/keys"
	truncate -s 20M "$H/dev/dm-1"
	printf 'pw' | cryptsetup luksFormat --type luks2 --batch-mode --pbkdf pbkdf2 --pbkdf-force-iterations 1000 \
		--key-file - "$H/dev/dm-1" >"$T/luks.out" 2>&1
	LUKS=$(cryptsetup luksUUID "$H/dev/dm-1" 2>/dev/null)
	truncate -s 8M "$H/dev/dm-2"
	mkfs.ext4 -q -F "$H/dev/dm-2" 2>/dev/null
	ROOT=$(blkid -p -s UUID -o value "$H/dev/dm-2")
	LUKSHEX=$(echo "$LUKS" | tr -d -)
	sysdev dm-2 virtual/block/dm-2 253:2
	layer virtual/block/dm-2 "luks-$LUKS" "CRYPT-LUKS2-$LUKSHEX-luks-$LUKS"
	sysdev dm-1 virtual/block/dm-1 253:1
	layer virtual/block/dm-1 vg--0-root "LVM-Hd1xmrKkh2DPuXYgqv6QmNXU4kiWqy3sCFwgE8mfR8oQMLLd0FbXqi5jsSKzg6mI"
	sysdev md0 virtual/block/md0 9:0
	mkdir "$H/sys/devices/virtual/block/md0/md"
	echo 3e5099cc-6b02-4b7e-8f53-45cb5b5bc382 >"$H/sys/devices/virtual/block/md0/md/uuid"
	sysdev sda1 pci0000:00/0000:00:04.0/block/sda/sda1 8:1
	sysdev sdb1 pci0000:00/0000:00:05.0/block/sdb/sdb1 8:17
	slave virtual/block/dm-2 virtual/block/dm-1
	slave virtual/block/dm-1 virtual/block/md0
	slave virtual/block/md0 pci0000:00/0000:00:04.0/block/sda/sda1
	slave virtual/block/md0 pci0000:00/0000:00:05.0/block/sdb/sdb1
	echo '25 1 253:2 / / rw,relatime shared:1 - ext4 /dev/mapper/root rw' >"$H/proc/self/mountinfo"
	printf 'secret' >"$H/etc/keys/root.key"
	cat >"$H/etc/crypttab" <<-CRYPTTAB
	# the root, by UUID, with a key file; a data volume of another disk, not the root's
	cryptroot UUID=$LUKS /etc/keys/root.key luks,discard
	data UUID=0f0f0f0f-1111-2222-3333-444455556666 none luks
	CRYPTTAB

	EARLYROOT_HOSTONLY_ROOT=$H run -o "$T/hs.img" -z none -b "$D" -k "$K" --hostonly --init "$T/init"
	# shellcheck disable=SC2154 # rc: set by run.sh's run()
	expect_eq "--hostonly on LUKS on LVM on RAID1 builds, with one warning: the image holds the key file" \
		"$rc $(cat "$T/err")" \
		"0 mkinitramfs: warning: --hostonly: the image holds /etc/keys/root.key, the key of the root's LUKS volume cryptroot: keep the image as secret as the key"
	"$MK" --list "$T/hs.img" >"$T/st.list" 2>&1
	mkdir "$T/hsx"
	"$MK" --extract "$T/hs.img" "$T/hsx" >/dev/null 2>&1
	expect_eq "image.conf: root=UUID= of the ext4 root, then each layer down the stack" \
		"$(grep '^cmdline=' "$T/hsx/etc/earlyroot/image.conf")" \
		"cmdline=root=UUID=$ROOT rd.luks.uuid=$LUKS rd.lvm.lv=vg-0/root rd.md.uuid=3e5099cc:6b024b7e:8f5345cb:5b5bc382"
	missing=
	for p in sbin/cryptsetup sbin/lvm sbin/mdadm etc/lvm/lvm.conf etc/mdadm/mdadm.conf etc/earlyroot/modules.luks \
		etc/earlyroot/modules.lvm etc/earlyroot/modules.md; do
		listed "$p" || missing="$missing $p"
	done
	expect_eq "... and the three layers turned on: their tools, configuration and module lists" "$missing" ""
	expect_eq "... not dm-verity's nor fsck, which the stack does not have" \
		"$(grep -c -e modules.verity -e sbin/e2fsck "$T/st.list")" "0"
	expect_eq "/etc/crypttab: the root's line only" "$(cat "$T/hsx/etc/crypttab")" \
		"cryptroot UUID=$LUKS /etc/keys/root.key luks,discard"
	expect_grep "... and its key file, readable by root only" "$T/st.list" '^-rw------- 0/0 6 etc/keys/root\.key$'

	# Devices that cannot be read (as for a user who is not root): the root's UUID from udev's
	# /dev/disk/by-uuid link, the LUKS volume's from its dm UUID (cryptsetup writes the header's there).
	if mknod "$H/mknod-test" b 253 2 2>/dev/null; then
		mkdir -p "$H/dev/disk/by-uuid"
		mv "$H/mknod-test" "$H/dev/disk/by-uuid/$ROOT"
		mv "$H/dev/dm-1" "$H/dm-1.saved"
		mv "$H/dev/dm-2" "$H/dm-2.saved"
		EARLYROOT_HOSTONLY_ROOT=$H run -o "$T/hs-ro.img" -z none -b "$D" -k "$K" --hostonly --init "$T/init"
		expect_eq "devices not readable: root=UUID= from /dev/disk/by-uuid, rd.luks.uuid= from the dm UUID" \
			"$rc $(cpio -i --quiet --to-stdout etc/earlyroot/image.conf <"$T/hs-ro.img" | grep '^cmdline=')" \
			"0 cmdline=root=UUID=$ROOT rd.luks.uuid=$LUKS rd.lvm.lv=vg-0/root rd.md.uuid=3e5099cc:6b024b7e:8f5345cb:5b5bc382"
		mv "$H/dm-1.saved" "$H/dev/dm-1"
		mv "$H/dm-2.saved" "$H/dev/dm-2"
		rm -r "$H/dev/disk"
	else
		tap_skip "devices not readable: the UUIDs from /dev/disk/by-uuid and the dm UUID" "mknod is not permitted here"
	fi

	# The same stack with the md array's UUID from a member's superblock: no md/uuid in sysfs, and
	# members without one: the layer is named in a warning, the rest still found.
	rm "$H/sys/devices/virtual/block/md0/md/uuid"
	: >"$H/dev/sda1"
	: >"$H/dev/sdb1"
	EARLYROOT_HOSTONLY_ROOT=$H run -o "$T/hs2.img" -z none -b "$D" -k "$K" --hostonly --init "$T/init"
	expect_eq "an array whose UUID cannot be read: a warning naming the layer, the rest of the stack kept" \
		"$rc $(grep -c "warning: --hostonly: the root's RAID array has no UUID to name" "$T/err") $(cpio -i --quiet --to-stdout etc/earlyroot/image.conf <"$T/hs2.img" | grep '^cmdline=')" \
		"0 1 cmdline=root=UUID=$ROOT rd.luks.uuid=$LUKS rd.lvm.lv=vg-0/root"

	# dm-verity over two partitions: the layer is turned on, roothash= cannot come from here.
	H=$T/host-verity
	mkdir -p "$H/dev" "$H/proc/self"
	truncate -s 1M "$H/dev/dm-0"
	mkfs.vfat -n ROOT "$H/dev/dm-0" >/dev/null 2>&1 || mkfs.ext4 -q -F "$H/dev/dm-0"
	VROOT=$(blkid -p -s UUID -o value "$H/dev/dm-0")
	sysdev dm-0 virtual/block/dm-0 253:0
	layer virtual/block/dm-0 root "CRYPT-VERITY-0123456789abcdef0123456789abcdef-root"
	sysdev vda1 pci0000:00/0000:00:04.0/virtio1/block/vda/vda1 252:1
	sysdev vda2 pci0000:00/0000:00:04.0/virtio1/block/vda/vda2 252:2
	slave virtual/block/dm-0 pci0000:00/0000:00:04.0/virtio1/block/vda/vda1
	slave virtual/block/dm-0 pci0000:00/0000:00:04.0/virtio1/block/vda/vda2
	echo '25 1 253:0 / / ro,relatime shared:1 - vfat /dev/mapper/root ro' >"$H/proc/self/mountinfo"
	EARLYROOT_HOSTONLY_ROOT=$H run -o "$T/hv.img" -z none -b "$D" -k "$K" --hostonly --init "$T/init"
	expect_ok "--hostonly on a dm-verity root (a vfat one: libblkid reads any filesystem's UUID) builds"
	"$MK" --list "$T/hv.img" >"$T/st.list" 2>&1
	expect_eq "... with root=UUID= and modules.verity, no LUKS, LVM or MD" \
		"$(cpio -i --quiet --to-stdout etc/earlyroot/image.conf <"$T/hv.img" | grep '^cmdline=') $(grep -c -e modules.verity -e modules.luks -e modules.lvm -e modules.md "$T/st.list")" \
		"cmdline=root=UUID=$VROOT 1"

	# A thin LV: the pool's dm devices below it are lvm's business (only the LV on the command line),
	# and lvm runs thin_check on the pool before it activates it.
	H=$T/host-thin
	mkdir -p "$H/dev" "$H/proc/self"
	cp "$T/host/dev/dm-2" "$H/dev/dm-0"
	VG=LVM-Hd1xmrKkh2DPuXYgqv6QmNXU4kiWqy3s
	sysdev dm-0 virtual/block/dm-0 253:0
	layer virtual/block/dm-0 vg-thinroot "${VG}CFwgE8mfR8oQMLLd0FbXqi5jsSKzg6mI"
	sysdev dm-1 virtual/block/dm-1 253:1
	layer virtual/block/dm-1 vg-pool-tpool "${VG}aaaaE8mfR8oQMLLd0FbXqi5jsSKzg6mI-tpool"
	sysdev dm-2 virtual/block/dm-2 253:2
	layer virtual/block/dm-2 vg-pool_tdata "${VG}bbbbE8mfR8oQMLLd0FbXqi5jsSKzg6mI-tdata"
	sysdev dm-3 virtual/block/dm-3 253:3
	layer virtual/block/dm-3 vg-pool_tmeta "${VG}ccccE8mfR8oQMLLd0FbXqi5jsSKzg6mI-tmeta"
	sysdev vda1 pci0000:00/0000:00:04.0/virtio1/block/vda/vda1 252:1
	slave virtual/block/dm-0 virtual/block/dm-1
	slave virtual/block/dm-1 virtual/block/dm-2
	slave virtual/block/dm-1 virtual/block/dm-3
	slave virtual/block/dm-2 pci0000:00/0000:00:04.0/virtio1/block/vda/vda1
	slave virtual/block/dm-3 pci0000:00/0000:00:04.0/virtio1/block/vda/vda1
	echo '25 1 253:0 / / rw,relatime shared:1 - ext4 /dev/mapper/vg-thinroot rw' >"$H/proc/self/mountinfo"
	EARLYROOT_HOSTONLY_ROOT=$H run -o "$T/ht.img" -z none -b "$D" -k "$K" --hostonly --init "$T/init"
	if [ -x /usr/sbin/thin_check ]; then
		expect_ok "--hostonly on a thin LV builds"
		"$MK" --list "$T/ht.img" >"$T/st.list" 2>&1
		expect_eq "... with the thin LV alone on the command line, and lvm's thin_check where lvm runs it" \
			"$(cpio -i --quiet --to-stdout etc/earlyroot/image.conf <"$T/ht.img" | grep '^cmdline=') $(listed sbin/lvm && listed usr/sbin/thin_check && echo both)" \
			"cmdline=root=UUID=$ROOT rd.lvm.lv=vg/thinroot both"
	else
		expect_eq "--hostonly on a thin LV without thin_check installed: one line naming the package" \
			"$rc $(cat "$T/err")" \
			"1 mkinitramfs: --hostonly's thin LV needs thin_check, which is not installed here (Debian: apt-get install thin-provisioning-tools)"
	fi
	H=$T/host
else
	tap_skip "--hostonly on a LUKS-on-LVM-on-RAID stack" "cryptsetup or mkfs.ext4 is not installed here"
fi
