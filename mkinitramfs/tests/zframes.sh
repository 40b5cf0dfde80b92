# mkinitramfs/tests/zframes.sh — sourced by run.sh (same helpers, $MK, $T, $D, $K, $MODS, $ZC): zstd images
# as several frames (mkinitramfs/zframes.c) and the frame cache (mkinitramfs/framecache.c).
# shellcheck shell=sh

# zsplit IMAGE — checks every zstd frame of IMAGE on its own, as the kernel decodes them (one frame, then
# the next magic): each decompresses (zstd -dc) to whole newc records, the first starting at its first
# byte, the last ending at its last (the trailer's padding only in the last frame). Prints "N frames"
# and one line per frame "SIZE RECORDS FIRST-NAME", or the first problem.
zsplit() {
	python3 - "$1" <<'PY'
import subprocess, sys
img = open(sys.argv[1], "rb").read()
pos, frames = 0, []
while pos < len(img):
    if img[pos:pos + 4] != b"\x28\xb5\x2f\xfd":
        sys.exit("no zstd frame at offset %d" % pos)
    start, fhd = pos, img[pos + 4]
    single, fcs, did = fhd >> 5 & 1, fhd >> 6, fhd & 3
    if not fhd & 4:
        sys.exit("frame at %d has no checksum" % start)
    if not (fcs or single):
        sys.exit("frame at %d has no content size" % start)
    pos += 5 + (0 if single else 1) + (0, 1, 2, 4)[did] + ((1 if single else 0), 2, 4, 8)[fcs]
    while True:
        h = int.from_bytes(img[pos:pos + 3], "little")
        pos += 3 + (1 if (h >> 1 & 3) == 1 else h >> 3)
        if h & 1:
            break
    pos += 4
    frames.append(img[start:pos])
out, total = [], 0
for i, f in enumerate(frames):
    d = subprocess.run(["zstd", "-dcq"], input=f, capture_output=True).stdout
    total += len(d)
    p, n, first, last = 0, 0, None, i == len(frames) - 1
    while p < len(d):
        if d[p:p + 6] != b"070701":
            sys.exit("frame %d: no newc header at its offset %d" % (i + 1, p))
        namesize, size = int(d[p + 94:p + 102], 16), int(d[p + 54:p + 62], 16)
        name = d[p + 110:p + 110 + namesize - 1].decode()
        first = first or name
        p = (p + 110 + namesize + 3) // 4 * 4 + (size + 3) // 4 * 4
        n += 1
        if name == "TRAILER!!!":
            if not last or d[p:].strip(b"\0") or (total % 512):
                sys.exit("frame %d: the trailer, but not at the end of the last frame, 512-padded" % (i + 1))
            p = len(d)
    if p != len(d) or n == 0:
        sys.exit("frame %d: does not end at a record boundary" % (i + 1))
    out.append("%d %d %s" % (len(d), n, first))
print("%d frames" % len(frames))
print("\n".join(out))
PY
}

# The image of these tests: modules, a file of 16 KiB or more (a frame of its own), the stand-in init.
seq 1 20000 >"$T/big.txt"
# shellcheck disable=SC2153 # MODS is set by run.sh, which sources this file (not a misspelt mods)
ZARGS="-b $D -k $K -m $MODS --init $T/init --add $T/big.txt:/etc/big.txt"
# shellcheck disable=SC2086 # ZARGS is words (paths under $T, no spaces)
"$MK" -o "$T/z-none.img" -z none $ZARGS >/dev/null 2>&1

# ---------------------------------------------------------------------------------------------------
# Frames: each a whole number of records; together exactly the uncompressed archive.
# shellcheck disable=SC2086 # ZARGS is words (paths under $T, no spaces)
run -o "$T/z-cold.img" --cache-dir "$T/zc" -v $ZARGS
expect_ok "zstd build with an empty --cache-dir"
expect_eq "zstd -dc of the frames gives exactly the -z none archive" "$(zstd -dc "$T/z-cold.img" | cmp - "$T/z-none.img" 2>&1)" ""
if command -v python3 >/dev/null; then
	zsplit "$T/z-cold.img" >"$T/z-frames" 2>&1
	expect_eq "frames: records before the big file, the big file, records up to the modules, the modules, the rest with the trailer" \
		"$(awk 'NR == 1 { print; next } { print $3 }' "$T/z-frames" | tr '\n' '|')" \
		"5 frames|dev|etc/big.txt|etc/earlyroot|lib/modules/$K/kernel|newroot|"
	expect_eq "... the modules' frame holds every .ko and the directories between them, nothing else" \
		"$(awk -v k="lib/modules/$K/kernel" '$3 == k { print $2 }' "$T/z-frames")" \
		"$(cpio -t --quiet <"$T/z-none.img" | grep -c "^lib/modules/$K/kernel")"
else
	tap_skip "frames hold whole records, the trailer in the last" "no python3"
	tap_skip "... the modules' frame holds every .ko and the directories between them" "no python3"
fi
expect_grep "-v: the cold build compressed every frame" "$T/out" '^mkinitramfs: zstd level 19, 5 frames: 0 from the cache, 5 compressed$'
expect_grep "-v: ... and cached the modules' frame" "$T/out" \
	"^mkinitramfs: zstd frame of [0-9]+ entries from /lib/modules/$K/kernel: [0-9]+ → [0-9]+ bytes, compressed, cached\$"
# shellcheck disable=SC2010,SC2012 # the names mkinitramfs gives its cache entries are what is checked
expect_eq "the cache holds 2 frames (modules, big file), no temporary file" \
	"$(ls -A "$T/zc" | grep -c '^[0-9a-f]\{64\}\.zst$'):$(ls -A "$T/zc" | wc -l | tr -d ' ')" "2:2"
expect_eq "... each a valid zstd frame" "$(zstd -tq "$T"/zc/*.zst 2>&1)" ""
run --list "$T/z-cold.img"
# shellcheck disable=SC2154 # rc is set by run.sh's run, which sources this file
expect_eq "--list (the tool's own reader) of the multi-frame image equals the -z none image's" \
	"$rc:$("$MK" --list "$T/z-none.img" | cmp - "$T/out" 2>&1)" "0:"
run --list "$T/z-cold.img" -v
expect_eq "--list -v: a segment per frame, as the kernel decodes them" \
	"$(grep -c '^# segment [1-5]: zstd at offset' "$T/out"):$(grep -c '^# segment' "$T/out")" "5:5"
# What the kernel refuses ("junk at the end of compressed archive"), the reader refuses: a frame that
# ends inside a record (as pzstd would cut), though the frames together are a good archive.
head -c 1000 "$T/z-none.img" | zstd -q -c >"$T/split.img"
tail -c +1001 "$T/z-none.img" | zstd -q -c >>"$T/split.img"
expect_eq "(zstd -dc of the two frames is the archive)" "$(zstd -dc "$T/split.img" | cmp - "$T/z-none.img" 2>&1)" ""
expect_error "--list refuses a zstd frame that ends inside a record" \
	"^mkinitramfs: $T/split.img: truncated cpio (entry|header) at decompressed offset [0-9]+\$" "$T/none" --list "$T/split.img"
expect_eq "zstd -dc | cpio -t lists what cpio -t lists for the -z none image" \
	"$(zstd -dc "$T/z-cold.img" | cpio -t --quiet | tr '\n' ' ')" "$(cpio -t --quiet <"$T/z-none.img" | tr '\n' ' ')"
mkdir "$T/zx-none"
(cd "$T/zx-none" && cpio -i -d --quiet <"$T/z-none.img")
run --extract "$T/z-cold.img" "$T/zx"
expect_eq "--extract of the multi-frame image gives the tree GNU cpio extracts from -z none" \
	"$rc:$(diff -r "$T/zx" "$T/zx-none" 2>&1 | grep -v 'console is a character special file')" "0:"

# ---------------------------------------------------------------------------------------------------
# The cache: warm, disabled, default directory, corrupt entries — always the same bytes.
# shellcheck disable=SC2086 # ZARGS is words (paths under $T, no spaces)
run -o "$T/z-warm.img" --cache-dir "$T/zc" -v $ZARGS
expect_eq "warm cache: the same bytes as cold" "$rc:$(cmp "$T/z-cold.img" "$T/z-warm.img" 2>&1)" "0:"
expect_grep "-v: the warm build took both cached frames from the cache" "$T/out" \
	'^mkinitramfs: zstd level 19, 5 frames: 2 from the cache, 3 compressed$'
# shellcheck disable=SC2086 # ZARGS is words (paths under $T, no spaces)
run -o "$T/z-nocache.img" --no-cache -v $ZARGS
expect_eq "--no-cache: the same bytes" "$rc:$(cmp "$T/z-cold.img" "$T/z-nocache.img" 2>&1)" "0:"
expect_grep "-v: --no-cache compressed every frame" "$T/out" \
	'^mkinitramfs: zstd level 19, 5 frames: 0 from the cache, 5 compressed \(no frame cache\)$'
# shellcheck disable=SC2086 # ZARGS is words (paths under $T, no spaces)
run -o "$T/z-default.img" $ZARGS
expect_eq "the default cache directory (\$EARLYROOT_CACHE/zstd-frames here): the same bytes, cached there" \
	"$rc:$(cmp "$T/z-cold.img" "$T/z-default.img" 2>&1):$(for f in "$T"/zc/*.zst; do test -f "$ZC/${f##*/}" || echo "${f##*/} missing"; done)" "0::"

# shellcheck disable=SC2012 # ls -S: by size; the names are hashes
mods=$(ls -S "$T"/zc/*.zst | head -n 1)
# shellcheck disable=SC2012 # as above
big=$(ls -S "$T"/zc/*.zst | tail -n 1)
cp "$mods" "$T/mods.good"
cp "$big" "$T/big.good"
# One bit flipped in the middle of the modules' frame.
off=$(($(wc -c <"$mods") / 2))
byte=$(od -An -tu1 -j "$off" -N1 "$mods" | tr -d ' ')
# shellcheck disable=SC2059 # the format is the byte's octal escape, on purpose
printf "\\$(printf %o $((byte ^ 16)))" | dd of="$mods" bs=1 seek="$off" conv=notrunc 2>/dev/null
expect_eq "(a bit of the cached modules' frame is flipped)" "$(cmp -s "$mods" "$T/mods.good" || echo changed)" changed
# shellcheck disable=SC2086 # ZARGS is words (paths under $T, no spaces)
run -o "$T/z-flip.img" --cache-dir "$T/zc" -v $ZARGS
expect_eq "a bit-flipped cache entry: the build succeeds with the same bytes" "$rc:$(cmp "$T/z-cold.img" "$T/z-flip.img" 2>&1)" "0:"
expect_grep "... -v says the entry was bad and replaced" "$T/out" \
	"^mkinitramfs: frame cache: ${mods} is not the frame it is named for .*truncated or corrupt.*replacing it\$"
expect_eq "... and the entry is repaired" "$(cmp "$mods" "$T/mods.good" 2>&1)" ""
# The big file's entry cut in half.
head -c $(($(wc -c <"$T/big.good") / 2)) "$T/big.good" >"$big"
# shellcheck disable=SC2086 # ZARGS is words (paths under $T, no spaces)
run -o "$T/z-trunc.img" --cache-dir "$T/zc" -v $ZARGS
expect_eq "a truncated cache entry: the build succeeds with the same bytes" "$rc:$(cmp "$T/z-cold.img" "$T/z-trunc.img" 2>&1)" "0:"
expect_grep "... -v says it was replaced" "$T/out" "^mkinitramfs: zstd frame of 1 entry from /etc/big.txt: .*, compressed, cache entry replaced\$"
# shellcheck disable=SC2012 # a count of the cache's entries (hashes) and temporary files
expect_eq "... and the entry is repaired, no temporary file left" \
	"$(cmp "$big" "$T/big.good" 2>&1):$(ls -A "$T/zc" | wc -l | tr -d ' ')" ":2"
# An entry that is a valid zstd frame, but of other bytes (the modules' frame under the big file's name).
cp "$T/mods.good" "$big"
# shellcheck disable=SC2086 # ZARGS is words (paths under $T, no spaces)
run -o "$T/z-other.img" --cache-dir "$T/zc" -v $ZARGS
expect_eq "a cache entry holding another frame: the same bytes, entry repaired" \
	"$rc:$(cmp "$T/z-cold.img" "$T/z-other.img" 2>&1):$(cmp "$big" "$T/big.good" 2>&1)" "0::"

# Records do not depend on their position: a file added before the modules misses no cached frame.
printf 'key=value\n' >"$T/extra.conf"
# shellcheck disable=SC2086 # ZARGS is words (paths under $T, no spaces)
run -o "$T/z-add.img" --cache-dir "$T/zc" -v $ZARGS --add "$T/extra.conf:/etc/extra.conf"
expect_ok "build with one more file under /etc"
expect_grep "... the modules' frame comes from the cache" "$T/out" \
	"^mkinitramfs: zstd frame of [0-9]+ entries from /lib/modules/$K/kernel: .*, from the cache\$"
expect_grep "... every cached frame does" "$T/out" '^mkinitramfs: zstd level 19, 5 frames: 2 from the cache, 3 compressed$'
expect_eq "... and the image has the new file" "$(zstd -dc "$T/z-add.img" | cpio -i --quiet --to-stdout etc/extra.conf)" "key=value"

# An unusable cache directory: the build goes on without it, with the same bytes. (No modules: these
# builds compress everything, and level 19 on the modules is a second each.)
: >"$T/zfile"
SARGS="--no-modules --init $T/init --add $T/big.txt:/etc/big.txt"
# shellcheck disable=SC2086 # SARGS is words (paths under $T, no spaces)
"$MK" -o "$T/z-small.img" --cache-dir "$T/zc" $SARGS >/dev/null 2>&1
# shellcheck disable=SC2086 # SARGS is words (paths under $T, no spaces)
run -o "$T/z-nodir.img" --cache-dir "$T/zfile/cache" -v $SARGS
expect_eq "--cache-dir below a regular file: the build succeeds with the same bytes" \
	"$rc:$(cmp "$T/z-small.img" "$T/z-nodir.img" 2>&1):$(cat "$T/err")" "0::"
expect_grep "... -v says so in one line" "$T/out" \
	"^mkinitramfs: frame cache $T/zfile/cache unusable \(Not a directory\): building without it\$"
if unshare --mount true 2>/dev/null; then
	mkdir "$T/zro"
	# shellcheck disable=SC2086,SC2016 # SARGS is words (paths under $T, no spaces); the sh -c script expands its own $1, $2, $@
	unshare --mount sh -c 'd=$1 t=$2; shift 2; mount -t tmpfs -o ro tmpfs "$d" || exit 3
		"$@" >"$t/out" 2>"$t/err"; echo $? >"$t/rc"' sh "$T/zro" "$T" "$MK" -o "$T/z-ro.img" --cache-dir "$T/zro/c" -v $SARGS
	expect_eq "a cache directory on a read-only filesystem: the build succeeds with the same bytes" \
		"$(cat "$T/rc"):$(cmp "$T/z-small.img" "$T/z-ro.img" 2>&1):$(cat "$T/err")" "0::"
	expect_grep "... -v says so" "$T/out" "^mkinitramfs: frame cache $T/zro/c unusable \(Read-only file system\)"
else
	tap_skip "a cache directory on a read-only filesystem" "unshare --mount is not permitted here (needs root)"
	tap_skip "... -v says so" "unshare --mount is not permitted here"
fi

# Parallel builds into one empty cache: both images right, every entry whole, nothing left over.
"$MK" -o "$T/zp1.img" --cache-dir "$T/zpar" --no-modules --init "$T/init" --add "$T/big.txt:/etc/big.txt" >/dev/null 2>&1 &
p1=$!
"$MK" -o "$T/zp2.img" --cache-dir "$T/zpar" --no-modules --init "$T/init" --add "$T/big.txt:/etc/big.txt" >/dev/null 2>&1
rc2=$?
wait $p1
rc1=$?
# shellcheck disable=SC2012 # a count of the cache's entries (hashes) and temporary files
expect_eq "two builds at once into one empty cache: both succeed with the same bytes, one whole entry" \
	"$rc1:$rc2:$(cmp "$T/zp1.img" "$T/zp2.img" 2>&1):$(ls -A "$T/zpar" | wc -l | tr -d ' '):$(zstd -tq "$T"/zpar/*.zst 2>&1)" "0:0::1:"

# ---------------------------------------------------------------------------------------------------
# -z zstd:LEVEL.
# shellcheck disable=SC2086 # ZARGS is words (paths under $T, no spaces)
run -o "$T/z3.img" -z zstd:3 -v $ZARGS
expect_ok "-z zstd:3"
expect_eq "... decompresses to the same archive, larger than at level 19" \
	"$(zstd -dc "$T/z3.img" | cmp - "$T/z-none.img" 2>&1):$([ "$(wc -c <"$T/z3.img")" -gt "$(wc -c <"$T/z-cold.img")" ] && echo larger)" ":larger"
expect_grep "... -v names the level" "$T/out" '^mkinitramfs: zstd level 3, 5 frames: '
for l in 0 20 x -1 ""; do
	expect_usage_error "-z zstd:$l is refused in one line" "^mkinitramfs: bad zstd level in 'zstd:$l' \(use zstd:1 to zstd:19\)\$" \
		"$T/zl.img" -o "$T/zl.img" -z "zstd:$l" --init "$T/init"
done
printf 'compress = zstd:25\n' >"$T/zl.conf"
expect_error "-c: compress = zstd:25 is refused in one line" "^mkinitramfs: $T/zl.conf:1: bad zstd level in 'zstd:25'" \
	"$T/zl.img" -o "$T/zl.img" -c "$T/zl.conf" --init "$T/init"
printf 'compress = zstd:3\n' >"$T/zl3.conf"
# shellcheck disable=SC2086 # ZARGS is words (paths under $T, no spaces)
run -c "$T/zl3.conf" -o "$T/z3c.img" $ZARGS
expect_eq "-c: compress = zstd:3 gives what -z zstd:3 gives" "$rc:$(cmp "$T/z3.img" "$T/z3c.img" 2>&1)" "0:"

# Inode numbers: from the path, so the same in two different images.
newc_list "$T/z-none.img" | awk '$1 != "end" && $NF != "TRAILER!!!" { print $1, $NF }' | sort -k2 >"$T/ino1"
zstd -dc "$T/z-add.img" >"$T/z-add.cpio"
newc_list "$T/z-add.cpio" | awk '$1 != "end" && $NF != "TRAILER!!!" { print $1, $NF }' | sort -k2 >"$T/ino2"
expect_eq "inode numbers: a path has the same one in two different images" \
	"$(join -1 2 -2 2 "$T/ino1" "$T/ino2" | awk '$2 != $3' | head -n 3)" ""
