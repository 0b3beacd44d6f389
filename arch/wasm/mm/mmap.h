/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _WASM_MM_MMAP_H
#define _WASM_MM_MMAP_H

#include <linux/minmax.h>
#include <linux/sizes.h>
#include <linux/types.h>

struct mm_struct;

/*
 * The end of a process memory of @pages 64 KiB pages, as an address that
 * fits in 32 bits: the top page of a 4 GiB memory is never mapped.
 */
static inline unsigned long wasm_mem_end(u64 pages)
{
	return min_t(u64, pages * SZ_64K, U32_MAX & ~(u64)(SZ_4K - 1));
}

void wasm_map_init(struct mm_struct *mm, unsigned long start,
		   unsigned long end);
void wasm_map_free_all(struct mm_struct *mm);
int wasm_map_copy(struct mm_struct *mm, struct mm_struct *oldmm);

#endif /* _WASM_MM_MMAP_H */
