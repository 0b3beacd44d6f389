/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_IRQFLAGS_H
#define _ASM_WASM_IRQFLAGS_H

#include <asm/wasm-global.h>

/*
 * The host and other CPUs raise interrupts by setting per-CPU pending
 * bits.  "Interrupts enabled" is a flag of the running thread, kept in a
 * wasm global, and pending interrupts are taken when it goes from disabled
 * to enabled (arch_local_irq_enable), in idle, on kernel entry, and when
 * the host's tick interrupts running code (wasm_kernel_interrupt and
 * wasm_user_preempt in entry.S).
 */
#define ARCH_IRQ_DISABLED	0UL
#define ARCH_IRQ_ENABLED	1UL

void arch_local_irq_enable(void);
#define arch_local_irq_enable arch_local_irq_enable

static inline unsigned long arch_local_save_flags(void)
{
	return WASM_GLOBAL_GET_VOLATILE(__wasm_irq_flags);
}
#define arch_local_save_flags arch_local_save_flags

static inline void arch_local_irq_disable(void)
{
	WASM_GLOBAL_SET(__wasm_irq_flags, ARCH_IRQ_DISABLED);
}
#define arch_local_irq_disable arch_local_irq_disable

static inline void arch_local_irq_restore(unsigned long flags)
{
	if (flags == ARCH_IRQ_ENABLED)
		arch_local_irq_enable();
	else
		arch_local_irq_disable();
}
#define arch_local_irq_restore arch_local_irq_restore

static inline bool arch_irqs_disabled_flags(unsigned long flags)
{
	return flags != ARCH_IRQ_ENABLED;
}
#define arch_irqs_disabled_flags arch_irqs_disabled_flags

#include <asm-generic/irqflags.h>

#endif /* _ASM_WASM_IRQFLAGS_H */
