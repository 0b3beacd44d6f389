#!/bin/sh
# SPDX-License-Identifier: MIT
#
# make check-ports: the long checks of the ports, apart from make check
# (which boots their image, tests/ports/userland.t).  Builds every port
# (build-ports.sh), then compares configure's answers for the guest and
# natively (compare-configure.sh) for each port that lists the expected
# differences (tools/wasm/ports/NAME/configure-differences), and prints
# one line per port and a summary.  Exits 1 if any comparison fails.
#
# Usage: check-ports.sh OUTDIR
#
# Logs: OUTDIR/ports/compare/NAME/ (see compare-configure.sh) and
# OUTDIR/ports/compare/NAME.out, what it printed.

set -eu

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tools/wasm/scripts/paths.sh
. "$here/paths.sh"
out_dir "usage: check-ports.sh OUTDIR" "${1:-}"

"$here/build-ports.sh" "$out"

failed=0
passed=0
mkdir -p "$out/ports/compare"
for f in "$srcroot"/tools/wasm/ports/*/configure-differences; do
	[ -f "$f" ] || continue
	name=$(basename "$(dirname "$f")")
	log=$out/ports/compare/$name.out
	if "$here/compare-configure.sh" "$out" "$name" >"$log" 2>&1; then
		passed=$((passed + 1))
		echo "ok: configure of $name: $(grep '^  SAME' "$log" | sed 's/^  SAME    //')"
	else
		failed=$((failed + 1))
		echo "FAIL: configure of $name differs from the native one ($log):"
		grep -e unexplained -e '^listed' -e '^error' "$log" | head -n 40
	fi
done
echo "check-ports: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
