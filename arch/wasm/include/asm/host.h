/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_HOST_H
#define _ASM_WASM_HOST_H

/*
 * The host ABI: functions the host provides to vmlinux.wasm (import module
 * "host").  Documentation/arch/wasm/host-abi.rst is the reference, and the
 * build checks the module's imports and exports against it.
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

__wasm_import(user_copy_from)
size_t wasm_host_user_copy_from(void *to, const void __user *from, size_t n);

__wasm_import(user_copy_to)
size_t wasm_host_user_copy_to(void __user *to, const void *from, size_t n);

__wasm_import(user_clear)
size_t wasm_host_user_clear(void __user *to, size_t n);

__wasm_import(user_cmpxchg32)
int wasm_host_user_cmpxchg32(u32 __user *uaddr, u32 oldval, u32 newval,
			     u32 *curval);

#endif /* _ASM_WASM_HOST_H */
