// SPDX-License-Identifier: GPL-2.0
/*
 * End markers of the kernel's section tables; linked after everything
 * else.  See vmlinux-tables.h.
 */
#include <linux/compiler.h>

#define WASM_START(sec, sym)
#define WASM_START_ALIGNED(sec, sym, align)
#define WASM_ORDER(sec, name)
#define WASM_END(sec, sym)	char sym[0] __section(sec) __used;
#define WASM_RANGE(start, end)
#define WASM_RANGE_PADDED(start, end)
#include "vmlinux-tables.h"
