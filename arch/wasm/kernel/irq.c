// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupt delivery.  The host (and other CPUs) raise an interrupt by
 * setting a bit in the target CPU's pending word with an atomic OR and
 * notifying the word; the CPU takes pending interrupts when its running
 * thread enables interrupts, when it idles, and on kernel entry.
 */
#include <linux/hardirq.h>
#include <linux/irq.h>
#include <linux/irqchip.h>
#include <linux/irqdomain.h>
#include <linux/interrupt.h>
#include <linux/seq_file.h>
#include <asm/irq_regs.h>
#include <asm/host.h>
#include <asm/wasm-irq.h>

#include "wasm.h"

/* Per-CPU pending interrupt words, exported to the host. */
u32 wasm_irq_pending[NR_CPUS] __aligned(64);

/*
 * Per-line interrupt affinity, exported to the host: the CPU a device on
 * the line interrupts, or -1 for the CPU that submitted the request the
 * device completes (the default, while the affinity is every CPU).
 */
s32 wasm_irq_affinity[WASM_NR_LINES] = {
	[0 ... WASM_NR_LINES - 1] = -1
};

/* Set while this CPU takes interrupts that interrupted user code. */
DEFINE_PER_CPU(bool, wasm_irq_from_user);

static struct irq_domain *wasm_irq_domain;

static void wasm_irq_mask(struct irq_data *d)
{
}

#ifdef CONFIG_SMP
static int wasm_irq_set_affinity(struct irq_data *d,
				 const struct cpumask *mask, bool force)
{
	unsigned int cpu = cpumask_first_and(mask, cpu_online_mask);
	s32 target = cpu;

	if (cpu >= nr_cpu_ids)
		return -EINVAL;
	if (cpumask_subset(cpu_online_mask, mask)) {
		target = -1;
		cpu = raw_smp_processor_id();
	}
	WRITE_ONCE(wasm_irq_affinity[irqd_to_hwirq(d)], target);
	irq_data_update_effective_affinity(d, target < 0 ? mask : cpumask_of(cpu));
	return IRQ_SET_MASK_OK_DONE;
}
#endif

static struct irq_chip wasm_irq_chip = {
	.name		= "wasm",
	.irq_mask	= wasm_irq_mask,
	.irq_unmask	= wasm_irq_mask,
#ifdef CONFIG_SMP
	.irq_set_affinity = wasm_irq_set_affinity,
#endif
};

static int wasm_irq_map(struct irq_domain *d, unsigned int virq,
			irq_hw_number_t hw)
{
	irq_set_chip_and_handler(virq, &wasm_irq_chip, handle_simple_irq);
	return 0;
}

static const struct irq_domain_ops wasm_irq_domain_ops = {
	.map	= wasm_irq_map,
	.xlate	= irq_domain_xlate_onecell,
};

/* Maps a host interrupt line (a pending-word bit) to a Linux IRQ. */
unsigned int wasm_irq_create_mapping(unsigned int line)
{
	return irq_create_mapping(wasm_irq_domain, line);
}

/* The CPU the calling thread runs on, for the MMIO accessors (mmio.rs). */
unsigned int wasm_irq_this_cpu(void)
{
	return raw_smp_processor_id();
}

/*
 * Device lines keep their numbers: Linux IRQ n is host line n, so that the
 * host can name a device's interrupt on the command line
 * (virtio_mmio.device=<size>@<base>:<line>).  The descriptors exist from
 * early_irq_init (NR_IRQS_LEGACY in asm/irq.h).
 */
void __init init_IRQ(void)
{
	const unsigned int first = WASM_LINE_FIRST_DEVICE;

	wasm_irq_domain = irq_domain_add_legacy(NULL, WASM_NR_LINES - first,
						first, first,
						&wasm_irq_domain_ops, NULL);
	if (!wasm_irq_domain)
		panic("wasm: cannot create the IRQ domain\n");
	irq_set_default_host(wasm_irq_domain);
}

/* Takes every pending interrupt of this CPU; interrupts are disabled. */
static void wasm_handle_pending(u32 pending)
{
	/* user_mode() of these registers tells the tick whom to charge. */
	struct pt_regs regs = {
		.syscallno = -1UL,
		.pc = __this_cpu_read(wasm_irq_from_user) ? WASM_USER_EXEC : 0,
	};
	struct pt_regs *old_regs = set_irq_regs(&regs);
	unsigned int line;

	irq_enter();
	/* Checks the deadline itself, whether or not the line was raised. */
	wasm_timer_interrupt();
	if (pending & BIT(WASM_LINE_IPI))
		wasm_ipi_interrupt();
	pending &= ~(BIT(WASM_LINE_TIMER) | BIT(WASM_LINE_IPI));
	while (pending) {
		line = __ffs(pending);
		pending &= ~BIT(line);
		generic_handle_domain_irq(wasm_irq_domain, line);
	}
	irq_exit();
	set_irq_regs(old_regs);
}

/* True if this CPU has an interrupt to take. */
static bool wasm_irq_work_pending(void)
{
	return READ_ONCE(wasm_irq_pending[raw_smp_processor_id()]) ||
	       wasm_timer_expired();
}

void wasm_do_pending_irqs(void)
{
	u32 *word;

	while (wasm_irq_work_pending()) {
		word = &wasm_irq_pending[raw_smp_processor_id()];
		wasm_handle_pending(__atomic_exchange_n(word, 0,
							__ATOMIC_SEQ_CST));
	}
}

void arch_local_irq_enable(void)
{
	if (wasm_irq_work_pending()) {
		/* Taken with interrupts off, as on hardware. */
		WASM_GLOBAL_SET(__wasm_irq_flags, ARCH_IRQ_DISABLED);
		wasm_do_pending_irqs();
	}
	WASM_GLOBAL_SET(__wasm_irq_flags, ARCH_IRQ_ENABLED);
}
EXPORT_SYMBOL(arch_local_irq_enable);

/*
 * The host's tick interrupted kernel code (wasm_kernel_interrupt): take
 * what is pending if interrupts are enabled.  Without it a CPU that spins
 * in kernel code, waiting for another task, never takes its timer or
 * IPIs, and nothing is balanced onto the other CPUs.  Kernel code is not
 * preempted: it goes on where it was.
 */
void wasm_do_kernel_interrupt(void)
{
	if (!arch_irqs_disabled() && wasm_irq_work_pending())
		arch_local_irq_enable();
}

/* Raises @line on @cpu and wakes the CPU if it idles. */
void wasm_raise_irq(unsigned int cpu, unsigned int line)
{
	__atomic_fetch_or(&wasm_irq_pending[cpu], BIT(line), __ATOMIC_SEQ_CST);
	__builtin_wasm_memory_atomic_notify((int *)&wasm_irq_pending[cpu], 1);
}

/* Sleeps until an interrupt is pending or @timeout_ns passed (-1: none). */
void wasm_wait_for_irq(s64 timeout_ns)
{
	int *word = (int *)&wasm_irq_pending[raw_smp_processor_id()];

	if (timeout_ns != 0 && !READ_ONCE(*word))
		__builtin_wasm_memory_atomic_wait32(word, 0, timeout_ns);
}
