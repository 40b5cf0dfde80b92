# init/cross-tests.mk — the init's parsers and probes on every architecture of mk/cross.mk: s390x is
# big-endian, armhf and i386 are 32-bit (long and size_t, not time_t under musl 1.2), armhf traps or
# crawls on some unaligned loads. The unit tests that link only init/ and lib/ sources are built as
# static musl programs with each CROSS_CC_ARCH, with the init's own flags (no sanitizers: they need the
# host's libc), into $(BUILD)/ARCH/tests/, and run under qemu-user's CROSS_QEMU_ARCH: suites
# init-unit-ARCH. They link musl's own libc.a: lib/musl/'s replacements are the lib-ARCH suites'. The
# block probes are compared with blkid for every architecture on one set of images, and their cuts and
# mutations with the host's answers: suite blockprobe-cross (init/tests/blockprobe-run.sh --cross).
# An unaligned access shows only where qemu-arm enforces the alignment the instruction needs.
#
# Left out, and why (each is a host suite): test-http-fetch needs a python3 server on 127.0.0.1 and waits
# out its timeouts (~15 s per architecture); test-modtable links the host's libkmod. dhcp-client-cli (a
# network namespace, busybox udhcpd; ~13 s, most of it the exchanges' own deadlines) runs on s390x and
# armhf only, the big-endian and the 32-bit one: suites dhcp-client-ARCH.
CROSS_TEST_CFLAGS := $(STATIC_CFLAGS) -Itests
CROSS_TEST_LDFLAGS := -static -no-pie

# NAME: the sources of test-NAME, as init/build.mk and init/blockprobe.mk link them for the host.
CROSS_UNIT_TESTS := cmdline rootspec live-layout storage-conf crypttab ipconf nfsroot sha256 checksum-file \
                    loopdev dhcp http verity fsck
XT_cmdline       := init/tests/test-cmdline.c init/cmdline.c
XT_rootspec      := init/tests/test-rootspec.c init/rootspec.c lib/fsutil.c
XT_live-layout   := init/tests/test-live-layout.c init/live_layout.c
XT_storage-conf  := init/tests/test-storage-conf.c init/storage_conf.c init/cmdline.c
XT_crypttab      := init/tests/test-crypttab.c init/crypttab.c
XT_ipconf        := init/tests/test-ipconf.c init/ipconf.c
XT_nfsroot       := init/tests/test-nfsroot.c init/nfsroot.c init/ipconf.c
XT_sha256        := init/tests/test-sha256.c init/sha256.c
XT_checksum-file := init/tests/test-checksum-file.c init/checksum_file.c
XT_loopdev       := init/tests/test-loopdev.c init/loopdev.c
XT_dhcp          := init/tests/test-dhcp.c init/dhcp.c
XT_http          := init/tests/test-http.c init/http.c
XT_verity        := init/tests/test-verity.c init/verity.c init/sha256.c init/blockprobe.c \
                    init/blockprobe_containers.c init/blockprobe_util.c lib/fsutil.c
XT_fsck          := init/tests/test-fsck.c init/fsck.c init/child.c lib/log.c lib/fmt.c
XT_blockprobe    := init/tests/test-blockprobe.c $(BLOCKPROBE_SRCS)
XT_blockprobe-cli := init/tests/blockprobe-cli.c $(BLOCKPROBE_SRCS)
XT_dhcp-client-cli := $(DHCP_CLIENT_SRCS)

# cross_test ARCH PROGRAM SOURCES
define cross_test
$(BUILD)/$(1)/tests/$(2): $(3) $(EARLYROOT_HDRS) tests/tap.h
	@mkdir -p $$(@D)
	$(CROSS_CC_$(1)) $$(CROSS_TEST_CFLAGS) $$(CROSS_TEST_LDFLAGS) -o $$@ $(3)
endef
define cross_tests
$(foreach t,$(CROSS_UNIT_TESTS) blockprobe,$(eval $(call cross_test,$(1),test-$(t),$(XT_$(t)))))
$(eval $(call cross_test,$(1),blockprobe-cli,$(XT_blockprobe-cli)))
$(eval $(call cross_test,$(1),dhcp-client-cli,$(XT_dhcp-client-cli)))
CROSS_TESTS_$(1) := $(addprefix $(BUILD)/$(1)/tests/,$(addprefix test-,$(CROSS_UNIT_TESTS) blockprobe) blockprobe-cli \
                    dhcp-client-cli)
.PHONY: cross-tests-$(1)
cross-tests-$(1): $$(CROSS_TESTS_$(1))
CHECK_DEPS += $$(CROSS_TESTS_$(1))
SUITES += "init-unit-$(1)=tests/cross-run.sh $(CROSS_QEMU_$(1)) $(addprefix $(BUILD)/$(1)/tests/test-,$(CROSS_UNIT_TESTS))"
endef
$(foreach a,$(CROSS_ARCHES),$(eval $(call cross_tests,$(a))))

.PHONY: cross-tests
cross-tests: $(foreach a,$(CROSS_ARCHES),cross-tests-$(a))
# The images are made once; each architecture's blockprobe-cli is compared with blkid on each of them.
SUITES += "blockprobe-cross=init/tests/blockprobe-run.sh $(foreach a,$(CROSS_ARCHES),--cross $(a):$(CROSS_QEMU_$(a)))"
SUITES += $(foreach a,s390x armhf,"dhcp-client-$(a)=init/tests/dhcp-client-run.sh --cross $(a):$(CROSS_QEMU_$(a))")
