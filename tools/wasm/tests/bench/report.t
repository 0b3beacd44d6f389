#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make bench's report (tools/wasm/scripts/bench_report.py): its parsers
# and outputs on sample logs, with Python's unittest (each test a case).

. "$(dirname "$0")/../lib/tap.sh"

(cd "$repo" && python3 -B -m unittest discover -v -s tools/wasm/scripts \
	-p test_bench_report.py) >"$logs/unittest" 2>&1
status=$?
seen=0
while IFS= read -r line; do
	case "$line" in
	*' ... ok') _ok "bench report: ${line% ... ok}"; seen=1 ;;
	*' ... FAIL'|*' ... ERROR')
		_not_ok "bench report: ${line% ... *}"
		_note "the output is in $logs/unittest"
		seen=1 ;;
	esac
done <"$logs/unittest"
same "bench report: unittest ran tests and exited 0" "1 0" "$seen $status"

done_testing
