/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_IRQ_H
#define _ASM_WASM_IRQ_H

/*
 * Interrupt lines are bits of a per-CPU pending word that the host sets
 * atomically and notifies (Documentation/arch/wasm/host-abi.rst).
 */
#define NR_IRQS			64
/* Linux IRQs 0..31 are the host lines, preallocated (irq.c). */
#define NR_IRQS_LEGACY		32

#include <asm-generic/irq.h>

#endif /* _ASM_WASM_IRQ_H */
