#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The web host's hand-kept wasm bytes: EQ_WASM (src/module-cache.js) is
# src/eq.wat assembled by wabt's wat2wasm (which setup-toolchain.sh
# installs).

. "$(dirname "$0")/../lib/tap.sh"

command -v wat2wasm >/dev/null ||
	bail "no wat2wasm (run: tools/wasm/scripts/setup-toolchain.sh, or apt-get install wabt)"
t "web host: EQ_WASM is src/eq.wat assembled" \
	node "$repo/tools/wasm/web/test/eq-wasm.mjs"

done_testing
