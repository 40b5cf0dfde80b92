# qemu-tests/build.mk — the QEMU boot-test tier (included by the top Makefile).
#
# qemu-tests/run boots the Debian generic kernel under QEMU (KVM when usable, else TCG) with an
# initramfs made by $(BUILD)/mkinitramfs and an ext4 root disk whose /sbin/init is tests/probe.c, once
# per scenario in qemu-tests/scenarios/, and prints TAP. It builds everything else it needs itself
# (kernel via qemu-tests/fetch-kernel, cached; root disk; images) under $(BUILD)/qemu-tests/.
QEMU_SUITES += qemu=qemu-tests/run

# One boot to watch: the serial console on the terminal, then a one-line verdict.
demo: all
	@mk/deps demo
	@qemu-tests/demo
QEMU_SUITES += qemu-boot=qemu-tests/test-boot.sh
# run --junit: the XML parses and carries the reasons and serial logs, whatever bytes the guest wrote.
QEMU_SUITES += qemu-junit=qemu-tests/test-junit.sh
