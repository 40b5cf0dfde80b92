# shellcheck shell=bash
# qemu-tests/junit.sh — JUnit XML for `qemu-tests/run --junit FILE` (bash, sourced by run).
#
# One <testcase> per scenario (classname qemu-tests, or qemu-tests.ARCH off x86_64), a <failure> whose
# message is the harness's reason, and <system-out> with the last lines of the serial log. The serial log
# is whatever the guest wrote: invalid UTF-8 is dropped, control characters XML 1.0 forbids are removed
# and & < > " ' are escaped, so the file always parses.

# er_xml_text — stdin to stdout as XML character data (also safe inside an attribute in double quotes).
er_xml_text() {
	iconv -f UTF-8 -t UTF-8 -c 2>/dev/null |
		LC_ALL=C tr -d '\000-\010\013\014\016-\037' |
		LC_ALL=C sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/"/\&quot;/g' -e "s/'/\&apos;/g"
}
# er_xml_attr STRING — STRING escaped for an attribute value, on one line (newlines and tabs as references).
er_xml_attr() { printf '%s' "$1" | er_xml_text | LC_ALL=C sed -e 's/\t/\&#9;/g' -e '$!s/$/\&#10;/' | tr -d '\n'; }

# er_junit_case OUTDIR SEQ NAME CLASS SECONDS REASON LOG — one testcase, as OUTDIR/SEQ.xml. REASON empty:
# passed. LOG (the serial log without CRs, may be missing): its last ER_JUNIT_LINES (30) lines.
er_junit_case() {
	local out name=$3 class=$4 secs=$5 reason=$6 log=$7
	out=$1/$(printf '%05d' "$2").xml
	{
		printf '  <testcase name="%s" classname="%s" time="%s">\n' "$(er_xml_attr "$name")" \
			"$(er_xml_attr "$class")" "$(er_xml_attr "$secs")"
		if [ -n "$reason" ]; then
			printf '    <failure message="%s" type="%s">' "$(er_xml_attr "$reason")" "$(er_xml_attr "${reason%%[: (]*}")"
			printf '%s' "$reason" | er_xml_text
			printf '</failure>\n'
		fi
		if [ -s "$log" ]; then
			printf '    <system-out>'
			tail -n "${ER_JUNIT_LINES:-30}" "$log" | er_xml_text
			printf '</system-out>\n'
		fi
		printf '  </testcase>\n'
	} >"$out"
}

# er_junit_write FILE OUTDIR SUITE SECONDS [ERROR] — FILE: a <testsuite> holding OUTDIR/*.xml in order;
# with ERROR (the run bailed out before any boot) one testcase "setup" in error. Written to FILE.tmp first.
er_junit_write() {
	local file=$1 dir=$2 suite=$3 secs=$4 error=${5:-} tests failures f
	if [ -n "$error" ]; then
		mkdir -p "$dir"
		{
			printf '  <testcase name="setup" classname="%s" time="0">\n' "$(er_xml_attr "$suite")"
			printf '    <error message="%s" type="setup">' "$(er_xml_attr "$error")"
			printf '%s' "$error" | er_xml_text
			printf '</error>\n  </testcase>\n'
		} >"$dir/99999.xml"
	fi
	tests=0 failures=0
	for f in "$dir"/*.xml; do
		[ -e "$f" ] || continue
		tests=$((tests + 1))
		grep -q '^    <failure ' "$f" && failures=$((failures + 1))
	done
	{
		printf '<?xml version="1.0" encoding="UTF-8"?>\n'
		printf '<testsuites>\n'
		printf '<testsuite name="%s" tests="%d" failures="%d" errors="%d" skipped="0" time="%s" timestamp="%s" hostname="%s">\n' \
			"$(er_xml_attr "$suite")" "$tests" "$failures" "$([ -n "$error" ] && echo 1 || echo 0)" \
			"$(er_xml_attr "$secs")" "$(date -u +%Y-%m-%dT%H:%M:%S)" "$(er_xml_attr "$(uname -n)")"
		for f in "$dir"/*.xml; do [ -e "$f" ] && cat "$f"; done
		printf '</testsuite>\n</testsuites>\n'
	} >"$file.tmp" && mv -f "$file.tmp" "$file"
}
