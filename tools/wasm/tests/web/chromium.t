#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The web host.  The page of tools/wasm/web boots the same vmlinux.wasm
# and initramfs in Web Workers; e2e.mjs (through web.sh, which installs
# Chromium and the npm packages) types into its terminal and opens the
# page once without COOP/COEP, where it must explain why it cannot run.
# Then the web host's virtio devices on corrupt and good rings, in Node.

. "$(dirname "$0")/../lib/tap.sh"

needs "$mod" "$out/initramfs.cpio"
"$repo/tools/wasm/scripts/web.sh" test "$repo" "$out" >"$logs/web" 2>&1
status=$?
import "web host" "$logs/web"
same "web host: the Chromium test runs to its end and exits 0" 0 $status
figure "$(grep '^web: boot to prompt' "$logs/web")"
t "web host: virtio device unit tests (node --test)" \
	node --test "$repo/tools/wasm/web/test/virtio.test.mjs"

done_testing
