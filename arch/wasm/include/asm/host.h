/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_HOST_H
#define _ASM_WASM_HOST_H

/*
 * The host ABI: functions the host provides to vmlinux.wasm (import module
 * "host").  Documentation/arch/wasm/host-abi.rst is the reference, and the
 * build checks the module's imports and exports against it, and the numbers
 * here against its table (host-abi-check.c).
 */

#include <linux/types.h>
#include <asm/host-abi.h>

#define __wasm_import(name)						\
	__attribute__((import_module("host"), import_name(#name)))

/* wasm_host_halt() reasons */
#define WASM_HALT_POWEROFF	0
#define WASM_HALT_REBOOT	1
#define WASM_HALT_PANIC		2

__wasm_import(console_write)
void wasm_host_console_write(const char *buf, size_t len);

__wasm_import(console_read)
size_t wasm_host_console_read(u8 *buf, size_t len);

__wasm_import(clock_monotonic)
u64 wasm_host_clock_monotonic(void);

__wasm_import(clock_realtime)
u64 wasm_host_clock_realtime(void);

__wasm_import(cpu_start)
int wasm_host_cpu_start(unsigned int cpu, void *idle_task);

__wasm_import(task_spawn)
int wasm_host_task_spawn(void *task);

__wasm_import(task_exit)
void wasm_host_task_exit(void);

__wasm_import(halt)
void wasm_host_halt(int reason, int code);

__wasm_import(random_fill)
void wasm_host_random_fill(void *buf, size_t len);

/*
 * Process memories.  Every user process (every mm) has a linear memory of
 * its own in the host, named by a positive id; user addresses are offsets
 * in it.  See "User mode" in Documentation/arch/wasm/host-abi.rst.  Its
 * pages are WebAssembly's, at most 4 GiB of them, and its function table
 * has at most WASM_MAX_TABLE slots.
 */
#define WASM_PAGE_SIZE		0x10000
#define WASM_MAX_PAGES		0x10000U
#define WASM_MAX_TABLE		0x100000U

__wasm_import(mm_new)
int wasm_host_mm_new(u32 pages, u32 max_pages, u32 table_size);

__wasm_import(mm_grow)
int wasm_host_mm_grow(int mm, u32 pages);

__wasm_import(mm_free)
void wasm_host_mm_free(int mm);

__wasm_import(mm_add_module)
int wasm_host_mm_add_module(int mm, const void *buf, size_t len,
			    u32 memory_base, u32 table_base);

__wasm_import(user_copy_from)
size_t wasm_host_user_copy_from(int mm, void *to, const void __user *from,
				size_t n);

__wasm_import(user_copy_to)
size_t wasm_host_user_copy_to(int mm, void __user *to, const void *from,
			      size_t n);

__wasm_import(user_clear)
size_t wasm_host_user_clear(int mm, void __user *to, size_t n);

__wasm_import(user_cmpxchg32)
int wasm_host_user_cmpxchg32(int mm, u32 __user *uaddr, u32 oldval,
			     u32 newval, u32 *curval);

/* wasm_host_user_enter() kinds */
#define WASM_USER_EXEC		1	/* a new image: _start(sp) */
#define WASM_USER_CLONE		2	/* a clone child: __wasm_clone_start(sp) */
#define WASM_USER_FORK		3	/* a fork child: rewound from its copy */

__wasm_import(user_enter)
void __noreturn wasm_host_user_enter(int mm, int kind, unsigned long sp);

__wasm_import(user_sp)
unsigned long wasm_host_user_sp(void);

__wasm_import(user_signal)
int wasm_host_user_signal(unsigned long handler, int sig,
			  unsigned long info, unsigned long uctx,
			  int has_siginfo, unsigned long sp);

/*
 * fork: a new memory with the image of @mm (the caller's), filled when
 * the caller's user code has unwound into @area after the system call
 * (user_fork); user_rewound ends the rewind that brings it back.
 */
__wasm_import(mm_fork)
int wasm_host_mm_fork(int mm);

struct wasm_range;

__wasm_import(user_fork)
void wasm_host_user_fork(int child, unsigned long area,
			 const struct wasm_range *skip, int nskip);

__wasm_import(user_rewound)
void wasm_host_user_rewound(void);

#endif /* _ASM_WASM_HOST_H */
