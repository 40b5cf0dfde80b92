# qemu-tests/build.mk — the QEMU boot-test tier (included by the top Makefile).
#
# qemu-tests/run boots the Debian generic kernel under QEMU (KVM when usable, else TCG) with an
# initramfs made by $(BUILD)/mkinitramfs and an ext4 root disk whose /sbin/init is tests/probe.c, once
# per scenario in qemu-tests/scenarios/, and prints TAP. It builds everything else it needs itself
# (kernel via qemu-tests/fetch-kernel, cached; root disk; images) under $(BUILD)/qemu-tests/.
QEMU_SUITES += qemu=qemu-tests/run

# One boot to watch: the serial console on the terminal, then a one-line verdict.
demo: all
	@qemu-tests/demo
QEMU_SUITES += qemu-boot=qemu-tests/test-boot.sh
# run --junit: the XML parses and carries the reasons and serial logs, whatever bytes the guest wrote.
QEMU_SUITES += qemu-junit=qemu-tests/test-junit.sh
# run --shard I/N and junit-merge: the split of every scenario, a real run whole and in 3 shards.
QEMU_SUITES += qemu-shard=qemu-tests/test-shard.sh
# Any kernel: qemu-tests/kconfig, and a kernel build tree (the minimal kernel's) as --kernel.
QEMU_SUITES += qemu-kernels=qemu-tests/test-kernels.sh

# arch= scenarios and `qemu-tests/boot --arch ARCH` use the cross-built programs of mk/cross.mk.

# boot --run: the guest side (a switch hook, then PID 1 running the command), static like the probe.
all: $(BUILD)/vmrun
$(BUILD)/vmrun: qemu-tests/vmrun.c
	@mkdir -p $(@D)
	$(MUSL_CC) $(STATIC_CFLAGS) $(STATIC_LDFLAGS) -o $@ $<
# boot --run: a command's exit status, output and the harness's own outcomes, from real boots.
QEMU_SUITES += qemu-run=qemu-tests/test-run.sh
# The rescue system of issue 12, end to end: a debootstrap'd Debian 12 root (cached), mklive's ISO booted
# with -cdrom through GRUB and earlyroot to systemd's multi-user.target (root only, else skipped).
QEMU_SUITES += qemu-live-rescue=qemu-tests/live-rescue
