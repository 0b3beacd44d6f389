#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The C test programs of tools/wasm/tests, each run in the guest from the
# BusyBox initramfs in a boot of its own; every TAP line they print is a
# case here.

. "$(dirname "$0")/../lib/tap.sh"

needs "$mod" "$out/initramfs.list" "$out/guest-tests/initramfs.list"
guest_cpio gt "$out/initramfs.list" "$out/guest-tests/initramfs.list"
d=/usr/lib/wasm-tests

for name in vfork preempt isolation shared-libc; do
	guest_program $name gt $name $d/$name
done
guest_program execve-fuzz gt execve-fuzz $d/execve-fuzz $d/seed
cases=$(sed -n 's/^ok [0-9]* - total: \([0-9]*\) cases.*/\1/p' \
	"$logs/execve-fuzz.tap")
t "execve-fuzz: at least 1,000 malformed executables (${cases:-none})" \
	test "${cases:-0}" -ge 1000

printf '%s\n' 'mv /lib/libc.so /tmp/' "$d/shared-libc; echo without-libc=\$?" \
	poweroff >"$logs/without-libc.in"
boot without-libc 120 "$logs/without-libc.in" --cpus 2 \
	--initramfs "$logs/gt.cpio" --append quiet
has "shared-libc: without /lib/libc.so its exec fails (ELIBACC)" \
	"$logs/without-libc" '^without-libc=[1-9]'
wasm-objdump -x -j dylink.0 "$out/guest-tests/shared-libc" \
	>"$logs/shared-libc.dylink" 2>&1
wasm-objdump -x -j Import "$out/guest-tests/shared-libc" \
	>"$logs/shared-libc.imports" 2>&1
has "shared-libc: the program needs libc.so" "$logs/shared-libc.dylink" \
	' libc.so$'
has "shared-libc: ... and imports printf from it" "$logs/shared-libc.imports" \
	'<- env.printf'

done_testing
