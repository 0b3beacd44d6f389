#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The root Makefile's own targets with Kbuild's variables on the command
# line, as a kernel developer types them: ARCH=wasm, O=, V=1 and LLVM=
# must not reach the builds of musl and BusyBox (ARCH=wasm once overrode
# musl's ARCH = wasm32).  A new make, as from a shell, on a copy of the
# build in a scratch O= directory without the prepared musl and BusyBox,
# so that both are built again.

. "$(dirname "$0")/../lib/tap.sh"

needs "$mod" "$out/musl/musl-src" "$out/busybox"
scratch=$logs/o
user_make()
{
	env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS \
		make -C "$repo" -j2 WASM_CACHE="$cache" "$@"
}
mkdir -p "$scratch"
# The build without the logs of make check (this test's among them) and
# without the ports, which make run then takes from the cache.
(cd "$out" && find . -mindepth 1 -maxdepth 1 ! -name check-logs ! -name ports \
	-exec cp -a {} "$scratch/" \;)
rm -rf "$scratch/musl/musl-src" "$scratch/musl/sysroot" \
	"$scratch/busybox" "$scratch/busybox-src" "$scratch/initramfs.cpio"
t "make ARCH=wasm O=DIR V=1 LLVM=1 userspace succeeds" \
	user_make ARCH=wasm O="$scratch" V=1 LLVM=1 userspace
um=$logs/case-$_n.log
has "... it built musl again" "$um" '^  MAKE    musl'
has "... and BusyBox" "$um" '^  MAKE    busybox'
t "... into the O= directory" test -f "$scratch/musl/sysroot/lib/libc.so" \
	-a -f "$scratch/busybox/busybox" -a -s "$scratch/initramfs.cpio"

rm -rf "$scratch/musl/musl-src"
printf 'uname -m\npoweroff\n' >"$logs/run.in"
user_make ARCH=wasm O="$scratch" run <"$logs/run.in" >"$logs/run.raw" 2>&1
same "make ARCH=wasm run (uname -m, poweroff): status 0" 0 $?
tr -d '\r' <"$logs/run.raw" >"$logs/run"
# bash, the login shell of make run's image, may turn bracketed paste
# off (ESC [?2004l) before the command's output.
has "... prints wasm32" "$logs/run" '^(.\[\?2004l)?wasm32$'

drop_if_passed -r "$scratch"
done_testing
