/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_SMP_H
#define _ASM_WASM_SMP_H

#include <linux/cpumask.h>
#include <linux/thread_info.h>

#define raw_smp_processor_id()	(current_thread_info()->cpu)

void arch_send_call_function_single_ipi(int cpu);
void arch_send_call_function_ipi_mask(const struct cpumask *mask);

#endif /* _ASM_WASM_SMP_H */
