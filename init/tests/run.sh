#!/bin/sh
# init/tests/run.sh — the earlyroot init as PID 1 of a PID+mount namespace, booting a real ext4 image
# on a loop device, with a kernel command line of the test's choosing (bound over /proc/cmdline).
# Everything but the kernel part of a boot, in milliseconds. Needs root. Prints TAP.
#   INIT=path   the init under test (default build/init)
set -u
NS_SUITE="init namespace tests"
# shellcheck source=init/tests/ns-prologue.sh
. "$(dirname "$0")/ns-prologue.sh"

EXTRA='' STDIN='' LIMIT=''
INIT_LIBS=$(ldd "$INIT" 2>/dev/null | grep -o '/[^ ]*' | tr '\n' ' ')
work=$(mktemp -d /tmp/earlyroot-init-test.XXXXXX)
loops=
cleanup() {
	for l in $loops; do losetup -d "$l" 2>/dev/null; done
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

# A real root filesystem: the probe as /sbin/init, made without mounting anything.
# With its mount points, like any real root: a read-only root without them cannot receive /proc.
mkdir -p "$work/rootfs/sbin" "$work/rootfs/etc" "$work/noinit/etc" \
	"$work/rootfs/dev" "$work/rootfs/proc" "$work/rootfs/sys" "$work/rootfs/run"
cp "$PROBE" "$work/rootfs/sbin/init"
cp "$PROBE" "$work/rootfs/sbin/probe"
# A dynamically linked program without its libraries or ld.so: exec would fail after the switch.
cp /bin/true "$work/rootfs/sbin/dynamic"
interp=$(readelf -l "$work/rootfs/sbin/dynamic" 2>/dev/null | sed -n 's/.*interpreter: \([^]]*\)].*/\1/p')
echo "a file on the real root" >"$work/rootfs/etc/hostname"
mke2fs -q -t ext4 -L earlyroot-test -d "$work/rootfs" "$work/root.ext4" 16M >"$work/mke2fs.log" 2>&1
mke2fs -q -t ext4 -d "$work/noinit" "$work/noinit.ext4" 8M >>"$work/mke2fs.log" 2>&1
# A root with an init but none of the mount points /dev /proc /sys /run.
mkdir -p "$work/bare/sbin" && cp "$PROBE" "$work/bare/sbin/init"
mke2fs -q -t ext4 -d "$work/bare" "$work/bare.ext4" 8M >>"$work/mke2fs.log" 2>&1
# A rescue root: /sbin/init a dangling symlink (systemd removed), /etc/init a dynamic program without its
# ld.so, no /bin/init, a working /bin/sh (the probe). Then a root whose only default init is dangling.
mkdir -p "$work/rescue/sbin" "$work/rescue/etc" "$work/rescue/bin" "$work/rescue/dev" "$work/rescue/proc" \
	"$work/rescue/sys" "$work/rescue/run" "$work/broken/sbin"
ln -s /lib/systemd/systemd "$work/rescue/sbin/init"
cp /bin/true "$work/rescue/etc/init"
cp "$PROBE" "$work/rescue/bin/sh"
ln -s /lib/systemd/systemd "$work/broken/sbin/init"
mke2fs -q -t ext4 -d "$work/rescue" "$work/rescue.ext4" 8M >>"$work/mke2fs.log" 2>&1
mke2fs -q -t ext4 -d "$work/broken" "$work/broken.ext4" 8M >>"$work/mke2fs.log" 2>&1
head -c 8M /dev/zero >"$work/blank.img"
# A GPT disk: partition 1 "first" (empty), partition 2 "earlyroot-part" holding the same root.
truncate -s 40M "$work/gpt.img"
sgdisk -o -n1:2048:+8M -c1:first -n2:0:+24M -c2:earlyroot-part "$work/gpt.img" >"$work/sgdisk.log" 2>&1
p2start=$(sgdisk -i 2 "$work/gpt.img" 2>/dev/null | sed -n 's/^First sector: \([0-9]*\).*/\1/p')
mke2fs -q -t ext4 -d "$work/rootfs" "$work/part.ext4" 24M >>"$work/mke2fs.log" 2>&1
dd if="$work/part.ext4" of="$work/gpt.img" bs=512 seek="$p2start" conv=notrunc status=none
{ ROOT=$(losetup -f --show "$work/root.ext4") && loops=$ROOT &&
	GPT=$(losetup -f --show -P "$work/gpt.img") && loops="$loops $GPT" &&
	NOINIT=$(losetup -f --show "$work/noinit.ext4") && loops="$loops $NOINIT" &&
	BLANK=$(losetup -f --show "$work/blank.img") && loops="$loops $BLANK" &&
	BARE=$(losetup -f --show "$work/bare.ext4") && loops="$loops $BARE" &&
	RESCUE=$(losetup -f --show "$work/rescue.ext4") && loops="$loops $RESCUE" &&
	BROKEN=$(losetup -f --show "$work/broken.ext4") && loops="$loops $BROKEN"; } ||
	{ tap_fail "attach loop devices" "losetup failed"; tap_done; exit 1; }
# losetup -P asks the kernel to scan the table, but on a busy machine the partitions were seen to be
# missing; partx -a adds any that are (BLKPG), then give devtmpfs a moment.
[ -b "${GPT}p2" ] || partx -a "$GPT" 2>/dev/null
for _ in 1 2 3 4 5 6 7 8 9 10; do [ -b "${GPT}p2" ] && break; sleep 0.1; done
majmin() { stat -L -c '%t %T' "$1" | { read -r ma mi; printf '%d:%d' 0x"$ma" 0x"$mi"; }; }

# boot NAME CMDLINE [ARGS...] — build a fake initramfs (tmpfs with /init and busybox), make it / of a
# new namespace, bind CMDLINE over /proc/cmdline, exec /init as PID 1 with ARGS. Output in $work/NAME.
# Set EXTRA to shell commands run in the initramfs just before /init (e.g. to add files), STDIN to
# what the init (and so a rescue shell) reads, LIMIT to the seconds after which the boot is killed.
# The command line gets panic=-1 unless it has a panic= (the host's own value must not decide).
# Console cases: KMSG=1 makes /dev/kmsg a fifo whose reader (outside the namespace) keeps what the init
# logs in $work/NAME.kmsg; CONSOLE=fifo does the same for /dev/console ($work/NAME.console), =none
# removes it and /dev/null, =nodriver makes it a node no driver answers (its open fails, as when
# console= names no working console); STDIO replaces the init's "</stdin" (e.g. "<&- >&- 2>&-":
# fds 0-2 closed, as the kernel leaves them when it cannot open a console).
boot() {
	name=$1 cmdline=$2
	shift 2
	out=$work/$name.out
	case " $cmdline " in *" panic="*) ;; *) cmdline="$cmdline panic=-1" ;; esac
	printf '%s\n' "$STDIN" >"$work/stdin"
	devsetup=: readers=
	if [ -n "${KMSG:-}" ]; then
		fifo_reader "$work/$name.kmsg"
		devsetup="$devsetup; : >\"\$ir/dev/kmsg\"; mount --bind '$work/$name.kmsg.fifo' \"\$ir/dev/kmsg\""
	fi
	case ${CONSOLE:-} in
	fifo)
		fifo_reader "$work/$name.console"
		devsetup="$devsetup; rm \"\$ir/dev/console\"; : >\"\$ir/dev/console\""
		devsetup="$devsetup; mount --bind '$work/$name.console.fifo' \"\$ir/dev/console\"" ;;
	none) devsetup="$devsetup; rm \"\$ir/dev/console\" \"\$ir/dev/null\"" ;;
	nodriver) devsetup="$devsetup; rm \"\$ir/dev/console\"; mknod \"\$ir/dev/console\" c 0 0" ;;
	esac
	timeout -s KILL "${LIMIT:-60}" unshare --mount --pid --fork --propagation private sh -s "$@" >"$out" 2>&1 <<EOF
set -e
ir=\$(mktemp -d /tmp/ir.XXXXXX)
mount -t tmpfs initramfs "\$ir"
mkdir -p "\$ir/bin" "\$ir/etc/earlyroot" "\$ir/dev" "\$ir/proc" "\$ir/sys" "\$ir/run" "\$ir/newroot" "\$ir/old"
cp "$INIT" "\$ir/init"
# A dynamic build under test (ASan) brings its libraries along.
for lib in $INIT_LIBS; do mkdir -p "\$ir\${lib%/*}"; cp -L "\$lib" "\$ir\$lib"; done
cp "$BUSYBOX" "\$ir/bin/busybox"
touch "\$ir/etc/initrd-release"
printf '%s\n' "$cmdline" >"\$ir/cmdline"
cp "$work/stdin" "\$ir/stdin"
# /dev: a tmpfs holding only the loop devices, so the init cannot write into the host's /dev/kmsg.
mount -t tmpfs dev "\$ir/dev"
for l in $ROOT $NOINIT $BLANK $BARE $RESCUE $BROKEN $GPT ${GPT}p1 ${GPT}p2 ${LIVE_DEVS:-}; do [ -b "\$l" ] && cp -a "\$l" "\$ir/dev/"; done
# The live cases attach images: the kernel's loop control (the loop devices are made by the init).
[ -z "${LIVE_DEVS:-}" ] || cp -a /dev/loop-control "\$ir/dev/"
cp -a /dev/null /dev/console "\$ir/dev/"
$devsetup
cd "\$ir"
pivot_root . old
exec /bin/busybox sh -c '
set -e
/bin/busybox umount -l /old
/bin/busybox rmdir /old
/bin/busybox mount -t proc proc /proc
/bin/busybox mount --bind /cmdline /proc/cmdline
$EXTRA
exec 9</
PROBE_OLDROOT_FD=9 exec /init "\$@" ${STDIO:-</stdin}' init "\$@"
EOF
	echo "exit=$?" >>"$out"
	for r in $readers; do fifo_reader_stop "$r"; done
}

# fifo_reader BASE — a fifo BASE.fifo whose contents a background reader copies to BASE. The reader
# holds the fifo open for writing too, so the init's opens never block and the reader never sees EOF.
fifo_reader() {
	rm -f "$1.fifo" "$1" && mkfifo "$1.fifo" && : >"$1"
	sh -c 'exec 3<>"$0.fifo"; exec cat <&3 >"$0"' "$1" &
	readers="$readers $1:$!"
}
# fifo_reader_stop BASE:PID — end with a marker line and wait until the reader has copied it.
fifo_reader_stop() {
	base=${1%:*}
	echo "--end--" >"$base.fifo"
	for _ in $(seq 50); do grep -q -- '^--end--$' "$base" && break; sleep 0.1; done
	kill "${1##*:}" 2>/dev/null
	wait "${1##*:}" 2>/dev/null
}

# --- boots that succeed ---
boot rw "root=$ROOT rw"
o=$work/rw.out
expect_grep "root=$ROOT rw: the probe runs as PID 1" "$o" '^PROBE: pid=1$'
expect_grep "root=$ROOT rw: the real root is mounted rw at /" "$o" "^PROBE: root=/ fstype=ext4 source=$ROOT opts=rw"
expect_grep "root=$ROOT rw: default init /sbin/init is run" "$o" '^PROBE: argv\[0\]=/sbin/init$'
expect_grep "root=$ROOT rw: /dev /proc /sys /run moved to the new root" "$o" \
	'^PROBE: mount=/run fstype=tmpfs'
expect_grep "root=$ROOT rw: /proc is there" "$o" '^PROBE: mount=/proc fstype=proc'
expect_grep "root=$ROOT rw: /sys is there" "$o" '^PROBE: mount=/sys fstype=sysfs'
expect_grep "root=$ROOT rw: the initramfs is empty after the switch" "$o" '^PROBE: oldroot=empty$'
expect_grep "root=$ROOT rw: the init says what it mounted" "$o" "earlyroot: mounted $ROOT \(ext4, rw\) on /newroot"
expect_grep "root=$ROOT rw: the init reports the memory it freed" "$o" 'earlyroot: freed the initramfs: [0-9]+ files'

boot ro "root=$ROOT"
expect_grep "no ro/rw: mounted read-only, like the kernel" "$work/ro.out" "^PROBE: root=/ fstype=ext4 source=$ROOT opts=ro"
boot rorw "root=$ROOT rw ro"
expect_grep "'rw ro': the last word wins (ro)" "$work/rorw.out" "^PROBE: root=/ fstype=ext4 source=$ROOT opts=ro"

mm=$(majmin "$ROOT")
boot majmin "root=$mm"
expect_grep "root=$mm (MAJ:MIN) finds $ROOT" "$work/majmin.out" "^PROBE: root=/ fstype=ext4 source=$ROOT "

boot args "root=$ROOT init=/sbin/probe -- a --b c" a --b c
o=$work/args.out
expect_grep "init=/sbin/probe: argv[0] is the init" "$o" '^PROBE: argv\[0\]=/sbin/probe$'
if grep -q '^PROBE: argc=4$' "$o" && grep -q '^PROBE: argv\[1\]=a$' "$o" &&
	grep -q '^PROBE: argv\[2\]=--b$' "$o" && grep -q '^PROBE: argv\[3\]=c$' "$o"; then
	tap_ok "the arguments after -- reach the real init untouched (a --b c)"
else
	tap_fail "the arguments after -- reach the real init untouched (a --b c)" "$(grep PROBE: "$o" | head -8)"
fi

boot fstype "root=$ROOT rootfstype=ext4 rootflags=noatime,commit=7"
o=$work/fstype.out
expect_grep "rootflags=noatime,commit=7: noatime becomes a mount flag" "$o" "^PROBE: root=/ fstype=ext4 source=$ROOT opts=ro,noatime"
expect_grep "rootflags=noatime,commit=7: commit=7 reaches ext4" "$o" "^PROBE: root-superopts=.*commit=7"

# Modules: the list names a file the image lacks and the image was built for another kernel: both are
# explained, neither stops a boot whose root needs no module.
EXTRA='echo /lib/modules/x/missing.ko >/etc/earlyroot/modules; echo kernel=0.0.0-other >/etc/earlyroot/image.conf'
boot modules "root=$ROOT"
EXTRA=
o=$work/modules.out
expect_grep "a module missing from the image is named" "$o" 'earlyroot: module /lib/modules/x/missing.ko is listed but missing from the image'
expect_grep "an image for another kernel is explained" "$o" "earlyroot: this image's modules are for kernel 0.0.0-other, but the running kernel is"
expect_grep "...and the boot still reaches the real root" "$o" '^PROBE: pid=1$'

# Autoload from the module table. The namespace sees the host's /sys, so its devices are real; the
# table's module files are absent on purpose, so that nothing can ever reach the host kernel: each
# attempt ends at open(), with the message that names the file.
TABLE='printf "module fake /lib/modules/x/fake.ko - -\nalias *\nmodule top /lib/modules/x/top.ko fake,dep -\nmodule dep /lib/modules/x/dep.ko - -\n" >/etc/earlyroot/modtable'
EXTRA=$TABLE
boot autoload "root=$ROOT"
o=$work/autoload.out
expect_grep "autoload: a module whose alias matches this machine's devices is loaded (here: tried)" "$o" \
	'earlyroot: module /lib/modules/x/fake.ko is listed but missing from the image'
expect_eq "... once, however many devices ask for it" "$(grep -c 'fake.ko is listed' "$o")" 1
expect_no_grep "... and modules no device asks for are not" "$o" 'top.ko|dep.ko'
expect_grep "... and the boot goes on to the real root" "$o" '^PROBE: pid=1$'
boot autoload-blacklist "root=$ROOT module_blacklist=other,fake rd.debug"
o=$work/autoload-blacklist.out
expect_no_grep "module_blacklist=: the module is not loaded" "$o" 'fake.ko is listed'
expect_grep "... and rd.debug says why" "$o" 'earlyroot: not loading fake \(.*\): module_blacklist=other,fake'
boot autoload-force "root=$ROOT rd.modules=top,nosuch module_blacklist=fake"
o=$work/autoload-force.out
expect_eq "rd.modules=top: its dependencies first (dep), a blacklisted one skipped (fake), then top" \
	"$(grep -o 'x/[a-z]*\.ko is listed' "$o" | tr '\n' ' ')" "x/dep.ko is listed x/top.ko is listed "
expect_grep "rd.modules=nosuch: said to be missing from the image" "$o" \
	'earlyroot: rd.modules: no module nosuch in this image'
EXTRA='printf "module fsmod /lib/modules/x/fsmod.ko - -\nalias fs_ext4\n" >/etc/earlyroot/modtable'
boot autoload-fs "root=$ROOT"
o=$work/autoload-fs.out
expect_grep "the root's superblock asks for fs-ext4: the table's module for it is loaded (here: tried)" "$o" \
	'earlyroot: module /lib/modules/x/fsmod.ko is listed but missing from the image'
expect_grep "... before the mount, which goes on" "$o" '^PROBE: pid=1$'
EXTRA=

# --- boots that fail: one clear line, then PID 1 exits (the kernel's panic= policy) ---
fails() { # NAME CMDLINE PATTERN DESCRIPTION
	boot "$1" "$2"
	o=$work/$1.out
	expect_grep "$4" "$o" "$3"
	if grep -q '^PROBE:' "$o"; then
		tap_fail "$4: the boot stops there" "$(grep -m3 PROBE: "$o")"
	else
		tap_ok "$4: the boot stops there"
	fi
}
fails noroot "quiet" "earlyroot: no root= on the kernel command line" "no root=: says what to add"
fails garbage "root=garbage" "earlyroot: root=garbage is not understood: use /dev/NAME, MAJOR:MINOR, UUID=, LABEL=" \
	"root=garbage: names the accepted forms"
fails emptyroot "root=" "earlyroot: ignoring root: it has no value" "empty root=: explained"
fails missing "root=/dev/vdz rd.timeout=1" \
	"earlyroot: root device /dev/vdz not found after 1 s \(block devices: .*\): check root=" \
	"missing root device: named, with the devices that exist"
fails delay "root=/dev/vdz rootdelay=1" "earlyroot: root device /dev/vdz not found after 1 s" \
	"rootdelay=1 and no rootwait: one look after the delay (kernel semantics)"
expect_grep "...and the delay is announced" "$work/delay.out" "earlyroot: rootdelay=1: waiting 1 s"
fails badnum "root=/dev/vdz rootdelay=x rd.timeout=0" "earlyroot: ignoring rootdelay=x: not a number of seconds" \
	"rootdelay=x: explained, not taken as 0"
fails nofs "root=$ROOT rootfstype=nosuchfs" \
	"earlyroot: cannot mount root $ROOT: the kernel does not know filesystem type nosuchfs" \
	"an unknown rootfstype: says the module is missing or the type is wrong"
# A block filesystem this kernel has, that the ext4 disk is not.
other=$(awk '$1 != "nodev" && $1 !~ /^ext/ && $1 != "fuseblk" {print $1; exit}' /proc/filesystems)
if [ -n "$other" ]; then
	fails wrongfs "root=$ROOT rootfstype=$other" "earlyroot: cannot mount root $ROOT as $other: " \
		"the wrong rootfstype ($other for an ext4 disk): names the type and the error"
else
	tap_skip "the wrong rootfstype" "this kernel has no block filesystem besides ext*"
fi
fails badflags "root=$ROOT rootfstype=ext4 rootflags=no_such_option" \
	"earlyroot: cannot mount root $ROOT as ext4 with rootflags=no_such_option: Invalid argument" \
	"invalid rootflags: shown with the error"
fails blank "root=$BLANK" "earlyroot: cannot mount root $BLANK: no filesystem the kernel knows fits it" \
	"a disk with no filesystem: explained"
fails noinit "root=$NOINIT" "earlyroot: no init found on the root filesystem \(tried /sbin/init" \
	"a root with no init: lists what was tried"
expect_no_grep "...and skips nothing aloud (none is there)" "$work/noinit.out" 'skipped'

# The default init as the kernel chooses it: the first that will run, by the hand-over's own check.
boot rescue "root=$RESCUE"
o=$work/rescue.out
expect_grep "a dangling /sbin/init (systemd removed) is skipped, said why, and the next one tried" "$o" \
	'^earlyroot: /sbin/init skipped: INIT /sbin/init in NEWROOT /newroot is a symlink to /lib/systemd/systemd, which does not exist there; trying /etc/init$'
if [ -n "$interp" ]; then
	expect_grep "a dynamic /etc/init without its ld.so is skipped, naming ld.so" "$o" \
		"^earlyroot: /etc/init skipped: interpreter $interp not found in NEWROOT /newroot \(needed by INIT /etc/init\).*; trying /bin/init$"
else
	tap_skip "a dynamic /etc/init without its ld.so is skipped" "no dynamically linked true(1) on this host"
fi
expect_no_grep "...a default that is not there (/bin/init) is passed over in silence" "$o" '/bin/init skipped'
expect_grep "...and the rescue root's /bin/sh runs as PID 1" "$o" '^PROBE: argv\[0\]=/bin/sh$'
expect_grep "...which the hand-over accepted (no refusal)" "$o" '^PROBE: pid=1$'
fails rescueinit "root=$RESCUE init=/sbin/init" \
	"earlyroot: INIT /sbin/init in NEWROOT /newroot is a symlink to /lib/systemd/systemd, which does not exist there" \
	"init=/sbin/init given: only that one, refused (no fallback to /bin/sh)"
fails broken "root=$BROKEN" \
	"earlyroot: no init found on the root filesystem \(tried /sbin/init, /etc/init, /bin/init, /bin/sh; why those there cannot run is said above\): install one or name it with init=" \
	"a root whose only default init is dangling: one error line, what was tried and what to do"
expect_grep "...after the line that says why /sbin/init cannot run" "$work/broken.out" \
	'^earlyroot: /sbin/init skipped: INIT /sbin/init in NEWROOT /newroot is a symlink to /lib/systemd/systemd, which does not exist there; trying /etc/init$'
fails badinit "root=$ROOT init=/sbin/nothere" "earlyroot: INIT /sbin/nothere not found in NEWROOT /newroot" \
	"init= naming a missing file: refused before the switch"
expect_grep "...and the failing stage is named" "$work/badinit.out" "earlyroot: boot failed at stage 'switch'"
fails dirinit "root=$ROOT init=/etc" "earlyroot: INIT /etc in NEWROOT /newroot is not a regular file \(it is a directory\)" \
	"init= naming a directory: refused"
if [ -n "$interp" ]; then
	fails dynamic "root=$ROOT init=/sbin/dynamic" \
		"earlyroot: interpreter $interp not found in NEWROOT /newroot \(needed by INIT /sbin/dynamic\)" \
		"a dynamic init whose ld.so is missing: refused before the switch, naming ld.so"
else
	tap_skip "a dynamic init whose ld.so is missing" "no dynamically linked true(1) on this host"
fi

EXTRA="echo cmdline=root=$ROOT rw >/etc/earlyroot/image.conf"
boot confroot ""
expect_grep "image.conf cmdline= (mkinitramfs --hostonly) boots with an empty command line" "$work/confroot.out" "^PROBE: root=/ fstype=ext4 source=$ROOT opts=rw"
boot confover "ro"
expect_grep "...and the kernel command line overrides it (ro)" "$work/confover.out" "^PROBE: root=/ fstype=ext4 source=$ROOT opts=ro"
EXTRA=

boot bare "root=$BARE"
o=$work/bare.out
for d in dev proc sys run; do
	expect_grep "a read-only root without /$d: /$d is detached, said so" "$o" \
		"earlyroot: /newroot/$d is missing and NEWROOT is read-only: /$d is detached instead of moved"
done
expect_grep "...and the boot still reaches the real init" "$o" '^PROBE: pid=1$'
boot barepivot "root=$BARE rd.switch=pivot"
o=$work/barepivot.out
expect_grep "rd.switch=pivot, a read-only root without /proc: /proc detached after the pivot, said so" "$o" \
	"earlyroot: /newroot/proc is missing and NEWROOT is read-only: /proc is detached instead of moved"
expect_no_grep "...the detach reaches the old root (no failure to detach)" "$o" 'cannot detach'
expect_grep "...and the boot reaches the real init" "$o" '^PROBE: pid=1$'
boot barerw "root=$BARE rw"
expect_grep "a writable root without /proc: the init creates it and moves /proc there" "$work/barerw.out" \
	"earlyroot: created /newroot/proc"

# --- root= by what is on the disk (our own probes), checked against blkid on the same devices ---
uuid=$(blkid -p -o value -s UUID "$ROOT")
boot uuid "root=UUID=$uuid"
o=$work/uuid.out
expect_grep "root=UUID=$uuid finds $ROOT" "$o" "^PROBE: root=/ fstype=ext4 source=$ROOT "
expect_grep "...and says which device it is" "$o" "earlyroot: root=UUID=$uuid is $ROOT"
UUID_UPPER=$(echo "$uuid" | tr a-f A-F)
boot uuidcase "root=UUID=$UUID_UPPER"
expect_grep "root=UUID= in upper case finds the same disk" "$work/uuidcase.out" "^PROBE: root=/ fstype=ext4 source=$ROOT "
boot byuuid "root=/dev/disk/by-uuid/$uuid"
expect_grep "root=/dev/disk/by-uuid/... works without udev" "$work/byuuid.out" "^PROBE: root=/ fstype=ext4 source=$ROOT "
boot label "root=LABEL=earlyroot-test"
expect_grep "root=LABEL=earlyroot-test finds $ROOT" "$work/label.out" "^PROBE: root=/ fstype=ext4 source=$ROOT "
hex=$(majmin "$ROOT" | awk -F: '{printf "0x%x", $1 * 256 + $2}')
boot hex "root=$hex"
expect_grep "root=$hex (hex, as the kernel reads it) finds $ROOT" "$work/hex.out" "^PROBE: root=/ fstype=ext4 source=$ROOT "

p2uuid=$(blkid -p -o value -s PART_ENTRY_UUID "${GPT}p2")
p1uuid=$(blkid -p -o value -s PART_ENTRY_UUID "${GPT}p1")
if [ -n "$p2uuid" ] && [ -b "${GPT}p2" ]; then
	boot partuuid "root=PARTUUID=$p2uuid"
	expect_grep "root=PARTUUID= (GPT) finds ${GPT}p2, as blkid says" "$work/partuuid.out" "^PROBE: root=/ fstype=ext4 source=${GPT}p2 "
	boot partlabel "root=PARTLABEL=earlyroot-part"
	expect_grep "root=PARTLABEL=earlyroot-part finds ${GPT}p2" "$work/partlabel.out" "^PROBE: root=/ fstype=ext4 source=${GPT}p2 "
	boot partnroff "root=PARTUUID=$p1uuid/PARTNROFF=1"
	expect_grep "root=PARTUUID=(partition 1)/PARTNROFF=1 finds partition 2" "$work/partnroff.out" "^PROBE: root=/ fstype=ext4 source=${GPT}p2 "
else
	tap_skip "root=PARTUUID=, PARTLABEL=, PARTNROFF=" "no partitioned loop device (losetup -P) here"
fi
fails nouuid "root=UUID=00000000-0000-0000-0000-000000000000 rd.timeout=1" \
	"earlyroot: root device UUID=00000000-0000-0000-0000-000000000000 not found after 1 s \(block devices: .*${ROOT#/dev/} \(ext4 UUID=$uuid LABEL=earlyroot-test\)" \
	"an unknown UUID: the message lists each device with its type, UUID and label"

# --- stages, break points, the rescue shell, the panic= policy, hooks ---
SHELL_IN_IMAGE='/bin/busybox ln -s busybox /bin/sh'
rmaj=$(majmin "$ROOT" | cut -d: -f1) rmin=$(majmin "$ROOT" | cut -d: -f2)

# shellcheck disable=SC2016 # STDIN is typed at the rescue shell, which expands it
EXTRA=$SHELL_IN_IMAGE STDIN='echo "IN-RESCUE-SHELL stage=$EARLYROOT_STAGE"; exit 0'
boot break "root=$ROOT rd.break=mount"
o=$work/break.out
expect_grep "rd.break=mount: a rescue shell starts before the mount" "$o" "earlyroot: rd.break=mount: starting a rescue shell; 'exit' goes on with stage 'mount'"
expect_grep "rd.break=mount: the shell runs, knowing its stage" "$o" '^IN-RESCUE-SHELL stage=mount$'
expect_grep "rd.break=mount: leaving the shell continues the boot" "$o" '^PROBE: pid=1$'

STDIN="/bin/busybox mknod /dev/late b $rmaj $rmin; exit 0"
boot fixed "root=/dev/late rd.timeout=0"
o=$work/fixed.out
expect_grep "a failure opens the rescue shell" "$o" "earlyroot: boot failed at stage 'devices': starting a rescue shell"
expect_grep "a problem fixed in the shell: the stage is tried again and the boot goes on" "$o" "^PROBE: root=/ fstype=ext4 source=/dev/late "

STDIN='exit 1'
boot giveup "root=/dev/late rd.timeout=0"
o=$work/giveup.out
expect_grep "'exit 1' in the rescue shell gives up" "$o" "earlyroot: the rescue shell ended with status 1: giving up"
expect_grep "...then the panic= policy (panic=-1: reboot at once)" "$o" "earlyroot: boot failed at stage 'devices': the kernel reboots at once \(panic=-1\)"
expect_no_grep "...and the boot does not go on" "$o" '^PROBE:'

STDIN='echo SHELL-RAN'
boot noshell "root=/dev/late rd.timeout=0 rd.shell=0"
o=$work/noshell.out
expect_grep "rd.shell=0: no shell, said so" "$o" "earlyroot: boot failed at stage 'devices'; no rescue shell: rd.shell=0"
expect_no_grep "rd.shell=0: the shell never ran" "$o" '^SHELL-RAN'
expect_grep "rd.shell=0: straight to the panic= policy" "$o" "the kernel reboots at once"

EXTRA="$SHELL_IN_IMAGE; echo lockdown=1 >/etc/earlyroot/image.conf"
boot locked "root=$ROOT rd.break=mount rd.shell=1"
o=$work/locked.out
expect_grep "a locked-down image ignores rd.break, whatever the command line says" "$o" "earlyroot: ignoring rd.break=mount: this image is locked down"
expect_no_grep "...no shell ran" "$o" '^SHELL-RAN'
expect_grep "...and the boot goes on" "$o" '^PROBE: pid=1$'
boot lockedfail "root=/dev/late rd.timeout=0 rd.shell=1"
expect_grep "a locked-down image never offers a shell on failure" "$work/lockedfail.out" "no rescue shell: this image is locked down"
expect_no_grep "...no shell ran" "$work/lockedfail.out" '^SHELL-RAN'
EXTRA='' STDIN=''

boot noshellimage "root=/dev/late rd.timeout=0"
expect_grep "an image without /bin/sh says how to get a shell" "$work/noshellimage.out" "no rescue shell in this image \(mkinitramfs --shell adds one\)"

LIMIT=4
boot halt "root=/dev/late rd.timeout=0 panic=0"
LIMIT=
o=$work/halt.out
expect_grep "panic=0: the system stops with the reason in view" "$o" "earlyroot: boot failed at stage 'devices': the system stops here \(panic=0\)"
expect_grep "panic=0: PID 1 stays (killed by the test after 4 s)" "$o" '^exit=137$'
boot reboot5 "root=/dev/late rd.timeout=0 panic=5"
expect_grep "panic=5: PID 1 exits so the kernel reboots in 5 s" "$work/reboot5.out" "the kernel reboots in 5 s \(panic=5\)"

# Hooks: run in name order before their stage, with the stage as argument; what they leave running
# is stopped before the hand-over; a failing hook fails its stage.
# shellcheck disable=SC2016 # HOOKS is shell code run in the image, where its $ expand
HOOKS='mkdir -p /lib/earlyroot/hooks/mount /lib/earlyroot/hooks/devices
printf "#!/bin/busybox sh\necho HOOK-20 \$1\n" >/lib/earlyroot/hooks/mount/20-second
printf "#!/bin/busybox sh\necho HOOK-10 \$1\n/bin/busybox sleep 1000 &\n" >/lib/earlyroot/hooks/mount/10-first
chmod +x /lib/earlyroot/hooks/mount/*'
EXTRA=$HOOKS
boot hooks "root=$ROOT rd.debug"
o=$work/hooks.out
expect_eq "hooks run before their stage in name order, with the stage as argument" \
	"$(grep '^HOOK-' "$o" | tr '\n' ' ')" "HOOK-10 mount HOOK-20 mount "
expect_grep "a process a hook left running is stopped before the hand-over" "$o" "earlyroot: stopping 1 processes left from the initramfs"
expect_grep "...and the real init finds no other process" "$o" '^PROBE: other-processes=0$'
expect_grep "the real init learns when the initramfs started and ended" "$o" '^PROBE: env=EARLYROOT_HANDOVER_MS=[0-9]+$'
expect_grep "rd.debug: each stage's start and duration" "$o" "earlyroot: stage mount: started at [0-9]+ ms, took [0-9]+ ms"
EXTRA="$HOOKS
printf \"#!/bin/busybox sh\\nexit 3\\n\" >/lib/earlyroot/hooks/devices/50-fail
chmod +x /lib/earlyroot/hooks/devices/50-fail"
boot badhook "root=$ROOT"
EXTRA=
expect_grep "a failing hook is a clear error naming it" "$work/badhook.out" "earlyroot: hook /lib/earlyroot/hooks/devices/50-fail failed with status 3"
expect_grep "...that fails its stage" "$work/badhook.out" "earlyroot: boot failed at stage 'devices'"

boot quiet "root=$ROOT quiet"
expect_no_grep "quiet: no info lines" "$work/quiet.out" 'earlyroot: mounted'
expect_grep "quiet: the boot is the same" "$work/quiet.out" '^PROBE: pid=1$'

boot rdroot "root=/dev/early-root-gone rd.root=$ROOT"
expect_grep "rd.root= names the real root when root= named the early one" "$work/rdroot.out" "^PROBE: root=/ fstype=ext4 source=$ROOT "

boot rdinit "root=/dev/early-root-gone rd.root=$ROOT init=/init"
expect_grep "with rd.root=, init= is the kernel's (it started earlyroot): the default init runs" "$work/rdinit.out" '^PROBE: argv\[0\]=/sbin/init$'
boot rdinit2 "root=/dev/early-root-gone rd.root=$ROOT init=/init rd.init=/sbin/probe"
expect_grep "rd.init= names the real init" "$work/rdinit2.out" '^PROBE: argv\[0\]=/sbin/probe$'

boot pivot "root=$ROOT rd.switch=pivot"
o=$work/pivot.out
expect_grep "rd.switch=pivot: pivot_root hands over to the real root" "$o" "^PROBE: root=/ fstype=ext4 source=$ROOT "
expect_grep "rd.switch=pivot: the old root is detached, not deleted" "$o" '^PROBE: oldroot=not-empty$'
expect_no_grep "rd.switch=pivot: nothing is deleted" "$o" 'freed the initramfs'

# --- the console: what a person sees when the kernel could not give the init one ---
# fds 0-2 closed (the kernel could not open /dev/console when it started /init): the init opens the
# console itself; its messages and the real init's output reach it, and the kernel log too.
KMSG=1 CONSOLE=fifo STDIO='<&- >&- 2>&-'
boot closedfds "root=$ROOT"
KMSG='' CONSOLE='' STDIO=''
o=$work/closedfds
expect_grep "fds 0-2 closed at start: the init opens /dev/console, its messages appear there" "$o.console" \
	"^earlyroot: mounted $ROOT \(ext4, ro\) on /newroot"
expect_grep "...and the real init inherits it as stdout (the boot succeeds)" "$o.console" '^PROBE: pid=1$'
expect_grep "...and the kernel log has the messages too" "$o.kmsg" "^<6>earlyroot: mounted $ROOT \(ext4, ro\) on /newroot"
expect_no_grep "...and no warning about the console" "$o.kmsg" 'no console'

# No /dev/console at all (nor /dev/null), fds closed: the boot goes on, and the kernel log (dmesg, all
# there is to read) says why the screen stayed empty.
KMSG=1 CONSOLE=none STDIO='<&- >&- 2>&-'
boot noconsole "root=$ROOT"
KMSG='' CONSOLE='' STDIO=''
o=$work/noconsole
expect_grep "no /dev/console: the kernel log says so, with the reason" "$o.kmsg" \
	'^<4>earlyroot: no console: cannot open /dev/console: No such file or directory; messages go only to the kernel log \(dmesg\)$'
expect_grep "...every message still reaches the kernel log" "$o.kmsg" "^<6>earlyroot: mounted $ROOT \(ext4, ro\) on /newroot"
expect_grep "...and the boot succeeds: the init hands over (the real init exits 0)" "$o.out" '^exit=0$'
expect_grep "...after freeing the initramfs" "$o.kmsg" '^<6>earlyroot: freed the initramfs'
# ...and when that boot fails with a shell in the image: a shell without a console would read end of
# file, exit 0 and retry the stage forever; instead the failure goes to the panic= policy.
EXTRA=$SHELL_IN_IMAGE KMSG=1 CONSOLE=none STDIO='<&- >&- 2>&-' LIMIT=20
boot noconsfail "root=/dev/late rd.timeout=0"
EXTRA='' KMSG='' CONSOLE='' STDIO='' LIMIT=''
o=$work/noconsfail
expect_grep "no console and a failed boot: no rescue shell, said so" "$o.kmsg" \
	"^<3>earlyroot: boot failed at stage 'devices'; no rescue shell: there is no console to run it on$"
expect_grep "...then the panic= policy (not a loop of shells)" "$o.kmsg" "the kernel reboots at once \(panic=-1\)"
expect_eq "...once" "$(grep -c 'boot failed at stage' "$o.kmsg")" 2

# console=null: with the kernel's ttynull the init gets a console that swallows everything (here
# /dev/null); without it the kernel opens nothing and /dev/console answers no open (a node without a
# driver). Either way the boot succeeds and the kernel log has the messages.
KMSG=1 STDIO='</dev/null >/dev/null 2>/dev/null'
boot consolenull "root=$ROOT console=null"
KMSG='' STDIO=''
o=$work/consolenull
expect_grep "console=null (ttynull: a console that swallows output): the kernel log has the messages" "$o.kmsg" \
	"^<6>earlyroot: mounted $ROOT \(ext4, ro\) on /newroot"
expect_grep "...and the boot succeeds" "$o.out" '^exit=0$'
KMSG=1 CONSOLE=nodriver STDIO='<&- >&- 2>&-'
boot consolenodrv "root=$ROOT console=null"
KMSG='' CONSOLE='' STDIO=''
o=$work/consolenodrv
expect_grep "console=null without ttynull (no console opens): the kernel log says so" "$o.kmsg" \
	'^<4>earlyroot: no console: cannot open /dev/console: No such device or address; messages go only to the kernel log'
expect_grep "...every message still reaches the kernel log" "$o.kmsg" "^<6>earlyroot: mounted $ROOT \(ext4, ro\) on /newroot"
expect_grep "...and the boot succeeds" "$o.out" '^exit=0$'

# --- the harness's pieces: an init carried in /run, systemd.volatile=overlay ---
# A hook copies busybox into /run (which moves into the new root) and init= names it there: the
# hand-over's check looks it up in this /run, not in the root's empty directory.
CARRY='mkdir -p /lib/earlyroot/hooks/switch; printf "#!/bin/busybox sh\nmkdir -p /run/carried\ncp /bin/busybox /run/carried/busybox\nln -s busybox /run/carried/sh\n" >/lib/earlyroot/hooks/switch/50-carry; chmod +x /lib/earlyroot/hooks/switch/50-carry'
# shellcheck disable=SC2016 # STDIN is read by the carried shell, which expands it
EXTRA=$CARRY STDIN='echo "CARRIED-INIT pid=$$"; /run/carried/busybox cat /etc/hostname; exit 0'
boot carried "root=$ROOT init=/run/carried/sh"
o=$work/carried.out
expect_grep "init=/run/carried/sh, put there by a hook: it runs as PID 1" "$o" '^CARRIED-INIT pid=1$'
expect_grep "... with the real root as /" "$o" '^a file on the real root$'
EXTRA=$CARRY STDIN=
fails carried-missing "root=$ROOT init=/run/carried/nosuch" \
	"earlyroot: .*INIT /run/carried/nosuch not found in NEWROOT /newroot \(whose /run is this system's, moved there\)" \
	"init= under /run that is not there: refused before anything is destroyed, saying where it was looked for"
EXTRA=
if grep -qw overlay /proc/filesystems; then
	before=$(sha256sum <"$work/root.ext4")
	boot volatile "root=$ROOT rw systemd.volatile=overlay probe.mounts=/run/rootfsbase"
	o=$work/volatile.out
	expect_grep "systemd.volatile=overlay: / is an overlay" "$o" '^PROBE: root=/ fstype=overlay source=LiveOS_rootfs opts=rw'
	expect_grep "... over the root, read-only, at /run/rootfsbase" "$o" \
		"^PROBE: mountinfo=/run/rootfsbase fstype=ext4 source=$ROOT opts=ro"
	expect_grep "... and says so" "$o" 'earlyroot: volatile root: overlay of /run/rootfsbase and tmpfs \(lost at power-off\) on /newroot'
	expect_eq "... and the disk is not written, though rw was asked" "$(sha256sum <"$work/root.ext4")" "$before"
else
	tap_skip "systemd.volatile=overlay" "this kernel has no overlayfs"
fi
fails volatile-yes "root=$ROOT systemd.volatile=yes" \
	"earlyroot: systemd.volatile=yes is not done by this init: systemd.volatile=overlay keeps the root read-only under a tmpfs" \
	"systemd.volatile=yes: refused with what is supported, not booted writable"
fails share-notag "rootfstype=9p rd.timeout=1" "earlyroot: rootfstype=9p needs root=TAG, the tag the host gave the share" \
	"rootfstype=9p without root=: says root= is the share's tag"
fails share-absent "root=nosuchtag rootfstype=9p rd.timeout=1" \
	"earlyroot: no 9p share tagged 'nosuchtag' after 1 s \(the guest has none\): root= must be the host's tag" \
	"a 9p tag the guest does not have: named, with the tags it has"

# --- live media: a compressed image under an overlay (init/live.c) ---
# The medium is an ext4 disk holding LiveOS/squashfs.img (the root tree above, squashed) and its
# .sha256; the others differ in one thing each. This kernel has squashfs, erofs and overlayfs built in
# or not: a missing one is a skip with the reason. (iso9660 is the QEMU tier's: qemu-tests live-*.)
live_fs_ok() { grep -qw "$1" /proc/filesystems; }
if ! command -v mksquashfs >/dev/null || ! live_fs_ok squashfs || ! live_fs_ok overlay || [ ! -e /dev/loop-control ]; then
	tap_skip "live media in a namespace" "needs mksquashfs, squashfs and overlay in this kernel, /dev/loop-control"
else
	lv=$work/live
	mkdir -p "$lv/medium/LiveOS" "$lv/bad/LiveOS" "$lv/none/boot" "$lv/isohost/images" "$lv/persist" \
		"$lv/debian/live" "$lv/nested/LiveOS" "$lv/nestedsq/LiveOS"
	mksquashfs "$work/rootfs" "$lv/medium/LiveOS/squashfs.img" -quiet -noappend -all-root >/dev/null 2>&1
	# Debian live-boot's layout: /live/filesystem.squashfs, found by boot=live without root=.
	cp "$lv/medium/LiveOS/squashfs.img" "$lv/debian/live/filesystem.squashfs"
	# dracut's older nesting: a squashfs holding LiveOS/rootfs.img, an ext4 image of the root.
	cp "$work/root.ext4" "$lv/nestedsq/LiveOS/rootfs.img"
	mksquashfs "$lv/nestedsq" "$lv/nested/LiveOS/squashfs.img" -quiet -noappend -all-root >/dev/null 2>&1
	# An erofs image under another name (rd.live.squashimg=).
	if command -v mkfs.erofs >/dev/null && live_fs_ok erofs; then
		mkdir -p "$lv/erofs/LiveOS" && mkfs.erofs "$lv/erofs/LiveOS/root.erofs" "$work/rootfs" >"$work/mkfs.erofs.log" 2>&1
	fi
	(cd "$lv/medium/LiveOS" && sha256sum squashfs.img >squashfs.img.sha256)
	cp "$lv/medium/LiveOS/"* "$lv/bad/LiveOS/"
	# One byte changed after the checksum was written: the image a damaged medium gives.
	printf 'X' | dd of="$lv/bad/LiveOS/squashfs.img" bs=1 seek=5000 conv=notrunc status=none
	echo "no image here" >"$lv/none/boot/README"
	{
		mke2fs -q -t ext4 -L erlive$$ -d "$lv/medium" "$lv/medium.ext4" 16M
		mke2fs -q -t ext4 -L erbad$$ -d "$lv/bad" "$lv/bad.ext4" 16M
		mke2fs -q -t ext4 -L ernone$$ -d "$lv/none" "$lv/none.ext4" 8M
		# iso-scan's mechanism with what this kernel can mount: an image file of a medium, on a disk.
		cp "$lv/medium.ext4" "$lv/isohost/images/live.img"
		mke2fs -q -t ext4 -L erhost$$ -d "$lv/isohost" "$lv/isohost.ext4" 40M
		mke2fs -q -t ext4 -L erpers$$ "$lv/persist.ext4" 16M
		mkdir -p "$lv/pfile" && mke2fs -q -t ext4 "$lv/pfile/layer.img" 8M
		mke2fs -q -t ext4 -L erpfil$$ -d "$lv/pfile" "$lv/pfile.ext4" 16M
		mke2fs -q -t ext4 -L erdeb$$ -d "$lv/debian" "$lv/debian.ext4" 16M
		mke2fs -q -t ext4 -L ernest$$ -d "$lv/nested" "$lv/nested.ext4" 24M
		mke2fs -q -t ext4 -L erofs$$ -d "$lv/erofs" "$lv/erofs.ext4" 16M
	} >>"$work/mke2fs.log" 2>&1
	LIVE_DEVS=
	for img in medium bad none isohost persist pfile debian nested erofs; do
		dev=$(losetup -f --show "$lv/$img.ext4") || { tap_fail "attach $img" "losetup failed"; continue; }
		loops="$loops $dev" LIVE_DEVS="$LIVE_DEVS $dev"
	done
	RAWSQ=$(losetup -f --show -r "$lv/medium/LiveOS/squashfs.img") && loops="$loops $RAWSQ" LIVE_DEVS="$LIVE_DEVS $RAWSQ"

	boot live "root=live:LABEL=erlive$$ rd.live.check probe.mounts=/run probe.write_file=/root/written:hello"
	o=$work/live.out
	expect_grep "root=live:LABEL=: the root is an overlay" "$o" '^PROBE: root=/ fstype=overlay source=LiveOS_rootfs opts=rw'
	expect_grep "...the probe (from the squashfs) runs as PID 1" "$o" '^PROBE: pid=1$'
	expect_grep "...the medium is on /run/initramfs/live, read-only" "$o" \
		'^PROBE: mountinfo=/run/initramfs/live fstype=ext4 source=/dev/loop[0-9]+ opts=ro'
	expect_grep "...the image is /run/rootfsbase (squashfs)" "$o" '^PROBE: mountinfo=/run/rootfsbase fstype=squashfs'
	expect_grep "...the writable layer is a tmpfs" "$o" '^PROBE: mountinfo=/run/initramfs/overlay fstype=tmpfs'
	expect_grep "...and / can be written" "$o" '^PROBE: wrote=/root/written ok'
	expect_grep "...rd.live.check says the image matches" "$o" \
		'earlyroot: rd.live.check: LiveOS/squashfs.img matches LiveOS/squashfs.img.sha256'
	expect_grep "...the initramfs is freed, the live mounts kept" "$o" '^PROBE: oldroot=empty$'

	boot livecorrupt "root=live:LABEL=erbad$$ rd.live.check rd.shell=0"
	o=$work/livecorrupt.out
	expect_grep "rd.live.check on a damaged image: one clear line" "$o" \
		'earlyroot: rd.live.check: LiveOS/squashfs.img does not match LiveOS/squashfs.img.sha256 \(its SHA-256 is [0-9a-f]{64}, the file says [0-9a-f]{64}\): the medium or the image is damaged'
	expect_no_grep "...and no boot" "$o" '^PROBE: start'
	expect_grep "...the boot stops at the mount stage" "$o" "boot failed at stage 'mount'"

	# A refusal leaves nothing mounted: the rescue shell sees the initramfs as it was.
	# shellcheck disable=SC2016 # expanded by the rescue shell, not here
	EXTRA=$SHELL_IN_IMAGE STDIN='echo "LIVE-MOUNTS=$(/bin/busybox grep -cE " /run/(initramfs|rootfsbase)| /newroot " /proc/mounts)"; exit 1'
	boot liveundo "root=live:LABEL=erbad$$ rd.live.check"
	EXTRA='' STDIN=''
	expect_grep "...and leaves nothing mounted for the rescue shell" "$work/liveundo.out" '^LIVE-MOUNTS=0$'

	boot livenone "root=live:LABEL=ernone$$ rd.shell=0"
	expect_grep "a medium without an image: what was looked for, what is there, what to type" "$work/livenone.out" \
		"earlyroot: no live image on /dev/loop[0-9]+ \(ernone$$\): looked for /LiveOS/squashfs.img, /LiveOS/rootfs.img and /live/\*.squashfs \(or \*.erofs\); its top level has: .*boot.*; name the image with rd.live.dir= and rd.live.squashimg="

	boot liveraw "root=live:$RAWSQ"
	expect_grep "root=live:/dev/NAME on a squashfs device: the device is the image" "$work/liveraw.out" \
		'^PROBE: root=/ fstype=overlay source=LiveOS_rootfs'

	boot livetoram "root=live:LABEL=erlive$$ rd.live.ram probe.mounts=/run"
	o=$work/livetoram.out
	expect_grep "rd.live.ram: the image is copied to a tmpfs" "$o" '^PROBE: mountinfo=/run/initramfs/toram fstype=tmpfs'
	expect_no_grep "...and the medium is unmounted" "$o" '^PROBE: mountinfo=/run/initramfs/live '
	expect_grep "...which the init says" "$o" 'earlyroot: rd.live.ram: the image is in RAM; the medium /dev/loop[0-9]+ can be removed'
	expect_grep "...the root still works" "$o" '^PROBE: root=/ fstype=overlay'

	boot livebig "root=live:LABEL=erlive$$ rd.live.ram rd.minmem=16000000 probe.mounts=/run"
	o=$work/livebig.out
	expect_grep "rd.live.ram that does not fit: one line, and the boot goes on from the medium" "$o" \
		'earlyroot: rd.live.ram: the image \([0-9]+ MiB\) does not fit in RAM \([0-9]+ MiB available, 16000000 MiB must stay free: rd.minmem=\): booting from the medium'
	expect_grep "...from the medium" "$o" '^PROBE: mountinfo=/run/initramfs/live fstype=ext4'

	boot liveiso "root=live:LABEL=erhost$$ iso-scan/filename=/images/live.img probe.mounts=/run"
	o=$work/liveiso.out
	expect_grep "iso-scan/filename=: the file on the disk is the medium" "$o" \
		'^PROBE: mountinfo=/run/initramfs/isoscan fstype=ext4'
	expect_grep "...mounted from a loop device on /run/initramfs/live" "$o" '^PROBE: mountinfo=/run/initramfs/live fstype=ext4'
	expect_grep "...and the root is the overlay" "$o" '^PROBE: root=/ fstype=overlay'
	boot liveisomissing "root=live:LABEL=erhost$$ iso-scan/filename=/images/nope.iso rd.shell=0"
	expect_grep "iso-scan/filename= naming a file that is not there: said, with what is there" "$work/liveisomissing.out" \
		'earlyroot: iso-scan/filename=/images/nope.iso: no such file on /dev/loop[0-9]+ \(ext4 LABEL=erhost[0-9]+\), whose top level has: .*images'

	boot livepersist1 "root=live:LABEL=erlive$$ rd.live.overlay=LABEL=erpers$$ probe.write_file=/root/saved:from-boot-1 probe.mounts=/run"
	expect_grep "rd.live.overlay=LABEL=: the upper layer is on the persistence disk" "$work/livepersist1.out" \
		'^PROBE: mountinfo=/run/initramfs/overlay fstype=ext4'
	boot livepersist2 "root=live:LABEL=erlive$$ rd.live.overlay=LABEL=erpers$$ probe.want_file=/root/saved"
	expect_grep "...a file written in the first boot is there in the second" "$work/livepersist2.out" \
		'^PROBE: want_file=/root/saved present .*first_line=from-boot-1'
	boot livepersistro "root=live:LABEL=erlive$$ rd.live.overlay=LABEL=erpers$$ rd.live.overlay.readonly probe.want_file=/root/saved"
	boot livepersistro2 "root=live:LABEL=erlive$$ rd.live.overlay=LABEL=erpers$$ rd.live.overlay.readonly probe.write_file=/root/saved:from-boot-4"
	expect_grep "...a read-only boot can still write (to RAM)" "$work/livepersistro2.out" '^PROBE: wrote=/root/saved ok'
	boot livepersist4 "root=live:LABEL=erlive$$ rd.live.overlay=LABEL=erpers$$ probe.want_file=/root/saved"
	expect_grep "rd.live.overlay.readonly: the saved layer is seen" "$work/livepersistro.out" \
		'^PROBE: want_file=/root/saved present .*first_line=from-boot-1'
	expect_grep "...and what that boot wrote is not kept" "$work/livepersist4.out" \
		'^PROBE: want_file=/root/saved present .*first_line=from-boot-1'

	boot livedebian "boot=live probe.mounts=/run"
	o=$work/livedebian.out
	expect_grep "boot=live without root=: the disk with /live is found" "$o" \
		'^PROBE: mountinfo=/run/initramfs/live fstype=ext4 source=/dev/loop[0-9]+'
	expect_grep "...and its live/filesystem.squashfs is the image" "$o" 'earlyroot: live image: live/filesystem.squashfs \(squashfs'
	expect_grep "...under the overlay" "$o" '^PROBE: root=/ fstype=overlay'
	boot livenested "root=live:LABEL=ernest$$ probe.mounts=/run"
	o=$work/livenested.out
	expect_grep "a squashfs holding LiveOS/rootfs.img: that ext4 image is the root's base" "$o" \
		'^PROBE: mountinfo=/run/rootfsbase fstype=ext4 source=/dev/loop[0-9]+ opts=ro'
	expect_grep "...the squashfs on /run/initramfs/squashfs" "$o" '^PROBE: mountinfo=/run/initramfs/squashfs fstype=squashfs'
	if ! command -v mkfs.erofs >/dev/null || ! live_fs_ok erofs; then
		tap_skip "an erofs image" "needs mkfs.erofs and erofs in this kernel"
	elif [ ! -s "$lv/erofs/LiveOS/root.erofs" ]; then
		tap_fail "an erofs image" "mkfs.erofs failed: $(tail -n 3 "$work/mkfs.erofs.log")"
	else
		boot liveerofs "root=live:LABEL=erofs$$ rd.live.squashimg=root.erofs probe.mounts=/run"
		expect_grep "an erofs image (rd.live.squashimg=root.erofs)" "$work/liveerofs.out" \
			'^PROBE: mountinfo=/run/rootfsbase fstype=erofs'
	fi

	# Persistence in a file: an ext4 image on the persistence disk holds the layer.
	boot livepersistfile1 "root=live:LABEL=erlive$$ rd.live.overlay=LABEL=erpfil$$:/layer.img probe.write_file=/root/infile:file-boot-1 probe.mounts=/run"
	expect_grep "rd.live.overlay=LABEL=X:/layer.img (a file): the layer is in that image" "$work/livepersistfile1.out" \
		'^PROBE: mountinfo=/run/initramfs/overlay-image fstype=ext4 source=/dev/loop[0-9]+ opts=rw'
	boot livepersistfile2 "root=live:LABEL=erlive$$ rd.live.overlay=LABEL=erpfil$$:/layer.img probe.want_file=/root/infile"
	expect_grep "...and keeps what the first boot wrote" "$work/livepersistfile2.out" \
		'^PROBE: want_file=/root/infile present .*first_line=file-boot-1'

	boot livenopersist "root=live:LABEL=erlive$$ rd.live.overlay=LABEL=nosuch$$ rd.timeout=1 rd.shell=0"
	expect_grep "a persistence device that is not there: named, no boot" "$work/livenopersist.out" \
		"earlyroot: persistence device LABEL=nosuch$$ not found after 1 s"
	boot livebadroot "root=live:/images/live.iso rd.shell=0"
	expect_grep "root=live: naming a file: what to type instead" "$work/livebadroot.out" \
		'earlyroot: root=live:/images/live.iso: a file names no disk; name the disk that holds it in root=live: .* and the file in iso-scan/filename='
	boot livebootlive "boot=live live-media-path=/nosuchdir rd.timeout=2 rd.shell=0"
	expect_grep "boot=live without a disk holding the directory: said after the wait" "$work/livebootlive.out" \
		'earlyroot: live medium \(a disk with /nosuchdir\) not found after 2 s.*boot=live looks at every disk'
	unset LIVE_DEVS
fi

# Not PID 1: the init refuses to run at all, and says what to use instead.
"$INIT" >"$work/notpid1.out" 2>&1
expect_grep "run outside an initramfs, the init refuses (not PID 1)" "$work/notpid1.out" \
	"earlyroot: init must run as PID 1 \(this is PID [0-9]+\)"

tap_done
