#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build the guest test programs of tools/wasm/tests with wasm-linux-cc.
#
# Usage: build-guest-tests.sh OUTDIR
#
# Result: OUTDIR/guest-tests/{seed,execve-fuzz,isolation,vfork,preempt,shared-libc}
# (shared-libc linked against /lib/libc.so, the others -static), and
# OUTDIR/guest-tests/initramfs.list, lines to append to a gen_init_cpio
# list (such as OUTDIR/initramfs.list) that install them as
# /usr/lib/wasm-tests/NAME.  In the guest:
#
#   /usr/lib/wasm-tests/execve-fuzz /usr/lib/wasm-tests/seed
#   /usr/lib/wasm-tests/isolation
#   /usr/lib/wasm-tests/vfork
#   /usr/lib/wasm-tests/preempt
#   /usr/lib/wasm-tests/shared-libc
#
# Each prints TAP and exits 0 if all its tests passed.  A program is
# rebuilt only when its source, this script, the compiler wrapper or the C
# library changed.  The sysroot is the wrapper's: $WASM_SYSROOT, else
# $O/musl/sysroot (O=build).

set -eu

out=${1:?usage: build-guest-tests.sh OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
srcroot=$(cd "$here/../../.." && pwd)
src=$srcroot/tools/wasm/tests
cc=$here/wasm-linux-cc
dst=$out/guest-tests

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
	echo "build-guest-tests: no C library at $libc" >&2
	echo "  (build it with tools/wasm/scripts/build-musl.sh)" >&2
	exit 1
fi
mkdir -p "$dst"

cflags="-O2 -std=c11 -Wall -Wextra -Wno-missing-field-initializers"

# build NAME [EXTRA CFLAGS]: OUTDIR/guest-tests/NAME from tests/NAME.c.
build()
{
	name=$1
	shift
	target=$dst/$name
	source=$src/$name.c
	if [ -f "$target" ] && [ ! "$source" -nt "$target" ] &&
	   [ ! "$0" -nt "$target" ] && [ ! "$cc" -nt "$target" ] &&
	   [ ! "$libc" -nt "$target" ]; then
		return 0
	fi
	echo "  WASMCC  $target"
	# shellcheck disable=SC2086
	"$cc" $cflags "$@" -o "$target.tmp" "$source"
	mv -f "$target.tmp" "$target"
}

build seed -static
build execve-fuzz -static
# The scribbler stores to address 0 on purpose.
build isolation -static -fno-delete-null-pointer-checks
build vfork -static
build preempt -static
# Linked against /lib/libc.so.
build shared-libc

list=$dst/initramfs.list
{
	echo "# the guest tests (tools/wasm/scripts/build-guest-tests.sh)"
	echo "dir /usr 0755 0 0"
	echo "dir /usr/lib 0755 0 0"
	echo "dir /usr/lib/wasm-tests 0755 0 0"
	for name in seed execve-fuzz isolation vfork preempt shared-libc; do
		echo "file /usr/lib/wasm-tests/$name $dst/$name 0755 0 0"
	done
} >"$list.tmp"
if cmp -s "$list.tmp" "$list"; then
	rm -f "$list.tmp"
else
	mv -f "$list.tmp" "$list"
fi
