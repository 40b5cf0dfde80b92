# The module table of modalias autoload (init/modtable.c): its matcher against libkmod on this machine's
# real devices, with a table mkinitramfs writes for Debian's kernel (init/tests/modtable-run.sh). Built
# under ASan/UBSan, like the other unit tests; linked with the host's libkmod, which the init never is.
$(BUILD)/tests/test-modtable: init/tests/test-modtable.c init/modtable.c init/modtable.h
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) -o $@ init/tests/test-modtable.c init/modtable.c $(shell pkg-config --cflags --libs libkmod)
CHECK_DEPS += $(BUILD)/tests/test-modtable
SUITES += modtable=init/tests/modtable-run.sh
