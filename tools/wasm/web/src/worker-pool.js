// SPDX-License-Identifier: GPL-2.0
// @ts-check
//
// A kernel thread's worker in the machine's pool of workers (shared.js):
// it waits in its slot for an entry, or takes the oldest queued one, and
// hands the entries the kernel starts (cpu_start, task_spawn) to idle
// workers or to the queue.

import * as sh from './shared.js';
import { post } from './worker-messages.js';
import { W } from './worker-state.js';
import { eventsApplied, nextEvent } from './process-memories.js';

/**
 * Waits in the pool for entries, forever, and runs each with `run`.  The
 * wait is asynchronous, so the page's messages (events) are taken
 * meanwhile; an entry does not start before this worker has every event
 * that happened before it was handed over (a clone child needs its
 * parent's process memory).
 */
export async function idleLoop(run) {
	const { shv, slot } = W;
	const state = slot * sh.SLOT_WORDS + sh.SLOT_STATE;
	for (;;) {
		// The oldest entry that waits for a worker, else wait for one.
		let entry;
		const q = sh.takeOrIdle(shv, slot);
		if (q) {
			entry = q.entry;
			post({ t: 'idle', took: true, waited: (stamp() - q.time) / 10 });
		} else {
			post({ t: 'idle' });
			for (;;) {
				const cur = Atomics.load(shv.pool, state);
				if (cur === sh.SLOT_ASSIGNED)
					break;
				const r = Atomics.waitAsync(shv.pool, state, cur);
				if (r.async)
					await r.value;
			}
			const words = [];
			for (let i = 0; i < 5; i++)
				words.push(Atomics.load(shv.pool, state - sh.SLOT_STATE + sh.SLOT_KIND + i));
			Atomics.store(shv.pool, state, sh.SLOT_BUSY);
			entry = sh.wordsEntry(words);
		}
		const target = Atomics.load(shv.ctl, sh.CTL_GEN);
		if (eventsApplied() < target)
			post({ t: 'behind' });
		const deadline = performance.now() + 5000;
		while (eventsApplied() < target && performance.now() < deadline)
			await nextEvent(100);
		if (eventsApplied() < target)
			post({ t: 'trace', text: `missing machine events ${eventsApplied() + 1} to ${target}` });
		Atomics.store(shv.pool, state, sh.SLOT_RUNNING);
		// Synchronous but for a fork child waiting for its parent's copy.
		await run(entry);
	}
}

/** Now, on the machine's clock, in 0.1 ms (queue stamps). */
function stamp() {
	return Math.round((performance.timeOrigin + performance.now() - W.bootOrigin) * 10);
}

/** Hands an entry to an idle worker, else queues it for the next one
 *  (the page starts more), else (the queue is full) leaves it to the
 *  page. */
export function spawn(entry) {
	const s = sh.handOffOrQueue(W.shv, entry, W.slot + 1, stamp());
	if (s >= 0)
		post({ t: 'claimed', slot: s, entry });
	else if (s === -1)
		post({ t: 'queued', entry });
	else
		post({ t: 'spawn', entry });
}
