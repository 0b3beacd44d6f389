/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_PERCPU_H
#define _ASM_WASM_PERCPU_H

/*
 * Keep the per-CPU template out of the ".data.*" family that wasm-ld merges,
 * so that __per_cpu_start/__per_cpu_end can bracket it.
 */
#define PER_CPU_BASE_SECTION ".percpu"

#include <asm-generic/percpu.h>

#endif /* _ASM_WASM_PERCPU_H */
