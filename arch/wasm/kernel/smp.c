// SPDX-License-Identifier: GPL-2.0
/*
 * Secondary CPUs are host threads that the host starts on request; IPIs
 * are a pending-word bit plus a per-CPU message mask.
 */
#include <linux/cpu.h>
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/irq_work.h>
#include <linux/sched/mm.h>
#include <linux/smp.h>
#include <asm/host.h>
#include <asm/wasm-irq.h>

enum wasm_ipi {
	IPI_RESCHEDULE,
	IPI_CALL_FUNC,
	IPI_IRQ_WORK,
	IPI_STOP,
};

static DEFINE_PER_CPU(unsigned long, wasm_ipi_messages);

static void wasm_send_ipi(unsigned int cpu, enum wasm_ipi msg)
{
	set_bit(msg, per_cpu_ptr(&wasm_ipi_messages, cpu));
	wasm_raise_irq(cpu, WASM_LINE_IPI);
}

void wasm_ipi_interrupt(void)
{
	unsigned long *msgs = this_cpu_ptr(&wasm_ipi_messages);
	unsigned long pending = xchg(msgs, 0);

	if (pending & BIT(IPI_RESCHEDULE))
		scheduler_ipi();
	if (pending & BIT(IPI_CALL_FUNC))
		generic_smp_call_function_interrupt();
	if (pending & BIT(IPI_IRQ_WORK))
		irq_work_run();
	if (pending & BIT(IPI_STOP)) {
		set_cpu_online(smp_processor_id(), false);
		local_irq_disable();
		for (;;)
			wasm_wait_for_irq(-1);
	}
}

void arch_smp_send_reschedule(int cpu)
{
	wasm_send_ipi(cpu, IPI_RESCHEDULE);
}

void arch_send_call_function_single_ipi(int cpu)
{
	wasm_send_ipi(cpu, IPI_CALL_FUNC);
}

void arch_send_call_function_ipi_mask(const struct cpumask *mask)
{
	unsigned int cpu;

	for_each_cpu(cpu, mask)
		wasm_send_ipi(cpu, IPI_CALL_FUNC);
}

#ifdef CONFIG_IRQ_WORK
void arch_irq_work_raise(void)
{
	wasm_send_ipi(smp_processor_id(), IPI_IRQ_WORK);
}
#endif

void smp_send_stop(void)
{
	unsigned int cpu;

	for_each_online_cpu(cpu)
		if (cpu != smp_processor_id())
			wasm_send_ipi(cpu, IPI_STOP);
}

void __init smp_prepare_boot_cpu(void)
{
}

void __init smp_prepare_cpus(unsigned int max_cpus)
{
}

static DECLARE_COMPLETION(cpu_running);

int __cpu_up(unsigned int cpu, struct task_struct *idle)
{
	int ret;

	task_thread_info(idle)->cpu = cpu;
	idle->thread.run = 1;
	idle->thread.started = 1;
	ret = wasm_host_cpu_start(cpu, idle);
	if (ret) {
		pr_err("CPU%u: the host could not start it (%d)\n", cpu, ret);
		return -EIO;
	}
	if (!wait_for_completion_timeout(&cpu_running,
					 msecs_to_jiffies(5000))) {
		pr_err("CPU%u: failed to come online\n", cpu);
		return -EIO;
	}
	return 0;
}

/* Called by wasm_secondary_start() in entry.S on the idle task's stack. */
void wasm_secondary_entry(unsigned int cpu)
{
	struct mm_struct *mm = &init_mm;

	mmgrab(mm);
	current->active_mm = mm;

	notify_cpu_starting(cpu);
	wasm_timer_starting_cpu();
	set_cpu_online(cpu, true);
	complete(&cpu_running);

	local_irq_enable();
	cpu_startup_entry(CPUHP_AP_ONLINE_IDLE);
}

void __init smp_cpus_done(unsigned int max_cpus)
{
}
