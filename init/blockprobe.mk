# init/blockprobe.mk: the block-device probes (filesystem superblocks, partition tables) and their tests.
# The init's owner adds BLOCKPROBE_SRCS to the init build; here they are built for the tests (host gcc
# under ASan/UBSan) and compiled once with musl and STATIC_CFLAGS so the static build stays clean.
BLOCKPROBE_SRCS := init/blockprobe.c init/partitions.c
BLOCKPROBE_HDRS := init/blockprobe.h init/partitions.h

$(BUILD)/tests/blockprobe-cli: init/tests/blockprobe-cli.c $(BLOCKPROBE_SRCS) $(BLOCKPROBE_HDRS)
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) -o $@ init/tests/blockprobe-cli.c $(BLOCKPROBE_SRCS)

$(BUILD)/tests/test-blockprobe: init/tests/test-blockprobe.c $(BLOCKPROBE_SRCS) $(BLOCKPROBE_HDRS) tests/tap.h
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) -Itests -o $@ init/tests/test-blockprobe.c $(BLOCKPROBE_SRCS)

$(BUILD)/obj/blockprobe-musl.o: init/blockprobe.c $(BLOCKPROBE_HDRS) | deps-build
	@mkdir -p $(@D)
	$(MUSL_CC) $(STATIC_CFLAGS) -c -o $@ $<
$(BUILD)/obj/partitions-musl.o: init/partitions.c $(BLOCKPROBE_HDRS) | deps-build
	@mkdir -p $(@D)
	$(MUSL_CC) $(STATIC_CFLAGS) -c -o $@ $<

CHECK_DEPS += $(BUILD)/tests/blockprobe-cli $(BUILD)/tests/test-blockprobe \
              $(BUILD)/obj/blockprobe-musl.o $(BUILD)/obj/partitions-musl.o
SUITES += blockprobe=init/tests/blockprobe-run.sh

# Not part of check: a libFuzzer target, seeded with the first 128 KiB of the suite's images. It lives
# outside $(BUILD)/fuzz so that fuzz/run (which wants a corpus in fuzz/corpus/) does not pick it up.
#   make fuzz-blockprobe FUZZ_SECONDS=60
BLOCKPROBE_FUZZ := $(BUILD)/fuzz-blockprobe
$(BLOCKPROBE_FUZZ)/fuzz-blockprobe: init/tests/fuzz-blockprobe.c $(BLOCKPROBE_SRCS) $(BLOCKPROBE_HDRS)
	@mkdir -p $(@D)
	clang $(CSTD) $(WARN) -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-D_GNU_SOURCE -Iinit -o $@ init/tests/fuzz-blockprobe.c $(BLOCKPROBE_SRCS)
.PHONY: fuzz-blockprobe
fuzz-blockprobe: $(BLOCKPROBE_FUZZ)/fuzz-blockprobe $(BUILD)/tests/blockprobe-cli $(BUILD)/tests/test-blockprobe
	@rm -rf $(BLOCKPROBE_FUZZ)/images && mkdir -p $(BLOCKPROBE_FUZZ)/seeds $(BLOCKPROBE_FUZZ)/corpus
	@BLOCKPROBE_KEEP=$(BLOCKPROBE_FUZZ)/images init/tests/blockprobe-run.sh >/dev/null || true
	@cd $(BLOCKPROBE_FUZZ) && for f in images/*; do \
		case $$f in *.log|*.partx|*.sfdisk|*.tap|*.err|*/tree) continue ;; esac; \
		n=$${f##*/}; { printf '\000'; head -c 131072 $$f; } >seeds/fs-$$n; \
		for p in 0 1 2 4; do { printf "\\$$(printf %o $$((128 + p)))"; head -c 131072 $$f; } >seeds/part$$p-$$n; done; \
	done
	$(BLOCKPROBE_FUZZ)/fuzz-blockprobe -max_total_time=$${FUZZ_SECONDS:-60} -max_len=135000 -timeout=5 \
		-artifact_prefix=$(BLOCKPROBE_FUZZ)/ $(BLOCKPROBE_FUZZ)/corpus $(BLOCKPROBE_FUZZ)/seeds
