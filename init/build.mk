# init/: the static PID-1 program (the switch_root and pivot_root commands are switchroot/build.mk's).
INIT_SRCS := init/main.c init/init.c init/cmdline.c init/early_mounts.c init/modules.c init/image_conf.c \
             init/rootdev.c init/rootspec.c init/blockdevs.c init/blockprobe.c init/partitions.c \
             init/mount_root.c init/rescue.c init/hooks.c init/modtable.c init/uevent.c init/clock.c init/child.c \
             init/loopdev.c init/sha256.c init/checksum_file.c
INIT_SRCS += init/blockprobe_containers.c init/blockprobe_util.c
INIT_SRCS += init/live.c init/live_layout.c init/live_overlay.c init/mount_undo.c init/net.c
INIT_SRCS += init/dhcp.c init/dhcp_client.c init/netif.c
INIT_SRCS += init/ipconf.c init/nfsroot.c
INIT_SRCS += init/http.c init/http_fetch.c
INIT_SRCS += init/dm.c init/verity.c init/verity_root.c
INIT_SRCS += init/storage_conf.c init/storage.c init/crypttab.c init/luks.c init/lvm.c init/md.c
INIT_SRCS += init/resume.c init/fsck.c
INIT_SRCS += init/share_root.c init/volatile_root.c
EARLYROOT_SRCS := $(INIT_SRCS) $(SWITCHROOT_SRCS) $(LIB_SRCS)
EARLYROOT_MUSL_SRCS := $(EARLYROOT_SRCS) $(MUSL_LITE_SRCS)
EARLYROOT_HDRS := $(wildcard init/*.h switchroot/*.h lib/*.h)

all: $(BUILD)/init

# The same sources against klibc (Debian's libklibc-dev, through klcc), always built beside the musl
# one and tested; lib/klibc/ fills what klibc lacks (see compat.h). LIBC=klibc makes it build/init, the
# image's /init, so that every test and `make demo` use it.
KLCC ?= klcc
KLIBC_CFLAGS := -Ilib/klibc -include lib/klibc/compat.h $(STATIC_CFLAGS)
KLIBC_HDRS := $(wildcard lib/klibc/*.h lib/klibc/sys/*.h)
LIBC ?= musl
all: $(BUILD)/klibc/init
$(BUILD)/klibc/init: $(EARLYROOT_SRCS) $(EARLYROOT_HDRS) $(KLIBC_HDRS) $(SSTRIP)
	@mkdir -p $(@D)
	$(KLCC) $(KLIBC_CFLAGS) $(filter-out -no-pie,$(STATIC_LDFLAGS)) -o $@ $(EARLYROOT_SRCS)
	$(SSTRIP) $@
# build/libc names the libc of build/init; rewritten only when LIBC changes, so a switch rebuilds it.
$(shell mkdir -p $(BUILD) && echo $(LIBC) | cmp -s - $(BUILD)/libc || echo $(LIBC) >$(BUILD)/libc)
ifeq ($(LIBC),musl)
$(BUILD)/init: $(EARLYROOT_MUSL_SRCS) $(EARLYROOT_HDRS) $(BUILD)/libc $(SSTRIP)
	@mkdir -p $(@D)
	$(MUSL_CC) $(STATIC_CFLAGS) $(MUSL_LTO) $(STATIC_LDFLAGS) -o $@ $(EARLYROOT_MUSL_SRCS)
	$(SSTRIP) $@
else ifeq ($(LIBC),klibc)
$(BUILD)/init: $(BUILD)/klibc/init $(BUILD)/libc
	cp $< $@
else
$(error LIBC=$(LIBC): musl (the default) or klibc)
endif


# The host build under ASan/UBSan, for the tests (dynamic: sanitizers need the host libc).
$(BUILD)/asan/init: $(EARLYROOT_SRCS) $(EARLYROOT_HDRS)
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) -o $@ $(EARLYROOT_SRCS)
CHECK_DEPS += $(BUILD)/asan/init

# Unit tests of the command-line parser, under the sanitizers.
$(BUILD)/tests/test-cmdline: init/tests/test-cmdline.c init/cmdline.c init/cmdline.h tests/tap.h
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) -Itests -o $@ init/tests/test-cmdline.c init/cmdline.c
$(BUILD)/tests/test-rootspec: init/tests/test-rootspec.c init/rootspec.c init/rootspec.h lib/fsutil.c tests/tap.h
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) -Itests -o $@ init/tests/test-rootspec.c init/rootspec.c lib/fsutil.c
$(BUILD)/tests/test-live-layout: init/tests/test-live-layout.c init/live_layout.c init/live_layout.h tests/tap.h
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) -Itests -o $@ init/tests/test-live-layout.c init/live_layout.c
$(BUILD)/tests/test-storage-conf: init/tests/test-storage-conf.c init/storage_conf.c init/storage_conf.h init/cmdline.c \
		init/cmdline.h tests/tap.h
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) -Itests -o $@ init/tests/test-storage-conf.c init/storage_conf.c init/cmdline.c
CHECK_DEPS += $(BUILD)/tests/test-cmdline $(BUILD)/tests/test-rootspec $(BUILD)/tests/test-live-layout \
              $(BUILD)/tests/test-storage-conf
SUITES += cmdline=$(BUILD)/tests/test-cmdline rootspec=$(BUILD)/tests/test-rootspec \
          live-layout=$(BUILD)/tests/test-live-layout storage-conf=$(BUILD)/tests/test-storage-conf
# The image's /etc/crypttab (crypttab(5)'s examples and broken lines).
$(BUILD)/tests/test-crypttab: init/tests/test-crypttab.c init/crypttab.c init/crypttab.h tests/tap.h
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) -Itests -o $@ init/tests/test-crypttab.c init/crypttab.c
CHECK_DEPS += $(BUILD)/tests/test-crypttab
SUITES += crypttab=$(BUILD)/tests/test-crypttab

# Network boot's command line (init/ipconf.c: ip=, BOOTIF=, the NFS root), under the sanitizers.
$(BUILD)/tests/test-ipconf: init/tests/test-ipconf.c init/ipconf.c init/ipconf.h tests/tap.h
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) -Itests -o $@ init/tests/test-ipconf.c init/ipconf.c
# The NFS root's mount(2) arguments and messages (init/nfsroot.c's pure parts: no NFS client here).
$(BUILD)/tests/test-nfsroot: init/tests/test-nfsroot.c init/nfsroot.c init/nfsroot.h init/ipconf.c init/ipconf.h tests/tap.h
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) -Itests -o $@ init/tests/test-nfsroot.c init/nfsroot.c init/ipconf.c
CHECK_DEPS += $(BUILD)/tests/test-ipconf $(BUILD)/tests/test-nfsroot
SUITES += ipconf=$(BUILD)/tests/test-ipconf nfsroot=$(BUILD)/tests/test-nfsroot

# The live boot's leaf modules alone, under the sanitizers: SHA-256 (NIST vectors, sha256sum), the
# checksum-file parser (files by sha256sum), loop devices (root in a private mount namespace, else a skip).
$(BUILD)/tests/test-sha256: init/tests/test-sha256.c init/sha256.c init/sha256.h tests/tap.h
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) -Itests -o $@ init/tests/test-sha256.c init/sha256.c
$(BUILD)/tests/test-checksum-file: init/tests/test-checksum-file.c init/checksum_file.c init/checksum_file.h tests/tap.h
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) -Itests -o $@ init/tests/test-checksum-file.c init/checksum_file.c
$(BUILD)/tests/test-loopdev: init/tests/test-loopdev.c init/loopdev.c init/loopdev.h tests/tap.h
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) -Itests -o $@ init/tests/test-loopdev.c init/loopdev.c
CHECK_DEPS += $(BUILD)/tests/test-sha256 $(BUILD)/tests/test-checksum-file $(BUILD)/tests/test-loopdev
SUITES += sha256=$(BUILD)/tests/test-sha256 checksum-file=$(BUILD)/tests/test-checksum-file \
          loopdev=$(BUILD)/tests/test-loopdev

# Network boot's DHCP packets (init/dhcp.c), pure: built and parsed under the sanitizers.
$(BUILD)/tests/test-dhcp: init/tests/test-dhcp.c init/dhcp.c init/dhcp.h tests/tap.h
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) -Itests -o $@ init/tests/test-dhcp.c init/dhcp.c
CHECK_DEPS += $(BUILD)/tests/test-dhcp
SUITES += dhcp=$(BUILD)/tests/test-dhcp
# The exchange (init/dhcp_client.c) and the interface calls (init/netif.c), in a network namespace
# against busybox udhcpd and a refusing server (root, else a skip).
DHCP_CLIENT_SRCS := init/tests/dhcp-client-cli.c init/dhcp_client.c init/dhcp.c init/netif.c init/clock.c \
                    lib/log.c lib/fmt.c
$(BUILD)/tests/dhcp-client-cli: $(DHCP_CLIENT_SRCS) init/dhcp_client.h init/dhcp.h init/netif.h
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) -o $@ $(DHCP_CLIENT_SRCS)
CHECK_DEPS += $(BUILD)/tests/dhcp-client-cli
SUITES += dhcp-client=init/tests/dhcp-client-run.sh

# root=live:http://'s HTTP parser and URL (init/http.c), pure: real captures fed whole, byte by byte and
# split at random, and every error, under the sanitizers.
$(BUILD)/tests/test-http: init/tests/test-http.c init/http.c init/http.h tests/tap.h
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) -Itests -o $@ init/tests/test-http.c init/http.c
CHECK_DEPS += $(BUILD)/tests/test-http
SUITES += http=$(BUILD)/tests/test-http

# init/http_fetch.c against a python3 server on 127.0.0.1 (a free port), under the sanitizers: downloads,
# retries, limits and timeouts (the idle timeout shortened to 1.5 s); about 15 s.
$(BUILD)/tests/test-http-fetch: init/tests/test-http-fetch.c init/http_fetch.c init/http_fetch.h init/http.c \
		init/http.h init/clock.c lib/log.c tests/tap.h
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) -Itests -DHTTP_FETCH_IDLE_MS=1500 -o $@ init/tests/test-http-fetch.c init/http_fetch.c \
		init/http.c init/clock.c lib/log.c
CHECK_DEPS += $(BUILD)/tests/test-http-fetch
SUITES += "http-fetch=$(BUILD)/tests/test-http-fetch init/tests/http-fetch-server.py"

# dm-verity's superblock, options and table line (init/verity.c) against real `veritysetup format`
# output, and dm.c's ioctl declarations against the kernel's <linux/dm-ioctl.h>, under the sanitizers.
$(BUILD)/tests/test-verity: init/tests/test-verity.c init/verity.c init/verity.h init/dm.c init/dm.h init/sha256.c \
		init/blockprobe.c init/blockprobe_containers.c init/blockprobe_util.c lib/fsutil.c tests/tap.h
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) -Itests -o $@ init/tests/test-verity.c init/verity.c init/sha256.c init/blockprobe.c \
		init/blockprobe_containers.c init/blockprobe_util.c lib/fsutil.c
CHECK_DEPS += $(BUILD)/tests/test-verity
SUITES += verity=$(BUILD)/tests/test-verity

# The root's fsck (init/fsck.c): the exit-code verdict under the sanitizers; then the init as PID 1 of a
# namespace with the host's e2fsck as the image's fsck.ext4 on clean, repairable and broken ext4 images.
$(BUILD)/tests/test-fsck: init/tests/test-fsck.c init/fsck.c init/fsck.h init/child.c lib/log.c lib/fmt.c tests/tap.h
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) -Itests -o $@ init/tests/test-fsck.c init/fsck.c init/child.c lib/log.c lib/fmt.c
CHECK_DEPS += $(BUILD)/tests/test-fsck
SUITES += fsck=$(BUILD)/tests/test-fsck fsck-boot=init/tests/fsck-run.sh \
          "fsck-boot-klibc=INIT=$(BUILD)/klibc/init init/tests/fsck-run.sh"
# resume= (init/resume.c) the same way, on swap areas with and without a hibernation signature, /sys/power
# a directory of the test's inside the namespace (what the init writes is read back, never reaches the kernel).
SUITES += resume-boot=init/tests/resume-run.sh "resume-boot-klibc=INIT=$(BUILD)/klibc/init init/tests/resume-run.sh"

# The whole init as PID 1 of a namespace, booting a real ext4 image: static build and ASan build.
CHECK_DEPS += $(BUILD)/probe
SUITES += init=init/tests/run.sh "init-asan=INIT=$(BUILD)/asan/init init/tests/run.sh" \
          "init-klibc=INIT=$(BUILD)/klibc/init init/tests/run.sh"

install: install-init
install-init: $(BUILD)/init $(BUILD)/klibc/init $(BUILD)/switch_root
	install -D -m 0755 $(BUILD)/init $(DESTDIR)$(PREFIX)/lib/earlyroot/init
	install -D -m 0755 $(BUILD)/klibc/init $(DESTDIR)$(PREFIX)/lib/earlyroot/init-klibc
	install -D -m 0755 $(BUILD)/switch_root $(DESTDIR)$(PREFIX)/lib/earlyroot/switch_root
	ln -f $(DESTDIR)$(PREFIX)/lib/earlyroot/switch_root $(DESTDIR)$(PREFIX)/lib/earlyroot/pivot_root
	install -d $(DESTDIR)$(PREFIX)/sbin
	ln -sf ../lib/earlyroot/switch_root $(DESTDIR)$(PREFIX)/sbin/earlyroot-switch-root
	ln -sf ../lib/earlyroot/pivot_root $(DESTDIR)$(PREFIX)/sbin/earlyroot-pivot-root
	install -D -m 0644 init/earlyroot.7 $(DESTDIR)$(PREFIX)/share/man/man7/earlyroot.7
