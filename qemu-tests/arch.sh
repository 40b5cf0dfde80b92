# qemu-tests/arch.sh — the guest architectures the harness boots, one table (bash, sourced by lib.sh).
# shellcheck shell=bash
#
# ARCH is mk/cross.mk's name (and boot --arch's, a scenario's arch=). For each: the QEMU binary and the
# Debian package that has it, the machine (under TCG; x86's through er_accel_args), the kernel's console,
# the virtio disk's device model on that machine's bus, how the probe reports success (isa-debug-exit
# only on x86; elsewhere the poweroff marker, see er_poweroff_marker), fetch-kernel's flavour, where the
# programs built for it are, the modules every image of it carries, and the cross compiler (with the
# Debian packages that give it) for a probe or vmrun built on the fly.
# shellcheck disable=SC2034 # the ER_A_* variables are for lib.sh, run and boot

ER_ARCHES='x86_64 aarch64 armhf i386 ppc64el s390x'

# er_arch ARCH — sets ER_A_* for ARCH; false, naming the ones that exist, for another.
#   ER_A_QEMU ER_A_QEMU_PKG  the qemu-system binary (EARLYROOT_QEMU for x86_64, else EARLYROOT_QEMU_<ARCH>) and its package
#   ER_A_MACHINE             machine, accelerator and CPU arguments (words) under TCG; "" = er_accel_args'
#   ER_A_KVM_HOST            the host architecture on which this guest may use KVM ("" = never)
#   ER_A_CONSOLE             the console= device the kernel writes to (what -serial becomes there)
#   ER_A_DISK                the virtio disk's -device model
#   ER_A_EXIT                the probe's exit= mode: isa-debug-exit or poweroff-marker
#   ER_A_POWERDOWN           "no" where the kernel's "reboot: Power down" never reaches the console
#   ER_A_KERNEL              qemu-tests/fetch-kernel's flavour for Debian's kernel
#   ER_A_DEBARCH             Debian's name of the architecture (busybox-static:DEBARCH, ...)
#   ER_A_BUILD               the directory of make's programs for it ($ER_BUILD or $ER_BUILD/ARCH)
#   ER_A_MODULES             the modules of every image (virtio's transport on that bus, virtio_blk, ext4)
#   ER_A_CC ER_A_CC_PKGS     the static musl compiler (MUSL_CC, AARCH64_CC, ARMHF_CC... override) and its packages
er_arch() {
	local b=${ER_BUILD:-build}
	ER_A_MACHINE='' ER_A_KVM_HOST='' ER_A_EXIT=poweroff-marker ER_A_POWERDOWN=yes ER_A_DISK=virtio-blk-pci
	ER_A_MODULES=virtio_pci,virtio_blk,ext4 ER_A_BUILD=$b/$1
	case $1 in
	x86_64)
		ER_A_QEMU=${ER_QEMU:-qemu-system-x86_64} ER_A_QEMU_PKG=qemu-system-x86 ER_A_KVM_HOST=x86_64
		ER_A_CONSOLE=ttyS0 ER_A_EXIT=isa-debug-exit ER_A_KERNEL=generic ER_A_DEBARCH=amd64 ER_A_BUILD=$b
		ER_A_CC=${MUSL_CC:-musl-gcc} ER_A_CC_PKGS='musl-tools' ;;
	aarch64) # pauth-impdef: QEMU's cheap pointer authentication (24 s -> 10 s a boot)
		ER_A_QEMU=${EARLYROOT_QEMU_AARCH64:-qemu-system-aarch64} ER_A_QEMU_PKG=qemu-system-arm
		ER_A_MACHINE='-M virt -accel tcg -cpu max,pauth-impdef=on' ER_A_CONSOLE=ttyAMA0 ER_A_KERNEL=arm64
		ER_A_DEBARCH=arm64 ER_A_CC=${AARCH64_CC:-aarch64-linux-musl-gcc} ER_A_CC_PKGS='gcc-aarch64-linux-gnu musl-dev:arm64' ;;
	armhf) # Debian's armmp-lpae kernel: LPAE reaches -M virt's PCIe windows above 4 GiB
		ER_A_QEMU=${EARLYROOT_QEMU_ARMHF:-qemu-system-arm} ER_A_QEMU_PKG=qemu-system-arm
		ER_A_MACHINE='-M virt -accel tcg -cpu cortex-a15' ER_A_CONSOLE=ttyAMA0 ER_A_KERNEL=armhf
		ER_A_DEBARCH=armhf ER_A_CC=${ARMHF_CC:-arm-linux-musleabihf-gcc} ER_A_CC_PKGS='gcc-arm-linux-gnueabihf musl-dev:armhf' ;;
	i386) # q35 as for x86_64, and KVM where the host is x86_64
		ER_A_QEMU=${EARLYROOT_QEMU_I386:-qemu-system-i386} ER_A_QEMU_PKG=qemu-system-x86 ER_A_KVM_HOST=x86_64
		ER_A_CONSOLE=ttyS0 ER_A_EXIT=isa-debug-exit ER_A_KERNEL=i386 ER_A_DEBARCH=i386
		ER_A_CC=${I386_CC:-i386-linux-musl-gcc} ER_A_CC_PKGS='gcc-i686-linux-gnu musl-dev:i386' ;;
	ppc64el) # x-vof: QEMU's own small Open Firmware instead of SLOF, which takes most of a TCG boot
		ER_A_QEMU=${EARLYROOT_QEMU_PPC64EL:-qemu-system-ppc64} ER_A_QEMU_PKG=qemu-system-ppc
		ER_A_MACHINE='-M pseries,x-vof=on -accel tcg -cpu power9' ER_A_CONSOLE=hvc0 ER_A_KERNEL=ppc64el
		ER_A_DEBARCH=ppc64el ER_A_CC=${PPC64EL_CC:-powerpc64le-linux-musl-gcc}
		ER_A_CC_PKGS='gcc-powerpc64le-linux-gnu musl-dev:ppc64el' ;;
	s390x) # -serial is the SCLP's VT220 console; disks are virtio on the channel subsystem
		ER_A_QEMU=${EARLYROOT_QEMU_S390X:-qemu-system-s390x} ER_A_QEMU_PKG=qemu-system-misc
		ER_A_MACHINE='-M s390-ccw-virtio -accel tcg -cpu max' ER_A_CONSOLE=ttysclp0 ER_A_DISK=virtio-blk-ccw ER_A_POWERDOWN=no
		ER_A_MODULES=virtio_blk,ext4 ER_A_KERNEL=s390x ER_A_DEBARCH=s390x
		ER_A_CC=${S390X_CC:-s390x-linux-musl-gcc} ER_A_CC_PKGS='gcc-s390x-linux-gnu musl-dev:s390x' ;;
	*)
		echo "no architecture $1: one of $ER_ARCHES" >&2
		return 1 ;;
	esac
	ER_A_NAME=$1
}

# er_arch_qemu — true when ER_A_QEMU can be run; else false, naming the package to install.
er_arch_qemu() {
	command -v "$ER_A_QEMU" >/dev/null 2>&1 ||
		{ echo "$ER_A_QEMU not found: install $ER_A_QEMU_PKG (apt-get install $ER_A_QEMU_PKG)" >&2; return 1; }
}

# er_arch_cc SRC OUT [CFLAGS...] — SRC compiled static for ER_A_NAME into OUT; without the compiler,
# false naming the packages that give it.
er_arch_cc() {
	local src=$1 out=$2
	shift 2
	local how="apt-get install $ER_A_CC_PKGS"
	[[ $ER_A_CC_PKGS != *:* ]] || how="dpkg --add-architecture $ER_A_DEBARCH && apt-get update && $how"
	command -v "$ER_A_CC" >/dev/null 2>&1 ||
		{ echo "$ER_A_CC not found: the $ER_A_NAME cross toolchain is missing; as root: $how (mk/deps check does it)" >&2; return 1; }
	"$ER_A_CC" -static -Os -std=gnu11 -Wall -Wextra -Werror "$@" "$src" -o "$out" -s ||
		{ echo "cannot build $src for $ER_A_NAME with $ER_A_CC" >&2; return 1; }
}
