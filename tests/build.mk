# tests/: what several suites share — the probe (a stand-in real init) and the suite runner.
all: $(BUILD)/probe

# Static, like a real init on a root disk: it must run in a new root that has no libc.
$(BUILD)/probe: tests/probe.c
	@mkdir -p $(@D)
	$(MUSL_CC) $(STATIC_CFLAGS) $(STATIC_LDFLAGS) -o $@ $<

# The TAP helpers themselves: an assertion that checked nothing must not pass.
SUITES += tap=tests/test-tap.sh
# No include or call cycle between the files of a component (init, switchroot, lib, mkinitramfs).
SUITES += cycles=tests/cycles.sh
# Every shell script (tracked *.sh, or a #! for sh/bash) is shellcheck-clean, info and style included.
SUITES += shellcheck=tests/shellcheck.sh
