// SPDX-License-Identifier: GPL-2.0
/*
 * Memory: there is no MMU; the kernel's linear memory is all of RAM and
 * is handed to the page allocator as one node (see setup.c).
 */
#include <linux/init.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <asm/page.h>

unsigned long empty_zero_page[PAGE_SIZE / sizeof(unsigned long)]
	__aligned(PAGE_SIZE);
EXPORT_SYMBOL(empty_zero_page);

void __init mem_init(void)
{
	memblock_free_all();
}
