#!/bin/sh
# tests/shellcheck.sh — every shell script of the tree is shellcheck-clean at its default severity (style
# and info too). TAP: one line per script, its findings as the evidence.
#
# The scripts are the files git tracks that end in .sh (the sourced ones have a "# shellcheck shell=..."
# directive instead of a #! line) or whose first line is a #! for sh, bash or dash: a new script is
# covered once it is added. shellcheck runs from the top directory with -x, so it reads what a script
# sources; a source it cannot work out is named in the script, relative to the top directory:
#   # shellcheck source=tests/tap.sh
# A finding that is wrong for the code is silenced on that line, with the reason in the same comment:
#   # shellcheck disable=SC2086 # the lists are words on purpose
# --norc: a ~/.shellcheckrc of whoever runs the suite changes nothing.
set -u
cd "$(dirname "$0")/.." || exit 1
# shellcheck source=tests/tap.sh
. tests/tap.sh

if ! command -v shellcheck >/dev/null 2>&1; then
	tap_skip "shell scripts are shellcheck-clean" "shellcheck is not installed (mk/deps check installs it)"
	tap_done
	exit 0
fi
if ! files=$(git ls-files 2>/dev/null) || [ -z "$files" ]; then
	tap_skip "shell scripts are shellcheck-clean" "not a git checkout: the list of scripts comes from git ls-files"
	tap_done
	exit 0
fi

# The first line of every tracked file in one awk (./ keeps a name with = from being an assignment);
# nextfile reads no further than that line. fuzz/corpus/ is fuzzer input (a seed may well start with
# #!/bin/sh), not the tree's scripts.
# shellcheck disable=SC2016 # the $0 is awk's
scripts=$(printf '%s\n' "$files" | grep -v '^fuzz/corpus/' | while IFS= read -r f; do [ -f "$f" ] && printf './%s\n' "$f"; done |
	tr '\n' '\0' | xargs -0 awk '
		FNR == 1 {
			if (FILENAME ~ /\.(sh|bash)$/ || $0 ~ /^#![ \t]*[^ \t]*\/(env[ \t]+)?(ba|da)?sh([ \t]|$)/)
				print substr(FILENAME, 3)
			nextfile
		}')
[ -n "$scripts" ] || { tap_fail "shell scripts are found" "no *.sh and no #! sh/bash/dash file in git ls-files"; tap_done; exit 1; }

v=$(shellcheck --version | sed -n 's/^version: //p')
echo "# shellcheck $v, $(printf '%s\n' "$scripts" | wc -l | tr -d ' ') scripts"
while IFS= read -r f; do
	if out=$(shellcheck --norc -x --color=never --wiki-link-count=0 -- "$f" 2>&1); then
		tap_ok "$f"
	else
		tap_fail "$f" "shellcheck -x $f (from the top directory) says:" "$out"
	fi
done <<EOF
$scripts
EOF
tap_done
