/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_WASM_IRQ_H
#define _ASM_WASM_WASM_IRQ_H

#include <linux/types.h>

/* Host interrupt lines: bits of a CPU's pending word. */
#define WASM_NR_LINES		32
#define WASM_LINE_TIMER		0	/* raised by the kernel itself */
#define WASM_LINE_IPI		1	/* inter-processor interrupt */
#define WASM_LINE_FIRST_DEVICE	2	/* first line for host devices */
#define WASM_LINE_CONSOLE	2	/* console input (hvc.c), on CPU 0 */
/* Lines 3 to 31: the host's virtio-mmio devices, named on the cmdline. */

extern s32 wasm_irq_affinity[];

extern u32 wasm_irq_pending[];

void wasm_raise_irq(unsigned int cpu, unsigned int line);
void wasm_wait_for_irq(s64 timeout_ns);
void wasm_do_pending_irqs(void);
unsigned int wasm_irq_create_mapping(unsigned int line);
unsigned int wasm_irq_this_cpu(void);

bool wasm_timer_expired(void);
void wasm_timer_interrupt(void);
s64 wasm_timer_timeout_ns(void);
void wasm_timer_starting_cpu(void);

#ifdef CONFIG_SMP
void wasm_ipi_interrupt(void);
#else
static inline void wasm_ipi_interrupt(void) { }
#endif

#endif /* _ASM_WASM_WASM_IRQ_H */
