#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The web host's unwinding (fork, setjmp, longjmp; src/unwind.js) under
# node: the driver against a stand-in kernel, then a fork through the
# real kernel and the web host's workers (src/node-run.js).  Both build
# their modules with wat2wasm and binaryen's wasm-opt, which
# setup-toolchain.sh installs.

. "$(dirname "$0")/../lib/tap.sh"

needs "$mod"
command -v wat2wasm >/dev/null ||
	bail "no wat2wasm (run: tools/wasm/scripts/setup-toolchain.sh, or apt-get install wabt)"
t "web host: setjmp, longjmp and fork in the unwind driver" \
	node --test "$repo/tools/wasm/web/test/unwind.test.mjs"
t "web host: fork and longjmp across it through the kernel" \
	node "$repo/tools/wasm/web/test/fork-node.mjs" "$mod"

done_testing
