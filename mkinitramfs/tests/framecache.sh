# mkinitramfs/tests/framecache.sh — sourced by run.sh after zframes.sh (same helpers, $MK, $T): the frame
# cache's cap (--cache-max, mkinitramfs/framecache.c). After a build that stored a frame, the least
# recently used entries go until the rest fit. Each image here: the stand-in init and one file of
# 64 KiB of random bytes, so one cached frame of a little over 64 KiB; a cap of 150K holds two, not three.
# shellcheck shell=sh
ZCAP=$T/zcap
for n in a b c d e f g; do
	head -c 65536 /dev/urandom >"$T/cap-$n.bin"
	"$MK" -o "$T/cap-$n.ref" --no-cache --no-modules --init "$T/init" --add "$T/cap-$n.bin:/etc/cap.bin" >/dev/null 2>&1
done
# cap_build N [ARGS...] — the image with cap-N.bin into $ZCAP under a cap of 150K (run's rc, out, err);
# cap_new is the entry it added, cap_ok says whether the build succeeded, the image equals the
# --no-cache one and the cache stays under the cap.
cap_build() {
	n=$1
	shift
	find "$ZCAP" -name '*.zst' 2>/dev/null | sort >"$T/cap-before"
	run -o "$T/cap-$n.img" --cache-dir "$ZCAP" --cache-max 150K --no-modules --init "$T/init" \
		--add "$T/cap-$n.bin:/etc/cap.bin" "$@"
	cap_new=$(find "$ZCAP" -name '*.zst' | sort | comm -13 "$T/cap-before" -)
	# shellcheck disable=SC2154 # rc is set by run.sh's run()
	cap_ok="$rc:$(cmp "$T/cap-$n.ref" "$T/cap-$n.img" 2>&1):$(cap_under 153600)"
}
# cap_under BYTES — "under" if the cache's entries add up to no more than BYTES.
cap_under() {
	total=$(cat "$ZCAP"/*.zst | wc -c | tr -d ' ')
	if [ "$total" -le "$1" ]; then echo under; else echo "$total bytes, over $1"; fi
}
# cap_entries — the cache's entries, sorted, on one line.
cap_entries() { find "$ZCAP" -name '*.zst' | sort | tr '\n' ' '; }
# cap_count — how many entries.
cap_count() { find "$ZCAP" -name '*.zst' | wc -l | tr -d ' '; }

cap_build a
A=$cap_new
cap_build b
expect_eq "cap 150K, two images: both right, both frames kept (they fit)" "$cap_ok:$(cap_count)" "0::under:2"
cap_build a -v
expect_eq "the first image again: right, its frame from the cache" \
	"$cap_ok:$(grep -c ', from the cache$' "$T/out")" "0::under:1"
cap_build c -v
C=$cap_new
expect_eq "a third image: right, under the cap, the least recently used entry (the second image's) removed" \
	"$cap_ok:$(cap_entries)" "0::under:$(printf '%s\n' "$A" "$C" | sort | tr '\n' ' ')"
expect_grep "... -v says so in one line" "$T/out" \
	'^mkinitramfs: frame cache: removed the 1 least recently used entry \([0-9]+ bytes\) to stay under 153600 bytes$'
cap_build d
expect_eq "a fourth: right, under the cap, the newest two kept" \
	"$cap_ok:$(cap_entries)" "0::under:$(printf '%s\n' "$C" "$cap_new" | sort | tr '\n' ' ')"
cap_build b -v
expect_eq "the pruned second image again: right, compressed anew (a pruned entry is a miss)" \
	"$cap_ok:$(grep -c ', compressed, cached$' "$T/out")" "0::under:1"

# One image whose own frames do not fit: it is still whole and the same, the cache under the cap.
EXTRA="--add $T/cap-a.bin:/etc/cap-a.bin --add $T/cap-c.bin:/etc/cap-c.bin --add $T/cap-d.bin:/etc/cap-d.bin"
# shellcheck disable=SC2086 # EXTRA is words (paths under $T, no spaces)
"$MK" -o "$T/cap-e.ref" --no-cache --no-modules --init "$T/init" --add "$T/cap-e.bin:/etc/cap.bin" $EXTRA >/dev/null 2>&1
# shellcheck disable=SC2086 # EXTRA is words (paths under $T, no spaces)
cap_build e $EXTRA
expect_eq "an image of four frames, more than the cap: right, the cache under the cap" "$cap_ok" "0::under"

# Temporary entries: a crashed build's (hours old) removed, one being written kept; a file of another
# name is not the cache's: kept, and not counted.
old=$ZCAP/.$(printf '%064d' 1).AbCdEf new=$ZCAP/.$(printf '%064d' 2).AbCdEf
head -c 300000 /dev/zero >"$old"
: >"$new"
head -c 300000 /dev/zero >"$ZCAP/notes.txt"
touch -d '2 hours ago' "$old" "$ZCAP/notes.txt"
cap_build c
expect_eq "a crashed build's temporary entry is removed, a fresh one and a stranger's file are kept (and not counted)" \
	"$cap_ok:$(test -e "$old" && echo old-left):$(test -e "$new" || echo new-gone):$(test -e "$ZCAP/notes.txt" || echo stranger-gone):$(cap_count)" \
	"0::under::::2"
rm -f "$new" "$ZCAP/notes.txt"

# Builds at once into one small cache, each storing and pruning: every image right, the cache under the cap.
for n in a b c d; do
	"$MK" -o "$T/capp-$n.img" --cache-dir "$ZCAP" --cache-max 100K --no-modules --init "$T/init" \
		--add "$T/cap-$n.bin:/etc/cap.bin" >"$T/capp-$n.out" 2>&1 &
done
wait
res=
for n in a b c d; do res="$res$(cmp "$T/cap-$n.ref" "$T/capp-$n.img" 2>&1)$(grep -v '^mkinitramfs: wrote' "$T/capp-$n.out")"; done
expect_eq "four builds at once under a cap of 100K: every image right, the cache under the cap" \
	"$res:$(cap_under 102400)" ":under"

# The cache holds one frame now; one more fits under 150K, not under 100K.
printf 'cache-max = 100K\n' >"$T/cm.conf"
cap_build f -c "$T/cm.conf"
expect_eq "-c: cache-max = 100K, and --cache-max 150K on the command line wins: two frames kept" \
	"$cap_ok:$(cap_count)" "0::under:2"
run -o "$T/cm-g.img" -c "$T/cm.conf" --cache-dir "$ZCAP" -v --no-modules --init "$T/init" --add "$T/cap-g.bin:/etc/cap.bin"
expect_eq "-c: cache-max = 100K alone caps the cache: one frame kept" "$rc:$(cap_count)" "0:1"
expect_grep "... -v names the cap" "$T/out" \
	'^mkinitramfs: frame cache: removed the 2 least recently used entries \([0-9]+ bytes\) to stay under 102400 bytes$'

for s in 0 10X -5 1.5M "" 99999999999999999999G 99999999999G; do
	expect_usage_error "--cache-max '$s' is refused in one line" \
		"^mkinitramfs: bad cache size '$s' \(use a number of bytes above 0, or of K, M or G: --cache-max 64M\)\$" \
		"$T/cm.img" -o "$T/cm.img" --cache-max "$s" --no-modules --init "$T/init"
done
printf 'cache-max = lots\n' >"$T/cm-bad.conf"
expect_error "-c: a bad cache-max is refused in one line" "^mkinitramfs: $T/cm-bad.conf:1: bad cache size 'lots'" \
	"$T/cm.img" -o "$T/cm.img" -c "$T/cm-bad.conf" --no-modules --init "$T/init"
expect_usage_error "--list takes no --cache-max" "^mkinitramfs: --list reads an image; it takes no build options" \
	"$T/none" --list "$T/cap-a.img" --cache-max 1M
