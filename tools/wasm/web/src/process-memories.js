// SPDX-License-Identifier: GPL-2.0
// @ts-check
//
// The process memories a kernel thread's worker knows (host-abi.rst
// "Process memories"), and the machine events that keep them the same in
// every worker.  A worker can receive Memory and Module objects only
// through messages, so mm_new, mm_fork, mm_add_module and mm_free are
// numbered events that the worker which made them posts to the page, and
// that the page forwards, in order, to the other workers.

import * as sh from './shared.js';
import { post } from './worker-messages.js';
import { W } from './worker-state.js';
import { remember } from './module-cache.js';

/** Process memories this worker knows: id -> mm record (from the page's
 *  init message and events, and mm_new). */
export const mms = new Map();

/** Every machine event (mm_new, mm_module, mm_free) up to this one is
 *  applied here; `known` has the later ones that are. */
let gen = 0;
const known = new Set();
const genWaiters = [];

/** Counts event `g` as applied. */
function applied(g) {
	if (g > gen)
		known.add(g);
	while (known.delete(gen + 1))
		gen++;
	for (const w of genWaiters.splice(0))
		w();
}

function addMm(m) {
	if (sh.isFreed(W.shv, m.id))
		return;
	const have = mms.get(m.id);
	// A process's image only grows, by the one task that execs.
	if (have && have.image.length >= m.image.length)
		return;
	mms.set(m.id, {
		id: m.id,
		memory: m.memory,
		max: m.max,
		tableSize: m.tableSize,
		// A fork child's word: 1 once its parent made the copy.
		fork: m.fork ?? null,
		image: m.image.map((e) => ({
			module: e.module,
			iface: e.iface,
			memoryBase: e.memoryBase,
			tableBase: e.tableBase,
		})),
	});
}

/**
 * A machine event the page forwards, in order: what other workers did to
 * process memories.  Events this worker made itself are already applied.
 * The page sends no events to a worker while it runs an entry (it could
 * not take them): it sends a snapshot when the worker is done (applySync).
 */
export function applyEvent(ev) {
	if (ev.gen <= gen || known.has(ev.gen))
		return;
	if (ev.origin !== W.slot) {
		switch (ev.e) {
		case 'mm_new':
			addMm({ ...ev, image: [] });
			break;
		case 'mm_fork':
			// The parent's image, which came in events before this one.
			addMm({ ...ev, image: mms.get(ev.parent)?.image ?? [] });
			break;
		case 'mm_module': {
			const c = remember(ev);
			const m = mms.get(ev.id);
			if (m)
				m.image.push({ module: c.module, iface: c.iface,
					memoryBase: ev.memoryBase, tableBase: ev.tableBase });
			break;
		}
		case 'mm_free':
			mms.delete(ev.id);
			break;
		default:
			break;
		}
	}
	applied(ev.gen);
}

/**
 * The page's state of every process memory and compiled module after its
 * event `msg.gen` (in the init message, and for a worker that was busy
 * while events happened).  Memories this worker knows and the page does
 * not yet are kept (its own events that the page has not ordered yet);
 * freed ones go.
 */
export function applySync(msg) {
	for (const c of msg.modules)
		remember(c);
	for (const m of msg.mms)
		addMm(m);
	for (const id of [...mms.keys()])
		if (sh.isFreed(W.shv, id))
			mms.delete(id);
	if (msg.gen > gen) {
		for (const g of known)
			if (g <= msg.gen)
				known.delete(g);
		gen = msg.gen;
	}
	applied(gen);
}

/** Tells the page about an event (numbered in the order they happen). */
export function postEvent(ev, transfer) {
	ev.gen = Atomics.add(W.shv.ctl, sh.CTL_GEN, 1) + 1;
	ev.origin = W.slot;
	applied(ev.gen);
	post({ t: 'ev', ...ev }, transfer);
}


/** The last machine event up to which every one is applied here. */
export function eventsApplied() {
	return gen;
}

/** Resolves when a machine event is applied here, or after `ms`. */
export function nextEvent(ms) {
	return new Promise((resolve) => {
		genWaiters.push(resolve);
		setTimeout(resolve, ms);
	});
}

/** The memory record of `id`, or null (0, unknown or freed). */
export function getMm(id) {
	id >>>= 0;
	if (id === 0 || sh.isFreed(W.shv, id))
		return null;
	return mms.get(id) ?? null;
}

/** The bytes of a process memory, or null. */
export function ubytes(mm) {
	const m = getMm(mm);
	if (!m)
		return null;
	if (!m.u8 || m.u8.byteLength !== m.memory.buffer.byteLength)
		m.u8 = new Uint8Array(m.memory.buffer);
	return m.u8;
}
