#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build the conformance tests of tools/wasm/tests/conformance with the
# host's C compiler and run them natively: the reference the wasm32
# guest's results are compared with.
#
# Usage: run-conformance-native.sh OUTDIR
#
# Programs go to OUTDIR/conformance-native/NAME (rebuilt when their
# source, tap.h or this script changed; CC overrides clang-22).  Each runs
# between "BEGIN NAME" and "END NAME STATUS" lines, printing TAP, with
# TMPDIR defaulting to /tmp.  Exits 0 iff every program exited 0.

set -eu

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tools/wasm/scripts/paths.sh
. "$here/paths.sh"
out_dir "usage: run-conformance-native.sh OUTDIR" "${1:-}"
src=$srcroot/tools/wasm/tests/conformance
dst=$out/conformance-native
# clang-22, which the set-up installs (a fresh machine may have no gcc).
cc=${CC:-$(command -v clang-22 || echo cc)}
cflags="-O2 -pthread -std=c11 -Wall -Wextra -Wno-missing-field-initializers"
# conformance/tap.h builds on the base tree's kselftest.h.
need_selftests
mkdir -p "$dst"
export TMPDIR="${TMPDIR:-/tmp}"

names=
for source in "$src"/*.c; do
	[ -f "$source" ] || continue
	name=$(basename "$source" .c)
	names="$names $name"
	target=$dst/$name
	if [ -f "$target" ] && [ ! "$source" -nt "$target" ] &&
	   [ ! "$src/tap.h" -nt "$target" ] && [ ! "$0" -nt "$target" ]; then
		continue
	fi
	echo "  CC      $target" >&2
	# shellcheck disable=SC2086
	"$cc" $cflags -I"$selftests" -o "$target.tmp" "$source"
	mv -f "$target.tmp" "$target"
done

failed=0
for name in $names; do
	echo "BEGIN $name"
	set +e
	"$dst/$name" </dev/null
	status=$?
	set -e
	echo "END $name $status"
	[ "$status" -eq 0 ] || failed=$((failed + 1))
done
echo "conformance-native: $failed failed"
[ "$failed" -eq 0 ]
