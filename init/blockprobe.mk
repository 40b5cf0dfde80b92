# init/blockprobe.mk: the block-device probes (filesystem superblocks, partition tables) and their tests.
# init/build.mk names these sources for the init itself; here they are built for the tests (host gcc
# under ASan/UBSan) and compiled once with musl and STATIC_CFLAGS so the static build stays clean.
BLOCKPROBE_SRCS := init/blockprobe.c init/blockprobe_containers.c init/blockprobe_util.c init/partitions.c
BLOCKPROBE_HDRS := init/blockprobe.h init/blockprobe_containers.h init/blockprobe_util.h init/partitions.h

$(BUILD)/tests/blockprobe-cli: init/tests/blockprobe-cli.c $(BLOCKPROBE_SRCS) $(BLOCKPROBE_HDRS)
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) -o $@ init/tests/blockprobe-cli.c $(BLOCKPROBE_SRCS)

$(BUILD)/tests/test-blockprobe: init/tests/test-blockprobe.c $(BLOCKPROBE_SRCS) $(BLOCKPROBE_HDRS) tests/tap.h
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) -Itests -o $@ init/tests/test-blockprobe.c $(BLOCKPROBE_SRCS)

BLOCKPROBE_MUSL_OBJS := $(patsubst init/%.c,$(BUILD)/obj/%-musl.o,$(BLOCKPROBE_SRCS))
$(BLOCKPROBE_MUSL_OBJS): $(BUILD)/obj/%-musl.o: init/%.c $(BLOCKPROBE_HDRS)
	@mkdir -p $(@D)
	$(MUSL_CC) $(STATIC_CFLAGS) -c -o $@ $<

CHECK_DEPS += $(BUILD)/tests/blockprobe-cli $(BUILD)/tests/test-blockprobe $(BLOCKPROBE_MUSL_OBJS)
SUITES += blockprobe=init/tests/blockprobe-run.sh

# The libFuzzer target for these probes is fuzz/blockprobe.c (seeds in fuzz/corpus/blockprobe).
