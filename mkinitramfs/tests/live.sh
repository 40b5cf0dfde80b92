# mkinitramfs/tests/live.sh — sourced by run.sh (same helpers, $MK, $T, $D, $K, $MD): --live, the
# modules of a live medium (issue 12), against Debian's kernel and small depmod'ed trees.
# shellcheck shell=sh

# live.c's list, as modprobe names them: at every boot, then on demand.
LIVE_BOOT="isofs loop squashfs erofs overlay vfat nls_cp437 nls_iso8859_1 nls_utf8"
LIVE_DEVICES="sr_mod sd_mod ahci ata_piix usb_storage uas xhci_pci ehci_pci ohci_pci uhci_hcd virtio_pci virtio_blk virtio_scsi"

# ---------------------------------------------------------------------------------------------------
# Debian's generic kernel has every one of them as a module.
run -o "$T/live.img" -z none -v -b "$D" -k "$K" --live --init "$T/init"
expect_ok "--live builds against Debian's kernel"
expect_no_grep "... and leaves nothing out" "$T/out" 'left out'
"$MK" --list "$T/live.img" >"$T/live.list" 2>&1
expect_eq "--list reads it" "$?" 0
# The closure of every live module, as modprobe resolves it (hard dependencies and softdeps).
for m in $LIVE_BOOT $LIVE_DEVICES; do
	modprobe -C "$T/no-modprobe.d" -d "$D" -S "$K" --show-depends "$m"
done | awk '$1 == "insmod" { print $2 }' | sed "s|^$MD/||" | sort -u >"$T/live-want"
expect_eq "--list shows exactly the live modules and their dependencies (modprobe --show-depends)" \
	"$(awk '$NF ~ /\.ko$/ { print $NF }' "$T/live.list" | sed "s|^lib/modules/$K/||" | sort | tr '\n' ' ')" \
	"$(tr '\n' ' ' <"$T/live-want")"
for m in $LIVE_BOOT $LIVE_DEVICES; do
	modprobe -C "$T/no-modprobe.d" -d "$D" -S "$K" --show-depends "$m" | tail -n 1
done | awk '{ print $2 }' | sed "s|^$MD/||" >"$T/live-names"
missing=$(while read -r p; do grep -q " lib/modules/$K/$p\$" "$T/live.list" || echo "$p"; done <"$T/live-names")
expect_eq "... each of the 22 modules of live.c among them (usb-storage, xhci_pci, nls_iso8859-1, ...)" \
	"$(wc -l <"$T/live-names" | tr -d ' ') $missing" "22 "

# Filesystems load at every boot, device drivers when a device asks (the module table has them all).
mkdir "$T/livex"
"$MK" --extract "$T/live.img" "$T/livex" >/dev/null 2>&1
for m in $LIVE_BOOT; do
	modprobe -C "$T/no-modprobe.d" -d "$D" -S "$K" --show-depends "$m"
done | awk '$1 == "insmod" { print $2 }' | sed "s|^$MD/||" | sort -u >"$T/live-boot-want"
expect_eq "/etc/earlyroot/modules: the filesystems, loop and NLS with their closure, nothing else" \
	"$(sed "s|^/lib/modules/$K/||; s| .*||" "$T/livex/etc/earlyroot/modules" | sort | tr '\n' ' ')" \
	"$(tr '\n' ' ' <"$T/live-boot-want")"
expect_eq "the device drivers are in the module table, with their modalias patterns" \
	"$(for m in xhci_pci usb_storage sr_mod virtio_blk; do awk -v m="$m" '$1 == "module" && $2 == m { p = 1 } p && $1 == "alias" { print m; exit }' "$T/livex/etc/earlyroot/modtable"; done | tr '\n' ' ')" \
	"xhci_pci usb_storage sr_mod virtio_blk "
expect_grep "-v says why: --live" "$T/out" '^mkinitramfs: \+ squashfs \(--live\)$'
expect_grep "-v says why: --live, on demand" "$T/out" '^mkinitramfs: \+ usb_storage \(--live, on demand\)$'

# The config file and the key are the option.
run -o "$T/live-c.img" -z none -b "$D" -k "$K" -c configs/live.conf --init "$T/init"
expect_ok "-c configs/live.conf builds"
expect_eq "... the same image as --live" "$(cmp "$T/live-c.img" "$T/live.img" 2>&1)" ""
run -o "$T/live-m.img" -z none -b "$D" -k "$K" --live -m virtio_blk,ext4 --init "$T/init"
expect_ok "--live with -m"
expect_eq "... a module named with -m loads at every boot even when --live has it on demand" \
	"$(cpio -i --quiet --to-stdout etc/earlyroot/modules <"$T/live-m.img" | grep -c -e '/virtio_blk\.ko' -e '/ext4\.ko')" 2
expect_usage_error "--no-modules --live is refused" "^mkinitramfs: --no-modules contradicts --live" \
	"$T/live-nm.img" -o "$T/live-nm.img" --no-modules --live --init "$T/init"
expect_usage_error "--list --live is refused" "^mkinitramfs: --list reads an image; it takes no build options" \
	"$T/none.img" --list "$T/live.img" --live

# ---------------------------------------------------------------------------------------------------
# Other kernels: a small tree with only what a live boot cannot do without (and cdrom for isofs).
KL=$T/kl/lib/modules/$K
for p in kernel/fs/isofs/isofs.ko kernel/drivers/cdrom/cdrom.ko kernel/drivers/block/loop.ko \
	kernel/fs/squashfs/squashfs.ko kernel/fs/overlayfs/overlay.ko; do
	mkdir -p "$KL/${p%/*}"
	cp "$MD/$p" "$KL/$p"
done
cp "$MD/modules.order" "$KL/"
: >"$KL/modules.builtin"
depmod -b "$T/kl" "$K" 2>/dev/null
run -o "$T/kl.img" -z none -b "$T/kl" -k "$K" --live --init "$T/init"
expect_ok "--live on a kernel lacking the optional modules builds"
expect_eq "... and names them in one line" "$(grep -c . "$T/out") $(head -n 1 "$T/out")" \
	"2 mkinitramfs: not in kernel $K, left out: erofs vfat nls_cp437 nls_iso8859_1 nls_utf8 sr_mod sd_mod ahci ata_piix usb_storage uas xhci_pci ehci_pci ohci_pci uhci_hcd virtio_pci virtio_blk virtio_scsi"
# Built in: nothing to add, nothing to say (the kernel has it; only a named module is reported).
rm "$KL/kernel/fs/squashfs/squashfs.ko"
echo kernel/fs/squashfs/squashfs.ko >"$KL/modules.builtin"
depmod -b "$T/kl" "$K" 2>/dev/null
run -o "$T/kl2.img" -z none -b "$T/kl" -k "$K" --live --init "$T/init"
expect_ok "--live on a kernel with squashfs built in builds"
expect_no_grep "... without a word about squashfs" "$T/out" 'squashfs'
expect_eq "... and the other required modules go in" \
	"$(cpio -i --quiet --to-stdout etc/earlyroot/modules <"$T/kl2.img" | sed 's|.*/||' | tr '\n' ' ')" \
	"cdrom.ko isofs.ko loop.ko overlay.ko "
: >"$KL/modules.builtin"
depmod -b "$T/kl" "$K" 2>/dev/null
expect_error "--live on a kernel without squashfs (neither module nor built in) is one clear error" \
	"^mkinitramfs: squashfs: no such module in $KL, nor built into the kernel \(--live needs it\)\$" \
	"$T/kl3.img" -o "$T/kl3.img" -b "$T/kl" -k "$K" --live --init "$T/init"
