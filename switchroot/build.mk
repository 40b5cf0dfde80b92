# switchroot/: the hand-over library (used by init) and the switch_root/pivot_root commands.
SWITCHROOT_SRCS := switchroot/check.c switchroot/check_init.c switchroot/api_mounts.c \
                   switchroot/delete.c switchroot/switch.c switchroot/cli.c

# The hand-over in namespaces (tests/fixture.sh): static build compared with util-linux, and ASan build.
CHECK_DEPS += $(BUILD)/probe $(BUILD)/switch_root $(BUILD)/pivot_root
SUITES += switchroot=switchroot/tests/run.sh \
          "switchroot-asan=SWITCH_ROOT=$(BUILD)/asan/switch_root UL_SWITCH_ROOT= switchroot/tests/run.sh"
