# mkinitramfs/tests/modtable.sh — sourced by run.sh (same helpers, $MK, $T, $D, $K, $MD): the module
# table for modalias autoload (/etc/earlyroot/modtable, docs/image-format.md), checked against what
# depmod wrote for the same kernel (modules.dep, modules.alias, modules.softdep), not against libkmod.
# shellcheck shell=sh

# ---------------------------------------------------------------------------------------------------
# -m DIR/ loads on demand, -m NAME at every boot.
run -o "$T/at.img" -z none -v -b "$D" -k "$K" -m kernel/drivers/block/,kernel/drivers/virtio/ -m ext4 --init "$T/init"
expect_ok "build with -m kernel/drivers/block/,kernel/drivers/virtio/ -m ext4"
mkdir "$T/atx"
(cd "$T/atx" && cpio -i -d --quiet <"$T/at.img")
AT=$T/atx/etc/earlyroot/modtable
modprobe -C "$T/no-modprobe.d" -d "$D" -S "$K" --show-depends ext4 | awk '$1 == "insmod" { print $2 }' |
	sed "s|^$MD/||" | sort >"$T/at-want"
expect_eq "/etc/earlyroot/modules holds the named module's closure only (modprobe --show-depends ext4)" \
	"$(sed "s|^/lib/modules/$K/||; s| .*||" "$T/atx/etc/earlyroot/modules" | sort | tr '\n' ' ')" \
	"$(tr '\n' ' ' <"$T/at-want")"
expect_grep "-v says a module of DIR/ is loaded on demand" "$T/out" '^mkinitramfs: \+ virtio_blk \(on demand\)$'
expect_eq "the table has a module line for every module file in the image, each once" \
	"$(awk '$1 == "module" { print $3 }' "$AT" | sort | uniq -c | awk '$1 != 1' ; awk '$1 == "module" { print $3 }' "$AT" | sort | tr '\n' ' ')" \
	"$(cd "$T/atx" && find lib -name '*.ko' | sed 's|^|/|' | sort | tr '\n' ' ')"
expect_eq "module lines: name path pre post [options], the name matching the file" \
	"$(awk '$1 == "module" { n = $3; sub(/.*\//, "", n); sub(/\.ko$/, "", n); gsub(/-/, "_", n)
		if (NF < 5 || n != $2) print }' "$AT")" ""
expect_eq "the always-loaded modules are in the table too" \
	"$(while read -r p; do grep -c " /lib/modules/$K/$p " "$AT"; done <"$T/at-want" | sort -u)" 1

# Dependencies: every module's pre list holds what modules.dep says it needs, and those come earlier.
bad=$(awk -v depfile="$MD/modules.dep" '
	function base(p) { sub(/.*\//, "", p); sub(/\.ko.*$/, "", p); gsub(/-/, "_", p); return p }
	BEGIN { while ((getline line < depfile) > 0) { split(line, f, ":"); n = split(f[2], d, " "); s = ""
		for (i = 1; i <= n; i++) s = s " " base(d[i]); deps[base(f[1])] = s } }
	$1 == "module" { pos[$2] = NR; pre[$2] = $4; order[++m] = $2 }
	END {
		for (i = 1; i <= m; i++) {
			x = order[i]; n = split(deps[x], d, " "); split(pre[x], p, ",")
			for (j in p) have[x, p[j]] = 1
			for (j = 1; j <= n; j++) {
				if (!have[x, d[j]]) print x ": pre lacks " d[j]
				else if (pos[d[j]] > pos[x]) print x ": listed before its dependency " d[j]
			}
		}
	}' "$AT")
expect_eq "pre lists hold every modules.dep dependency, each listed earlier in the table" "$bad" ""
expect_eq "softdeps: ext4's and jbd2's pre lists have crc32c's modules (modules.softdep: pre: crc32c)" \
	"$(awk '$1 == "module" && ($2 == "ext4" || $2 == "jbd2") { n = split($4, p, ","); for (i = 1; i <= n; i++) if (p[i] ~ /^crc32c_(generic|intel)$/) c[$2]++ }
		END { print c["ext4"] + 0, c["jbd2"] + 0 }' "$AT")" "2 2"

# Aliases: the table's (module, pattern) pairs are modules.alias's for the image's modules, with '-'
# written '_' outside [...] as depmod's binary index has them.
awk '$1 == "module" { m = $2; print m > "/dev/stderr"; next } $1 == "alias" { sub(/^alias /, ""); print m " " $0 }' \
	"$AT" 2>"$T/at-mods" | sort >"$T/at-aliases"
awk 'NR == FNR { mine[$1] = 1; next }
	$1 == "alias" && ($NF in mine) {
		p = $2; out = ""; cls = 0
		for (i = 1; i <= length(p); i++) { c = substr(p, i, 1)
			if (c == "[") cls = 1; else if (c == "]") cls = 0
			out = out ((c == "-" && !cls) ? "_" : c) }
		print $NF " " out }' "$T/at-mods" "$MD/modules.alias" | sort >"$T/at-want-aliases"
expect_eq "alias lines are modules.alias's patterns of the image's modules, normalized ($(wc -l <"$T/at-want-aliases" | tr -d ' ') pairs)" \
	"$(diff "$T/at-want-aliases" "$T/at-aliases" | head -n 5)" ""
expect_grep "... virtio_blk serves virtio:d00000002v*" "$T/at-aliases" '^virtio_blk virtio:d00000002v\*$'

# Post softdeps (modules.softdep: ipmi_msghandler post: ipmi_devintf), and options from modprobe.d
# under BASEDIR for a module loaded on demand.
mkdir -p "$T/pm/lib" "$T/pm/etc/modprobe.d"
ln -s "$D/lib/modules" "$T/pm/lib/modules"
printf 'options virtio_blk queue_depth=32\nsoftdep virtio_blk pre: loop\n' >"$T/pm/etc/modprobe.d/t.conf"
run -o "$T/pm.img" -z none -b "$T/pm" -k "$K" -m kernel/drivers/char/ipmi/ -m kernel/drivers/block/ --init "$T/init"
expect_ok "build with -m kernel/drivers/char/ipmi/ and modprobe.d under BASEDIR"
cpio -i --quiet --to-stdout etc/earlyroot/modtable <"$T/pm.img" >"$T/pm-table"
expect_eq "a post: softdep is in the module's post list" \
	"$(awk '$1 == "module" && $2 == "ipmi_msghandler" { print $5 }' "$T/pm-table")" ipmi_devintf
expect_eq "modprobe.d options and softdeps of a module loaded on demand are in its line" \
	"$(awk '$1 == "module" && $2 == "virtio_blk" { n = split($4, p, ","); s = ""; for (i = 1; i <= n; i++) if (p[i] == "loop") s = "loop"; print s, $6 }' "$T/pm-table")" \
	"loop queue_depth=32"
expect_eq "nothing is loaded at every boot when no module is named" \
	"$(cpio -i --quiet --to-stdout etc/earlyroot/modules <"$T/pm.img" | wc -c | tr -d ' ')" 0

# A module both named and below a DIR/ is loaded at every boot.
run -o "$T/both.img" -z none -b "$D" -k "$K" -m kernel/drivers/block/ -m virtio_blk --init "$T/init"
# shellcheck disable=SC2154 # rc is set by run.sh's run, which sources this file
expect_eq "a module both named and in a DIR/ is in /etc/earlyroot/modules" \
	"$rc:$(cpio -i --quiet --to-stdout etc/earlyroot/modules <"$T/both.img" | sed 's|.*/||' | tr '\n' ' ')" \
	"0:virtio_ring.ko virtio.ko virtio_blk.ko "
expect_eq "no module, no table" \
	"$(cpio -t --quiet <"$T/sib.img" 2>/dev/null | grep -c modtable)" 0

# --hostonly: the devices' modules load on demand, the root filesystem's at every boot.
run -o "$T/hat.img" -z none -b "$D" -k "$K" --hostonly -v --init "$T/init"
if [ "$rc" = 0 ]; then
	rootfs=$(awk '$5 == "/" { t = $0 } END { sub(/.* - /, "", t); split(t, f, " "); print f[1] }' /proc/self/mountinfo)
	{ modprobe -C "$T/no-modprobe.d" -d "$D" -S "$K" --show-depends "$rootfs" 2>/dev/null ||
		modprobe -C "$T/no-modprobe.d" -d "$D" -S "$K" --show-depends "fs-$rootfs" 2>/dev/null; } |
		awk '$1 == "insmod" { print $2 }' | sed "s|^$MD/||" | sort >"$T/hat-want"
	expect_eq "--hostonly: /etc/earlyroot/modules is the root filesystem's ($rootfs) closure only" \
		"$(cpio -i --quiet --to-stdout etc/earlyroot/modules <"$T/hat.img" | sed "s|^/lib/modules/$K/||; s| .*||" | sort | tr '\n' ' ')" \
		"$(tr '\n' ' ' <"$T/hat-want")"
	sed -n 's/^mkinitramfs: hostonly: \([^ ]*\) (device .*/\1/p' "$T/out" | sort -u >"$T/hat-dev"
	expect_eq "--hostonly: every device module is in the table ($(wc -l <"$T/hat-dev" | tr -d ' '))" \
		"$(cpio -i --quiet --to-stdout etc/earlyroot/modtable <"$T/hat.img" | awk '$1 == "module" { print $2 }' |
			sort | comm -13 - "$T/hat-dev" | tr '\n' ' ')" ""
else
	tap_fail "--hostonly builds on this machine" "$(cat "$T/err")"
fi
