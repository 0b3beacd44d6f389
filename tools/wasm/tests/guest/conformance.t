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
	printf '%s\n' "echo BEGIN $name; $d/$name; echo END $name \$?" poweroff \
		>"$logs/$name.in"
	boot "$name" 600 "$logs/$name.in" --cpus 2 --initramfs "$logs/cf.cpio" \
		--append quiet
	same "conformance $name: the guest powers off, host status 0" 0 "$status"
	section "$name" "$logs/$name" >"$logs/$name.tap"
	import "conformance $name" "$logs/$name.tap"
	has "conformance $name ran to the end in the guest and exited 0" \
		"$logs/$name.tap" "^END $name 0\$"
done

done_testing
