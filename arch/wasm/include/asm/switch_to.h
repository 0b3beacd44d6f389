/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_SWITCH_TO_H
#define _ASM_WASM_SWITCH_TO_H

#include <linux/types.h>

struct task_struct;
struct thread_struct;

/*
 * In Rust: arch/wasm/kernel/switch.rs.  The C side passes the two threads
 * and whether @prev is dead, so that the Rust code never depends on the
 * layout of struct task_struct (bindgen cannot reproduce all of it: it
 * drops the alignment of empty cache-aligned members).
 */
struct task_struct *__switch_to(struct task_struct *prev,
				struct task_struct *next,
				struct thread_struct *prev_thread,
				struct thread_struct *next_thread,
				bool prev_dead);

#define switch_to(prev, next, last)					\
	((last) = __switch_to((prev), (next), &(prev)->thread,		\
			      &(next)->thread,				\
			      READ_ONCE((prev)->__state) == TASK_DEAD))

#endif /* _ASM_WASM_SWITCH_TO_H */
