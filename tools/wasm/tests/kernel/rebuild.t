#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Kbuild's incremental build: a second make with no change succeeds and
# links nothing again.

. "$(dirname "$0")/../lib/tap.sh"

needs "$out/vmlinux" "$tree/Makefile"
kbuild()
{
	# shellcheck disable=SC2086
	${WASM_MAKE:-make} -C "$tree" ${WASM_KBUILD_VARS:-ARCH=wasm O=$out} "$@"
}
before=$(stat -c %Y "$out/vmlinux")
t "a second make with no change succeeds" kbuild
after=$(stat -c %Y "$out/vmlinux")
same "a second make with no change does not relink vmlinux" "$before" "$after"

done_testing
