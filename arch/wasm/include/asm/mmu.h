/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_MMU_H
#define _ASM_WASM_MMU_H

#ifndef __ASSEMBLY__

#include <linux/list.h>

/*
 * A user address space is a linear memory of its own in the host, named
 * by @id (0: none yet).  Anonymous mappings are carved out of that memory
 * above the stack (arch/wasm/mm/mmap.c); the memory only grows.
 */
typedef struct {
	unsigned long end_brk;
	int id;
	unsigned long map_start;	/* first byte mappings may use */
	unsigned long map_end;		/* current size of the memory */
	struct list_head map_free;	/* free ranges, sorted by address */
	unsigned long stack_start;	/* the main thread's stack */
	unsigned long stack_end;
} mm_context_t;

#endif /* !__ASSEMBLY__ */
#endif /* _ASM_WASM_MMU_H */
