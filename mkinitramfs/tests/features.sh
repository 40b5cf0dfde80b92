# mkinitramfs/tests/features.sh — sourced by run.sh (same helpers, $MK, $T, $D, $K, $MODS): --list and
# --extract, and the options of issue 4, one section each.

# ---------------------------------------------------------------------------------------------------
# --list and --extract.

# list_cpio IMAGE — what GNU cpio says about a plain archive, in --list's format.
list_cpio() {
	cpio -t -v --quiet --numeric-uid-gid <"$1" | awk '{
		m = $1; u = $3; g = $4
		if (m ~ /^[cb]/) { sz = $5 $6; name = $10 } else { sz = $5; name = $9 }
		line = m " " u "/" g " " sz " " name
		if (m ~ /^l/) line = line " -> " $11
		print line }'
}

run --list "$T/plain.img"
expect_ok "--list of our uncompressed image"
expect_eq "--list shows what GNU cpio -tv shows (mode, owner, size, path)" \
	"$(cat "$T/out" | tr '\n' '|')" "$(list_cpio "$T/plain.img" | tr '\n' '|')"
for z in img.gz img.zst; do
	run --list "$T/$z"
	expect_eq "--list of the ${z#img.} image equals the uncompressed one's" \
		"$rc:$("$MK" --list "$T/plain.img" | cmp - "$T/out" 2>&1)" "0:"
done

# A real-world layout: an early uncompressed microcode archive (GNU cpio, with "." and 512-byte
# blocks) followed by the main archive compressed by each tool the way distributions do.
mkdir -p "$T/early/kernel/x86/microcode"
printf 'intel ucode\n' >"$T/early/kernel/x86/microcode/GenuineIntel.bin"
(cd "$T/early" && find . | sort | cpio -o -H newc --quiet --reproducible) >"$T/early.cpio"
for c in "gzip -n" "zstd -q -19" "xz --check=crc32" "lz4 -l -q"; do
	name=${c%% *}
	$c -c <"$T/plain.img" >"$T/main.$name"
	cat "$T/early.cpio" "$T/main.$name" >"$T/cat-$name.img"
	run --list "$T/cat-$name.img" -v
	expect_eq "--list -v of early cpio + $name main archive: two segments" \
		"$rc:$(grep '^# segment' "$T/out" | sed 's/ at offset.*entries$//' | tr '\n' '|')" \
		"0:# segment 1: uncompressed|# segment 2: $name|"
	expect_eq "... and every entry of both, as GNU cpio lists each" \
		"$(grep -v '^#' "$T/out" | tr '\n' '|')" \
		"$({ list_cpio "$T/early.cpio"; list_cpio "$T/plain.img"; } | tr '\n' '|')"
done
rm -rf "$T/xc"
run --extract "$T/cat-zstd.img" "$T/xc"
expect_ok "--extract of the concatenated image"
expect_eq "... unpacks the early archive's microcode and the main archive's init" \
	"$(cat "$T/xc/kernel/x86/microcode/GenuineIntel.bin"):$(cmp "$T/xc/init" "$T/init" 2>&1)" "intel ucode:"
expect_eq "... with modes and the device node" \
	"$(stat -c '%a %F %t:%T' "$T/xc/init" "$T/xc/dev/console" | tr '\n' '|')" \
	"755 regular file 0:0|600 character special file 5:1|"
expect_eq "... the whole tree equals GNU cpio's extraction" \
	"$(diff -r "$T/x" "$T/xc" 2>&1 | grep -v -e '^Only in .*xc: kernel$' -e 'console is a character special file')" ""

# The kernel's rules: zero padding between segments is skipped, an archive must start 4-aligned.
{ cat "$T/early.cpio"; head -c 4096 /dev/zero; cat "$T/main.gzip"; head -c 1000 /dev/zero; } >"$T/pad.img"
run --list "$T/pad.img"
expect_eq "zero padding between and after segments is skipped" "$rc:$(wc -l <"$T/out" | tr -d ' ')" \
	"0:$(($(list_cpio "$T/early.cpio" | wc -l) + $(list_cpio "$T/plain.img" | wc -l)))"
{ cat "$T/early.cpio"; printf '\0\0'; cat "$T/early.cpio"; } >"$T/misaligned.img"
expect_error "an archive that does not start 4-aligned is refused (the kernel's broken padding)" \
	"^mkinitramfs: $T/misaligned.img: broken padding before the archive at offset 1026\$" "$T/none" \
	--list "$T/misaligned.img"
head -c 300000 "$T/img.zst" >"$T/trunc.img"
expect_error "a truncated zstd image is one clear error" \
	"^mkinitramfs: $T/trunc.img: corrupt or truncated zstd data in the segment at offset 0\$" "$T/none" \
	--list "$T/trunc.img"
head -c 2000 "$T/plain.img" >"$T/trunc2.img"
expect_error "a truncated uncompressed image is one clear error" \
	"^mkinitramfs: $T/trunc2.img: truncated cpio (entry|header) at offset [0-9]+\$" "$T/none" --list "$T/trunc2.img"
{ cat "$T/early.cpio"; printf 'hello world\n'; } >"$T/junk.img"
expect_error "junk after a segment is one clear error" \
	"^mkinitramfs: $T/junk.img: neither a cpio archive nor a known compression .* at offset 1024\$" "$T/none" \
	--list "$T/junk.img"
: >"$T/empty.img"
expect_error "an empty file is not an image" "^mkinitramfs: $T/empty.img: empty file" "$T/none" --list "$T/empty.img"
expect_error "a missing image" "^mkinitramfs: cannot read $T/nope.img: No such file or directory\$" "$T/none" \
	--list "$T/nope.img"
expect_error "a bad image extracts nothing (DIR not even created)" "truncated zstd" "$T/xbad" \
	--extract "$T/trunc.img" "$T/xbad"
expect_usage_error "--extract without DIR" "^mkinitramfs: --extract needs a directory" "$T/none" --extract "$T/plain.img"
expect_usage_error "--list with build options" "^mkinitramfs: --list reads an image; it takes no build options" \
	"$T/none" --list "$T/plain.img" -o "$T/none"

# Hostile archives, written with GNU cpio: nothing may appear outside DIR.
mkdir -p "$T/evil/a" "$T/outside"
echo secret >"$T/evil/victim"
(cd "$T/evil/a" && echo ../victim | cpio -o -H newc --quiet) >"$T/dotdot.img" 2>/dev/null
expect_error "--extract refuses a name with .." "^mkinitramfs: $T/dotdot.img: refusing the name \.\./victim: it leads out" \
	"$T/xe1" --extract "$T/dotdot.img" "$T/xe1"
echo "$T/evil/victim" | cpio -o -H newc --quiet >"$T/abs.img" 2>/dev/null
expect_error "--extract refuses an absolute name" "^mkinitramfs: $T/abs.img: refusing the absolute name $T/evil/victim\$" \
	"$T/xe2" --extract "$T/abs.img" "$T/xe2"
ln -s "$T/outside" "$T/evil/link"
echo x >"$T/outside/file"
(cd "$T/evil" && printf 'link\nlink/file\n' | cpio -o -H newc --quiet) >"$T/symlink.img"
rm "$T/outside/file"
expect_error "--extract refuses an entry below a symlink of the image" \
	"^mkinitramfs: $T/symlink.img: refusing link/file: a parent of it is a symlink in the image\$" "$T/xe3" \
	--extract "$T/symlink.img" "$T/xe3"
expect_eq "... and nothing was written through it" "$(ls -A "$T/outside")" ""
mkdir "$T/xe4"
ln -s "$T/outside" "$T/xe4/lib"
run --extract "$T/plain.img" "$T/xe4"
expect_eq "--extract into a DIR whose lib is a symlink out: one error, nothing written outside" \
	"$rc:$(wc -l <"$T/err" | tr -d ' '):$(ls -A "$T/outside")" "1:1:"
expect_grep "... the error names the entry" "$T/err" "^mkinitramfs: $T/plain.img: cannot extract lib"
# Hard links (GNU cpio stores the data with the last name), a fifo, a symlink, set-id bits.
mkdir "$T/hl"
echo linked >"$T/hl/one"
ln "$T/hl/one" "$T/hl/two"
mkfifo "$T/hl/fifo"
ln -s one "$T/hl/sym"
touch "$T/hl/suid"
chmod 4755 "$T/hl/suid"
(cd "$T/hl" && printf 'fifo\none\nsuid\nsym\ntwo\n' | cpio -o -H newc --quiet) >"$T/hl.img"
run --list "$T/hl.img"
expect_eq "--list of hard links, fifo, symlink, set-uid equals GNU cpio's" \
	"$(tr '\n' '|' <"$T/out")" "$(list_cpio "$T/hl.img" | tr '\n' '|')"
run --extract "$T/hl.img" "$T/hlx"
expect_ok "--extract of hard links, fifo, symlink, set-uid"
expect_eq "... hard links share one inode and the data" \
	"$(stat -c %i "$T/hlx/one"):$(cat "$T/hlx/one")" "$(stat -c %i "$T/hlx/two"):linked"
expect_eq "... fifo, symlink and mode 4755 are themselves" \
	"$(stat -c %F "$T/hlx/fifo"):$(readlink "$T/hlx/sym"):$(stat -c %a "$T/hlx/suid")" "fifo:one:4755"
