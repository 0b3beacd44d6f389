#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The conformance tests (tools/wasm/tests/conformance), each in the guest
# in a boot of its own; every TAP line is a case.  The same sources run
# natively in conformance-native.t, the reference.

. "$(dirname "$0")/../lib/tap.sh"

needs "$mod" "$out/initramfs.list" "$out/conformance/initramfs.list"
guest_cpio cf "$out/initramfs.list" "$out/conformance/initramfs.list"
d=/usr/lib/wasm-tests/conformance
for src in "$repo"/tools/wasm/tests/conformance/*.c; do
	name=$(basename "$src" .c)
	guest_program "conformance $name" cf "$name" "$d/$name"
done
# fork.c once more, linked against libc.so.
guest_program "conformance fork-shared" cf fork-shared "$d/fork-shared"

done_testing
