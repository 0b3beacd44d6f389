#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# KUnit at boot: the suites of arch/wasm/configs/kunit.config, in the
# kernel make check-build builds in $(O)-kunit, which powers off when they
# are done.  Every test case of kunit.py's parse is a case here.

. "$(dirname "$0")/../lib/tap.sh"

kout=$out-kunit
mod=$kout/vmlinux.wasm
needs "$mod" "$tree/tools/testing/kunit/kunit.py"
boot kunit 1200 /dev/null --cpus 4 --stats --append "kunit_shutdown=poweroff"
same "the KUnit kernel powers off after its suites: host status 0" 0 $status
cp "$logs/kunit" "$kout/kunit.log"
python3 "$tree/tools/testing/kunit/kunit.py" parse \
	--json="$logs/kunit.json" "$logs/kunit" >"$logs/kunit.parse" 2>&1
t "kunit.py parses the log (in $kout/kunit.log)" test -s "$logs/kunit.json"
if [ -s "$logs/kunit.json" ]; then
	python3 - "$logs/kunit.json" >"$logs/cases" <<'PY'
import json
import sys


def walk(group, path):
    for case in group.get("test_cases", []):
        print(case["status"], ".".join(path + [case["name"]]))
    for sub in group.get("sub_groups", []):
        walk(sub, path + [sub["name"]])


top = json.load(open(sys.argv[1]))
for suite in top.get("sub_groups", []):
    walk(suite, [suite["name"]])
for case in top.get("test_cases", []):
    print(case["status"], case["name"])
PY
	while read -r kstatus kname; do
		case "$kstatus" in
		PASS) _ok "kunit: $kname" ;;
		SKIP) skip "kunit: $kname" "skipped by the test" ;;
		*) _not_ok "kunit: $kname ($kstatus)"
		   _note "the suite's log is in $kout/kunit.log" ;;
		esac
	done <"$logs/cases"
fi
figure "KUnit: $(sed -n 's/.*Testing complete\. \(Ran .*\)/\1/p' \
	"$logs/kunit.parse" | sed 's/\x1b\[[0-9;]*m//g')"
for suite in wasm_spinlock wasm_switch binfmt_wasm wasm_mmio \
	     rust_doctests_kernel; do
	has "KUnit suite $suite ran and passed" "$logs/kunit" \
		"^\[ *[0-9.]*\] ok [0-9]+ $suite\$"
done
for selftest in test_bitmap test_uuid test_printf test_scanf; do
	has "boot self-test $selftest: all its tests passed" "$logs/kunit" \
		"$selftest: all [0-9]+ tests passed"
done
# wasm_switch starts and stops 300 tasks one after the other: their host
# threads must go as their tasks exit (some 300 started, a few at once).
threads=$(sed -n 's/.*kernel threads: \([0-9]*\) started, at most \([0-9]*\) at once/\1 \2/p' \
	"$logs/kunit")
figure "kernel threads started, most at once: ${threads:-?}"
set -- $threads
t "task exit releases its host thread (${1:-?} started, at most ${2:-?} at once)" \
	test "${1:-0}" -ge 300 -a "${2:-999}" -lt 150

done_testing
