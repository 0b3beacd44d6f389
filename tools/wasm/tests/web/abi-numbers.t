#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The web host's ABI numbers (tools/wasm/web/src/abi.js) against the
# table of Documentation/arch/wasm/host-abi.rst, both ways.

. "$(dirname "$0")/../lib/tap.sh"

t "web host: abi.js's numbers are host-abi.rst's" \
	node "$repo/tools/wasm/web/test/abi-numbers.mjs"

done_testing
