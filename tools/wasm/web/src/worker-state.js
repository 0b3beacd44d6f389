// SPDX-License-Identifier: GPL-2.0
//
// What the page's init message gives a kernel thread's worker (worker.js),
// which the worker's other modules read.

/** This worker's state, set by init. */
export const W = {
	kernelModule: null,
	kernelMemory: null,
	shv: null,		// views of the shared control buffers
	bootOrigin: 0,		// ms, epoch-based time of the machine's clock zero
	trace: false,
	/** This worker's slot in the pool. */
	slot: -1,
	/** This worker's view of the machine's virtio devices. */
	devices: null,
};
