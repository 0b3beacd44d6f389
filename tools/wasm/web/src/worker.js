// SPDX-License-Identifier: GPL-2.0
// @ts-check
//
// One kernel thread: a virtual CPU or a kernel task (host-abi.rst "Threads
// and instances").  The page sends this worker the compiled kernel and the
// shared kernel memory once ("init"), then one entry at a time ("run"):
// the worker instantiates the kernel over the memory, calls the entry
// export, and runs user code when the kernel enters user mode.  When the
// task exits the worker reports "done" and can run another entry.
//
// This is the workers' entry module; the rest is in
//   worker-messages.js   messages to and from the page
//   worker-state.js      what the init message gives the other modules
//   worker-pool.js       waiting in the pool for entries, handing them on
//   run-entry.js         running an entry and user code; what unwinds a
//                        thread; which traps are user faults (signals)
//   process-memories.js  the process memories and the machine events
//   module-cache.js      the compiled user modules
//   host-imports.js      the host.* imports
// which bundle.js joins into one module for the workers to start from.
//
// Parking and waking is the kernel's own memory.atomic.wait32/notify on
// the shared memory.

import * as sh from './shared.js';
import { Devices } from './devices.js';
import { post, listen } from './worker-messages.js';
import { W } from './worker-state.js';
import { idleLoop } from './worker-pool.js';
import { runEntry, forkImageArrived } from './run-entry.js';
import { applyEvent, applySync } from './process-memories.js';
import { hostImports, attachKernelMemory } from './host-imports.js';

/** The page's messages. */
function onMessage(msg) {
	switch (msg.t) {
	case 'init':
		W.kernelModule = msg.module;
		W.kernelMemory = msg.memory;
		W.shv = sh.views(msg.shared);
		W.bootOrigin = msg.bootOrigin;
		W.trace = !!msg.trace;
		W.slot = msg.slot;
		attachKernelMemory();
		W.devices = new Devices(msg.shared.devices, {
			memory: W.kernelMemory,
			irq: W.shv.irq,
			input: W.shv,
			output: (bytes) => post({ t: 'out', bytes }, [bytes.buffer]),
			warn: (text) => post({ t: 'warn', text }),
		});
		applySync(msg);
		idleLoop((entry) => runEntry(entry, hostImports));
		break;
	case 'ev':
		applyEvent(msg);
		break;
	case 'sync':
		applySync(msg);
		break;
	case 'fork_image':
		forkImageArrived(msg);
		break;
	default:
		break;
	}
}

const connecting = listen(onMessage);
if (connecting)
	await connecting;

post({ t: 'loaded' });
