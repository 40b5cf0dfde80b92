# earlyroot — the early-boot layer of Linux. See README.md.
#
#   make          build everything into build/
#   make check    every test (unit, sanitizers, namespaces, QEMU); ends with "N passed, N failed"
#   make demo     boot a Debian kernel under QEMU into a real root through earlyroot
#   make install  PREFIX=/usr/local DESTDIR=
#
# Each component adds its own rules and test suites in its build.mk.

BUILD   ?= build
export BUILD  # the test scripts read it
MUSL_CC ?= musl-gcc
CC      ?= cc
PREFIX  ?= /usr/local
DESTDIR ?=

# `make` alone builds everything: this is the first rule, whatever the included files define.
.PHONY: all
all:

# The Debian packages come before anything else is read: the build.mk files ask pkg-config for their
# flags while make parses them. mk/deps installs what the goals need (as root) or names it and stops
# (as another user); with everything present it costs one dpkg-query. `make clean` needs nothing.
DEPS_FOR := $(if $(filter check check-unit check-qemu,$(MAKECMDGOALS)),check,$(if $(filter demo bench,$(MAKECMDGOALS)),demo,build))
ifneq ($(filter-out clean,$(or $(MAKECMDGOALS),all)),)
ifneq ($(shell mk/deps $(DEPS_FOR) >&2 && echo ok),ok)
$(error cannot build without the Debian packages named above)
endif
endif

CSTD := -std=gnu11
WARN := -Wall -Wextra -Werror
# The static PID-1 program: small (-Os, unused sections dropped, no unwind tables, stripped; not
# position-independent: a static executable is loaded at its link address anyway). What each of these
# saves: bench/README.md, "What each link option saves in the init".
STATIC_CFLAGS  := $(CSTD) $(WARN) -Os -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables \
                  -fno-unwind-tables -fno-pie -D_GNU_SOURCE -Ilib -Iswitchroot -Iinit
# noseparate-code: one read-only segment for code and constants instead of two page-aligned ones (PID 1
# of an initramfs lives for well under a second; W^X between them buys little there).
# norelro: a static musl program never makes its RELRO region read-only (only the dynamic linker does;
# the relro suite checks it), so the segment's page alignment was only padding.
STATIC_LDFLAGS := -static -no-pie -Wl,--gc-sections -Wl,-z,noseparate-code -Wl,-z,norelro -s
# Link-time optimisation for the musl builds (klcc links with ld directly and cannot), as one partition:
# the program is small, and two partitions only print a warning and compile one after the other.
MUSL_LTO := -flto -flto-partition=one
# After the link, mk/sstrip.c drops the section headers the kernel never reads.
SSTRIP := $(BUILD)/tools/sstrip
$(SSTRIP): mk/sstrip.c lib/elfhdr.c lib/elfhdr.h
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -Ilib -o $@ mk/sstrip.c lib/elfhdr.c
# The same sources for the host, under AddressSanitizer and UndefinedBehaviorSanitizer (tests only).
SAN_CFLAGS := $(CSTD) $(WARN) -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
              -fno-sanitize-recover=all -D_GNU_SOURCE -Ilib -Iswitchroot -Iinit

# Test suites: NAME=COMMAND pairs run by tests/run-suites (each command prints TAP).
SUITES :=

.PHONY: check check-unit check-qemu demo bench install clean

include mk/arches.mk
include lib/build.mk
include switchroot/build.mk
include init/build.mk
include init/blockprobe.mk
include init/modtable.mk
include tests/build.mk
include mkinitramfs/build.mk
include mklive/build.mk
include qemu-tests/build.mk
include mk/cross.mk
include init/cross-tests.mk
include bench/build.mk
include fuzz/build.mk

# check runs every suite, including the QEMU tier; check-unit everything but QEMU.
check: all $(CHECK_DEPS)
	@tests/run-suites $(SUITES) $(QEMU_SUITES)
check-unit: all $(CHECK_DEPS)
	@tests/run-suites $(SUITES)
check-qemu: all $(CHECK_DEPS)
	@tests/run-suites $(QEMU_SUITES)

clean:
	rm -rf $(BUILD)
