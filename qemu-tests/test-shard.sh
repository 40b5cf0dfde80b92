#!/bin/bash
# qemu-tests/test-shard.sh — `qemu-tests/run --shard I/N` and qemu-tests/junit-merge (TAP).
#
# The split of every scenario into N = 1..5 shards (--list: disjoint, the union is the whole list, groups
# kept together, the same whatever order the names come in); a real run of 8 cheap scenarios (one boot
# judged by four others, one of them failing, and three self-tests that end in seconds) whole and as 3
# shards, their JUnit merged and compared with the whole run's; bad --shard values; junit-merge's errors.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
# shellcheck source=tests/tap.sh
. tests/tap.sh
unset EARLYROOT_QEMU_SHARD # this suite picks its shards itself (make check-qemu may be sharded)
R=qemu-tests/run
M=qemu-tests/junit-merge
W=$(mktemp -d /tmp/earlyroot-shard-test.XXXXXX)
trap 'rm -rf "$W" "${BUILD:-build}/qemu-tests/logs/shard-fail.log"' EXIT
command -v python3 >/dev/null || { tap_skip "sharding" "python3 not found (mk/deps check installs it)"; tap_done; exit 0; }

t0=$SECONDS
# --- the split of the whole list ------------------------------------------------------------------------
names() { awk '{ print $1 }'; }
"$R" --list | names | LC_ALL=C sort >"$W/all"
# Two lists at a time (each reads every scenario file).
for n in 1 2 3 4 5; do
	for ((i = 1; i <= n; i++)); do
		"$R" --list --shard "$i/$n" 2>"$W/err.$n.$i" | names >"$W/list.$n.$i" &
		[ $((i % 2)) = 0 ] && wait
	done
	wait
done
for n in 1 2 3 4 5; do
	cat "$W"/list."$n".* | LC_ALL=C sort >"$W/union.$n"
	dups=$(uniq -d "$W/union.$n" | tr '\n' ' ')
	sizes=$(for ((i = 1; i <= n; i++)); do wc -l <"$W/list.$n.$i"; done | paste -sd ' ')
	if [ -n "$dups" ]; then
		tap_fail "--shard i/$n: the shards are disjoint" "in two shards: $dups"
	elif ! cmp -s "$W/union.$n" "$W/all"; then
		tap_fail "--shard i/$n: the union of the shards is --list's" "$(diff "$W/all" "$W/union.$n" | head -n 10)"
	elif [ "$(wc -l <"$W/all")" -lt 100 ]; then
		tap_fail "--shard i/$n: the whole list" "only $(wc -l <"$W/all") scenarios listed"
	else
		tap_ok "--shard i/$n: $(wc -l <"$W/all") scenarios in disjoint shards of $sizes, their union is --list's"
	fi
done
# A scenario and the one it names (memfree_ref, judge_log_of) land in the same shard, for every N.
bad='' ngroups=0
while IFS=: read -r file line; do
	a=$(basename "$file" .scn) b=${line#*=} ngroups=$((ngroups + 1))
	for n in 2 3 4 5; do
		for ((i = 1; i <= n; i++)); do
			ina=$(grep -cx -- "$a" "$W/list.$n.$i") inb=$(grep -cx -- "$b" "$W/list.$n.$i")
			[ "$ina" = "$inb" ] || bad+="$a and $b split in $n shards; "
		done
	done
done < <(grep -H -E '^(memfree_ref|judge_log_of)=' qemu-tests/scenarios/*.scn)
if [ "$ngroups" = 0 ]; then
	tap_fail "memfree_ref/judge_log_of groups stay in one shard" "no scenario names another: nothing checked"
elif [ -n "$bad" ]; then
	tap_fail "memfree_ref/judge_log_of groups stay in one shard" "$bad"
else
	tap_ok "the $ngroups memfree_ref/judge_log_of pairs are each in one shard, for 2..5 shards"
fi
# The same split from names in another order, and again.
# selftest-memfree brings initramfs-freed-ref along (memfree_ref), and it belongs to that group.
set -- selftest-status selftest-qemu-error root-rw selftest-timeout initramfs-freed selftest-memfree
for i in 1 2 3; do
	"$R" --list --shard "$i/3" "$@" | names >"$W/fwd.$i"
	# shellcheck disable=SC2046 # the names, reversed, are words
	"$R" --list --shard "$i/3" $(printf '%s\n' "$@" | tac) | names >"$W/rev.$i"
	"$R" --list --shard "$i/3" "$@" | names >"$W/again.$i"
done
if cmp -s <(cat "$W"/fwd.*) <(cat "$W"/rev.*) && cmp -s <(cat "$W"/fwd.*) <(cat "$W"/again.*) &&
	[ "$(cat "$W"/fwd.* | wc -l)" = 7 ]; then
	tap_ok "the same shards from the names in reverse order and a second time (shard 1: $(tr '\n' ' ' <"$W/fwd.1"))"
else
	tap_fail "the same shards from the names in any order" "forward: $(cat "$W"/fwd.* | tr '\n' ' ')" \
		"reverse: $(cat "$W"/rev.* | tr '\n' ' ')" "again:   $(cat "$W"/again.* | tr '\n' ' ')"
fi

# EARLYROOT_QEMU_SHARD splits the whole tier (make check-qemu), not a run that names its scenarios.
EARLYROOT_QEMU_SHARD=2/3 "$R" --list | names >"$W/env.whole"
EARLYROOT_QEMU_SHARD=2/3 "$R" --list root-rw | names >"$W/env.named"
if cmp -s "$W/env.whole" "$W/list.3.2" && [ "$(cat "$W/env.named")" = root-rw ]; then
	tap_ok "EARLYROOT_QEMU_SHARD=2/3: the whole tier's list is --shard 2/3's; a run naming root-rw runs root-rw"
else
	tap_fail "EARLYROOT_QEMU_SHARD=2/3" "$(diff "$W/list.3.2" "$W/env.whole" | head -n 5)" "named: $(cat "$W/env.named")"
fi
echo "# the lists: $((SECONDS - t0)) s"
# --- bad values: one line, status 2, nothing started (no build directory is even made) ----------------
bad=''
for v in 0/3 4/3 x 1/0 '' 2/ /3 1/3/4 -1/3; do
	BUILD=$W/nobuild "$R" --shard "$v" root-rw >"$W/bad.out" 2>"$W/bad.err"
	rc=$?
	if [ $rc != 2 ] || [ -s "$W/bad.out" ] || [ "$(wc -l <"$W/bad.err")" != 1 ] || [ -e "$W/nobuild" ] ||
		! grep -q "^qemu-tests/run: --shard '$v': want I/N, whole numbers with 1 <= I <= N" "$W/bad.err"; then
		bad+="--shard '$v': status $rc, stdout $(head -c 200 "$W/bad.out"), stderr $(head -c 300 "$W/bad.err"); "
	fi
done
# (checked even when a run names its scenarios, which the variable does not split)
BUILD=$W/nobuild EARLYROOT_QEMU_SHARD=4/3 "$R" root-rw >"$W/bad.out" 2>"$W/bad.err"
rc=$?
{ [ $rc = 2 ] && [ ! -e "$W/nobuild" ] && grep -q "^qemu-tests/run: EARLYROOT_QEMU_SHARD '4/3'" "$W/bad.err"; } ||
	bad+="EARLYROOT_QEMU_SHARD=4/3: status $rc, stderr $(head -c 300 "$W/bad.err"); "
if [ -z "$bad" ]; then
	tap_ok "bad shards (0/3 4/3 x 1/0 '' 2/ /3 1/3/4 -1/3, and 4/3 from EARLYROOT_QEMU_SHARD): $(cat "$W/bad.err"), status 2, nothing started"
else
	tap_fail "bad shards are refused before anything starts" "$bad"
fi

# --- a real run, whole and in 3 shards -------------------------------------------------------------------
# root-rw's one boot judged by three self-tests and by shard-fail (fails: a line nobody prints) make one
# group; selftest-qemu-error, -silent and -timeout end in seconds. Groups by first name: root-rw's, then
# the three: shard 1 = root-rw's group + selftest-timeout, 2 = selftest-qemu-error, 3 = selftest-silent.
printf '%s\n' 'description=shard self-test: judged on root-rw, a line no guest prints: fails' \
	'judge_log_of=root-rw' 'expect=SHARD: a line no guest prints' >"$W/shard-fail.scn"
sel=(root-rw selftest-forbidden selftest-missing selftest-status "$W/shard-fail.scn" selftest-qemu-error
	selftest-silent selftest-timeout)
"$R" -j 2 --junit "$W/whole.xml" "${sel[@]}" >"$W/whole.tap" 2>"$W/whole.err"
echo $? >"$W/whole.rc"
for i in 1 2 3; do
	"$R" -j 2 --shard "$i/3" --junit "$W/shard$i.xml" "${sel[@]}" >"$W/shard$i.tap" 2>"$W/shard$i.err"
	echo $? >"$W/shard$i.rc"
	"$R" --list --shard "$i/3" "${sel[@]}" | names >"$W/sel.$i"
done
echo "# the whole run and its 3 shards: $((SECONDS - t0)) s since the start"
rcs="$(cat "$W/whole.rc") $(cat "$W/shard1.rc") $(cat "$W/shard2.rc") $(cat "$W/shard3.rc")"
expect_eq "exit statuses: whole 1, shard 1 (shard-fail) 1, shards 2 and 3 0" "$rcs" "1 1 0 0"
tapsum() { # FILE... — "PLAN OK NOTOK" summed
	cat "$@" | awk '/^1\.\.[0-9]+/ { p += substr($1, 4) } /^ok / { o++ } /^not ok / { f++ } END { print p + 0, o + 0, f + 0 }'
}
expect_eq "the shards' TAP plans, ok and not ok add up to the whole run's (plan ok not-ok)" \
	"$(tapsum "$W"/shard[123].tap)" "$(tapsum "$W/whole.tap")"
expect_eq "the whole run: 8 planned, 7 ok, 1 not ok" "$(tapsum "$W/whole.tap")" "8 7 1"
"$M" "$W/merged.xml" "$W"/shard[123].xml >"$W/merge.out" 2>&1
rc=$?
expect_eq "junit-merge of the 3 shards succeeds: $(cat "$W/merge.out")" "$rc" 0

# py DESCRIPTION PYTHON — assertions over the files (cases(path) -> {name: "pass"|"fail"}, suites(path)).
py() {
	local out
	if out=$(W=$W python3 - 2>&1 <<EOF
import os, sys, xml.dom.minidom
W = os.environ["W"]
def ok(cond, msg):
    if not cond:
        print(msg); sys.exit(1)
def doc(p): return xml.dom.minidom.parse(os.path.join(W, p))
def cases(p):
    return {c.getAttribute("name"): "fail" if c.getElementsByTagName("failure") or c.getElementsByTagName("error") else "pass"
            for c in doc(p).getElementsByTagName("testcase")}
def suites(p): return [s.getAttribute("name") for s in doc(p).getElementsByTagName("testsuite")]
def listed(i): return sorted(open(os.path.join(W, "sel.%d" % i)).read().split())
$2
EOF
	); then tap_ok "$1"; else tap_fail "$1" "$out"; fi
}
py "each shard's JUnit holds its --list's scenarios and says the shard in the testsuite's name" '
for i in (1, 2, 3):
    ok(sorted(cases("shard%d.xml" % i)) == listed(i), "shard %d: %s vs --list %s" % (i, sorted(cases("shard%d.xml" % i)), listed(i)))
    ok(suites("shard%d.xml" % i) == ["qemu-tests shard %d/3" % i], "shard %d suites: %s" % (i, suites("shard%d.xml" % i)))
ok(suites("whole.xml") == ["qemu-tests"], "whole: %s" % suites("whole.xml"))
ok(listed(1) == ["root-rw", "selftest-forbidden", "selftest-missing", "selftest-status", "selftest-timeout", "shard-fail"], "shard 1: %s" % listed(1))'
py "merged: the same testcases as the whole run, each with the same verdict (shard-fail the one failure)" '
m, w = cases("merged.xml"), cases("whole.xml")
ok(len(w) == 8, "whole run: %d testcases" % len(w))
ok(m == w, "merged %s\nwhole  %s" % (sorted(m.items()), sorted(w.items())))
ok([n for n, v in w.items() if v == "fail"] == ["shard-fail"], "failures: %s" % w)'
py "merged: one <testsuites> with the 3 shards' testsuites and the summed counts" '
d = doc("merged.xml").documentElement
ok(d.tagName == "testsuites", d.tagName)
ok(sorted(suites("merged.xml")) == ["qemu-tests shard %d/3" % i for i in (1, 2, 3)], suites("merged.xml"))
ok((d.getAttribute("tests"), d.getAttribute("failures"), d.getAttribute("errors")) == ("8", "1", "0"),
   "tests/failures/errors: %s/%s/%s" % (d.getAttribute("tests"), d.getAttribute("failures"), d.getAttribute("errors")))'

# --- empty shards, bail-outs, junit-merge's errors (no boot) ---------------------------------------------
"$R" --shard 3/3 --junit "$W/empty.xml" root-rw >"$W/empty.tap" 2>&1
rc=$?
if [ $rc = 0 ] && grep -q '^1\.\.0 # SKIP shard 3/3: 0 of 1 selected scenarios' "$W/empty.tap" && ! grep -q '^ok\|^not ok' "$W/empty.tap"; then
	# Not its plan line in the description: a "# SKIP" there would make this pass count as a skip.
	tap_ok "an empty shard (3/3 of one group) exits 0 with a skipped plan (1..0 and the reason)"
else
	tap_fail "an empty shard exits 0 with a skipped plan" "status $rc" "$(cat "$W/empty.tap")"
fi
py "the empty shard's JUnit is a testsuite of 0 tests named for it" '
ok(cases("empty.xml") == {} and suites("empty.xml") == ["qemu-tests shard 3/3"], "%s %s" % (cases("empty.xml"), suites("empty.xml")))'
# Shards that bail out (no kernel) each report one setup error, and those merge: no false overlap.
for i in 1 2; do
	"$R" --kernel /nonexistent --shard "$i/2" --junit "$W/bail$i.xml" root-rw selftest-qemu-error >/dev/null 2>&1
done
"$M" "$W/bail.xml" "$W/bail1.xml" "$W/bail2.xml" "$W/empty.xml" >"$W/bail.out" 2>&1
rc=$?
py "two bailed-out shards and an empty one merge: a setup error per shard, classname the shard" "
ok($rc == 0, 'junit-merge exited $rc: ' + open(os.path.join(W, 'bail.out')).read())"'
d = doc("bail.xml").documentElement
cl = sorted(c.getAttribute("classname") for c in d.getElementsByTagName("testcase"))
ok(cl == ["qemu-tests shard 1/2", "qemu-tests shard 2/2"], "setup testcases: %s" % cl)
ok(d.getAttribute("errors") == "2" and d.getAttribute("tests") == "2", "errors %s tests %s" % (d.getAttribute("errors"), d.getAttribute("tests")))'
# merge_fails DESCRIPTION MESSAGE-REGEX IN... — junit-merge exits 1 with that message and writes nothing.
merge_fails() {
	local desc=$1 re=$2 rc
	shift 2
	rm -f "$W/out.xml"
	"$M" "$W/out.xml" "$@" >"$W/mf.out" 2>&1
	rc=$?
	if [ $rc = 1 ] && grep -Eq -- "$re" "$W/mf.out" && ! [ -e "$W/out.xml" ] && ! [ -e "$W/out.xml.tmp" ]; then
		tap_ok "$desc: $(head -n1 "$W/mf.out")"
	else
		tap_fail "$desc" "status $rc (want 1), out.xml $([ -e "$W/out.xml" ] && echo written || echo absent)" "$(cat "$W/mf.out")"
	fi
}
merge_fails "junit-merge: a shard twice is an overlap" \
	'^junit-merge: testcase [a-z-]+ \(classname qemu-tests\) is in .*/shard1\.xml and in .*/shard1\.xml: the shards overlap$' \
	"$W/shard1.xml" "$W/shard2.xml" "$W/shard1.xml"
merge_fails "junit-merge: the whole run with a shard overlaps" 'the shards overlap$' "$W/shard3.xml" "$W/whole.xml"
echo 'not XML at all <' >"$W/junk.xml"
merge_fails "junit-merge: a file that is not XML" '^junit-merge: .*/junk\.xml: not a JUnit XML file: ' "$W/shard1.xml" "$W/junk.xml"
printf '<?xml version="1.0"?>\n<html><body>report</body></html>\n' >"$W/html.xml"
merge_fails "junit-merge: XML that is not JUnit" '^junit-merge: .*/html\.xml: not a JUnit XML file: the root element is <html>' "$W/html.xml"
merge_fails "junit-merge: a missing input" '^junit-merge: .*/none\.xml: not a JUnit XML file: .*No such file' "$W/none.xml"

# docs/ci.md's workflows: no runner here, but they parse, and the matrix agrees with --shard's form.
if python3 -c 'import yaml' 2>/dev/null; then
	# shellcheck disable=SC2016 # the $CI_NODE_* are GitLab's, looked for in the YAML as written
	py "docs/ci.md: every yaml block parses (PyYAML); the GitHub matrix's shards are 1..SHARDS, GitLab's use CI_NODE_INDEX/CI_NODE_TOTAL" '
import re, yaml
blocks = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", open("docs/ci.md").read(), re.S)]
ok(len(blocks) == 3, "yaml blocks: %d" % len(blocks))
gh, gl = blocks[0], blocks[1]
q = gh["jobs"]["qemu"]
ok(q["strategy"]["matrix"]["shard"] == list(range(1, q["env"]["SHARDS"] + 1)), "matrix %s vs SHARDS %s" % (q["strategy"]["matrix"]["shard"], q["env"]["SHARDS"]))
ok(any("qemu-tests/run --shard" in st.get("run", "") for st in q["steps"]), "no run --shard step")
ok(gh["jobs"]["report"]["needs"] == "qemu" and "junit-merge" in str(gh["jobs"]["report"]["steps"]), "report job")
ok(any("--shard \"$CI_NODE_INDEX/$CI_NODE_TOTAL\"" in line for line in gl[".qemu"]["script"]), "GitLab script: %s" % gl[".qemu"]["script"])
ok(all(gl[j]["extends"] == ".qemu" and isinstance(gl[j]["parallel"], int) for j in ("qemu-x86_64", "qemu-aarch64")), "GitLab parallel jobs")'
else
	tap_skip "docs/ci.md: the yaml blocks parse" "python3's yaml module (PyYAML) is not installed"
fi
tap_done
