# mk/arches.mk — the architectures the static programs are cross-built for (mk/cross.mk) and whose unit
# tests run under qemu-user (lib/build.mk, init/cross-tests.mk). Read before every other make file, so
# that each can name them as it is read.
#
# ARCH is the name qemu-tests/boot --arch takes. Each compiler is the musl-gcc wrapper Debian's
# musl-dev:DEBARCH installs, which runs gcc-TRIPLET (the cross gcc); mk/deps check installs both and
# adds the foreign architecture.
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
