# lib/: small code shared by init and switchroot (logging, kernel interfaces the libc may lack), and
# with mkinitramfs (the ELF header reader, lib/elfhdr.c).
LIB_SRCS := lib/log.c lib/fsutil.c lib/fmt.c lib/libc-lite.c lib/elfhdr.c
# Stand-ins for musl members that are big for what PID 1 needs (see each file); the musl builds only.
# Each is kept for what it saves (its header says how much) and tested on all six architectures. Gone in
# favour of musl's own, saving too little for their risk: fstatfs/fstatvfs (96 B of the x86-64 init,
# 112 B of armhf's; the kernel's statfs layout differs by architecture, and the stand-in read the 32-bit
# one on armhf and i386), fcntl (288 B, 304 B; fcntl or fcntl64 by architecture, which qemu-user cannot
# tell apart), setenv (224 B, 136 B).
MUSL_LITE_SRCS := lib/musl/alloc.c lib/musl/fork.c lib/musl/clock.c

# lib/fmt.c against the host libc's snprintf: compiled under other names so both run in one program.
FMT_RENAMES := -Dvsnprintf=fmt_vsnprintf -Dsnprintf=fmt_snprintf -Dsprintf=fmt_sprintf
$(BUILD)/tests/fmt-renamed.o: lib/fmt.c
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) $(FMT_RENAMES) -c -o $@ $<
$(BUILD)/tests/test-fmt: lib/tests/test-fmt.c $(BUILD)/tests/fmt-renamed.o tests/tap.h
	$(CC) $(SAN_CFLAGS) -Itests -o $@ lib/tests/test-fmt.c $(BUILD)/tests/fmt-renamed.o
CHECK_DEPS += $(BUILD)/tests/test-fmt
SUITES += fmt=$(BUILD)/tests/test-fmt

# lib/libc-lite.c against the host libc, the same way.
LITE_RENAMES := -Dstrtol=lite_strtol -Dstrtoul=lite_strtoul -Datoi=lite_atoi -Dstrstr=lite_strstr -Dqsort=lite_qsort
$(BUILD)/tests/libc-lite-renamed.o: lib/libc-lite.c
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) $(LITE_RENAMES) -c -o $@ $<
$(BUILD)/tests/test-libc-lite: lib/tests/test-libc-lite.c $(BUILD)/tests/libc-lite-renamed.o tests/tap.h
	$(CC) $(SAN_CFLAGS) -Itests -o $@ lib/tests/test-libc-lite.c $(BUILD)/tests/libc-lite-renamed.o
# lib/musl/alloc.c in a static musl program, as in the init; and the RELRO question behind -z norelro.
$(BUILD)/tests/test-alloc: lib/tests/test-alloc.c lib/musl/alloc.c tests/tap.h
	$(MUSL_CC) $(STATIC_CFLAGS) -Itests -static -o $@ lib/tests/test-alloc.c lib/musl/alloc.c
$(BUILD)/tests/relro-check: lib/tests/relro-check.c tests/tap.h
	$(MUSL_CC) $(STATIC_CFLAGS) -Itests -static -o $@ $<
CHECK_DEPS += $(BUILD)/tests/test-libc-lite $(BUILD)/tests/test-alloc $(BUILD)/tests/relro-check
SUITES += libc-lite=$(BUILD)/tests/test-libc-lite alloc=$(BUILD)/tests/test-alloc relro=$(BUILD)/tests/relro-check

# lib/musl/*.c against musl's own members on real calls: clock.c (through lib/tests/musl-lite-clock.c)
# and fork.c under other names, alloc.c in place of malloc, as in the init. $(1) is the compiler:
# musl-gcc here, each architecture's below.
define musl_lite_test
	@mkdir -p $(@D)
	$(1) $(STATIC_CFLAGS) -c -o $@-clock.o lib/tests/musl-lite-clock.c
	$(1) $(STATIC_CFLAGS) -Dfork=lite_fork -c -o $@-fork.o lib/musl/fork.c
	$(1) $(STATIC_CFLAGS) -Itests -static -o $@ lib/tests/test-musl-lite.c lib/musl/alloc.c $@-clock.o $@-fork.o
endef
$(BUILD)/tests/test-musl-lite: lib/tests/test-musl-lite.c lib/tests/musl-lite-clock.c $(MUSL_LITE_SRCS) tests/tap.h
	$(call musl_lite_test,$(MUSL_CC))
CHECK_DEPS += $(BUILD)/tests/test-musl-lite
SUITES += musl-lite=$(BUILD)/tests/test-musl-lite

# The pure tests of lib/ (fmt, libc-lite, alloc, musl-lite), static musl programs for each architecture of
# mk/arches.mk (its CROSS_CC_ARCH), in $(BUILD)/ARCH/tests/, run by its qemu-user emulator (CROSS_QEMU_ARCH):
# suites lib-ARCH.
LIB_CROSS_TESTS := test-fmt test-libc-lite test-alloc test-musl-lite
$(BUILD)/%/tests/test-fmt: lib/tests/test-fmt.c lib/fmt.c tests/tap.h
	@mkdir -p $(@D)
	$(CROSS_CC_$*) $(STATIC_CFLAGS) $(FMT_RENAMES) -c -o $@-fmt.o lib/fmt.c
	$(CROSS_CC_$*) $(STATIC_CFLAGS) -Itests -static -o $@ $< $@-fmt.o
$(BUILD)/%/tests/test-libc-lite: lib/tests/test-libc-lite.c lib/libc-lite.c tests/tap.h
	@mkdir -p $(@D)
	$(CROSS_CC_$*) $(STATIC_CFLAGS) $(LITE_RENAMES) -c -o $@-lite.o lib/libc-lite.c
	$(CROSS_CC_$*) $(STATIC_CFLAGS) -Itests -static -o $@ $< $@-lite.o
$(BUILD)/%/tests/test-alloc: lib/tests/test-alloc.c lib/musl/alloc.c tests/tap.h
	@mkdir -p $(@D)
	$(CROSS_CC_$*) $(STATIC_CFLAGS) -DALLOC_OPS=20000 -Itests -static -o $@ lib/tests/test-alloc.c lib/musl/alloc.c
$(BUILD)/%/tests/test-musl-lite: lib/tests/test-musl-lite.c lib/tests/musl-lite-clock.c $(MUSL_LITE_SRCS) tests/tap.h
	$(call musl_lite_test,$(CROSS_CC_$*))
CHECK_DEPS += $(foreach a,$(CROSS_ARCHES),$(addprefix $(BUILD)/$(a)/tests/,$(LIB_CROSS_TESTS)))
SUITES += $(foreach a,$(CROSS_ARCHES),"lib-$(a)=tests/cross-run.sh $(CROSS_QEMU_$(a)) \
            $(addprefix $(BUILD)/$(a)/tests/,$(LIB_CROSS_TESTS))")

# Every format string of the static programs against what lib/fmt.c supports: lib/tests/fmtcheck.c
# reads the preprocessor's output of each source, for the musl build (init, switch_root) and the
# klibc one. fmtcheck.builds has one "COMPILER FLAGS|SOURCES" line per build; it is written when the
# check runs, after every build.mk has named its sources, and rewritten only when they change.
$(BUILD)/tests/fmtcheck: lib/tests/fmtcheck.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -o $@ $<
FMTCHECK_BUILDS = '$(MUSL_CC) $(STATIC_CFLAGS)|$(sort $(EARLYROOT_MUSL_SRCS) $(SWITCHROOT_CMD_SRCS))' \
                  '$(KLCC) $(KLIBC_CFLAGS)|$(EARLYROOT_SRCS)'
$(BUILD)/tests/fmtcheck.builds: fmtcheck-builds-check
	@mkdir -p $(@D)
	@printf '%s\n' $(FMTCHECK_BUILDS) | cmp -s - $@ || printf '%s\n' $(FMTCHECK_BUILDS) >$@
.PHONY: fmtcheck-builds-check
fmtcheck-builds-check:
CHECK_DEPS += $(BUILD)/tests/fmtcheck $(BUILD)/tests/fmtcheck.builds
SUITES += fmtcheck=lib/tests/fmtcheck.sh

# lib/elfhdr.c under the sanitizers: on ELF files the test builds in every class and byte order, and on
# real ones, whose interpreter readelf names: the host's /bin/true, static programs (probe; the init,
# sstripped), a script, and programs linked here for 32-bit x86 and big-endian aarch64, LP64 and ILP32
# (binutils and gcc-aarch64-linux-gnu, from mk/deps check).
$(BUILD)/tests/test-elfhdr: lib/tests/test-elfhdr.c lib/elfhdr.c lib/elfhdr.h tests/tap.h
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) -Itests -o $@ lib/tests/test-elfhdr.c lib/elfhdr.c
ELF_SAMPLES := $(BUILD)/tests/elf/i386 $(BUILD)/tests/elf/aarch64be $(BUILD)/tests/elf/aarch64be-ilp32
$(BUILD)/tests/elf/i386: lib/tests/elf-sample.c
	@mkdir -p $(@D)
	$(CC) -m32 -fPIE -c -o $@.o $<
	ld -m elf_i386 -pie -dynamic-linker /lib/ld-linux.so.2 -o $@ $@.o
$(BUILD)/tests/elf/aarch64be: lib/tests/elf-sample.c
	@mkdir -p $(@D)
	aarch64-linux-gnu-gcc -mbig-endian -fPIE -c -o $@.o $<
	aarch64-linux-gnu-ld -EB -pie -dynamic-linker /lib/ld-linux-aarch64_be.so.1 -o $@ $@.o
$(BUILD)/tests/elf/aarch64be-ilp32: lib/tests/elf-sample.c
	@mkdir -p $(@D)
	aarch64-linux-gnu-gcc -mabi=ilp32 -mbig-endian -fPIE -c -o $@.o $<
	aarch64-linux-gnu-ld -EB -m aarch64linux32b -pie -dynamic-linker /lib/ld-linux-aarch64_be_ilp32.so.1 -o $@ $@.o
CHECK_DEPS += $(BUILD)/tests/test-elfhdr $(ELF_SAMPLES)
SUITES += "elfhdr=$(BUILD)/tests/test-elfhdr /bin/true $(BUILD)/probe $(BUILD)/init lib/tests/fmtcheck.sh $(ELF_SAMPLES)"
