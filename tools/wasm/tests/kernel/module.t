#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# What make ARCH=wasm built: vmlinux.wasm is a valid module with one
# shared memory, holds the Rust pieces, and its interface and section
# tables are what the documentation and the link map say; the checks
# themselves fail on a wrong document or map.

. "$(dirname "$0")/../lib/tap.sh"

needs "$mod" "$out/.config"
t "wasm-validate --enable-threads accepts vmlinux.wasm" \
	wasm-validate --enable-threads "$mod"
wasm-objdump -x -j Import "$mod" >"$logs/imports" 2>&1
same "the module imports exactly one memory" 1 \
	"$(grep -c ' memory\[' "$logs/imports")"
has "... and it is shared" "$logs/imports" ' memory\[.*shared'
t "the kernel version string is in the module's data" \
	grep -aq 'Linux version [0-9]' "$mod"
has ".config has CONFIG_RUST=y" "$out/.config" '^CONFIG_RUST=y$'
wasm-objdump -x -j name "$mod" >"$logs/names" 2>&1
for fn in arch_spin_lock arch_spin_trylock arch_spin_unlock __switch_to; do
	has "Rust $fn is in the name section" "$logs/names" "<$fn>"
done
has "the kernel's Rust was built by rustc 1.96" "$out/.config" \
	'^CONFIG_RUSTC_VERSION=1096'

checker=$out/arch/wasm/tools/wasm_vmlinux_check
doc=$repo/Documentation/arch/wasm/host-abi.rst
t "the module's imports and exports equal the documented host ABI" \
	"$checker" abi "$mod" "$doc"
sed '/import host.console_write/d' "$doc" >"$logs/abi-missing.rst"
"$checker" abi "$mod" "$logs/abi-missing.rst" >"$logs/abi-missing" 2>&1
has "the ABI check fails on an undocumented import" "$logs/abi-missing" \
	'undocumented: import host.console_write'
sed 's/^\(   export wasm_boot func\).*/\1 (i32) -> ()/' "$doc" \
	>"$logs/abi-changed.rst"
t "the ABI check fails on a changed signature" \
	not "$checker" abi "$mod" "$logs/abi-changed.rst"

lst=$out/arch/wasm/boot/vmlinux-tables.lst
t "every section table is bracketed and contiguous (link map)" \
	"$checker" tables "$out/vmlinux.map" "$lst"
grep -v ' __initcall_end$' "$out/vmlinux.map" >"$logs/bad.map"
t "the table check fails when an end marker is missing" \
	not "$checker" tables "$logs/bad.map" "$lst"

done_testing
