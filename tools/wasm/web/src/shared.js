// SPDX-License-Identifier: GPL-2.0
// @ts-check
//
// The state the page and every worker share through SharedArrayBuffers:
// a control block (mm ids, the monotonic clock's last value, freed mm ids),
// the console input ring (of console_read, or of the virtio console) and
// the interrupt state (irq.js).  The page creates them, and the devices'
// state (devices.js); workers get them in their init message.

import { createIrq } from './irq.js';
import { lock, unlock } from './spinlock.js';

/** Words of the control block (Int32Array indices). */
export const CTL_NEXT_MM = 0;	// next process memory id (starts at 1)
export const CTL_GEN = 1;	// events (mm_new, mm_module, mm_free) so far
export const CTL_WORDS = 4;
/** The clock words (BigInt64Array indices over the same buffer). */
export const CLK_LAST = 1;	// last monotonic value handed out, ns
export const CLK_WORDS = 2;

/** Process memory ids the freed bitmap can name; larger ids are never
 *  marked (a stale id above it still finds no memory once the worker that
 *  knew it has dropped it). */
export const MAX_MM_IDS = 1 << 20;

/** Bytes of console input the ring holds (a power of two). */
export const RING_SIZE = 1 << 16;
const RING_HEAD = 0;	// bytes taken, mod 2^32 (consumers, CAS)
const RING_TAIL = 1;	// bytes put, mod 2^32 (the page)

/**
 * The worker pool: one slot per worker, where an idle worker waits (with
 * Atomics.waitAsync, so that it still takes the page's messages) for an
 * entry that any thread can hand it directly, without a trip through the
 * page's event loop.
 */
export const MAX_WORKERS = 1024;
export const SLOT_WORDS = 8;
export const SLOT_STATE = 0;
export const SLOT_KIND = 1;	// then 4 argument words
export const SLOT_ARGS = 2;
/** Slot states. */
export const SLOT_BUSY = 0;	// no worker waits here
export const SLOT_IDLE = 1;	// a worker waits for an entry
export const SLOT_CLAIMED = 2;	// a thread is writing an entry
export const SLOT_ASSIGNED = 3;	// the entry is there
export const SLOT_RUNNING = 4;	// the worker runs an entry (and takes no
				// messages until it is done)
/** Entry kinds. */
export const ENTRY_BOOT = 1;
export const ENTRY_CPU = 2;
export const ENTRY_TASK = 3;

/**
 * After the slots, the entries that found no idle worker, first in first
 * out: a worker that goes idle takes the oldest itself, without a trip
 * through the page (whose main thread may be busy drawing).  A lock word
 * (spinlock.js) orders "no worker is idle, queue the entry" against "the
 * queue is empty, go idle": no entry waits while a worker idles.
 */
const QUEUE_BASE = MAX_WORKERS * SLOT_WORDS;
const QUEUE_LOCK = QUEUE_BASE;
const QUEUE_HEAD = QUEUE_BASE + 1;	// entries taken
const QUEUE_TAIL = QUEUE_BASE + 2;	// entries put
const QUEUE_ENTRIES = QUEUE_BASE + 4;
/** Queued entries at most (more go to the page). */
export const QUEUE_SIZE = 256;
const QE_WORDS = 6;	// kind, 4 arguments, when it was queued
const POOL_WORDS = QUEUE_ENTRIES + QUEUE_SIZE * QE_WORDS;

/** Creates the shared buffers (on the page). */
export function createShared() {
	const ctl = new SharedArrayBuffer(CTL_WORDS * 4 + CLK_WORDS * 8);
	new Int32Array(ctl, 0, CTL_WORDS)[CTL_NEXT_MM] = 1;
	return {
		ctl,
		freed: new SharedArrayBuffer(MAX_MM_IDS / 8),
		ring: new SharedArrayBuffer(8 + RING_SIZE),
		pool: new SharedArrayBuffer(POOL_WORDS * 4),
		irq: createIrq(),
	};
}

/** An entry as the words of a slot. */
export function entryWords(e) {
	switch (e.kind) {
	case 'boot': return [ENTRY_BOOT, e.cmdline, e.initrdStart, e.initrdSize, e.nrCpus];
	case 'cpu': return [ENTRY_CPU, e.cpu, e.idle, 0, 0];
	default: return [ENTRY_TASK, e.task, 0, 0, 0];
	}
}

/** The entry in the words of a slot. */
export function wordsEntry(w) {
	const u = (i) => w[i] >>> 0;
	switch (w[0]) {
	case ENTRY_BOOT: return { kind: 'boot', cmdline: u(1), initrdStart: u(2), initrdSize: u(3), nrCpus: u(4) };
	case ENTRY_CPU: return { kind: 'cpu', cpu: u(1), idle: u(2) };
	default: return { kind: 'task', task: u(1) };
	}
}

/**
 * Hands `entry` to an idle worker of the pool (any thread, never blocks).
 * Returns the slot, or -1 if no worker is idle.
 * @param {Views} v
 */
export function handOff(v, entry, hint = 0) {
	const words = entryWords(entry);
	for (let n = 0; n < MAX_WORKERS; n++) {
		const slot = (hint + n) % MAX_WORKERS;
		const base = slot * SLOT_WORDS;
		if (Atomics.load(v.pool, base + SLOT_STATE) !== SLOT_IDLE)
			continue;
		if (Atomics.compareExchange(v.pool, base + SLOT_STATE, SLOT_IDLE, SLOT_CLAIMED) !== SLOT_IDLE)
			continue;
		for (let i = 0; i < words.length; i++)
			Atomics.store(v.pool, base + SLOT_KIND + i, words[i] | 0);
		Atomics.store(v.pool, base + SLOT_STATE, SLOT_ASSIGNED);
		Atomics.notify(v.pool, base + SLOT_STATE);
		return slot;
	}
	return -1;
}

/**
 * Queues `entry` (`lock` taken), stamped `time`; false if full.
 * @param {Views} v
 */
function enqueue(v, entry, time) {
	const head = Atomics.load(v.pool, QUEUE_HEAD);
	const tail = Atomics.load(v.pool, QUEUE_TAIL);
	if (((tail - head) >>> 0) >= QUEUE_SIZE)
		return false;
	const base = QUEUE_ENTRIES + ((tail >>> 0) % QUEUE_SIZE) * QE_WORDS;
	const words = entryWords(entry);
	for (let i = 0; i < words.length; i++)
		Atomics.store(v.pool, base + i, words[i] | 0);
	Atomics.store(v.pool, base + 5, time | 0);
	Atomics.store(v.pool, QUEUE_TAIL, (tail + 1) | 0);
	return true;
}

/**
 * Hands `entry` to an idle worker, or queues it for the next worker that
 * goes idle (workers: this may wait for the queue's lock).  `time` is a
 * stamp the taker gets back.  Returns the slot, -1 if queued, -2 if the
 * queue is full (the caller keeps the entry).
 * @param {Views} v
 */
export function handOffOrQueue(v, entry, hint, time) {
	let s = handOff(v, entry, hint);
	if (s >= 0)
		return s;
	lock(v.pool, QUEUE_LOCK);
	try {
		// A worker may have gone idle meanwhile: they do so holding
		// the lock.
		s = handOff(v, entry, hint);
		if (s < 0)
			s = enqueue(v, entry, time) ? -1 : -2;
	} finally {
		unlock(v.pool, QUEUE_LOCK);
	}
	return s;
}

/**
 * handOffOrQueue for the page, which must not block: queues only if the
 * lock is free at once.  Returns the slot, -1 if queued, -2 if the caller
 * keeps the entry.
 * @param {Views} v
 */
export function tryHandOffOrQueue(v, entry, time) {
	let s = handOff(v, entry);
	if (s >= 0)
		return s;
	if (Atomics.compareExchange(v.pool, QUEUE_LOCK, 0, 1) !== 0)
		return -2;
	try {
		s = handOff(v, entry);
		if (s < 0)
			s = enqueue(v, entry, time) ? -1 : -2;
	} finally {
		unlock(v.pool, QUEUE_LOCK);
	}
	return s;
}

/**
 * A worker that is done: takes the oldest queued entry, as
 * { entry, time }, or, if there is none, marks its slot idle and returns
 * null.
 * @param {Views} v
 */
export function takeOrIdle(v, slot) {
	const state = slot * SLOT_WORDS + SLOT_STATE;
	lock(v.pool, QUEUE_LOCK);
	try {
		const head = Atomics.load(v.pool, QUEUE_HEAD);
		if (head === Atomics.load(v.pool, QUEUE_TAIL)) {
			Atomics.store(v.pool, state, SLOT_IDLE);
			return null;
		}
		const base = QUEUE_ENTRIES + ((head >>> 0) % QUEUE_SIZE) * QE_WORDS;
		const words = [];
		for (let i = 0; i < 5; i++)
			words.push(Atomics.load(v.pool, base + i));
		const time = Atomics.load(v.pool, base + 5);
		Atomics.store(v.pool, QUEUE_HEAD, (head + 1) | 0);
		Atomics.store(v.pool, state, SLOT_BUSY);
		return { entry: wordsEntry(words), time };
	} finally {
		unlock(v.pool, QUEUE_LOCK);
	}
}

/**
 * Entries queued for a worker.
 * @param {Views} v
 */
export function queued(v) {
	return (Atomics.load(v.pool, QUEUE_TAIL) - Atomics.load(v.pool, QUEUE_HEAD)) >>> 0;
}

/**
 * The state of a pool slot.
 * @param {Views} v
 */
export function slotState(v, slot) {
	return Atomics.load(v.pool, slot * SLOT_WORDS + SLOT_STATE);
}

/**
 * How many workers wait in the pool.
 * @param {Views} v
 */
export function idleWorkers(v, nslots) {
	let n = 0;
	for (let slot = 0; slot < nslots; slot++)
		if (Atomics.load(v.pool, slot * SLOT_WORDS + SLOT_STATE) === SLOT_IDLE)
			n++;
	return n;
}

/** Typed views of the shared buffers. */
/** @typedef {ReturnType<typeof views>} Views */

export function views(sh) {
	return {
		ctl: new Int32Array(sh.ctl, 0, CTL_WORDS),
		clock: new BigInt64Array(sh.ctl, CTL_WORDS * 4, CLK_WORDS),
		freed: new Int32Array(sh.freed),
		ringHdr: new Int32Array(sh.ring, 0, 2),
		ringData: new Uint8Array(sh.ring, 8, RING_SIZE),
		pool: new Int32Array(sh.pool),
		irq: new Int32Array(sh.irq),
	};
}

/**
 * Marks process memory `id` freed (any thread).
 * @param {Views} v
 */
export function markFreed(v, id) {
	if (id > 0 && id < MAX_MM_IDS)
		Atomics.or(v.freed, id >>> 5, 1 << (id & 31));
}

/**
 * Whether process memory `id` was freed.
 * @param {Views} v
 */
export function isFreed(v, id) {
	if (id <= 0 || id >= MAX_MM_IDS)
		return false;
	return (Atomics.load(v.freed, id >>> 5) & (1 << (id & 31))) !== 0;
}

/**
 * Puts as many of `bytes` as fit into the console input ring (one
 * producer: the page).  Returns how many it took.
 * @param {Views} v
 */
export function ringPut(v, bytes) {
	const head = Atomics.load(v.ringHdr, RING_HEAD);
	const tail = Atomics.load(v.ringHdr, RING_TAIL);
	const used = (tail - head) >>> 0;
	const n = Math.min(bytes.length, RING_SIZE - used);
	for (let i = 0; i < n; i++)
		v.ringData[(tail + i) & (RING_SIZE - 1)] = bytes[i];
	Atomics.store(v.ringHdr, RING_TAIL, (tail + n) | 0);
	return n;
}

/**
 * Takes up to `max` bytes of console input (any thread, never blocks; the
 * virtio console takes them under its receive queue's lock).
 * Returns a Uint8Array, empty if nothing is waiting.
 * @param {Views} v
 */
export function ringTake(v, max) {
	for (;;) {
		const head = Atomics.load(v.ringHdr, RING_HEAD);
		const tail = Atomics.load(v.ringHdr, RING_TAIL);
		const n = Math.min((tail - head) >>> 0, max);
		if (n === 0)
			return new Uint8Array(0);
		const out = new Uint8Array(n);
		for (let i = 0; i < n; i++)
			out[i] = v.ringData[(head + i) & (RING_SIZE - 1)];
		if (Atomics.compareExchange(v.ringHdr, RING_HEAD, head, (head + n) | 0) === head)
			return out;
	}
}

/**
 * Bytes waiting in the ring.
 * @param {Views} v
 */
export function ringUsed(v) {
	return (Atomics.load(v.ringHdr, RING_TAIL) - Atomics.load(v.ringHdr, RING_HEAD)) >>> 0;
}

/**
 * Raises interrupt line `line` on `cpu` (host-abi.rst "Interrupts"):
 * atomic OR of the line's bit into the CPU's pending word, then notify.
 * `kernelI32` is an Int32Array over the kernel memory, `pending` the value
 * of the wasm_irq_pending export.
 */
export function raiseIrq(kernelI32, pending, cpu, line) {
	if (line < 0 || line > 31)
		throw new RangeError(`interrupt line ${line} out of range`);
	const addr = (pending >>> 0) + 4 * cpu;
	if (addr % 4 || addr + 4 > kernelI32.byteLength)
		throw new RangeError(`pending word of CPU ${cpu} at ${addr} is not in memory`);
	Atomics.or(kernelI32, addr >>> 2, 1 << line);
	Atomics.notify(kernelI32, addr >>> 2);
}
