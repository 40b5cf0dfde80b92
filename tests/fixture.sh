# fixture.sh — a fake initramfs for hand-over tests (switch_root, init), sourced by a POSIX sh running as root.
# shellcheck shell=sh
#
# Every case runs in a fresh `unshare --mount --pid --fork` namespace. Its first shell (PID 1) mounts a tmpfs,
# fills it from a template (busybox-static, the binaries under test, /etc/initrd-release, odd files), mounts
# the new root at /newroot inside it, pivots into it (`pivot_root . oldroot`, then `umount -l /oldroot`),
# mounts the API filesystems, canaries and a 2001-deep tree, and runs the case script's run() as PID 1 (most
# cases end in `fx_switch ARGS...`, i.e. `exec $SR ARGS...`). The host holds a handle on the case's mount
# namespace, so after PID 1 is gone it can still look inside (a busybox shell entered with nsenter) and see
# what the old root or the new root look like.
#
# Host side:
#   fx_init                   check prerequisites, make $FX_TMP and $FX_OUT; on failure returns 1, reason in $FX_SKIP
#   fx_add FILE DEST          put FILE into the fake initramfs at DEST, with the shared libraries `ldd` lists
#   fx_build                  build the templates (after every fx_add; needs FX_PROBE = the static probe)
#   fx_case NAME SCRIPT       run one case; SCRIPT is ash that defines run() (PID 1's job) and optionally prep()
#                             (extra setup, before the "before" snapshot). Knobs, as environment variables:
#                               FX_ROOTFS=tmpfs|ramfs|ext4   what / is (default tmpfs)
#                               FX_NEWROOT=tmpfs|ext4        what is mounted at /newroot (default tmpfs)
#                               FX_SR=/path                  $SR inside the case (default /sut/switch_root)
#                             Results in $FX_OUT/NAME.*:
#                               .out .err  PID 1's stdout and stderr (the probe's PROBE: lines land in .out)
#                               .rc        exit status of the namespace's PID 1
#                               .setup     output of the fixture's own setup (for debugging)
#                               .before    snapshot taken just before run()
#                               .after     inspection after the case: "state=initramfs" + the same snapshot when
#                                          / was not switched, "state=switched" + the new root's files otherwise
#   fx_section FILE NAME      print the lines of section "== NAME" of a snapshot
#   fx_cleanup                remove $FX_TMP
#
# Inside the case (busybox ash, PID 1, / = the fake initramfs), from /fx/lib.sh:
#   $SR            the switch_root under test (/sut/switch_root; util-linux's is /ul/switch_root when added so)
#   fx_fds         open fd 9 on / and fd 8 on /mnt/canary, export PROBE_OLDROOT_FD=9 PROBE_CANARY_FD=8
#   fx_switch ...  fx_fds, then exec "$SR" "$@"
#
# A snapshot (fx_snapshot) has the sections mounts, propagation (shared or private, from mountinfo), files, deep
# and contents.
# The fake initramfs holds: /bin/busybox + applet symlinks, /etc/initrd-release, /big (4 MiB), /odd/ (names with
# spaces, a newline, bytes 0xff 0xfe, a leading dash, 255 characters; a mode-000 file and directory, a fifo, a
# device node, a hard link, a symlink loop, a dangling symlink), symlinks /x -> /, /into -> /newroot/somefile,
# /intodir -> /newroot/keepdir, /deep (1000 nested "ddd", then x2, then 1000 more, then the file "leaf": a path
# of about 8000 characters); mounts: /proc (proc fxproc), /dev (tmpfs fxdev) + /dev/shm (tmpfs fxshm), /sys
# (sysfs fxsys), /run (tmpfs fxrun) + /run/sub (tmpfs fxrunsub), /newroot, /mnt/canary (tmpfs fxcanary, file
# canary), /bound (a bind mount of /newroot/keepdir, file survivor). The root itself is mounted as "fxinitramfs".
# The new root ("fxnewroot") holds: /sbin/init (the probe), /bin/busybox, /canary-in-newroot, /somefile,
# /keepdir/survivor, /newroot/somefile and /newroot/keepdir/file (what the initramfs symlinks point at after a
# chroot), empty /dev /proc /sys /run, /lib/real-init + /sbin/init-link -> /lib/real-init, /sbin/init644 (mode
# 0644), /sbin/initdir/ (a directory), /sbin/dangling -> /nowhere, /sbin/script (#!/bin/missing-interpreter),
# /nested/ (a plain directory with its own sbin/init and API mount points).

FX_TIMEOUT=${FX_TIMEOUT:-30}

# shellcheck disable=SC2034 # FX_SKIP is for the suites that source this file
fx_init() {
	FX_SKIP=
	if [ "$(id -u)" != 0 ]; then FX_SKIP="needs root (mount namespaces, tmpfs, loop devices)"; return 1; fi
	for t in unshare nsenter mount pivot_root mke2fs timeout ldd; do
		command -v "$t" >/dev/null 2>&1 || { FX_SKIP="$t not found"; return 1; }
	done
	FX_BUSYBOX=${FX_BUSYBOX:-$(command -v busybox || true)}
	{ [ -n "$FX_BUSYBOX" ] && [ -x "$FX_BUSYBOX" ]; } || { FX_SKIP="busybox (static) not found"; return 1; }
	if ldd "$FX_BUSYBOX" >/dev/null 2>&1; then FX_SKIP="$FX_BUSYBOX is not static (install busybox-static)"; return 1; fi
	FX_TMP=$(mktemp -d "${TMPDIR:-/tmp}/earlyroot-fx.XXXXXX") || { FX_SKIP="mktemp failed"; return 1; }
	FX_OUT=${FX_OUT:-$FX_TMP/out}
	mkdir -p "$FX_OUT" "$FX_TMP/initramfs" "$FX_TMP/newroot"
	FX_TPL=$FX_TMP/initramfs FX_NRT=$FX_TMP/newroot
	if ! unshare --mount --pid --fork sh -c 'mount -t tmpfs fxprobe /mnt' >/dev/null 2>&1; then
		FX_SKIP="cannot create mount+pid namespaces here"; return 1
	fi
	return 0
}

# fx_copy_with_libs FILE ROOT DEST — FILE to ROOT/DEST, and each shared library it needs to ROOT/<same path>.
fx_copy_with_libs() {
	mkdir -p "$2$(dirname "$3")"
	cp -L "$1" "$2$3" || return 1
	chmod 0755 "$2$3"
	ldd "$1" 2>/dev/null | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) .*/\1/p' | while read -r lib; do
		[ -e "$2$lib" ] && continue
		mkdir -p "$2$(dirname "$lib")" && cp -L "$lib" "$2$lib"
	done
}

fx_add() { fx_copy_with_libs "$1" "$FX_TPL" "$2"; }

fx_build() {
	t=$FX_TPL n=$FX_NRT
	: "${FX_PROBE:?FX_PROBE must name the static probe binary}"
	mkdir -p "$t/bin" "$t/sbin" "$t/etc" "$t/dev" "$t/proc" "$t/sys" "$t/run" "$t/newroot" "$t/mnt/canary" \
		"$t/bound" "$t/fx/proc" "$t/odd" "$t/oldroot" "$t/tmp"
	# busybox --install -s links to its own real path: put a copy there too, and drop the applets under test.
	_bb=$(readlink -f "$FX_BUSYBOX")
	"$_bb" --install -s "$t/bin"
	rm -f "$t/bin/busybox" "$t/bin/switch_root" "$t/bin/pivot_root" "$t/bin/init" "$t/bin/linuxrc"
	cp "$FX_BUSYBOX" "$t/bin/busybox"
	if [ "$_bb" != /bin/busybox ]; then mkdir -p "$t$(dirname "$_bb")" && ln "$t/bin/busybox" "$t$_bb"; fi
	printf 'NAME="earlyroot test fixture"\nVERSION_ID=1\n' >"$t/etc/initrd-release"
	echo "fixture initramfs" >"$t/etc/hostname"
	dd if=/dev/urandom of="$t/big" bs=1M count=4 status=none
	o=$t/odd
	echo a >"$o/with space"
	echo b >"$o/$(printf 'new\nline')"
	echo c >"$o/$(printf '\377\376bytes')"
	echo d >"$o/-dash"
	echo e >"$o/*?[glob"
	echo f >"$o/$(printf '%0255d' 0)"
	echo g >"$o/.hidden"
	echo h >"$o/mode000" && chmod 000 "$o/mode000"
	mkdir "$o/dir000" && echo i >"$o/dir000/inside" && chmod 000 "$o/dir000"
	mkfifo "$o/fifo"
	mknod "$o/null" c 1 3
	ln "$o/with space" "$o/hardlink"
	ln -s loop-b "$o/loop-a" && ln -s loop-a "$o/loop-b"
	ln -s /nowhere/at/all "$o/dangling"
	mkdir -p "$o/a/b/c/d" && echo j >"$o/a/b/c/d/e"
	ln -s / "$t/x"
	ln -s /newroot/somefile "$t/into"
	ln -s /newroot/keepdir "$t/intodir"

	mkdir -p "$n/sbin" "$n/bin" "$n/lib" "$n/dev" "$n/proc" "$n/sys" "$n/run" "$n/keepdir" "$n/newroot/keepdir" \
		"$n/sbin/initdir" "$n/nested/sbin" "$n/nested/dev" "$n/nested/proc" "$n/nested/sys" "$n/nested/run" "$n/etc"
	cp "$FX_PROBE" "$n/sbin/init" && chmod 0755 "$n/sbin/init"
	cp "$FX_PROBE" "$n/lib/real-init" && chmod 0755 "$n/lib/real-init"
	ln -s /lib/real-init "$n/sbin/init-link"
	cp "$FX_PROBE" "$n/sbin/init644" && chmod 0644 "$n/sbin/init644"
	ln -s /nowhere "$n/sbin/dangling"
	printf '#!/bin/missing-interpreter\necho should not run\n' >"$n/sbin/script" && chmod 0755 "$n/sbin/script"
	cp "$FX_PROBE" "$n/nested/sbin/init"
	cp "$FX_BUSYBOX" "$n/bin/busybox"
	echo "new root" >"$n/canary-in-newroot"
	echo "target of /into" >"$n/somefile"
	echo "target of /intodir, bind-mounted at /bound" >"$n/keepdir/survivor"
	echo "target of /into after a chroot" >"$n/newroot/somefile"
	echo "target of /intodir after a chroot" >"$n/newroot/keepdir/file"
	echo "real root" >"$n/etc/hostname"

	# Mounted by fx_setup with `mount -a -T` (one process per table: process creation is the slow part here).
	cat >"$t/fx/fstab1" <<'FX_EOF'
fxproc /proc proc defaults 0 0
fxdev /dev tmpfs mode=0755 0 0
fxsys /sys sysfs defaults 0 0
fxrun /run tmpfs mode=0755 0 0
fxcanary /mnt/canary tmpfs defaults 0 0
/newroot/keepdir /bound none bind 0 0
FX_EOF
	cat >"$t/fx/fstab2" <<'FX_EOF'
fxshm /dev/shm tmpfs defaults 0 0
fxrunsub /run/sub tmpfs defaults 0 0
FX_EOF

	cat >"$t/fx/lib.sh" <<'FX_EOF'
# /fx/lib.sh — the fixture's helpers inside the namespace (busybox ash).
fx_deep_path() { # FX_DEEP = the 1000-level relative path ddd/ddd/.../ddd (3999 characters)
	_p=ddd _i=1
	while [ $_i -lt 1000 ]; do _p=$_p/ddd _i=$((_i + 1)); done
	FX_DEEP=$_p
}
fx_depth() { # how deep /deep goes: "2001+leaf" when intact
	[ -n "${FX_DEEP:-}" ] || fx_deep_path
	(
		[ -d /deep ] || { echo missing; exit 0; }
		cd -P "/deep/$FX_DEEP" 2>/dev/null || { echo "under 1000"; exit 0; }
		cd -P "x2/$FX_DEEP" 2>/dev/null || { echo "1000 to 2000"; exit 0; }
		if [ -f leaf ]; then echo "2001+leaf"; else echo "2001, no leaf"; fi
	)
}
fx_mounts() { # one line per path: device and fs type (a moved or unmounted mount shows up here)
	stat -c 'mount %n dev=%d' / /proc /dev /dev/shm /sys /run /run/sub /newroot /mnt/canary /bound 2>&1
	stat -f -c 'mount %n type=%T' / /proc /dev /dev/shm /sys /run /run/sub /newroot /mnt/canary /bound 2>&1
}
fx_propagation() { # each mount point, shared or private (peer group numbers may change; this must not)
	_mi=/proc/self/mountinfo
	[ -r $_mi ] || _mi=/fx/proc/self/mountinfo # inspected from outside: a proc of the inspector's own
	awk '{ p = "private"; for (i = 7; i <= NF && $i != "-"; i++) if ($i ~ /^shared:/) p = "shared"
		if ($5 != "/fx/proc") print "propagation", $5, p }' $_mi 2>&1 | sort
}
fx_snapshot() {
	echo "== mounts"; fx_mounts
	echo "== propagation"; fx_propagation
	echo "== files"; find / /newroot -xdev -path /deep -prune -o -print 2>&1 | sort
	echo "== deep"; echo "depth=$(fx_depth)"
	echo "== contents"
	grep -H . /mnt/canary/canary /bound/survivor /run/sub/file /dev/shm/file /etc/initrd-release 2>&1
	echo "== end"
}
fx_setup() {
	umount -l /oldroot
	mount -a -T /fx/fstab1
	mkdir /dev/shm /run/sub
	mount -a -T /fx/fstab2
	echo shm >/dev/shm/file; echo run-sub >/run/sub/file; echo canary >/mnt/canary/canary
	# /deep: 1000 nested "ddd", then x2, then 1000 more, then the file leaf (about 8000 characters): two chains,
	# each path under PATH_MAX, the second moved to the bottom of the first.
	fx_deep_path
	mkdir -p "/deep/$FX_DEEP" "/x2/$FX_DEEP" && echo leaf >"/x2/$FX_DEEP/leaf" && mv /x2 "/deep/$FX_DEEP/x2" ||
		echo "fx_setup: deep tree failed"
}
fx_fds() {
	exec 9</ 8</mnt/canary 3>&- 4>&-
	export PROBE_OLDROOT_FD=9 PROBE_CANARY_FD=8
}
fx_switch() { fx_fds; exec "$SR" "$@"; }
FX_EOF

	cat >"$t/fx/stage1.sh" <<'FX_EOF'
# PID 1 inside the fake initramfs: setup (noise to fd 4), prep, snapshot (to fd 3), run.
exec 6>&1 5>&2 1>&4 2>&4
. /fx/lib.sh
. "/oldroot$FX_CASE" # the case script, read before fx_setup unmounts the host's root
fx_setup
if type prep >/dev/null 2>&1; then prep; fi
fx_snapshot >&3 2>&1
exec 1>&6 2>&5 6>&- 5>&-
run
FX_EOF

	cat "$t/fx/lib.sh" - >"$FX_TMP/inspect.sh" <<'FX_EOF'
if [ -e /fx/stage1.sh ]; then
	echo "state=initramfs"
	# The case's /proc shows its PID namespace, which is gone: mountinfo is read through a proc of our own.
	mount -t proc fxinspect /fx/proc
	fx_snapshot
	umount /fx/proc
else
	echo "state=switched"
	echo "== mounts"; fx_mounts
	echo "== files"; find / -xdev 2>&1 | sort
	echo "== end"
fi
FX_EOF

	cat >"$FX_TMP/stage0.sh" <<'FX_EOF'
# The first shell in the namespace (host tools, PID 1): build the fake initramfs and pivot into it.
D=$1
exec 5>&2 2>&4
read -r _ <"$D/go" # the host holds this namespace now
# Never touch the host: this must be PID 1 of a new PID namespace, in a mount namespace of its own.
[ $$ = 1 ] || { echo "stage0: not PID 1 of a new PID namespace" >&2; exit 97; }
if [ /proc/self/ns/mnt -ef /proc/1/ns/mnt ]; then echo "stage0: still in the host's mount namespace" >&2; exit 97; fi
set -e
R=$D/root
case ${FX_ROOTFS:-tmpfs} in
tmpfs) mount -t tmpfs -o mode=0755 fxinitramfs "$R" ;;
ramfs) mount -t ramfs -o mode=0755 fxinitramfs "$R" ;;
ext4) mount -o loop "$D/root.img" "$R" ;;
esac
cp -a "$FX_TPL/." "$R/"
case ${FX_NEWROOT:-tmpfs} in
tmpfs) mount -t tmpfs -o mode=0755 fxnewroot "$R/newroot" && cp -a "$FX_NRT/." "$R/newroot/" ;;
ext4) mount -o loop "$D/newroot.img" "$R/newroot" ;;
esac
cd "$R"
pivot_root . oldroot
set +e
exec 2>&5 5>&-
exec /bin/busybox env -i PATH=/bin:/sbin HOME=/ TERM=dumb SR="${FX_SR:-/sut/switch_root}" FX_CASE="$D/case.sh" \
	ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" LSAN_OPTIONS="${LSAN_OPTIONS:-}" \
	/bin/sh /fx/stage1.sh
FX_EOF
}

# fx_case NAME SCRIPT — see the top of this file.
fx_case() {
	_n=$1 _d=$FX_TMP/case.$1 _o=$FX_OUT/$1
	mkdir -p "$_d/root"
	printf '%s\n' "$2" >"$_d/case.sh"
	printf '%s\n' "$2" >"$_o.script"
	: >"$_o.out"; : >"$_o.err"; : >"$_o.before"; : >"$_o.after"; : >"$_o.setup"; echo none >"$_o.rc"
	if [ "${FX_ROOTFS:-tmpfs}" = ext4 ]; then mke2fs -q -F -t ext4 "$_d/root.img" 64M >>"$_o.setup" 2>&1; fi
	if [ "${FX_NEWROOT:-tmpfs}" = ext4 ]; then
		mke2fs -q -F -t ext4 -d "$FX_NRT" "$_d/newroot.img" 32M >>"$_o.setup" 2>&1
	fi
	mkfifo "$_d/go"
	FX_TPL=$FX_TPL FX_NRT=$FX_NRT FX_ROOTFS=${FX_ROOTFS:-tmpfs} FX_NEWROOT=${FX_NEWROOT:-tmpfs} FX_SR=${FX_SR:-} \
		timeout -s KILL "$FX_TIMEOUT" unshare --mount --pid --fork --kill-child --propagation private \
		/bin/sh "$FX_TMP/stage0.sh" "$_d" <"/dev/null" >"$_o.out" 2>"$_o.err" 3>"$_o.before" 4>"$_o.setup" &
	_t=$!
	# Find unshare (the child of timeout) once it has entered the new mount namespace, and hold that namespace
	# (fd 7) so it can be inspected after the case's PID 1 is gone. Builtins only: this spins for milliseconds.
	_u='' _i=0 _held=0
	while [ $_i -lt 200000 ]; do
		_u=
		{ read -r _u _ </proc/$_t/task/$_t/children; } 2>/dev/null
		# shellcheck disable=SC3013 # dash's and busybox's test have -ef (and builtins only here: no readlink)
		if [ -n "$_u" ] && ! [ "/proc/$_u/ns/mnt" -ef "/proc/$$/ns/mnt" ]; then
			exec 7<"/proc/$_u/ns/mnt" && _held=1
			break
		fi
		kill -0 $_t 2>/dev/null || break
		_i=$((_i + 1))
	done
	exec 6<>"$_d/go"
	echo go >&6 # releases stage 0
	wait $_t
	echo $? >"$_o.rc"
	exec 6>&-
	if [ $_held = 1 ]; then
		nsenter --mount=/proc/self/fd/7 /bin/busybox env -i /bin/busybox sh -s <"$FX_TMP/inspect.sh" >"$_o.after" 2>&1 ||
			echo "inspection failed: exit $?" >>"$_o.after"
		exec 7<&-
	else
		echo "inspection impossible: the namespace never reported" >"$_o.after"
	fi
	rm -rf "$_d"
}

# fx_section FILE NAME — lines of section "== NAME" (up to the next "== ").
fx_section() { sed -n "/^== $2\$/,/^== /p" "$1" | sed '1d;$d'; }

fx_cleanup() { [ -n "${FX_TMP:-}" ] && rm -rf "$FX_TMP"; }
