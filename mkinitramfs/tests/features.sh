# mkinitramfs/tests/features.sh — sourced by run.sh (same helpers, $MK, $T, $D, $K, $MODS): --list and
# --extract, and the options of issue 4, one section each.
# shellcheck shell=sh

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
	"$(tr '\n' '|' <"$T/out")" "$(list_cpio "$T/plain.img" | tr '\n' '|')"
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
	"^mkinitramfs: $T/trunc.img: corrupt or truncated zstd data in the segment at offset [0-9]+\$" "$T/none" \
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
# A hard link's data goes to its first name; when a later entry replaced that name by a fifo or a device
# node, linking to it and writing would block on the fifo or write into the device (fuzz regressions).
for what in fifo chardev; do
	(timeout 10 "$MK" --extract "fuzz/corpus/imgread/regression-hardlink-to-$what" "$T/xhl-$what" >"$T/out" 2>"$T/err")
	rc=$?
	expect_eq "--extract of a hard link whose first name became a $what: refused, nothing written into it" \
		"$rc:$(cat "$T/err"):$(ls "$T/xhl-$what")" \
		"1:mkinitramfs: fuzz/corpus/imgread/regression-hardlink-to-$what: cannot extract b: its hard link's first name was replaced by something not a regular file:a"
done
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

# ---------------------------------------------------------------------------------------------------
# --shell and --lockdown.
BB=/bin/busybox
if [ -x "$BB" ]; then
	run -o "$T/sh.img" --no-modules -z none --shell --init "$T/init"
	expect_ok "--shell builds"
	rm -rf "$T/shx"
	"$MK" --extract "$T/sh.img" "$T/shx" >/dev/null 2>&1
	expect_eq "... /bin/busybox is the host's busybox, /bin/sh a link to it" \
		"$(cmp "$BB" "$T/shx/bin/busybox" 2>&1):$(readlink "$T/shx/bin/sh")" ":busybox"
	"$BB" --list | grep -vx busybox | sort >"$T/applets"
	"$MK" --list "$T/sh.img" | awk '$NF == "busybox" && $(NF-1) == "->" { sub("^bin/", "", $(NF-2)); print $(NF-2) }' |
		sort >"$T/links"
	expect_eq "... every applet of busybox --list ($(wc -l <"$T/applets" | tr -d ' ')) is a link in /bin" \
		"$(cmp "$T/applets" "$T/links" 2>&1)" ""
	if [ "$(id -u)" = 0 ]; then
		# shellcheck disable=SC2016 # $((6 * 7)) is for the image's shell
		expect_eq "... and the shell runs inside the extracted image" \
			"$(chroot "$T/shx" /bin/sh -c 'echo $((6 * 7)) | cat' 2>&1)" 42
	fi
	run -o "$T/sh2.img" --no-modules -z none --shell --add "$T/init:/bin/ls" --init "$T/init"
	expect_eq "--add wins over an applet link of the same name" \
		"$rc:$("$MK" --list "$T/sh2.img" | grep -c ' bin/ls$')" "0:1"
	expect_error "--shell without busybox is one clear error" \
		"^mkinitramfs: --shell needs busybox: $T/nobusybox: No such file or directory \(Debian: apt-get install busybox-static\)\$" \
		"$T/nobb.img" -o "$T/nobb.img" --no-modules --shell --busybox "$T/nobusybox" --init "$T/init"
else
	tap_skip "--shell tests" "no $BB (busybox-static)"
fi
run -o "$T/ld.img" --no-modules -z none --lockdown --init "$T/init"
expect_eq "--lockdown writes lockdown=1 into image.conf" \
	"$rc:$(cpio -i --quiet --to-stdout etc/earlyroot/image.conf <"$T/ld.img" | grep -v '^#' | tr '\n' ' ')" \
	"0:kernel=$(uname -r) lockdown=1 "
expect_eq "without it, no lockdown line" \
	"$(cpio -i --quiet --to-stdout etc/earlyroot/image.conf <"$T/plain.img" | grep -c lockdown)" 0
expect_usage_error "--lockdown with --shell is refused" \
	"^mkinitramfs: --lockdown and --shell contradict each other: a locked-down image never gives a shell\$" \
	"$T/ldsh.img" -o "$T/ldsh.img" --lockdown --shell --init "$T/init"

# ---------------------------------------------------------------------------------------------------
# --add: files, trees, symlinks, hooks, and the libraries of dynamic ELF files.
run -o "$T/ls.img" --no-modules -z none --add /usr/bin/ls --init "$T/init"
expect_ok "--add /usr/bin/ls"
rm -rf "$T/lsx"
"$MK" --extract "$T/ls.img" "$T/lsx" >/dev/null
missing=$(ldd /usr/bin/ls | awk '/=>/ { print $3 } /^\t\// { print $1 }' | while read -r l; do
	[ -f "$T/lsx$l" ] || echo "$l"; done)
expect_eq "... every library ldd lists (and the interpreter) is in the image" "$missing" ""
if [ "$(id -u)" = 0 ]; then
	expect_eq "... and ls runs inside the extracted image" "$(chroot "$T/lsx" /usr/bin/ls /etc/earlyroot 2>&1 | tr '\n' ' ')" \
		"image.conf modules "
fi

# A program of our own with a library found through RUNPATH $ORIGIN, and one without it.
mkdir -p "$T/app/bin" "$T/app/lib"
printf 'int demo(void) { return 42; }\n' >"$T/app/demo.c"
printf 'int demo(void);\nint main(void) { return demo() == 42 ? 0 : 1; }\n' >"$T/app/main.c"
if cc -shared -fPIC -Wl,-soname,libdemo.so.1 -o "$T/app/lib/libdemo.so.1" "$T/app/demo.c" &&
	cc -o "$T/app/bin/app" "$T/app/main.c" "$T/app/lib/libdemo.so.1" "-Wl,-rpath,\$ORIGIN/../lib" &&
	cc -o "$T/app/bin/norpath" "$T/app/main.c" "$T/app/lib/libdemo.so.1"; then
	run -o "$T/app.img" --no-modules -z none --add "$T/app/bin/app" --init "$T/init"
	expect_ok "--add a program whose library is in its RUNPATH (\$ORIGIN/../lib)"
	expect_eq "... the library is at the path the RUNPATH names" \
		"$("$MK" --list "$T/app.img" | grep -c " ${T#/}/app/lib/libdemo\.so\.1$")" 1
	rm -rf "$T/appx"
	"$MK" --extract "$T/app.img" "$T/appx" >/dev/null
	if [ "$(id -u)" = 0 ]; then
		# ld.so finds $ORIGIN of a program through /proc/self/exe (the init mounts /proc first).
		# shellcheck disable=SC2016 # the sh -c script expands its own $1 and $2
		unshare --mount --fork sh -c 'mount -t proc proc "$1/proc" && chroot "$1" "$2"' sh "$T/appx" "$T/app/bin/app"
		expect_eq "... and the program runs inside the extracted image (with /proc)" "$?" 0
	fi
	expect_error "a library that cannot be found is one clear error" \
		"^mkinitramfs: cannot add $T/app/bin/norpath: it needs libdemo\.so\.1, found neither in its RPATH/RUNPATH, /etc/ld\.so\.cache nor" \
		"$T/norpath.img" -o "$T/norpath.img" --no-modules --add "$T/app/bin/norpath" --init "$T/init"
else
	tap_fail "build the RUNPATH test program" "cc failed"
fi

# A tree: subdirectory, a file, a relative and an absolute symlink (as themselves), a hook.
mkdir -p "$T/tree/sub"
echo data >"$T/tree/sub/file"
ln -s sub/file "$T/tree/rel"
ln -s /etc/hostname "$T/tree/abs"
printf '#!/bin/sh\nexit 0\n' >"$T/hook"
chmod 0755 "$T/hook"
ln -s "$T/hook" "$T/hooklink"
run -o "$T/tree.img" --no-modules -z none --add "$T/tree:/opt/tree" --add "$T/tree/sub/file:/etc/" \
	--add "$T/hooklink:/lib/earlyroot/hooks/mount/50-myhook" --init "$T/init"
expect_ok "--add a directory, a file into a directory (DEST/), a hook given as a symlink"
"$MK" --list "$T/tree.img" >"$T/tree.list"
expect_eq "... recursively, symlinks inside as themselves" \
	"$(grep ' opt/' "$T/tree.list" | tr '\n' '|')" \
	"drwxr-xr-x 0/0 0 opt/tree|lrwxrwxrwx 0/0 13 opt/tree/abs -> /etc/hostname|lrwxrwxrwx 0/0 8 opt/tree/rel -> sub/file|drwxr-xr-x 0/0 0 opt/tree/sub|-rw-r--r-- 0/0 5 opt/tree/sub/file|"
expect_grep "... DEST/ keeps the name" "$T/tree.list" '^-rw-r--r-- 0/0 5 etc/file$'
expect_grep "... the hook is the file the symlink leads to, executable" "$T/tree.list" \
	'^-rwxr-xr-x 0/0 17 lib/earlyroot/hooks/mount/50-myhook$'
run -o "$T/tree2.img" --no-modules -z none --add "$T/tree/sub/file:/etc/" --add "$T/hooklink:/lib/earlyroot/hooks/mount/50-myhook" \
	--add "$T/tree:/opt/tree" --init "$T/init"
expect_eq "--add order does not change the bytes" "$(cmp "$T/tree.img" "$T/tree2.img" 2>&1)" ""
run -o "$T/dup.img" --no-modules -z none --add /usr/bin/ls --add /usr/bin/ls --add /usr/bin/cat --init "$T/init"
expect_ok "the same file twice and shared libraries are merged, not a conflict"

expect_error "--add a missing file" "^mkinitramfs: cannot add $T/nope: No such file or directory\$" "$T/a1.img" \
	-o "$T/a1.img" --no-modules --add "$T/nope" --init "$T/init"
ln -s loop2 "$T/loop1"
ln -s loop1 "$T/loop2"
expect_error "--add a symlink loop" "^mkinitramfs: cannot add $T/loop1: Too many levels of symbolic links \(a symlink loop\)\$" \
	"$T/a2.img" -o "$T/a2.img" --no-modules --add "$T/loop1" --init "$T/init"
expect_error "--add a directory as a hook" \
	"^mkinitramfs: cannot add $T/tree as /lib/earlyroot/hooks/mount/50-x: a directory where a file \(the hook\) is expected\$" \
	"$T/a3.img" -o "$T/a3.img" --no-modules --add "$T/tree:/lib/earlyroot/hooks/mount/50-x" --init "$T/init"
expect_error "--add a hook that is not executable" "a hook must be an executable file\$" \
	"$T/a4.img" -o "$T/a4.img" --no-modules --add "$T/tree/sub/file:/lib/earlyroot/hooks/mount/50-x" --init "$T/init"
expect_error "--add a hook for an unknown stage" "the hook stages are modules, devices, mount and switch\$" \
	"$T/a5.img" -o "$T/a5.img" --no-modules --add "$T/hook:/lib/earlyroot/hooks/later/50-x" --init "$T/init"
expect_error "--add a file where the image has a directory" "^mkinitramfs: two different entries for /etc in the image\$" \
	"$T/a6.img" -o "$T/a6.img" --no-modules --add "$T/hook:/etc" --init "$T/init"
expect_error "--add a destination with .." "^mkinitramfs: --add $T/hook:/\.\./x: the destination must name a path" \
	"$T/a7.img" -o "$T/a7.img" --no-modules --add "$T/hook:/../x" --init "$T/init"
expect_error "--add a relative source without destination" "^mkinitramfs: --add hook: a relative source needs a destination" \
	"$T/a8.img" -o "$T/a8.img" --no-modules --add hook --init "$T/init"
expect_error "--add a file below a file" "^mkinitramfs: cannot add $T/hook/x: Not a directory\$" \
	"$T/a9.img" -o "$T/a9.img" --no-modules --add "$T/hook/x:/x" --init "$T/init"
printf 'secret\n' >"$T/unreadable"
chmod 000 "$T/unreadable"
if command -v setpriv >/dev/null && [ "$(id -u)" = 0 ]; then
	# As nobody: $T must be searchable for a moment, and the init readable.
	mkdir -m 0777 "$T/nobody"
	cp "$T/init" "$T/nobody-init"
	chmod 0644 "$T/nobody-init"
	chmod 0711 "$T"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$MK" -o "$T/nobody/u.img" --no-modules --add "$T/unreadable:/u" \
		--init "$T/nobody-init" >"$T/nobody.out" 2>"$T/nobody.err"
	rc=$?
	chmod 0700 "$T"
	expect_eq "--add an unreadable file: one clear error, no output" \
		"$rc:$(cat "$T/nobody.err"):$(ls -A "$T/nobody")" "1:mkinitramfs: cannot add $T/unreadable: Permission denied:"
elif [ "$(id -u)" != 0 ]; then
	expect_error "--add an unreadable file" "^mkinitramfs: cannot add $T/unreadable: Permission denied\$" \
		"$T/a10.img" -o "$T/a10.img" --no-modules --add "$T/unreadable:/u" --init "$T/init"
else
	tap_skip "--add an unreadable file" "root without setpriv"
fi

# ---------------------------------------------------------------------------------------------------
# -c CONFIG.
cat >"$T/full.conf" <<CONF
# a comment

modules = virtio_pci virtio_blk
  modules = ext4
compress = gzip
basedir = $D
kver = $K
init = $T/init
output = $T/from-config.img
add = $T/hook:/lib/earlyroot/hooks/mount/50-myhook
lockdown = yes
CONF
run -c "$T/full.conf"
expect_ok "-c with every kind of key (lists, scalars, yes/no)"
run -o "$T/cmdline.img" -z gzip -b "$D" -k "$K" -m "$MODS" --add "$T/hook:/lib/earlyroot/hooks/mount/50-myhook" \
	--lockdown --init "$T/init"
expect_eq "... the same bytes as the same options on the command line" "$(cmp "$T/from-config.img" "$T/cmdline.img" 2>&1)" ""
run -c "$T/full.conf" -o "$T/override.img" -z none -m crc16
expect_ok "-c with command-line options"
expect_eq "... the command line wins for output and compression, and -m adds to the config's modules" \
	"$(test -e "$T/override.img" && echo out):$("$MK" --list "$T/override.img" -v | sed -n 's/^# segment 1: \([a-z]*\) .*/\1/p'):$(cpio -i --quiet --to-stdout etc/earlyroot/modules <"$T/override.img" | grep -c -e crc16 -e ext4.ko -e virtio_blk)" \
	"out:uncompressed:3"
printf 'modules = ext4\nfrobnicate = 1\n' >"$T/bad1.conf"
expect_error "-c: an unknown key, with file and line" "^mkinitramfs: $T/bad1.conf:2: unknown key 'frobnicate'" "$T/c1.img" \
	-o "$T/c1.img" -c "$T/bad1.conf" --init "$T/init"
printf '\n\nmodules ext4\n' >"$T/bad2.conf"
expect_error "-c: a line without =" "^mkinitramfs: $T/bad2.conf:3: expected key = value, got 'modules ext4'\$" "$T/c2.img" \
	-o "$T/c2.img" -c "$T/bad2.conf" --init "$T/init"
printf 'shell = maybe\n' >"$T/bad3.conf"
expect_error "-c: a yes/no key with another value" "^mkinitramfs: $T/bad3.conf:1: shell must be yes or no, not 'maybe'\$" \
	"$T/c3.img" -o "$T/c3.img" -c "$T/bad3.conf" --init "$T/init"
printf 'compress = rar\n' >"$T/bad4.conf"
expect_error "-c: a bad compression" "^mkinitramfs: $T/bad4.conf:1: unknown compression 'rar'" "$T/c4.img" \
	-o "$T/c4.img" -c "$T/bad4.conf" --init "$T/init"
printf 'shell = yes\n' >"$T/bad5.conf"
expect_usage_error "-c: shell = yes with --lockdown is refused" "^mkinitramfs: --lockdown and --shell contradict" \
	"$T/c5.img" -o "$T/c5.img" -c "$T/bad5.conf" --lockdown --init "$T/init"
expect_error "-c: a missing file" "^mkinitramfs: cannot read $T/none.conf: No such file or directory\$" "$T/c6.img" \
	-o "$T/c6.img" -c "$T/none.conf" --init "$T/init"
# -z zstd:3 over the configs' zstd: what is checked is that they resolve and build, and level 19 would
# cost a second or more for each new set of modules.
for c in configs/*.conf; do
	name=$(basename "$c" .conf)
	case $name in hostonly) continue ;; esac # this machine only; tested with --hostonly below
	run -c "$c" -o "$T/cfg-$name.img" -z zstd:3 -b "$D" -k "$K" --init "$T/init"
	# NIC drivers name firmware Debian ships in firmware-* packages, not with the kernel: that one
	# warning is expected of netboot.conf, nothing else.
	[ "$name" != netboot ] || sed -i '/^mkinitramfs: warning: [0-9]* firmware files named by the modules are not in/d' "$T/err"
	expect_ok "the shipped $c builds against Debian's kernel"
done

# ---------------------------------------------------------------------------------------------------
# -z xz and -z lz4: the formats the kernel's decoders read.
for z in xz lz4; do
	run -o "$T/img.$z" -z $z -b "$D" -k "$K" -m "$MODS" --init "$T/init"
	expect_ok "build with -z $z"
	expect_eq "... $z -dc gives the uncompressed image byte for byte" "$($z -dc "$T/img.$z" | cmp - "$T/plain.img" 2>&1)" ""
	run -o "$T/img2.$z" -z $z -b "$D" -k "$K" -m "$MODS" --init "$T/init"
	expect_eq "... reproducibly" "$(cmp "$T/img.$z" "$T/img2.$z" 2>&1)" ""
	run --list "$T/img.$z"
	expect_eq "... and --list reads it" "$rc:$("$MK" --list "$T/plain.img" | cmp - "$T/out" 2>&1)" "0:"
done
expect_eq "xz: one stream, CRC32 check, LZMA2 only, 1 MiB dictionary (the kernel's xz_dec)" \
	"$(xz -lvv "$T/img.xz" | awk '/^ +Streams: +[0-9]/ { s = $2 } /^ +Check:/ { c = $2 } $1 == 1 && $2 == 1 { f = $NF } END { print s, c, f }')" \
	"1 CRC32 --lzma2=dict=1MiB"
expect_eq "lz4: the legacy magic 0x184C2102 (what lib/decompress_unlz4.c reads)" \
	"$(od -An -tx1 -N4 "$T/img.lz4" | tr -d ' ')" 02214c18
run -o "$T/big.lz4" -z lz4 -b "$D" -k "$K" -m amdgpu,i915 --init "$T/init"
run -o "$T/big.none" -z none -b "$D" -k "$K" -m amdgpu,i915 --init "$T/init"
expect_eq "lz4: a 28 MiB image (4 legacy blocks of 8 MiB) round-trips through lz4 -dc" \
	"$(lz4 -dc "$T/big.lz4" | cmp - "$T/big.none" 2>&1)" ""
rm -f "$T/big.lz4" "$T/big.none"

# ---------------------------------------------------------------------------------------------------
# --from-list: the kernel's gen_init_cpio list format.
mkdir -p "$T/gl"
echo hello >"$T/gl/f"
cat >"$T/gl/list" <<'LIST'
# every entry type gen_init_cpio knows
dir /root 0700 0 0
file /root/hello ${GLDIR}/f 0600 1000 1000 /root/hello2
nod /dev/null 0666 0 0 c 1 3
nod /dev/sda 0660 0 6 b 8 0
slink /bin/sh busybox 0777 0 0

	pipe /run/fifo 0644 0 0
sock /run/sock 0755 0 0
file /sbin/suid ${GLDIR}/f 4755 0 0
LIST
GLDIR=$T/gl "$MK" -o "$T/gl.img" --no-modules -z none --from-list "$T/gl/list" --init "$T/init" >"$T/out" 2>"$T/err"
rc=$?
expect_ok "--from-list with file (and a hard link name), dir, nod c and b, slink, pipe, sock, \${VAR}"
run --list "$T/gl.img"
expect_eq "... every entry with the list's mode, uid, gid, devices and targets (read back by --list)" \
	"$(grep -e ' root' -e dev/null -e dev/sda -e bin/sh -e run/ -e sbin/ "$T/out" | tr '\n' '|')" \
	"lrwxrwxrwx 0/0 7 bin/sh -> busybox|crw-rw-rw- 0/0 1,3 dev/null|brw-rw---- 0/6 8,0 dev/sda|drwx------ 0/0 0 root|-rw------- 1000/1000 6 root/hello|-rw------- 1000/1000 6 root/hello2|prw-r--r-- 0/0 0 run/fifo|srwxr-xr-x 0/0 0 run/sock|-rwsr-xr-x 0/0 6 sbin/suid|"
expect_eq "... and GNU cpio agrees" "$(tr '\n' '|' <"$T/out")" "$(list_cpio "$T/gl.img" | tr '\n' '|')"
rm -rf "$T/glx"
"$MK" --extract "$T/gl.img" "$T/glx" >/dev/null
expect_eq "... round trip: extracted, the tree has them (file content, owner, device, fifo, socket, link)" \
	"$(cat "$T/glx/root/hello2"):$(stat -c '%a %u:%g' "$T/glx/root" "$T/glx/root/hello" | tr '\n' ' '):$(stat -c '%F %t:%T' "$T/glx/dev/sda"):$(stat -c %F "$T/glx/run/fifo" "$T/glx/run/sock" | tr '\n' ' '):$(readlink "$T/glx/bin/sh")" \
	"hello:700 0:0 600 1000:1000 :block special file 8:0:fifo socket :busybox"
GLDIR=$T/gl "$MK" -o "$T/gl2.img" --no-modules -z none --from-list "$T/gl/list" --init "$T/init" >/dev/null 2>&1
expect_eq "... reproducibly" "$(cmp "$T/gl.img" "$T/gl2.img" 2>&1)" ""
printf 'dir /x 0755 0 0\nfifo /y 0644 0 0\n' >"$T/gl/bad1"
expect_error "--from-list: an unknown type, with file and line" \
	"^mkinitramfs: $T/gl/bad1:2: unknown entry type 'fifo' \(file, dir, nod, slink, pipe, sock\)\$" "$T/g1.img" \
	-o "$T/g1.img" --no-modules --from-list "$T/gl/bad1" --init "$T/init"
printf 'dir /x 0755 0\n' >"$T/gl/bad2"
expect_error "--from-list: a missing field" "^mkinitramfs: $T/gl/bad2:1: dir takes 4 fields, not 3\$" "$T/g2.img" \
	-o "$T/g2.img" --no-modules --from-list "$T/gl/bad2" --init "$T/init"
printf 'dir /x 0789 0 0\n' >"$T/gl/bad3"
expect_error "--from-list: a mode that is not octal" "^mkinitramfs: $T/gl/bad3:1: bad mode, uid or gid" "$T/g3.img" \
	-o "$T/g3.img" --no-modules --from-list "$T/gl/bad3" --init "$T/init"
printf 'file /x %s/nope 0644 0 0\n' "$T" >"$T/gl/bad4"
expect_error "--from-list: a missing file" "^mkinitramfs: $T/gl/bad4:1: cannot read $T/nope: No such file or directory\$" \
	"$T/g4.img" -o "$T/g4.img" --no-modules --from-list "$T/gl/bad4" --init "$T/init"
printf 'slink /../x y 0777 0 0\n' >"$T/gl/bad5"
expect_error "--from-list: a name with .." "^mkinitramfs: $T/gl/bad5:1: the name /\.\./x leads out of the image\$" "$T/g5.img" \
	-o "$T/g5.img" --no-modules --from-list "$T/gl/bad5" --init "$T/init"
# shellcheck disable=SC2016 # ${NO_SUCH_VAR_HERE} is for mkinitramfs to expand
printf 'file /x ${NO_SUCH_VAR_HERE}/f 0644 0 0\n' >"$T/gl/bad6"
expect_error "--from-list: an unset \${VAR}" "^mkinitramfs: $T/gl/bad6:1: environment variable NO_SUCH_VAR_HERE is not set" \
	"$T/g6.img" -o "$T/g6.img" --no-modules --from-list "$T/gl/bad6" --init "$T/init"
printf 'nod /dev/console 0644 0 0 c 5 1\n' >"$T/gl/bad7"
expect_error "--from-list: an entry that contradicts the contract's" "^mkinitramfs: two different entries for /dev/console" \
	"$T/g7.img" -o "$T/g7.img" --no-modules --from-list "$T/gl/bad7" --init "$T/init"

# ---------------------------------------------------------------------------------------------------
# Firmware of the included modules, and --microcode. A BASEDIR with the kernel package's modules and a
# small made-up /lib/firmware: e100 names three firmware files; two are there (one as .xz).
FW=$T/fw
mkdir -p "$FW/lib/firmware/e100" "$FW/lib/firmware/intel-ucode" "$FW/lib/firmware/amd-ucode"
ln -s "$D/lib/modules" "$FW/lib/modules"
echo A >"$FW/lib/firmware/e100/d101m_ucode.bin"
echo B | xz --check=crc32 >"$FW/lib/firmware/e100/d101s_ucode.bin.xz"
printf 'intel-1\n' >"$FW/lib/firmware/intel-ucode/06-55-04"
printf 'intel-2\n' >"$FW/lib/firmware/intel-ucode/06-8e-09"
printf 'amd-17\n' >"$FW/lib/firmware/amd-ucode/microcode_amd_fam17h.bin"
printf 'amd-19\n' >"$FW/lib/firmware/amd-ucode/microcode_amd_fam19h.bin"
echo not-microcode >"$FW/lib/firmware/amd-ucode/README"
run -o "$T/fw.img" -z none -b "$FW" -k "$K" -m e100 --init "$T/init"
expect_eq "firmware of an included module: built, one warning line for the absent one" \
	"$rc:$(cat "$T/err")" \
	"0:mkinitramfs: warning: 1 firmware file named by the modules is not in $FW/lib/firmware, e.g. e100/d102e_ucode.bin (for e100) (-v lists them)"
expect_eq "... the present ones are in /lib/firmware (an .xz one as such, for the kernel's loader)" \
	"$("$MK" --list "$T/fw.img" | awk '$NF ~ /^lib\/firmware\/.*\./ { print $3, $NF }' | tr '\n' '|')" \
	"2 lib/firmware/e100/d101m_ucode.bin|56 lib/firmware/e100/d101s_ucode.bin.xz|"
expect_grep "... the summary counts them" "$T/out" '^mkinitramfs: wrote .*: 2 modules, 2 firmware files, '
run -o "$T/fwv.img" -z none -b "$FW" -k "$K" -m e100 -v --init "$T/init"
expect_grep "-v names each absent firmware" "$T/out" '^mkinitramfs: no firmware e100/d102e_ucode\.bin \(for e100\)$'

run -o "$T/mc.img" -b "$FW" -k "$K" -m e100 --microcode --init "$T/init"
expect_eq "--microcode: an uncompressed early archive, then the compressed main one (zstd frames)" \
	"$("$MK" --list "$T/mc.img" -v | grep '^# segment' | sed 's/^# segment [0-9]*: //; s/ at offset.*//' | uniq | tr '\n' '|')" \
	"uncompressed|zstd|"
expect_eq "... GNU cpio reads the early archive: the kernel's microcode paths, nothing else" \
	"$(cpio -t --quiet <"$T/mc.img" | tr '\n' ' ')" \
	"kernel kernel/x86 kernel/x86/microcode kernel/x86/microcode/AuthenticAMD.bin kernel/x86/microcode/GenuineIntel.bin "
expect_eq "... each vendor's files concatenated in name order (AMD: microcode_amd* only)" \
	"$(cpio -i --quiet --to-stdout kernel/x86/microcode/GenuineIntel.bin kernel/x86/microcode/AuthenticAMD.bin <"$T/mc.img" | tr '\n' ' ')" \
	"amd-17 amd-19 intel-1 intel-2 "
expect_eq "... the main archive starts 512-aligned after it and is the image without --microcode" \
	"$(tail -c +1025 "$T/mc.img" | zstdcat | cmp - "$T/fw.img" 2>&1)" ""
run -o "$T/mc2.img" -b "$FW" -k "$K" -m e100 --microcode --init "$T/init"
expect_eq "... reproducibly" "$(cmp "$T/mc.img" "$T/mc2.img" 2>&1)" ""
mkdir -p "$T/nomc"
expect_error "--microcode without any microcode is one clear error" \
	"^mkinitramfs: --microcode: no microcode in $T/nomc/lib/firmware/intel-ucode nor amd-ucode \(Debian: intel-microcode, amd64-microcode\)\$" \
	"$T/mc3.img" -o "$T/mc3.img" --no-modules -b "$T/nomc" --microcode --init "$T/init"

# ---------------------------------------------------------------------------------------------------
# --hostonly: this machine's modaliases and root filesystem, against modprobe --resolve-alias.
run -o "$T/host.img" -z none -b "$D" -k "$K" --hostonly -v --init "$T/init"
if [ "$rc" = 0 ]; then
	tap_ok "--hostonly builds on this machine"
	sed -n 's/^mkinitramfs: hostonly: \([^ ]*\) .*/\1/p' "$T/out" | sort -u >"$T/host-got"
	sed 's|.*/||; s|\.ko.*||; s|-|_|g' "$MD/modules.builtin" | sort -u >"$T/builtin"
	rootfs=$(awk '$5 == "/" { t = $0 } END { sub(/.* - /, "", t); split(t, f, " "); print f[1] }' /proc/self/mountinfo)
	{
		find /sys/devices -name modalias -type f -exec cat {} + 2>/dev/null | sort -u | while read -r a; do
			modprobe -C "$T/no-modprobe.d" -d "$D" -S "$K" --resolve-alias "$a" 2>/dev/null
		done
		modprobe -C "$T/no-modprobe.d" -d "$D" -S "$K" --resolve-alias "$rootfs" 2>/dev/null ||
			modprobe -C "$T/no-modprobe.d" -d "$D" -S "$K" --resolve-alias "fs-$rootfs" 2>/dev/null
	} | sed 's|-|_|g' | sort -u | comm -23 - "$T/builtin" >"$T/host-want"
	expect_eq "... its modules are what modprobe --resolve-alias gives for every /sys/devices modalias and the root's $rootfs ($(wc -l <"$T/host-want" | tr -d ' ') modules)" \
		"$(tr '\n' ' ' <"$T/host-got")" "$(tr '\n' ' ' <"$T/host-want")"
	if grep -q '^mkinitramfs: warning: --hostonly: no root=UUID=' "$T/err"; then
		expect_eq "... without a readable root UUID: one warning, no cmdline= in image.conf" \
			"$(wc -l <"$T/err" | tr -d ' '):$(cpio -i --quiet --to-stdout etc/earlyroot/image.conf <"$T/host.img" | grep -c '^cmdline=')" "1:0"
	else
		uuid=$(cpio -i --quiet --to-stdout etc/earlyroot/image.conf <"$T/host.img" | sed -n 's/^cmdline=root=UUID=//p')
		expect_eq "... cmdline=root=UUID= of the root device, as findmnt says" "$uuid" "$(findmnt -n -o UUID /)"
	fi
else
	tap_fail "--hostonly builds on this machine" "$(cat "$T/err")"
fi
run -c configs/hostonly.conf -o "$T/cfg-hostonly.img" -z zstd:3 -b "$D" -k "$K" --init "$T/init"
expect_eq "the shipped configs/hostonly.conf builds on this machine" "$rc" 0

# ---------------------------------------------------------------------------------------------------
# The man page: formats cleanly and documents every long option --help names.
MAN=mkinitramfs/earlyroot-mkinitramfs.1
if command -v groff >/dev/null; then
	expect_eq "the man page formats without warnings" "$(groff -man -ww -z "$MAN" 2>&1)" ""
else
	tap_skip "the man page formats without warnings" "no groff (Debian's groff-base; mk/deps check installs it)"
fi
missing=$("$MK" --help | grep -o -- '--[a-z][a-z-]*' | sort -u | while read -r opt; do
	grep -q -- "$(printf '%s' "$opt" | sed 's/-/\\\\-/g')" "$MAN" || echo "$opt"; done)
expect_eq "the man page documents every long option of --help" "$missing" ""

# ---------------------------------------------------------------------------------------------------
# Every new input at once, twice, from different directories and umasks: the same bytes.
if [ -x "$BB" ]; then
	for i in 1 2; do
		mkdir -p "$T/repro$i"
		(cd "$T/repro$i" && umask 0$((i * 22)) && GLDIR=$T/gl SOURCE_DATE_EPOCH=1700000000 "$MK" -o all.img -z xz \
			-b "$FW" -k "$K" -m e100,ext4 --microcode --shell --add /usr/bin/ls --add "$T/tree:/opt/tree" \
			--from-list "$T/gl/list" --init "$T/init" >/dev/null 2>&1)
	done
	expect_eq "--microcode, firmware, --shell, --add, --from-list, -z xz together: the same bytes twice" \
		"$(cmp "$T/repro1/all.img" "$T/repro2/all.img" 2>&1)" ""
else
	tap_skip "--microcode, firmware, --shell, --add, --from-list, -z xz together: the same bytes twice" \
		"no $BB (busybox-static)"
fi
