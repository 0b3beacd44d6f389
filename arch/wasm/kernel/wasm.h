/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _WASM_KERNEL_WASM_H
#define _WASM_KERNEL_WASM_H

#include <linux/percpu.h>
#include <linux/types.h>

struct pt_regs;

/* irq.c */
DECLARE_PER_CPU(bool, wasm_irq_from_user);
void wasm_do_kernel_interrupt(void);

/* entry.S */
unsigned long wasm_entry_sp_swap(unsigned long sp);
void wasm_entry_sp_reset(void);
unsigned long wasm_stack_pointer(void);

/* syscall.c */
void wasm_return_to_user(void);
long wasm_do_syscall(unsigned long nr, unsigned long a0, unsigned long a1,
		     unsigned long a2, unsigned long a3, unsigned long a4,
		     unsigned long a5);
void wasm_do_user_trap(int sig);
void wasm_do_user_preempt(void);
void wasm_syscall_dispatch(struct pt_regs *regs);

/* vfork.c */
bool wasm_vfork_wanted(const struct pt_regs *regs);
long wasm_vfork_start(struct pt_regs *regs);
bool wasm_vfork_call(struct pt_regs *regs);
void wasm_vfork_trap(int sig);

/* fork.c */
int wasm_fork_link(struct task_struct *p);
void wasm_fork_done(struct task_struct *tsk, bool copied);
bool wasm_fork_wait(void);

/* signal.c: returns true if the interrupted system call must restart. */
bool wasm_do_signal(struct pt_regs *regs);

#endif /* _WASM_KERNEL_WASM_H */
