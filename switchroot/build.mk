# switchroot/: the hand-over library (used by init) and the switch_root/pivot_root commands.
SWITCHROOT_SRCS := switchroot/check.c switchroot/check_init.c switchroot/api_mounts.c switchroot/propagation.c \
                   switchroot/delete.c switchroot/switch.c
# The commands: their command line and entry point, on top of the library.
SWITCHROOT_CMD_SRCS := switchroot/cli.c switchroot/main.c $(SWITCHROOT_SRCS) $(LIB_SRCS)
SWITCHROOT_CMD_HDRS := $(wildcard switchroot/*.h lib/*.h)

all: $(BUILD)/switch_root $(BUILD)/pivot_root
$(BUILD)/switch_root: $(SWITCHROOT_CMD_SRCS) $(MUSL_LITE_SRCS) $(SWITCHROOT_CMD_HDRS) $(SSTRIP)
	@mkdir -p $(@D)
	$(MUSL_CC) $(STATIC_CFLAGS) $(MUSL_LTO) $(STATIC_LDFLAGS) -o $@ $(SWITCHROOT_CMD_SRCS) $(MUSL_LITE_SRCS)
	$(SSTRIP) $@
$(BUILD)/pivot_root: $(BUILD)/switch_root
	ln -f $< $@
# Under ASan/UBSan, for the tests.
$(BUILD)/asan/switch_root: $(SWITCHROOT_CMD_SRCS) $(SWITCHROOT_CMD_HDRS)
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) -o $@ $(SWITCHROOT_CMD_SRCS)
CHECK_DEPS += $(BUILD)/asan/switch_root

# The hand-over in namespaces (tests/fixture.sh): static build compared with util-linux, and ASan build.
CHECK_DEPS += $(BUILD)/probe $(BUILD)/switch_root $(BUILD)/pivot_root
SUITES += switchroot=switchroot/tests/run.sh \
          "switchroot-asan=SWITCH_ROOT=$(BUILD)/asan/switch_root UL_SWITCH_ROOT= switchroot/tests/run.sh"

# A test build whose mount, umount2, chroot, unlinkat and execve can be made to fail on the Nth call
# (tests/faultinject.c): the hand-over under every single failure point, in switchroot/tests/faults.sh.
FAULT_WRAP := -Wl,--wrap=mount,--wrap=umount2,--wrap=chroot,--wrap=unlinkat,--wrap=execve
$(BUILD)/fault/switch_root: $(SWITCHROOT_CMD_SRCS) $(MUSL_LITE_SRCS) $(SWITCHROOT_CMD_HDRS) tests/faultinject.c
	@mkdir -p $(@D)
	$(MUSL_CC) $(STATIC_CFLAGS) -static $(FAULT_WRAP) -o $@ $(SWITCHROOT_CMD_SRCS) $(MUSL_LITE_SRCS) tests/faultinject.c
CHECK_DEPS += $(BUILD)/fault/switch_root
SUITES += switchroot-faults=switchroot/tests/faults.sh
