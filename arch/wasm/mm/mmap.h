/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _WASM_MM_MMAP_H
#define _WASM_MM_MMAP_H

struct mm_struct;

void wasm_map_init(struct mm_struct *mm, unsigned long start,
		   unsigned long end);
void wasm_map_free_all(struct mm_struct *mm);

#endif /* _WASM_MM_MMAP_H */
