#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build the conformance tests of tools/wasm/tests/conformance for the
# wasm32 guest with wasm-linux-cc.
#
# Usage: build-conformance.sh OUTDIR
#
# Result, in OUTDIR/conformance:
#   NAME            one static program per tests/conformance/NAME.c
#   initramfs.list  gen_init_cpio lines (to append to a list such as
#                   OUTDIR/initramfs.list) installing them and run-all.sh
#                   in /usr/lib/wasm-tests/conformance (as run-all)
#   run-all.sh      a /bin/sh script that runs each program between
#                   "BEGIN NAME" and "END NAME STATUS" lines
#
# Each program prints TAP and exits 0 if all its cases passed; the same
# sources run natively with run-conformance-native.sh.  A program is
# rebuilt only when its source, tap.h, this script, the compiler wrapper
# or the C library changed.  The sysroot is the wrapper's: $WASM_SYSROOT,
# else $O/musl/sysroot (O=build).

set -eu

out=${1:?usage: build-conformance.sh OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
srcroot=$(cd "$here/../../.." && pwd)
src=$srcroot/tools/wasm/tests/conformance
cc=$here/wasm-linux-cc
dst=$out/conformance
guestdir=/usr/lib/wasm-tests/conformance

if [ -z "${WASM_SYSROOT:-}" ]; then
	o=${O:-build}
	case "$o" in
	/*) ;;
	*) o=$srcroot/$o ;;
	esac
	WASM_SYSROOT=$o/musl/sysroot
fi
export WASM_SYSROOT
libc=$WASM_SYSROOT/lib/libc.a
if [ ! -f "$libc" ]; then
	echo "build-conformance: no C library at $libc" >&2
	echo "  (build it with tools/wasm/scripts/build-musl.sh)" >&2
	exit 1
fi
mkdir -p "$dst"

cflags="-O2 -std=c11 -Wall -Wextra -Wno-missing-field-initializers -static -pthread"

# replace FILE: moves FILE.tmp over FILE unless they are the same.
replace()
{
	if cmp -s "$1.tmp" "$1"; then
		rm -f "$1.tmp"
	else
		mv -f "$1.tmp" "$1"
	fi
}

names=
for source in "$src"/*.c; do
	[ -f "$source" ] || continue
	name=$(basename "$source" .c)
	names="$names $name"
	target=$dst/$name
	if [ -f "$target" ] && [ ! "$source" -nt "$target" ] &&
	   [ ! "$src/tap.h" -nt "$target" ] && [ ! "$0" -nt "$target" ] &&
	   [ ! "$cc" -nt "$target" ] && [ ! "$libc" -nt "$target" ]; then
		continue
	fi
	echo "  WASMCC  $target"
	# shellcheck disable=SC2086
	"$cc" $cflags -o "$target.tmp" "$source"
	mv -f "$target.tmp" "$target"
done

{
	echo "#!/bin/sh"
	echo "# Runs the conformance tests (tools/wasm/scripts/build-conformance.sh)."
	echo "# Each prints TAP between BEGIN NAME and END NAME STATUS lines; the"
	echo "# exit status is 0 if every test exited 0."
	echo "d=$guestdir"
	echo "export TMPDIR=\${TMPDIR:-/tmp}"
	echo "failed=0"
	for name in $names; do
		echo "echo BEGIN $name; \"\$d/$name\"; s=\$?; echo END $name \$s; [ \$s -eq 0 ] || failed=\$((failed + 1))"
	done
	echo "echo \"conformance: \$failed failed\""
	echo "[ \$failed -eq 0 ]"
} >"$dst/run-all.sh.tmp"
replace "$dst/run-all.sh"
chmod 0755 "$dst/run-all.sh"

{
	echo "# the conformance tests (tools/wasm/scripts/build-conformance.sh)"
	echo "dir /usr 0755 0 0"
	echo "dir /usr/lib 0755 0 0"
	echo "dir /usr/lib/wasm-tests 0755 0 0"
	echo "dir $guestdir 0755 0 0"
	for name in $names; do
		echo "file $guestdir/$name $dst/$name 0755 0 0"
	done
	echo "file $guestdir/run-all $dst/run-all.sh 0755 0 0"
} >"$dst/initramfs.list.tmp"
replace "$dst/initramfs.list"
