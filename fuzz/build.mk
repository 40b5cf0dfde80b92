# fuzz/: libFuzzer targets for the parsers that read untrusted bytes: the kernel command line, root=,
# the superblock and partition-table probes, mkinitramfs's image reader and list parser, the ELF header
# reader, a live image's checksum file (see fuzz/run).
#   make fuzz                 each target for FUZZ_SECONDS (default 60)
#   make check                replays each corpus and fuzzes each target for 5 s (a smoke test)
FUZZ_CC     ?= clang
FUZZ_CFLAGS := $(CSTD) $(WARN) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
               -D_GNU_SOURCE -Ilib -Iswitchroot -Iinit
FUZZ_TARGETS := $(BUILD)/fuzz/fuzz-cmdline $(BUILD)/fuzz/fuzz-rootspec $(BUILD)/fuzz/fuzz-blockprobe \
                $(BUILD)/fuzz/fuzz-imgread $(BUILD)/fuzz/fuzz-fromlist $(BUILD)/fuzz/fuzz-modtable \
                $(BUILD)/fuzz/fuzz-elfhdr $(BUILD)/fuzz/fuzz-checksumfile

$(BUILD)/fuzz/fuzz-cmdline: fuzz/cmdline.c init/cmdline.c init/cmdline.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ fuzz/cmdline.c init/cmdline.c
$(BUILD)/fuzz/fuzz-rootspec: fuzz/rootspec.c init/rootspec.c init/rootspec.h lib/fsutil.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ fuzz/rootspec.c init/rootspec.c lib/fsutil.c
# The superblock and partition-table probes: the first input byte picks the probe (see the file).
$(BUILD)/fuzz/fuzz-blockprobe: fuzz/blockprobe.c $(BLOCKPROBE_SRCS) $(BLOCKPROBE_HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ fuzz/blockprobe.c $(BLOCKPROBE_SRCS)
# mkinitramfs's readers of files a person hands it: an image (--list, --extract) and a gen_init_cpio
# list (--from-list). Decompression is bounded lower than the tool's 4 GiB so that one input fits in
# libFuzzer's memory limit; the code path is the same.
FUZZ_MK_CFLAGS := $(FUZZ_CFLAGS) -Imkinitramfs $(MKINITRAMFS_PKG_CFLAGS) -DIMGREAD_MAX_BYTES='(64ull << 20)'
$(BUILD)/fuzz/fuzz-imgread: fuzz/imgread.c mkinitramfs/imgread.c mkinitramfs/inspect.c mkinitramfs/util.c $(MKINITRAMFS_HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_MK_CFLAGS) -o $@ fuzz/imgread.c mkinitramfs/imgread.c mkinitramfs/inspect.c \
		mkinitramfs/util.c $(MKINITRAMFS_PKG_LIBS)
$(BUILD)/fuzz/fuzz-fromlist: fuzz/fromlist.c mkinitramfs/fromlist.c mkinitramfs/image.c mkinitramfs/decompress.c \
		mkinitramfs/util.c $(MKINITRAMFS_HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_MK_CFLAGS) -o $@ fuzz/fromlist.c mkinitramfs/fromlist.c mkinitramfs/image.c \
		mkinitramfs/decompress.c mkinitramfs/util.c $(MKINITRAMFS_PKG_LIBS)
# The init's module table (/etc/earlyroot/modtable) and its modalias matcher.
$(BUILD)/fuzz/fuzz-modtable: fuzz/modtable.c init/modtable.c init/modtable.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ fuzz/modtable.c init/modtable.c
# The ELF header reader of the hand-over check and of mkinitramfs --add (lib/elfhdr.c).
$(BUILD)/fuzz/fuzz-elfhdr: fuzz/elfhdr.c lib/elfhdr.c lib/elfhdr.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ fuzz/elfhdr.c lib/elfhdr.c
# Where the init looks for the image on a live medium: the medium's names and the rd.live.* paths.
FUZZ_TARGETS += $(BUILD)/fuzz/fuzz-livelayout
$(BUILD)/fuzz/fuzz-livelayout: fuzz/livelayout.c init/live_layout.c init/live_layout.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ fuzz/livelayout.c init/live_layout.c

# The network words of the command line: ip=, BOOTIF=, the NFS root (init/ipconf.c); the first byte
# picks the parser.
FUZZ_TARGETS += $(BUILD)/fuzz/fuzz-ipconf
$(BUILD)/fuzz/fuzz-ipconf: fuzz/ipconf.c init/ipconf.c init/ipconf.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ fuzz/ipconf.c init/ipconf.c

# The checksum file beside a live image (rd.live.check), read from an untrusted medium.
$(BUILD)/fuzz/fuzz-checksumfile: fuzz/checksumfile.c init/checksum_file.c init/checksum_file.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ fuzz/checksumfile.c init/checksum_file.c

# DHCP replies (init/dhcp.c), from anyone on the boot network.
FUZZ_TARGETS += $(BUILD)/fuzz/fuzz-dhcp
$(BUILD)/fuzz/fuzz-dhcp: fuzz/dhcp.c init/dhcp.c init/dhcp.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ fuzz/dhcp.c init/dhcp.c

# HTTP responses and URLs for root=live:http:// (init/http.c): what a server on the boot network sends.
FUZZ_TARGETS += $(BUILD)/fuzz/fuzz-http
$(BUILD)/fuzz/fuzz-http: fuzz/http.c init/http.c init/http.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ fuzz/http.c init/http.c

# dm-verity's superblock on the hash device, systemd.verity_root_options= and roothash= (init/verity.c).
FUZZ_TARGETS += $(BUILD)/fuzz/fuzz-verity
$(BUILD)/fuzz/fuzz-verity: fuzz/verity.c init/verity.c init/verity.h $(BLOCKPROBE_SRCS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ fuzz/verity.c init/verity.c $(BLOCKPROBE_SRCS)

# The image's /etc/crypttab (init/crypttab.c), written by hand.
FUZZ_TARGETS += $(BUILD)/fuzz/fuzz-crypttab
$(BUILD)/fuzz/fuzz-crypttab: fuzz/crypttab.c init/crypttab.c init/crypttab.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ fuzz/crypttab.c init/crypttab.c

# The stacked-storage words of the command line (init/storage_conf.c), alone or through cmdline.c.
FUZZ_TARGETS += $(BUILD)/fuzz/fuzz-storageconf
$(BUILD)/fuzz/fuzz-storageconf: fuzz/storageconf.c init/storage_conf.c init/storage_conf.h init/cmdline.c init/cmdline.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ fuzz/storageconf.c init/storage_conf.c init/cmdline.c

CHECK_DEPS += $(FUZZ_TARGETS)
SUITES += "fuzz=fuzz/run 5"

.PHONY: fuzz
fuzz: $(FUZZ_TARGETS)
	@tests/run-suites "fuzz=fuzz/run $${FUZZ_SECONDS:-60}"
