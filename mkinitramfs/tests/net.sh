# mkinitramfs/tests/net.sh — sourced by run.sh (same helpers, $MK, $T, $D, $K, $MD): --net, the modules
# of a network boot (issue 13), against Debian's kernel and a small depmod'ed tree.
# shellcheck shell=sh

# net.c's list, as modprobe names them: the NFS client (loaded by name before an NFS mount), then the NIC
# drivers (by modalias); af_packet, at every boot, is built into Debian's kernel.
NET_NFS="nfs nfsv4 nfsv3"
NET_DEVICES="virtio_pci virtio_net e1000 e1000e r8169 igb ixgbe tg3 bnx2 8139cp 8139too pcnet32 ne2k_pci vmxnet3"

# expect_fw_warning_only DESC — the last run succeeded, and said only that the package tree has no
# firmware for some NIC drivers (Debian ships it in firmware-* packages, not with the kernel).
expect_fw_warning_only() {
	# shellcheck disable=SC2154 # rc: set by run.sh's run()
	if [ "$rc" = 0 ] && [ "$(grep -vc '^mkinitramfs: warning: [0-9]* firmware files named by the modules are not in' "$T/err")" = 0 ]; then
		tap_ok "$1"
	else
		tap_fail "$1" "exit status $rc" "--- stderr:" "$(head -n 30 "$T/err")"
	fi
}

# ---------------------------------------------------------------------------------------------------
run -o "$T/net.img" -z none -v -b "$D" -k "$K" --net --init "$T/init"
expect_fw_warning_only "--net builds against Debian's kernel (only the missing NIC firmware is mentioned)"
expect_no_grep "... and leaves nothing out" "$T/out" 'left out'
expect_grep "... af_packet, built in, is named as such under -v" "$T/out" '^mkinitramfs: af_packet: built into the kernel \(--net\)$'
"$MK" --list "$T/net.img" >"$T/net.list" 2>&1
expect_eq "--list reads it" "$?" 0
for m in $NET_NFS $NET_DEVICES; do
	modprobe -C "$T/no-modprobe.d" -d "$D" -S "$K" --show-depends "$m"
done | awk '$1 == "insmod" { print $2 }' | sed "s|^$MD/||" | sort -u >"$T/net-want"
expect_eq "--list shows exactly the --net modules and their dependencies (modprobe --show-depends)" \
	"$(awk '$NF ~ /\.ko$/ { print $NF }' "$T/net.list" | sed "s|^lib/modules/$K/||" | sort | tr '\n' ' ')" \
	"$(tr '\n' ' ' <"$T/net-want")"
expect_eq "... the NFS client's closure among them (sunrpc, lockd, grace, dns_resolver, nfs_acl), no Kerberos" \
	"$(for m in sunrpc lockd grace dns_resolver nfs_acl auth_rpcgss rpcsec_gss_krb5; do grep -q "/$m\.ko\$" "$T/net.list" && echo "$m"; done | tr '\n' ' ')" \
	"sunrpc lockd grace dns_resolver nfs_acl "

mkdir "$T/netx"
"$MK" --extract "$T/net.img" "$T/netx" >/dev/null 2>&1
expect_eq "/etc/earlyroot/modules: nothing at every boot (af_packet is built in; the NFS client waits for an NFS root)" \
	"$(grep -c . "$T/netx/etc/earlyroot/modules" 2>/dev/null || true)" "0"
expect_eq "the NFS client is in the module table, for the init to load by name" \
	"$(for m in nfs nfsv4 nfsv3; do awk -v m="$m" '$1 == "module" && $2 == m { print m; exit }' "$T/netx/etc/earlyroot/modtable"; done | tr '\n' ' ')" \
	"nfs nfsv4 nfsv3 "
expect_eq "the NIC drivers are in the module table, with their modalias patterns" \
	"$(for m in virtio_net e1000 r8169 ne2k_pci vmxnet3; do awk -v m="$m" '$1 == "module" && $2 == m { p = 1 } p && $1 == "alias" { print m; exit }' "$T/netx/etc/earlyroot/modtable"; done | tr '\n' ' ')" \
	"virtio_net e1000 r8169 ne2k_pci vmxnet3 "
expect_grep "-v says why: --net, on demand (the NFS client too)" "$T/out" '^mkinitramfs: \+ nfsv4 \(--net, on demand\)$'
expect_grep "-v says why: --net, on demand" "$T/out" '^mkinitramfs: \+ virtio_net \(--net, on demand\)$'

run -o "$T/net-c.img" -z none -b "$D" -k "$K" -c configs/netboot.conf --init "$T/init"
expect_fw_warning_only "-c configs/netboot.conf builds"
expect_eq "... the same image as --net" "$(cmp "$T/net-c.img" "$T/net.img" 2>&1)" ""

# root=live:http:// wants both: the live medium's filesystems and the network.
run -o "$T/netlive.img" -z none -b "$D" -k "$K" --net --live --init "$T/init"
expect_fw_warning_only "--net --live builds"
expect_eq "... its boot modules are --live's, each once (the NFS client is not among them)" \
	"$(cpio -i --quiet --to-stdout etc/earlyroot/modules <"$T/netlive.img" | sed 's|.* ||; s|.*/||' | sort | uniq -d | wc -l | tr -d ' '):$(cpio -i --quiet --to-stdout etc/earlyroot/modules <"$T/netlive.img" | grep -c -e '/squashfs\.ko' -e '/overlay\.ko' -e '/nfsv4\.ko' -e '/sunrpc\.ko')" \
	"0:2"
expect_usage_error "--no-modules --net is refused" "^mkinitramfs: --no-modules contradicts --net" \
	"$T/net-nm.img" -o "$T/net-nm.img" --no-modules --net --init "$T/init"
expect_usage_error "--list --net is refused" "^mkinitramfs: --list reads an image; it takes no build options" \
	"$T/none.img" --list "$T/net.img" --net

# ---------------------------------------------------------------------------------------------------
# A kernel without NFS and with one NIC driver: the rest is left out in one line (HTTP boot still works).
KN=$T/kn/lib/modules/$K
mkdir -p "$KN/kernel/drivers/net/ethernet/intel/e1000"
cp "$MD/kernel/drivers/net/ethernet/intel/e1000/e1000.ko" "$KN/kernel/drivers/net/ethernet/intel/e1000/"
cp "$MD/modules.order" "$KN/"
echo kernel/net/packet/af_packet.ko >"$KN/modules.builtin"
depmod -b "$T/kn" "$K" 2>/dev/null
run -o "$T/kn.img" -z none -b "$T/kn" -k "$K" --net --init "$T/init"
expect_ok "--net on a kernel without NFS and most NIC drivers builds"
expect_eq "... and names what it left out in one line" "$(grep -c . "$T/out") $(head -n 1 "$T/out")" \
	"2 mkinitramfs: not in kernel $K, left out: nfs nfsv4 nfsv3 virtio_pci virtio_net e1000e r8169 igb ixgbe tg3 bnx2 8139cp 8139too pcnet32 ne2k_pci vmxnet3"
: >"$KN/modules.builtin"
depmod -b "$T/kn" "$K" 2>/dev/null
expect_error "--net on a kernel without af_packet (neither module nor built in) is one clear error" \
	"^mkinitramfs: af_packet: no such module in $KN, nor built into the kernel \(--net needs it\)\$" \
	"$T/kn2.img" -o "$T/kn2.img" -b "$T/kn" -k "$K" --net --init "$T/init"
