/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_IO_H
#define _ASM_WASM_IO_H

/*
 * Device registers.  A wasm CPU has no loads or stores that reach a
 * device, so the host's device models live in a window of addresses that
 * are never memory: WASM_MMIO_BASE up to the end of the 32-bit address
 * space, above the largest kernel memory.  The raw accessors below
 * (arch/wasm/kernel/mmio.rs) turn an access to the window into a call to
 * the host (mmio_read, mmio_write); an access anywhere else is an
 * ordinary load or store.  readl(), ioread32() and the rest are the
 * generic ones built on them.  With no MMU, ioremap() returns the
 * physical address itself.
 */
#include <linux/types.h>

#define WASM_MMIO_BASE		0xf0000000UL

/*
 * There is no port I/O (no HAS_IOPORT): the generic inb() and friends
 * still compile, and point at the last 64 KiB of the window, where the
 * host puts no device, so they read all ones.
 */
#define IO_SPACE_LIMIT		0xffff
#define PCI_IOBASE		((void __iomem *)0xffff0000UL)

u8 __raw_readb(const volatile void __iomem *addr);
u16 __raw_readw(const volatile void __iomem *addr);
u32 __raw_readl(const volatile void __iomem *addr);
void __raw_writeb(u8 value, volatile void __iomem *addr);
void __raw_writew(u16 value, volatile void __iomem *addr);
void __raw_writel(u32 value, volatile void __iomem *addr);

#define __raw_readb __raw_readb
#define __raw_readw __raw_readw
#define __raw_readl __raw_readl
#define __raw_writeb __raw_writeb
#define __raw_writew __raw_writew
#define __raw_writel __raw_writel

#include <asm-generic/io.h>

#endif /* _ASM_WASM_IO_H */
