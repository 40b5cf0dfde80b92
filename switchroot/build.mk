# switchroot/: the hand-over library (used by init) and the switch_root/pivot_root commands.
SWITCHROOT_SRCS := switchroot/check.c switchroot/check_init.c switchroot/api_mounts.c \
                   switchroot/delete.c switchroot/switch.c switchroot/cli.c

# The hand-over in namespaces (tests/fixture.sh): static build compared with util-linux, and ASan build.
CHECK_DEPS += $(BUILD)/probe $(BUILD)/switch_root $(BUILD)/pivot_root
SUITES += switchroot=switchroot/tests/run.sh \
          "switchroot-asan=SWITCH_ROOT=$(BUILD)/asan/switch_root UL_SWITCH_ROOT= switchroot/tests/run.sh"

# A test build whose mount, umount2, chroot, unlinkat and execve can be made to fail on the Nth call
# (tests/faultinject.c): the hand-over under every single failure point, in switchroot/tests/faults.sh.
FAULT_WRAP := -Wl,--wrap=mount,--wrap=umount2,--wrap=chroot,--wrap=unlinkat,--wrap=execve
$(BUILD)/fault/switch_root: $(EARLYROOT_MUSL_SRCS) $(EARLYROOT_HDRS) tests/faultinject.c
	@mkdir -p $(@D)
	$(MUSL_CC) $(STATIC_CFLAGS) -static $(FAULT_WRAP) -o $@ $(EARLYROOT_MUSL_SRCS) tests/faultinject.c
CHECK_DEPS += $(BUILD)/fault/switch_root
SUITES += switchroot-faults=switchroot/tests/faults.sh
