#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# User mode with musl: the sysroot, a shared libc.so, and a test program
# built with the compiler wrapper and run as init.  It prints through
# stdio, allocates, starts a thread, jumps with longjmp and exits 0,
# which the kernel reports as init's death.

. "$(dirname "$0")/../lib/tap.sh"

sysroot=$out/musl/sysroot
needs "$mod" "$out/usr/gen_init_cpio" "$sysroot/lib/libc.a"
t "musl builds for wasm32: crt1.o" test -f "$sysroot/lib/crt1.o"
wasm-objdump -x -j dylink.0 "$sysroot/lib/libc.so" >"$logs/libc-dylink" 2>&1
has "libc.so has a dylink.0 section" "$logs/libc-dylink" 'mem_size'
lacks "libc.so needs no other library" "$logs/libc-dylink" 'needed'

t "wasm-linux-cc builds a program" \
	env WASM_SYSROOT="$sysroot" "$repo/tools/wasm/scripts/wasm-linux-cc" \
	-O2 -static -o "$logs/hello" "$repo/tools/wasm/musl/test/hello.c"
wasm-objdump -h "$logs/hello" >"$logs/hello-sections" 2>&1
has "... with a dylink.0 section" "$logs/hello-sections" 'dylink.0'
wasm-objdump -x -j Import "$logs/hello" >"$logs/hello-imports" 2>&1
has "... instrumented for fork and setjmp (Asyncify)" "$logs/hello-imports" \
	'env\.__asyncify_state'

# autoconf's link tests declare every function as "char f();": against
# libc.so that must link, as against libc.a (configure finds getpwnam).
printf 'char getpwnam();\nint main(void) { return getpwnam() != 0; }\n' \
	>"$logs/conftest.c"
t "a configure-style link test finds libc.so's getpwnam" \
	env WASM_SYSROOT="$sysroot" "$repo/tools/wasm/scripts/wasm-linux-cc" \
	-o "$logs/conftest" "$logs/conftest.c"

printf 'dir /dev 755 0 0\nnod /dev/console 600 0 0 c 5 1\nfile /init %s 755 0 0\n' \
	"$logs/hello" >"$logs/hello.list"
"$out/usr/gen_init_cpio" "$logs/hello.list" >"$logs/hello.cpio"
boot user 120 /dev/null --cpus 2 --initramfs "$logs/hello.cpio" --append quiet
has "a musl program runs as init and prints" "$logs/user" \
	'^hello from wasm32 musl, argc=1 argv\[0\]=/init'
has "user mode: malloc of 1 B to 1 MiB (mmap)" "$logs/user" '^malloc: ok'
has "user mode: a pthread runs and is joined" "$logs/user" \
	'^thread: returned 85'
has "user mode: setjmp/longjmp (Asyncify, the host's unwinding)" "$logs/user" \
	'^setjmp: 3 after 3 jumps'
has "user mode: init exits with status 0" "$logs/user" \
	'Attempted to kill init! exitcode=0x00000000'
has "user mode: the program's own checks all pass" "$logs/user" '^all ok'

done_testing
