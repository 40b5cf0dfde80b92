# mk/cross.mk — the static programs cross-built for the other Debian architectures, one directory each:
# $(BUILD)/ARCH/{init,switch_root,pivot_root,probe,vmrun}, as $(BUILD)/ holds them for the host.
#
# The architectures and their compilers are mk/arches.mk's. `make cross` builds every architecture,
# `make cross-ARCH` one.
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
