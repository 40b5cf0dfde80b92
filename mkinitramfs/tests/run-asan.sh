#!/bin/sh
# mkinitramfs/tests/run-asan.sh — the mkinitramfs suite against the ASan+UBSan+LeakSanitizer build
# ($(BUILD)/asan/mkinitramfs): any leak, overflow or undefined behaviour fails a test.
export MKINITRAMFS="${BUILD:-build}/asan/mkinitramfs"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
exec sh "$(dirname "$0")/run.sh"
