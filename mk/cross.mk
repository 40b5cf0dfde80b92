# mk/cross.mk — the static programs cross-built for the other Debian architectures, one directory each:
# $(BUILD)/ARCH/{init,switch_root,pivot_root,probe,vmrun}, as $(BUILD)/ holds them for the host.
#
# ARCH is the name qemu-tests/boot --arch takes. Each compiler is the musl-gcc wrapper Debian's
# musl-dev:DEBARCH installs, which runs gcc-TRIPLET (the cross gcc); mk/deps cross installs both and
# adds the foreign architecture. `make cross` builds every architecture, `make cross-ARCH` one.
CROSS_ARCHES := aarch64 armhf i386 ppc64el s390x
CROSS_CC_aarch64 ?= aarch64-linux-musl-gcc
CROSS_CC_armhf   ?= arm-linux-musleabihf-gcc
CROSS_CC_i386    ?= i386-linux-musl-gcc
CROSS_CC_ppc64el ?= powerpc64le-linux-musl-gcc
CROSS_CC_s390x   ?= s390x-linux-musl-gcc
# qemu-user's emulator for each, which runs a static program of that architecture on this machine
# (qemu-user): how the unit tests of lib/ and init/ run there.
CROSS_QEMU_aarch64 := qemu-aarch64
CROSS_QEMU_armhf   := qemu-arm
CROSS_QEMU_i386    := qemu-i386
CROSS_QEMU_ppc64el := qemu-ppc64le
CROSS_QEMU_s390x   := qemu-s390x
# Kept for callers of the earlier single cross build (docs/ci.md, AARCH64_CC=... make).
AARCH64_CC ?= $(CROSS_CC_aarch64)
CROSS_CC_aarch64 := $(AARCH64_CC)

define cross_programs
$(BUILD)/$(1)/init: $(EARLYROOT_MUSL_SRCS) $(EARLYROOT_HDRS) $(SSTRIP)
	@mkdir -p $$(@D)
	$(CROSS_CC_$(1)) $$(STATIC_CFLAGS) $$(MUSL_LTO) $$(STATIC_LDFLAGS) -o $$@ $$(EARLYROOT_MUSL_SRCS)
	$$(SSTRIP) $$@
$(BUILD)/$(1)/switch_root: $(SWITCHROOT_CMD_SRCS) $(MUSL_LITE_SRCS) $(SWITCHROOT_CMD_HDRS) $(SSTRIP)
	@mkdir -p $$(@D)
	$(CROSS_CC_$(1)) $$(STATIC_CFLAGS) $$(MUSL_LTO) $$(STATIC_LDFLAGS) -o $$@ $$(SWITCHROOT_CMD_SRCS) $$(MUSL_LITE_SRCS)
	$$(SSTRIP) $$@
$(BUILD)/$(1)/pivot_root: $(BUILD)/$(1)/switch_root
	ln -f $$< $$@
$(BUILD)/$(1)/probe: tests/probe.c
	@mkdir -p $$(@D)
	$(CROSS_CC_$(1)) $$(STATIC_CFLAGS) $$(STATIC_LDFLAGS) -o $$@ $$<
$(BUILD)/$(1)/vmrun: qemu-tests/vmrun.c
	@mkdir -p $$(@D)
	$(CROSS_CC_$(1)) $$(STATIC_CFLAGS) $$(STATIC_LDFLAGS) -o $$@ $$<
CROSS_PROGRAMS_$(1) := $(addprefix $(BUILD)/$(1)/,init switch_root pivot_root probe vmrun)
.PHONY: cross-$(1)
cross-$(1): $$(CROSS_PROGRAMS_$(1))
endef
$(foreach a,$(CROSS_ARCHES),$(eval $(call cross_programs,$(a))))

.PHONY: cross
cross: $(foreach a,$(CROSS_ARCHES),cross-$(a))
CHECK_DEPS += $(foreach a,$(CROSS_ARCHES),$(CROSS_PROGRAMS_$(a)))
