# mkinitramfs/: the host tool that writes the image (docs/image-format.md). Dynamically linked against
# the distribution's libkmod, libblkid, zlib, libzstd, liblzma, liblz4 and libcrypto (Debian: libkmod-dev
# libblkid-dev zlib1g-dev libzstd-dev liblzma-dev liblz4-dev libssl-dev pkg-config).
MKINITRAMFS_SRCS := $(addprefix mkinitramfs/,main.c plan.c modset.c live.c net.c storage.c util.c modules.c modconf.c decompress.c image.c cpio.c compress.c zframes.c framecache.c outfile.c imgread.c inspect.c elfdeps.c addfiles.c config.c fromlist.c firmware.c hostonly.c stack.c hostcrypt.c moddir.c)
MKINITRAMFS_HDRS := $(wildcard mkinitramfs/*.h)
MKINITRAMFS_PKGS := libkmod blkid zlib libzstd liblzma liblz4 libcrypto
MKINITRAMFS_PKG_CFLAGS := $(shell pkg-config --cflags $(MKINITRAMFS_PKGS))
MKINITRAMFS_PKG_LIBS := $(shell pkg-config --libs $(MKINITRAMFS_PKGS))
# The installed tool finds the installed init; the build tree's finds build/init next to itself.
MKINITRAMFS_DEFS := -D_GNU_SOURCE -DEARLYROOT_LIBDIR='"$(PREFIX)/lib/earlyroot"' -DEARLYROOT_BINDIR='"$(PREFIX)/bin"'
MKINITRAMFS_CFLAGS := $(CSTD) $(WARN) -O2 -g -Ilib $(MKINITRAMFS_DEFS) $(MKINITRAMFS_PKG_CFLAGS) $(CFLAGS) $(CPPFLAGS)

MKINITRAMFS_OBJ  := $(BUILD)/obj/mkinitramfs
MKINITRAMFS_OBJS := $(MKINITRAMFS_SRCS:mkinitramfs/%.c=$(MKINITRAMFS_OBJ)/%.o)
MKINITRAMFS_ASAN_OBJS := $(MKINITRAMFS_SRCS:mkinitramfs/%.c=$(MKINITRAMFS_OBJ)/asan/%.o)

all: $(BUILD)/mkinitramfs

# Rebuild when the flags change (say PREFIX, which is compiled in), not only when sources do.
$(MKINITRAMFS_OBJ)/flags: mkinitramfs-flags-check
	@mkdir -p $(@D)
	@echo '$(MKINITRAMFS_CFLAGS) $(SAN_CFLAGS)' | cmp -s - $@ || echo '$(MKINITRAMFS_CFLAGS) $(SAN_CFLAGS)' >$@
.PHONY: mkinitramfs-flags-check
mkinitramfs-flags-check:

$(MKINITRAMFS_OBJS): $(MKINITRAMFS_OBJ)/%.o: mkinitramfs/%.c $(MKINITRAMFS_HDRS) $(MKINITRAMFS_OBJ)/flags
	@mkdir -p $(@D)
	$(CC) $(MKINITRAMFS_CFLAGS) -c -o $@ $<

# From lib/: the ELF header reader (lib/elfhdr.c), which the init's hand-over check uses too.
MKINITRAMFS_LIB_SRCS := lib/elfhdr.c
MKINITRAMFS_LIB_OBJS := $(MKINITRAMFS_LIB_SRCS:lib/%.c=$(MKINITRAMFS_OBJ)/lib/%.o)
MKINITRAMFS_LIB_ASAN_OBJS := $(MKINITRAMFS_LIB_SRCS:lib/%.c=$(MKINITRAMFS_OBJ)/asan/lib/%.o)
$(MKINITRAMFS_LIB_OBJS): $(MKINITRAMFS_OBJ)/lib/%.o: lib/%.c lib/%.h $(MKINITRAMFS_OBJ)/flags
	@mkdir -p $(@D)
	$(CC) $(MKINITRAMFS_CFLAGS) -c -o $@ $<
$(MKINITRAMFS_LIB_ASAN_OBJS): $(MKINITRAMFS_OBJ)/asan/lib/%.o: lib/%.c lib/%.h $(MKINITRAMFS_OBJ)/flags
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) $(MKINITRAMFS_DEFS) -c -o $@ $<
$(MKINITRAMFS_OBJ)/elfdeps.o $(MKINITRAMFS_OBJ)/asan/elfdeps.o: lib/elfhdr.h
$(BUILD)/mkinitramfs: $(MKINITRAMFS_LIB_OBJS)
$(BUILD)/asan/mkinitramfs: $(MKINITRAMFS_LIB_ASAN_OBJS)

$(BUILD)/mkinitramfs: $(MKINITRAMFS_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(MKINITRAMFS_PKG_LIBS)

# The same sources under ASan, UBSan and LeakSanitizer, for the test suite's second run.
$(MKINITRAMFS_ASAN_OBJS): $(MKINITRAMFS_OBJ)/asan/%.o: mkinitramfs/%.c $(MKINITRAMFS_HDRS) $(MKINITRAMFS_OBJ)/flags
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) $(MKINITRAMFS_DEFS) $(MKINITRAMFS_PKG_CFLAGS) -c -o $@ $<

$(BUILD)/asan/mkinitramfs: $(MKINITRAMFS_ASAN_OBJS)
	@mkdir -p $(@D)
	$(CC) -fsanitize=address,undefined -o $@ $^ $(MKINITRAMFS_PKG_LIBS)

CHECK_DEPS += $(BUILD)/mkinitramfs $(BUILD)/asan/mkinitramfs
SUITES += mkinitramfs=mkinitramfs/tests/run.sh mkinitramfs-asan=mkinitramfs/tests/run-asan.sh
# --list against a real Debian initramfs-tools image (its packages unpacked, never installed).
SUITES += mkinitramfs-itools=mkinitramfs/tests/initramfs-tools.sh
# The shipped (-O2, uninstrumented) binary under valgrind's memcheck: a real build, --list, --extract.
SUITES += mkinitramfs-valgrind=mkinitramfs/tests/valgrind.sh

# Installed under a name of its own: plain `mkinitramfs` is initramfs-tools' command.
.PHONY: install-mkinitramfs
install: install-mkinitramfs
install-mkinitramfs: $(BUILD)/mkinitramfs
	install -D -m 0755 $(BUILD)/mkinitramfs $(DESTDIR)$(PREFIX)/bin/earlyroot-mkinitramfs
	install -D -m 0644 mkinitramfs/earlyroot-mkinitramfs.1 $(DESTDIR)$(PREFIX)/share/man/man1/earlyroot-mkinitramfs.1
	install -d $(DESTDIR)$(PREFIX)/share/earlyroot/configs
	install -m 0644 configs/*.conf $(DESTDIR)$(PREFIX)/share/earlyroot/configs/
