#!/bin/sh
# tests/cycles.sh — no dependency cycle between the files of a component (TAP).
#
# A module is a .c file with its .h (init/rootdev.c + init/rootdev.h = init/rootdev). Module A depends
# on module B when A's files #include B's header, or when A's object uses a symbol B's object defines
# (nm on objects compiled here). tsort finds a loop in that graph: two files that call each other,
# or a header that everything includes and that belongs to a file calling everything, is one piece of
# code spread over two files, and each must be read with the other.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
. tests/tap.sh
CC=${CC:-cc}

for t in nm tsort pkg-config; do
	command -v "$t" >/dev/null || { tap_fail "$t is installed" "mk/deps check installs binutils and coreutils"; tap_done; exit 1; }
done
w=$(mktemp -d /tmp/earlyroot-cycles.XXXXXX)
trap 'rm -rf "$w"' EXIT

# module PATH — the module a file belongs to: its path without the extension.
module() { echo "${1%.*}"; }

# Include edges: "#include "x.h"" resolved as the compiler would (the file's own directory first,
# then the -I directories the builds use).
includes() {
	for f in "$@"; do
		sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f" | while read -r inc; do
			for d in "$(dirname "$f")" lib switchroot init; do
				if [ -f "$d/$inc" ]; then
					echo "$(module "$f") $(module "$d/$inc") $f includes $inc"
					break
				fi
			done
		done
	done
}

# Call edges: each object's undefined symbols, matched with the object that defines them.
calls() { # CFLAGS FILE...
	flags=$1
	shift
	for f in "$@"; do
		o=$w/obj/$(echo "$f" | tr / _).o
		mkdir -p "$w/obj"
		# shellcheck disable=SC2086 # flags are words
		$CC -std=gnu11 -D_GNU_SOURCE $flags -c -o "$o" "$f" 2>>"$w/cc.err" || { echo "cannot compile $f" >>"$w/failed"; continue; }
		nm --defined-only -g "$o" | awk -v m="$(module "$f")" 'NF == 3 { print $3, m }' >>"$w/defs"
		nm -u "$o" | awk -v m="$(module "$f")" '{ print m, $NF }' >>"$w/uses"
	done
}

check_component() { # NAME CFLAGS FILE...
	name=$1 flags=$2
	shift 2
	: >"$w/defs"
	: >"$w/uses"
	rm -f "$w/failed"
	calls "$flags" "$@"
	if [ -f "$w/failed" ]; then
		tap_fail "$name: every file compiles for the graph" "$(cat "$w/failed")" "$(tail -n 5 "$w/cc.err")"
		return
	fi
	headers=$(for f in "$@"; do [ -f "${f%.c}.h" ] && echo "${f%.c}.h"; done)
	# shellcheck disable=SC2086 # a list of paths without spaces
	{
		includes "$@" $headers
		awk 'NR == FNR { def[$1] = $2; next } ($2 in def) { print $1, def[$2], $1 ".c uses", $2 }' "$w/defs" "$w/uses"
	} | awk '$1 != $2' | sort -u -k1,2 >"$w/$name.why"
	# Each node also stands alone, so tsort sees modules without edges too.
	{ cut -d' ' -f1,2 "$w/$name.why"; for f in "$@"; do m=$(module "$f"); echo "$m $m"; done; } >"$w/$name.edges"
	if tsort "$w/$name.edges" >/dev/null 2>"$w/$name.loop"; then
		tap_ok "$name: no include or call cycle between its $(echo "$@" | wc -w) files ($(wc -l <"$w/$name.why") dependencies)"
	else
		# The first loop tsort names, each step with one reason.
		loop=$(awk '/input contains a loop/ { n++; next } n == 1 { sub(/^tsort: /, ""); print }' "$w/$name.loop")
		steps=$(echo "$loop" | awk 'NR == FNR { why[$1 " " $2] = $0; next } FNR > 1 { print why[prev " " $1] } { prev = $1; first = first ? first : $1 } END { print why[prev " " first] }' "$w/$name.why" -)
		tap_fail "$name: no include or call cycle between its files" "a loop: $(echo "$loop" | tr '\n' ' ')" "$(echo "$steps" | cut -d' ' -f3-)"
	fi
}

inc="-Ilib -Iswitchroot -Iinit"
# shellcheck disable=SC2046 # globs of paths without spaces
check_component init "$inc" $(ls init/*.c)
# shellcheck disable=SC2046 # as above
check_component switchroot "$inc" $(ls switchroot/*.c)
# shellcheck disable=SC2046 # as above
check_component lib "$inc" $(ls lib/*.c lib/musl/*.c)
# shellcheck disable=SC2046 # as above
check_component mkinitramfs "-Ilib $(pkg-config --cflags libkmod blkid libzstd liblz4 liblzma zlib libcrypto)" $(ls mkinitramfs/*.c)
tap_done
