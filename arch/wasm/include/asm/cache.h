/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_CACHE_H
#define _ASM_WASM_CACHE_H

#define L1_CACHE_SHIFT		6
#define L1_CACHE_BYTES		(1 << L1_CACHE_SHIFT)

/*
 * wasm-ld folds every section named ".data.*" into one ".data" segment, so
 * the kernel's ".data..ro_after_init" would lose its bounds; a name outside
 * that family stays a segment of its own, bracketed like the other tables
 * (Documentation/arch/wasm/linking.rst).
 */
#define __ro_after_init __section(".ro_after_init")

#endif /* _ASM_WASM_CACHE_H */
