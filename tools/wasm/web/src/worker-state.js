// SPDX-License-Identifier: GPL-2.0
// @ts-check
//
// What the page's init message gives a kernel thread's worker (worker.js),
// which the worker's other modules read.

/**
 * @typedef {object} WorkerState
 * @property {WebAssembly.Module} kernelModule
 * @property {WebAssembly.Memory} kernelMemory
 * @property {import('./shared.js').Views} shv  views of the shared control
 *   buffers
 * @property {number} bootOrigin  ms, epoch-based time of the machine's
 *   clock zero
 * @property {boolean} trace
 * @property {number} slot  this worker's slot in the pool
 * @property {import('./devices.js').Devices} devices  this worker's view of
 *   the machine's virtio devices
 */

/** @type {WorkerState} This worker's state, set by init. */
export const W = {
	kernelModule: null,
	kernelMemory: null,
	shv: null,
	bootOrigin: 0,
	trace: false,
	slot: -1,
	devices: null,
};
