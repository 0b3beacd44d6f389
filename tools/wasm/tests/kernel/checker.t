#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The build-time checker of vmlinux.wasm (arch/wasm/tools): its unit
# tests, and rustfmt over every Rust file of arch/wasm with the kernel's
# .rustfmt.toml.

. "$(dirname "$0")/../lib/tap.sh"

needs "$tree/.rustfmt.toml"
checker_src=$repo/arch/wasm/tools/wasm_vmlinux_check.rs
t "the unit tests of wasm_vmlinux_check build" \
	/usr/bin/rustc --edition=2021 --test -o "$logs/checker-tests" "$checker_src"
if [ -x "$logs/checker-tests" ]; then
	"$logs/checker-tests" >"$logs/unit" 2>&1
	cargo_cases wasm_vmlinux_check "$logs/unit" $?
fi

# rustfmt follows the checker's modules from its root.
t "arch/wasm Rust is rustfmt-clean (the kernel's .rustfmt.toml)" \
	sh -c "find '$repo/arch/wasm' -name '*.rs' ! -path '*/tools/*' |
	       xargs rustfmt --check --edition 2021 \
		--config-path '$tree/.rustfmt.toml' '$checker_src'"

done_testing
