#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build the guest test programs of tools/wasm/tests and the conformance
# tests of tools/wasm/tests/conformance with wasm-linux-cc.
#
# Usage: build-guest-tests.sh OUTDIR
#
# Result:
#   OUTDIR/guest-tests/{seed,execve-fuzz,isolation,vfork,preempt,shared-libc}
#       (shared-libc linked against /lib/libc.so, the others -static),
#       installed as /usr/lib/wasm-tests/NAME.  In the guest:
#         /usr/lib/wasm-tests/execve-fuzz /usr/lib/wasm-tests/seed
#         /usr/lib/wasm-tests/isolation
#         /usr/lib/wasm-tests/vfork
#         /usr/lib/wasm-tests/preempt
#         /usr/lib/wasm-tests/shared-libc
#   OUTDIR/conformance/NAME, one static program per conformance/NAME.c,
#       installed in /usr/lib/wasm-tests/conformance with run-all, a
#       /bin/sh script (OUTDIR/conformance/run-all.sh) that runs each
#       between "BEGIN NAME" and "END NAME STATUS" lines; the same sources
#       run natively with run-conformance-native.sh.
#   OUTDIR/guest-tests/initramfs.list and OUTDIR/conformance/initramfs.list,
#       gen_init_cpio lines to append to a list such as
#       OUTDIR/initramfs.list.
#
# Each program prints TAP and exits 0 if all its tests passed.  A program is
# rebuilt only when its source, a header of its directory, this script,
# the compiler wrapper or the C library changed.  The sysroot is the
# wrapper's: $WASM_SYSROOT, else $O/musl/sysroot (O=build).

set -eu

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tools/wasm/scripts/paths.sh
. "$here/paths.sh"
out_dir "usage: build-guest-tests.sh OUTDIR" "${1:-}"
tests=$srcroot/tools/wasm/tests
cc=$here/wasm-linux-cc
guestdir=/usr/lib/wasm-tests

# The sysroot wasm-linux-cc would take (exits if it has no libc.a).
# shellcheck source=tools/wasm/scripts/wasm-sysroot.sh
. "$here/wasm-sysroot.sh"
WASM_SYSROOT=$sysroot
export WASM_SYSROOT
libc=$sysroot/lib/libc.a

cflags="-O2 -std=c11 -Wall -Wextra -Wno-missing-field-initializers"
# conformance/tap.h builds on the base tree's kselftest.h.
need_selftests

# replace FILE: moves FILE.tmp over FILE unless they are the same.
replace()
{
	if cmp -s "$1.tmp" "$1"; then
		rm -f "$1.tmp"
	else
		mv -f "$1.tmp" "$1"
	fi
}

# build SRCDIR DSTDIR NAME [EXTRA CFLAGS]: DSTDIR/NAME from SRCDIR/NAME.c,
# or from SRCDIR/$from.c if from is set.
from=
build()
{
	srcdir=$1 dstdir=$2 name=$3
	shift 3
	target=$dstdir/$name
	source=$srcdir/${from:-$name}.c
	if [ -f "$target" ] && [ ! "$source" -nt "$target" ] &&
	   [ ! "$0" -nt "$target" ] && [ ! "$cc" -nt "$target" ] &&
	   [ ! "$libc" -nt "$target" ]; then
		stale=no
		for h in "$srcdir"/*.h; do
			[ -f "$h" ] && [ "$h" -nt "$target" ] && stale=yes
		done
		[ $stale = no ] && return 0
	fi
	echo "  WASMCC  $target"
	# shellcheck disable=SC2086
	"$cc" $cflags "$@" -o "$target.tmp" "$source"
	mv -f "$target.tmp" "$target"
}

# --- the guest tests ------------------------------------------------------

dst=$out/guest-tests
mkdir -p "$dst"
build "$tests" "$dst" seed -static
build "$tests" "$dst" execve-fuzz -static
# The scribbler stores to address 0 on purpose.
build "$tests" "$dst" isolation -static -fno-delete-null-pointer-checks
build "$tests" "$dst" vfork -static
build "$tests" "$dst" preempt -static
# Linked against /lib/libc.so.
build "$tests" "$dst" shared-libc

{
	echo "# the guest tests (tools/wasm/scripts/build-guest-tests.sh)"
	echo "dir /usr 0755 0 0"
	echo "dir /usr/lib 0755 0 0"
	echo "dir $guestdir 0755 0 0"
	for name in seed execve-fuzz isolation vfork preempt shared-libc; do
		echo "file $guestdir/$name $dst/$name 0755 0 0"
	done
} >"$dst/initramfs.list.tmp"
replace "$dst/initramfs.list"

# --- the conformance tests ------------------------------------------------

dst=$out/conformance
mkdir -p "$dst"
names=
for source in "$tests"/conformance/*.c; do
	[ -f "$source" ] || continue
	name=$(basename "$source" .c)
	names="$names $name"
	build "$tests/conformance" "$dst" "$name" -static -pthread \
		-I"$selftests"
done
# fork in a program linked against /lib/libc.so too.
from=fork
build "$tests/conformance" "$dst" fork-shared -pthread -I"$selftests"
from=
names="$names fork-shared"

{
	echo "#!/bin/sh"
	echo "# Runs the conformance tests (tools/wasm/scripts/build-guest-tests.sh)."
	echo "# Each prints TAP between BEGIN NAME and END NAME STATUS lines; the"
	echo "# exit status is 0 if every test exited 0."
	echo "d=$guestdir/conformance"
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
	echo "# the conformance tests (tools/wasm/scripts/build-guest-tests.sh)"
	echo "dir /usr 0755 0 0"
	echo "dir /usr/lib 0755 0 0"
	echo "dir $guestdir 0755 0 0"
	echo "dir $guestdir/conformance 0755 0 0"
	for name in $names; do
		echo "file $guestdir/conformance/$name $dst/$name 0755 0 0"
	done
	echo "file $guestdir/conformance/run-all $dst/run-all.sh 0755 0 0"
} >"$dst/initramfs.list.tmp"
replace "$dst/initramfs.list"
