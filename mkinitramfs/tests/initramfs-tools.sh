#!/bin/sh
# mkinitramfs/tests/initramfs-tools.sh — --list on a real Debian initramfs-tools image (TAP).
#
# initramfs-tools is not installed (it would bring systemd-sysv and udev onto the machine): its packages
# are downloaded and unpacked into the cache, and its own mkinitramfs runs in a mount namespace where
# the unpacked files and the cached Debian kernel's modules are bound where it expects them. The image
# is what Debian builds: an uncompressed early archive (microcode, added by initramfs-tools' own
# prepend_earlyinitramfs from a hook) followed by the zstd main archive. Our --list must list exactly
# what initramfs-tools' own lsinitramfs lists.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
. tests/tap.sh
MK=${MKINITRAMFS:-$top/${BUILD:-build}/mkinitramfs}
case $MK in /*) ;; *) MK=$top/$MK ;; esac

skip() { tap_skip "--list on a real initramfs-tools image" "$1"; tap_done; exit 0; }
[ "$(id -u)" = 0 ] || skip "needs root (mount namespace)"
[ -d /usr/share/initramfs-tools ] || skip "/usr/share/initramfs-tools does not exist to bind over (busybox-static makes it)"
kdir=$(qemu-tests/fetch-kernel generic 2>/dev/null) || skip "Debian's kernel cannot be fetched here"
kver=$(cat "$kdir/kver")
cache=${EARLYROOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/earlyroot}/initramfs-tools
if [ ! -x "$cache/root/usr/sbin/mkinitramfs" ]; then
	{ rm -rf "$cache" && mkdir -p "$cache"; } || skip "cannot create $cache"
	sandbox=; [ "$(id -u)" = 0 ] && sandbox="-o APT::Sandbox::User=root"
	# shellcheck disable=SC2086 # $sandbox is two words (-o OPTION) or none
	(cd "$cache" && apt-get download -q $sandbox initramfs-tools-core initramfs-tools >/dev/null 2>&1) ||
		skip "apt-get download initramfs-tools failed"
	for d in "$cache"/*.deb; do dpkg-deb -x "$d" "$cache/root"; done
fi

w=$(mktemp -d /tmp/earlyroot-itools.XXXXXX)
trap 'rm -rf "$w"' EXIT
# A private copy of its data and configuration: a short module list, zstd, and one more hook.
cp -a "$cache/root/usr/share/initramfs-tools" "$w/share"
cp -a "$cache/root/etc/initramfs-tools" "$w/conf"
sed -i 's/^MODULES=.*/MODULES=list/; s/^COMPRESS=.*/COMPRESS=zstd/' "$w/conf/initramfs.conf"
grep -q '^COMPRESS=' "$w/conf/initramfs.conf" || echo COMPRESS=zstd >>"$w/conf/initramfs.conf"
echo virtio_blk >>"$w/conf/modules"
mkdir -p "$w/ucode/kernel/x86/microcode"
printf 'not real microcode, just its place\n' >"$w/ucode/kernel/x86/microcode/GenuineIntel.bin"
cat >"$w/share/hooks/zz-earlyroot-test-ucode" <<HOOK
#!/bin/sh
[ "\$1" = prereqs ] && exit 0
. /usr/share/initramfs-tools/hook-functions
(cd "$w/ucode" && find kernel | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$w/ucode.cpio"
prepend_earlyinitramfs "$w/ucode.cpio"
HOOK
chmod +x "$w/share/hooks/zz-earlyroot-test-ucode"

# initramfs-tools reads /lib/modules/KVER, a path it does not let us change. A machine without an
# installed kernel (a container, a chroot, CI) has no /lib/modules to mount over: the namespace then
# lays an overlay on its parent directory and makes it there, so the host is never written to.
moddir_parent=$(readlink -f /lib)
make_moddir=:
if [ ! -d /lib/modules ]; then
	grep -qw overlay /proc/filesystems ||
		skip "no /lib/modules to mount over, and no overlayfs to make one in a namespace"
	mkdir -p "$w/ovl/upper" "$w/ovl/work"
	make_moddir="mount -t overlay earlyroot-test -o lowerdir=$moddir_parent,upperdir=$w/ovl/upper,workdir=$w/ovl/work $moddir_parent && mkdir $moddir_parent/modules"
fi

start=$(date +%s)
unshare --mount --propagation private sh -c "
	set -e
	mount --bind '$w/share' /usr/share/initramfs-tools
	$make_moddir
	mount -t tmpfs modules /lib/modules && mkdir /lib/modules/$kver
	mount --bind '$kdir/lib/modules/$kver' /lib/modules/$kver
	mount -t tmpfs boot /boot && cp '$kdir/boot/config-$kver' /boot/
	sh '$cache/root/usr/sbin/mkinitramfs' -d '$w/conf' -o '$w/initrd.img' '$kver'
	PATH='$cache/root/usr/bin':$PATH sh '$cache/root/usr/bin/lsinitramfs' '$w/initrd.img' >'$w/lsinitramfs.txt'
" >"$w/build.log" 2>&1
if [ ! -s "$w/initrd.img" ]; then
	tap_fail "initramfs-tools builds an image" "$(tail -n 15 "$w/build.log")"
	tap_done
	exit 1
fi
tap_ok "initramfs-tools (unpacked, not installed) builds an image in $(($(date +%s) - start)) s: $(stat -c %s "$w/initrd.img") bytes"

head=$(head -c 6 "$w/initrd.img")
expect_eq "the image starts with an uncompressed early archive" "$head" "070701"
zoff=$(LC_ALL=C grep -obUaP '\x28\xb5\x2f\xfd' "$w/initrd.img" | head -n1 | cut -d: -f1)
if [ -n "$zoff" ] && [ "$zoff" -gt 0 ]; then
	tap_ok "...followed by the zstd main archive (at byte $zoff)"
else
	tap_fail "...followed by the zstd main archive" "no zstd frame magic after the early archive"
fi
if "$MK" --list "$w/initrd.img" >"$w/ours.txt" 2>"$w/ours.err"; then
	tap_ok "--list reads it: $(wc -l <"$w/ours.txt") entries over every segment"
else
	tap_fail "--list reads it" "$(cat "$w/ours.err")"
fi
expect_grep "--list shows the early microcode" "$w/ours.txt" ' kernel/x86/microcode/GenuineIntel\.bin$'
expect_grep "--list shows the main archive's init (behind the zstd segment)" "$w/ours.txt" ' init$'
# Paths only: ours print "mode owner size path [-> target]"; lsinitramfs prints paths ("." for the root).
awk '{ p = $4; if (p != "" && p != ".") print p }' "$w/ours.txt" | LC_ALL=C sort -u >"$w/ours.paths"
grep -v '^\.$' "$w/lsinitramfs.txt" | LC_ALL=C sort -u >"$w/theirs.paths"
if cmp -s "$w/ours.paths" "$w/theirs.paths"; then
	tap_ok "--list lists exactly what initramfs-tools' lsinitramfs lists ($(wc -l <"$w/theirs.paths") paths)"
else
	tap_fail "--list lists exactly what initramfs-tools' lsinitramfs lists" "$(diff "$w/theirs.paths" "$w/ours.paths" | head -n 15)"
fi
tap_done
