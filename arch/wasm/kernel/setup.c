// SPDX-License-Identifier: GPL-2.0
/*
 * Boot: from the host's call of wasm_boot() to start_kernel(), memory
 * detection and the boot console.
 */
#include <linux/console.h>
#include <linux/cpu.h>
#include <linux/init.h>
#include <linux/initrd.h>
#include <linux/memblock.h>
#include <linux/of_fdt.h>
#include <linux/notifier.h>
#include <linux/panic.h>
#include <linux/panic_notifier.h>
#include <linux/random.h>
#include <linux/sched/task.h>
#include <linux/start_kernel.h>
#include <linux/string.h>
#include <asm/host.h>
#include <asm/page.h>
#include <asm/sections.h>
#include <asm/setup.h>

unsigned long memory_end;
EXPORT_SYMBOL(memory_end);

/* The initial task's stack; other architectures place it in vmlinux.lds. */
union thread_union init_thread_union __aligned(THREAD_SIZE);
extern unsigned long init_stack[THREAD_SIZE / sizeof(unsigned long)]
	__alias(init_thread_union);

#ifndef CONFIG_STACKPROTECTOR
/*
 * compiler-rt's builtins library (linked for the 128-bit helpers) is built
 * with -fstack-protector; give it its guard, seeded from the host at boot.
 */
unsigned long __stack_chk_guard __ro_after_init;

void __stack_chk_fail(void)
{
	panic("stack-protector: kernel stack corrupted in a compiler helper");
}
#endif

static unsigned int boot_nr_cpus __initdata = 1;
static unsigned long boot_initrd_start __initdata;
static unsigned long boot_initrd_size __initdata;

static void wasm_console_write(struct console *con, const char *s,
			       unsigned int n)
{
	wasm_host_console_write(s, n);
}

/*
 * The boot console: printk output goes straight to the host from the
 * first line, until the console terminal hvc0 (hvc.c) takes over.
 */
static struct console wasm_console = {
	.name	= "wasmcon",
	.write	= wasm_console_write,
	.flags	= CON_PRINTBUFFER | CON_ANYTIME | CON_BOOT | CON_ENABLED,
	.index	= -1,
};

/*
 * A panic ends the host's run (after the other notifiers), unless panic=N
 * asks for a reboot: then panic() restarts, which the host sees as one.
 */
static int wasm_panic_notify(struct notifier_block *nb, unsigned long event,
			     void *msg)
{
	if (panic_timeout)
		return NOTIFY_DONE;
	wasm_host_halt(WASM_HALT_PANIC, 0);
	return NOTIFY_DONE;
}

static struct notifier_block wasm_panic_block = {
	.notifier_call	= wasm_panic_notify,
	.priority	= INT_MIN,
};

/* Called by wasm_boot() in entry.S on the initial task's stack. */
void __init wasm_start_kernel(const char *cmdline, unsigned long initrd_start,
			      unsigned long initrd_size, unsigned int nr_cpus)
{
	if (cmdline)
		strscpy(boot_command_line, cmdline, COMMAND_LINE_SIZE);
	boot_initrd_start = initrd_start;
	boot_initrd_size = initrd_size;
	boot_nr_cpus = clamp_t(unsigned int, nr_cpus, 1, NR_CPUS);
	start_kernel();
}

static void __init wasm_memory_init(void)
{
	unsigned long start = PFN_ALIGN((unsigned long)__heap_base);
	unsigned long max_zone_pfn[MAX_NR_ZONES] = { 0 };

	/* The host chose the size of the shared memory before booting. */
	memory_end = __builtin_wasm_memory_size(0) * 65536UL;
	if (!memory_end)
		memory_end = -PAGE_SIZE;

	memblock_add(0, memory_end);
	/* Address 0 up to the end of the static image (and linker stack). */
	memblock_reserve(0, start);

#ifdef CONFIG_BLK_DEV_INITRD
	if (boot_initrd_size && boot_initrd_start >= start &&
	    boot_initrd_start + boot_initrd_size <= memory_end) {
		memblock_reserve(boot_initrd_start, boot_initrd_size);
		initrd_start = boot_initrd_start;
		initrd_end = boot_initrd_start + boot_initrd_size;
	} else if (boot_initrd_size) {
		pr_err("initrd at %#lx+%#lx is outside memory, ignored\n",
		       boot_initrd_start, boot_initrd_size);
	}
#endif

	min_low_pfn = PFN_UP(start);
	max_low_pfn = PFN_DOWN(memory_end);
	max_pfn = max_low_pfn;
	max_mapnr = max_low_pfn;
	high_memory = (void *)memory_end;

	max_zone_pfn[ZONE_NORMAL] = max_low_pfn;
	free_area_init(max_zone_pfn);
}

void __init setup_arch(char **cmdline_p)
{
	u8 seed[32];
	unsigned int cpu;

	/* Everything printed so far is replayed (CON_PRINTBUFFER). */
	register_console(&wasm_console);
	atomic_notifier_chain_register(&panic_notifier_list, &wasm_panic_block);

	*cmdline_p = boot_command_line;
	parse_early_param();
	wasm_memory_init();

	/* Seed the RNG from the host, as a boot loader would. */
	wasm_host_random_fill(seed, sizeof(seed));
	add_bootloader_randomness(seed, sizeof(seed));
#ifndef CONFIG_STACKPROTECTOR
	memcpy(&__stack_chk_guard, seed, sizeof(__stack_chk_guard));
#endif
	memzero_explicit(seed, sizeof(seed));

	for (cpu = 0; cpu < boot_nr_cpus; cpu++) {
		set_cpu_possible(cpu, true);
		set_cpu_present(cpu, true);
	}
}
