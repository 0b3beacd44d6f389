// SPDX-License-Identifier: GPL-2.0
// @ts-check
//
// Raising device interrupts (host-abi.rst "Interrupts" and "Devices"), as
// tools/wasm/host/src/irq.rs: the CPU that takes a device's line is the
// kernel's choice in the export wasm_irq_affinity (one s32 per line; -1
// for none) if it names a started CPU, else the CPU that last notified
// the device, else CPU 0.  The addresses of the kernel's exports and the
// CPUs started live in a small SharedArrayBuffer that every worker and the
// page share: the boot worker records the addresses, cpu_start the CPUs.

import { NR_LINES } from './abi.js';

/** Words of the interrupt state (Int32Array indices). */
const I_PENDING = 0;		// the wasm_irq_pending export's value
const I_AFFINITY = 1;		// the wasm_irq_affinity export's value
const I_KNOWN = 2;		// bit 0: I_PENDING set, bit 1: I_AFFINITY set
const I_STARTED = 3;		// two words: bit n = CPU n started
export const IRQ_WORDS = 8;

/** A new interrupt state (CPU 0 runs from the start). */
export function createIrq() {
	const buf = new SharedArrayBuffer(IRQ_WORDS * 4);
	new Int32Array(buf)[I_STARTED] = 1;
	return buf;
}

/**
 * Records the kernel's exports (the boot worker, before wasm_boot);
 * `affinity` may be undefined for a kernel without it.
 * @param {Int32Array} irq
 */
export function setIrqAddresses(irq, pending, affinity) {
	Atomics.store(irq, I_PENDING, pending | 0);
	let known = 1;
	if (typeof affinity === 'number') {
		Atomics.store(irq, I_AFFINITY, affinity | 0);
		known |= 2;
	}
	Atomics.or(irq, I_KNOWN, known);
}

/**
 * The wasm_irq_pending address, or null before the kernel told it.
 * @param {Int32Array} irq
 */
export function pendingAddress(irq) {
	return Atomics.load(irq, I_KNOWN) & 1 ? Atomics.load(irq, I_PENDING) >>> 0 : null;
}

/**
 * Notes that CPU `cpu` was started (cpu_start).
 * @param {Int32Array} irq
 */
export function cpuStarted(irq, cpu) {
	if (cpu >= 0 && cpu < 64)
		Atomics.or(irq, I_STARTED + (cpu >>> 5), 1 << (cpu & 31));
}

/** @param {Int32Array} irq */
export function isStarted(irq, cpu) {
	return cpu >= 0 && cpu < 64 &&
		(Atomics.load(irq, I_STARTED + (cpu >>> 5)) & (1 << (cpu & 31))) !== 0;
}

/**
 * The word of kernel memory at byte address `addr`, or -1 if none.
 * @param {Int32Array} kernelI32
 */
function wordIndex(kernelI32, addr) {
	return addr % 4 === 0 && addr + 4 <= kernelI32.length * 4 ? addr / 4 : -1;
}

/**
 * The CPU that takes `line`: the kernel's affinity entry if it names a
 * started CPU, else `fallback` if started, else CPU 0.
 * @param {Int32Array} irq
 * @param {Int32Array} kernelI32
 */
export function targetCpu(irq, kernelI32, line, fallback) {
	if (Atomics.load(irq, I_KNOWN) & 2 && line >= 0 && line < NR_LINES) {
		const i = wordIndex(kernelI32, (Atomics.load(irq, I_AFFINITY) >>> 0) + 4 * line);
		if (i >= 0) {
			const v = Atomics.load(kernelI32, i);
			if (v >= 0 && isStarted(irq, v))
				return v;
		}
	}
	return isStarted(irq, fallback) ? fallback : 0;
}

/**
 * Raises device line `line` on the CPU targetCpu() picks: an atomic OR of
 * its bit into the CPU's pending word, then a notify (allowed on a page's
 * main thread too).  Before the kernel has told where its pending words
 * are, there is nobody to interrupt and nothing happens.  Never throws.
 * @param {Int32Array} irq
 * @param {Int32Array} kernelI32
 */
export function raiseDevice(irq, kernelI32, line, fallback) {
	const pending = pendingAddress(irq);
	if (pending === null || line < 0 || line >= NR_LINES)
		return;
	const cpu = targetCpu(irq, kernelI32, line, fallback);
	const i = wordIndex(kernelI32, pending + 4 * cpu);
	if (i < 0)
		return;
	Atomics.or(kernelI32, i, 1 << line);
	Atomics.notify(kernelI32, i);
}
