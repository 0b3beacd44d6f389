// SPDX-License-Identifier: GPL-2.0
// @ts-check
//
// A kernel thread's messages to and from the page, in a browser worker or
// a Node worker thread.

let send = null;

/** Posts `msg` to the page, transferring `transfer`. */
export function post(msg, transfer) {
	send(msg, transfer ?? []);
}

/**
 * Hands the page's messages to `onMessage` and makes post() work: at once
 * in a browser worker (null), in a Node worker thread when the returned
 * promise resolves.
 */
export function listen(onMessage) {
	if (typeof WorkerGlobalScope !== 'undefined' && typeof self !== 'undefined') {
		send = (msg, transfer) => self.postMessage(msg, transfer);
		self.onmessage = (e) => onMessage(e.data);
		// Started bare by the page's early script, which kept what came
		// before this code: taken once worker.js has run.
		const queued = self.wasmLinuxQueued;
		if (queued)
			queueMicrotask(() => {
				for (const m of queued.splice(0))
					onMessage(m);
			});
		return null;
	}
	return import('node:worker_threads').then(({ parentPort }) => {
		send = (msg, transfer) => parentPort.postMessage(msg, transfer);
		parentPort.on('message', (data) => onMessage(data));
	});
}
