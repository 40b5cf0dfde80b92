#!/bin/bash
# qemu-tests/test-junit.sh — `qemu-tests/run --junit FILE` writes JUnit XML that parses and says the
# truth (TAP). One real boot whose kernel command line (echoed on the console) and failure reason hold
# XML metacharacters, "]]>", an escape sequence, a control byte and invalid UTF-8; a self-test that passes;
# a run that bails out before any boot.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
. tests/tap.sh
W=$(mktemp -d /tmp/earlyroot-junit-test.XXXXXX)
trap 'rm -rf "$W" "${BUILD:-build}/qemu-tests/logs/junit-nasty.log"' EXIT
command -v python3 >/dev/null || { tap_skip "JUnit XML" "python3 not found (mk/deps check installs it)"; tap_done; exit 0; }

# The nasty boot: it reaches the probe, then fails on a missing line full of metacharacters.
printf '%s\n' 'description=junit self-test: console and reason full of XML metacharacters, control bytes, invalid UTF-8' \
	"append=root=/dev/vda rw junk=<a&b>\"c'd]]>$(printf '\033[31m\377\376\001')end" \
	'expect=PROBE: done' \
	'expect=never <printed> & "quoted" ]]>' >"$W/junit-nasty.scn"
ER_JUNIT_LINES=400 qemu-tests/run -j2 --junit "$W/run.xml" selftest-qemu-error "$W/junit-nasty.scn" >"$W/run.tap" 2>&1
rc=$?
expect_eq "run exits 1: one scenario failed" "$rc" 1
# A run that cannot start still leaves a report (CI would otherwise publish nothing).
qemu-tests/run --junit "$W/bail.xml" --kernel /nonexistent selftest-qemu-error >"$W/bail.tap" 2>&1
expect_eq "a bail-out exits 1" "$?" 1

check() { # DESCRIPTION FILE PYTHON-ASSERTIONS (doc = the parsed file; ok() fails with a message)
	local out
	if out=$(python3 - "$2" 2>&1 <<EOF
import sys, xml.dom.minidom
doc = xml.dom.minidom.parse(sys.argv[1])
def ok(cond, msg):
    if not cond:
        print(msg); sys.exit(1)
def text(e): return "".join(n.data for n in e.childNodes if n.nodeType in (n.TEXT_NODE, n.CDATA_SECTION_NODE))
cases = {c.getAttribute("name"): c for c in doc.getElementsByTagName("testcase")}
suite = doc.getElementsByTagName("testsuite")[0]
$3
EOF
	); then tap_ok "$1"; else tap_fail "$1" "$out" "--- $2:" "$(head -c 3000 "$2")"; fi
}
check "the file parses as XML (xml.dom.minidom)" "$W/run.xml" 'pass'
check "one testcase per scenario, counts in the testsuite" "$W/run.xml" '
ok(sorted(cases) == ["junit-nasty", "selftest-qemu-error"], "testcases: %s" % sorted(cases))
ok(suite.getAttribute("tests") == "2" and suite.getAttribute("failures") == "1", "tests/failures: %s/%s" % (suite.getAttribute("tests"), suite.getAttribute("failures")))
ok(float(cases["junit-nasty"].getAttribute("time")) > 0, "no time on the boot")'
check "a self-test detected as intended is a passed testcase" "$W/run.xml" '
ok(not cases["selftest-qemu-error"].getElementsByTagName("failure"), "has a failure element")'
check "the failure message is the reason, metacharacters intact" "$W/run.xml" '
f = cases["junit-nasty"].getElementsByTagName("failure")
ok(len(f) == 1, "failure elements: %d" % len(f))
want = "missing:never <printed> & \"quoted\" ]]>"
ok(f[0].getAttribute("message") == want, "message: %r" % f[0].getAttribute("message"))
ok(text(f[0]) == want, "failure text: %r" % text(f[0]))'
check "system-out is the serial log: the probe, and the command line cleaned of bytes XML forbids" "$W/run.xml" '
out = text(cases["junit-nasty"].getElementsByTagName("system-out")[0])
ok("PROBE: done" in out, "no PROBE: done")
ok("junk=<a&b>\"c\x27d]]>[31mend" in out, "command line not found as expected: %r" % [l for l in out.splitlines() if "junk=" in l])
ok(not any(ord(c) < 32 and c not in "\t\n\r" for c in out), "a control character survived")'
check "a bail-out is one testcase in error with the reason" "$W/bail.xml" '
e = doc.getElementsByTagName("error")
ok(len(e) == 1 and "no kernel" in e[0].getAttribute("message"), "error: %r" % [x.toxml() for x in e])
ok(suite.getAttribute("errors") == "1", "errors=%s" % suite.getAttribute("errors"))'
tap_done
