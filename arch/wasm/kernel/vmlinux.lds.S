/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wasm-ld takes no linker script.  The section tables that other
 * architectures lay out here are bracketed by arch/wasm/kernel/vmlinux-head.c
 * and vmlinux-tail.c instead (Documentation/arch/wasm/linking.rst); this file
 * only exists because Kbuild makes vmlinux depend on it.
 */
