# lib/: small code shared by init and switchroot (logging, kernel interfaces the libc may lack).
LIB_SRCS := lib/log.c lib/fsutil.c lib/fmt.c

# lib/fmt.c against the host libc's snprintf: compiled under other names so both run in one program.
$(BUILD)/tests/fmt-renamed.o: lib/fmt.c
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) -Dvsnprintf=fmt_vsnprintf -Dsnprintf=fmt_snprintf -Dsprintf=fmt_sprintf -c -o $@ $<
$(BUILD)/tests/test-fmt: lib/tests/test-fmt.c $(BUILD)/tests/fmt-renamed.o tests/tap.h
	$(CC) $(SAN_CFLAGS) -Itests -o $@ lib/tests/test-fmt.c $(BUILD)/tests/fmt-renamed.o
CHECK_DEPS += $(BUILD)/tests/test-fmt
SUITES += fmt=$(BUILD)/tests/test-fmt
