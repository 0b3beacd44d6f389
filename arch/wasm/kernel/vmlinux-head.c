// SPDX-License-Identifier: GPL-2.0
/*
 * Start markers of the kernel's section tables; linked before everything
 * else.  See vmlinux-tables.h.
 */
#include <linux/compiler.h>

#define WASM_START(sec, sym)	char sym[0] __section(sec) __used;
#define WASM_START_ALIGNED(sec, sym, align) \
	char sym[0] __section(sec) __aligned(align) __used;
#define WASM_ORDER(sec, name)	char __wasm_order_##name[0] __section(sec) __used;
#define WASM_END(sec, sym)
#define WASM_RANGE(start, end)
#define WASM_RANGE_PADDED(start, end)
#include "vmlinux-tables.h"
