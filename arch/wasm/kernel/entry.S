/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry points the host calls on a fresh instance of vmlinux.wasm, and the
 * per-thread wasm globals.
 *
 * Every instance starts on the linker's small default stack; before any C
 * code runs, the entry switches __stack_pointer to the kernel stack of the
 * task the new thread runs, below its pt_regs, and sets the current task.
 */
#include <generated/asm-offsets.h>
#include <asm/host-abi.h>

	.globaltype __stack_pointer, i32

	/* The task this instance runs, see asm/current.h. */
	.globaltype __wasm_current_task, i32
	.globl __wasm_current_task
__wasm_current_task:

	/* The interrupt-enable flag of this thread, see asm/irqflags.h. */
	.globaltype __wasm_irq_flags, i32
	.globl __wasm_irq_flags
__wasm_irq_flags:

	/*
	 * Where a syscall from user mode starts its kernel stack: below the
	 * pt_regs at the top, or below the live frames while a signal handler
	 * runs (see signal.c).
	 */
	.globaltype __wasm_entry_sp, i32
	.globl __wasm_entry_sp
__wasm_entry_sp:

	.functype wasm_start_kernel (i32, i32, i32, i32) -> ()
	.functype wasm_do_syscall (i32, i32, i32, i32, i32, i32, i32) -> (i32)
	.functype wasm_do_user_trap (i32) -> ()
	.functype wasm_do_user_preempt () -> ()
	.functype wasm_do_kernel_interrupt () -> ()
	.functype wasm_secondary_entry (i32) -> ()
	.functype wasm_task_entry () -> ()

/* wasm_entry_sp_reset(): user entries start below the pt_regs again. */
	.section .text.wasm_entry_sp_reset,"",@
	.globl wasm_entry_sp_reset
	.type wasm_entry_sp_reset,@function
wasm_entry_sp_reset:
	.functype wasm_entry_sp_reset () -> ()
	global.get __wasm_current_task
	i32.load TASK_STACK
	i32.const TASK_SP_OFFSET
	i32.add
	global.set __wasm_entry_sp
	end_function

/*
 * wasm_enter_task: make @task current and switch to the top of its kernel
 * stack, leaving room for its struct pt_regs.
 */
	.section .text.wasm_enter_task,"",@
	.type wasm_enter_task,@function
wasm_enter_task:
	.functype wasm_enter_task (i32) -> ()
	local.get 0
	global.set __wasm_current_task
	i32.const 0
	global.set __wasm_irq_flags
	call wasm_entry_sp_reset
	global.get __wasm_entry_sp
	global.set __stack_pointer
	end_function

/* wasm_entry_sp_swap(sp): sets where user entries start; returns the old. */
	.section .text.wasm_entry_sp_swap,"",@
	.globl wasm_entry_sp_swap
	.type wasm_entry_sp_swap,@function
wasm_entry_sp_swap:
	.functype wasm_entry_sp_swap (i32) -> (i32)
	global.get __wasm_entry_sp
	local.get 0
	global.set __wasm_entry_sp
	end_function

/* wasm_stack_pointer(): the current kernel stack pointer. */
	.section .text.wasm_stack_pointer,"",@
	.globl wasm_stack_pointer
	.type wasm_stack_pointer,@function
wasm_stack_pointer:
	.functype wasm_stack_pointer () -> (i32)
	global.get __stack_pointer
	end_function

/* wasm_abi_version(): the host ABI version (asm/host.h); needs no stack. */
	.section .text.wasm_abi_version,"",@
	.globl wasm_abi_version
	.type wasm_abi_version,@function
	.export_name wasm_abi_version, wasm_abi_version
wasm_abi_version:
	.functype wasm_abi_version () -> (i32)
	i32.const WASM_HOST_ABI_VERSION
	end_function

/* wasm_boot(cmdline, initrd_start, initrd_size, nr_cpus): CPU 0. */
	.section .text.wasm_boot,"",@
	.globl wasm_boot
	.type wasm_boot,@function
	.export_name wasm_boot, wasm_boot
wasm_boot:
	.functype wasm_boot (i32, i32, i32, i32) -> ()
	i32.const init_task
	call wasm_enter_task
	local.get 0
	local.get 1
	local.get 2
	local.get 3
	call wasm_start_kernel
	end_function

/* wasm_secondary_start(cpu, idle_task): a secondary CPU's first thread. */
	.section .text.wasm_secondary_start,"",@
	.globl wasm_secondary_start
	.type wasm_secondary_start,@function
	.export_name wasm_secondary_start, wasm_secondary_start
wasm_secondary_start:
	.functype wasm_secondary_start (i32, i32) -> ()
	local.get 1
	call wasm_enter_task
	local.get 0
	call wasm_secondary_entry
	end_function

/* wasm_task_start(task): the first run of a new task on its own thread. */
	.section .text.wasm_task_start,"",@
	.globl wasm_task_start
	.type wasm_task_start,@function
	.export_name wasm_task_start, wasm_task_start
wasm_task_start:
	.functype wasm_task_start (i32) -> ()
	local.get 0
	call wasm_enter_task
	call wasm_task_entry
	end_function

/*
 * wasm_syscall(nr, a0, ..., a5): the system call, the one function a user
 * module imports (the host binds it straight to this export of the
 * instance of the calling thread).  Returns the result or -errno.
 */
	.section .text.wasm_syscall,"",@
	.globl wasm_syscall
	.type wasm_syscall,@function
	.export_name wasm_syscall, wasm_syscall
wasm_syscall:
	.functype wasm_syscall (i32, i32, i32, i32, i32, i32, i32) -> (i32)
	global.get __wasm_entry_sp
	global.set __stack_pointer
	local.get 0
	local.get 1
	local.get 2
	local.get 3
	local.get 4
	local.get 5
	local.get 6
	call wasm_do_syscall
	end_function

/*
 * wasm_kernel_interrupt(): the host's periodic tick found this thread
 * running kernel code, which it interrupted at a safe point (a function
 * entry or a loop back edge).  Takes pending interrupts if they are
 * enabled, as hardware interrupts an instruction stream, on the current
 * stack (__stack_pointer is left as it is: the interrupted frames are
 * above it); then the kernel code goes on.
 */
	.section .text.wasm_kernel_interrupt,"",@
	.globl wasm_kernel_interrupt
	.type wasm_kernel_interrupt,@function
	.export_name wasm_kernel_interrupt, wasm_kernel_interrupt
wasm_kernel_interrupt:
	.functype wasm_kernel_interrupt () -> ()
	call wasm_do_kernel_interrupt
	end_function

/*
 * wasm_user_preempt(): the host's periodic tick found this thread running
 * user code, which it interrupted at a safe point.  As an interrupt
 * return to user mode: take interrupts, reschedule, deliver signals; then
 * the user code goes on.
 */
	.section .text.wasm_user_preempt,"",@
	.globl wasm_user_preempt
	.type wasm_user_preempt,@function
	.export_name wasm_user_preempt, wasm_user_preempt
wasm_user_preempt:
	.functype wasm_user_preempt () -> ()
	global.get __wasm_entry_sp
	global.set __stack_pointer
	call wasm_do_user_preempt
	end_function

/*
 * wasm_user_trap(sig): user code of this thread trapped; the host unwound
 * it and reports the signal the trap stands for.  Does not return.
 */
	.section .text.wasm_user_trap,"",@
	.globl wasm_user_trap
	.type wasm_user_trap,@function
	.export_name wasm_user_trap, wasm_user_trap
wasm_user_trap:
	.functype wasm_user_trap (i32) -> ()
	call wasm_entry_sp_reset
	global.get __wasm_entry_sp
	global.set __stack_pointer
	local.get 0
	call wasm_do_user_trap
	end_function
