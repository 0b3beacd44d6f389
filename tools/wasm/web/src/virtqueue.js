// SPDX-License-Identifier: GPL-2.0
// @ts-check
//
// Split virtqueues (virtio 1.x, section 2.7), as tools/wasm/host/src/
// virtio/queue.rs: taking the descriptor chains the driver makes
// available and giving them back through the used ring.
//
// Everything in a ring comes from the guest, which may be buggy or
// hostile, and runs in other workers at the same time.  So every ring and
// every buffer is checked against the kernel memory before use, the walk
// of a chain is bounded by the queue size, and the indices shared with the
// driver are read and written with Atomics.  Any inconsistency throws a
// QueueError, which the transport (virtio-mmio.js) catches: the device
// then needs a reset.  Nothing here throws anything else on guest data.
//
// The device's side of a queue (its registers and where it is in the
// rings) lives in a SharedArrayBuffer, so that every worker sees one
// queue: a Virtqueue is a view of those words, used under the queue's lock.

/** Bytes of one descriptor: addr u64, len u32, flags u16, next u16. */
const DESC_SIZE = 16;
const DESC_F_NEXT = 1;
const DESC_F_WRITE = 2;
const DESC_F_INDIRECT = 4;
/** avail.flags: the driver does not want used-buffer interrupts. */
const AVAIL_F_NO_INTERRUPT = 1;
/** The largest queue size of a split virtqueue. */
export const MAX_QUEUE_SIZE = 32768;

/** Words of one queue's shared state (Int32Array indices from its base). */
export const Q_LOCK = 0;	// lock word (lock.js)
export const Q_NUM = 1;		// QueueNum as the driver wrote it
export const Q_READY = 2;	// QueueReady: 0 or 1
export const Q_DESC_LO = 3;	// descriptor table
export const Q_DESC_HI = 4;
export const Q_AVAIL_LO = 5;	// QueueDriver: the available ring
export const Q_AVAIL_HI = 6;
export const Q_USED_LO = 7;	// QueueDevice: the used ring
export const Q_USED_HI = 8;
export const Q_NEXT_AVAIL = 9;	// the next available entry the device takes
export const Q_NEXT_USED = 10;	// the next used entry the device fills
export const Q_USED_SINCE = 11;	// buffers used since the last takeUsed()
export const Q_WORDS = 16;

/** Why a queue cannot be processed; the device needs a reset. */
export class QueueError extends Error {}

/**
 * The kernel memory as the devices see it: views over its (growable)
 * buffer, refreshed when it grows.  `source` is a WebAssembly.Memory or
 * anything with a `buffer` (a SharedArrayBuffer for tests).
 */
export class GuestMemory {
	constructor(source) {
		this.source = source;
		this.buf = null;
		this.refresh();
	}

	refresh() {
		const buf = this.source.buffer ?? this.source;
		if (buf !== this.buf || buf.byteLength !== this.size) {
			this.buf = buf;
			this.size = buf.byteLength;
			this.u8 = new Uint8Array(buf);
			this.u16 = new Uint16Array(buf, 0, buf.byteLength >>> 1);
			this.i32 = new Int32Array(buf, 0, buf.byteLength >>> 2);
			this.dv = new DataView(buf);
		}
		return this;
	}

	/** Whether [addr, addr + len) lies in memory (addr may be >= 2^32). */
	contains(addr, len) {
		return addr >= 0 && len >= 0 && addr + len <= this.size;
	}
}

/** A 64-bit guest address from two 32-bit words (exact below 2^53). */
export function addr64(lo, hi) {
	return (hi >>> 0) * 0x100000000 + (lo >>> 0);
}

const hex = (n) => `0x${n.toString(16)}`;

/**
 * A descriptor chain: the device-readable buffers, then the writable, as
 * [{addr, len}] inside kernel memory.
 */
export class Chain {
	constructor(head) {
		this.head = head;
		this.readable = [];
		this.writable = [];
	}

	readableLen() {
		return this.readable.reduce((n, s) => n + s.len, 0);
	}

	writableLen() {
		return this.writable.reduce((n, s) => n + s.len, 0);
	}
}

/** The device side of one split virtqueue: a view of its shared words. */
export class Virtqueue {
	/** `words` is the Int32Array of the shared device state, `base` the
	 *  index of this queue's first word, `memory` a GuestMemory. */
	constructor(words, base, memory) {
		/** @type {Int32Array} */
		this.w = words;
		this.base = base;
		/** @type {GuestMemory} */
		this.memory = memory;
	}

	get(i) { return Atomics.load(this.w, this.base + i); }
	set(i, v) { Atomics.store(this.w, this.base + i, v | 0); }

	get ready() { return this.get(Q_READY) !== 0; }
	get size() { return this.get(Q_NUM) >>> 0; }
	get desc() { return addr64(this.get(Q_DESC_LO), this.get(Q_DESC_HI)); }
	get avail() { return addr64(this.get(Q_AVAIL_LO), this.get(Q_AVAIL_HI)); }
	get used() { return addr64(this.get(Q_USED_LO), this.get(Q_USED_HI)); }

	/** Forgets where the device was in the rings (a stopped queue). */
	clearProgress() {
		this.set(Q_NEXT_AVAIL, 0);
		this.set(Q_NEXT_USED, 0);
		this.set(Q_USED_SINCE, 0);
	}

	/** Checks the size and that the three rings lie, aligned, in memory.
	 *  Returns the memory (refreshed). */
	check() {
		const m = this.memory.refresh();
		const n = this.size;
		if (n === 0 || (n & (n - 1)) !== 0 || n > MAX_QUEUE_SIZE)
			throw new QueueError(`invalid queue size ${n}`);
		/** @type {[string, number, number, number][]} */
		const rings = [
			['descriptor', this.desc, DESC_SIZE * n, 16],
			['available', this.avail, 6 + 2 * n, 2],
			['used', this.used, 6 + 8 * n, 4],
		];
		for (const [ring, addr, len, align] of rings)
			if (addr % align !== 0 || !m.contains(addr, len))
				throw new QueueError(`${ring} ring at ${hex(addr)} outside memory or misaligned`);
		return m;
	}

	/** Takes the next available chain, or null if the driver has made
	 *  none available since. */
	pop() {
		const m = this.check();
		const size = this.size;
		const avail = this.avail;
		const next = this.get(Q_NEXT_AVAIL) & 0xffff;
		const idx = Atomics.load(m.u16, (avail + 2) >>> 1);
		if (idx === next)
			return null;
		if (((idx - next) & 0xffff) > size)
			throw new QueueError(`available index ${idx} too far ahead of ${next}`);
		const head = m.dv.getUint16(avail + 4 + 2 * (next % size), true);
		const chain = this.walk(m, head);
		this.set(Q_NEXT_AVAIL, (next + 1) & 0xffff);
		return chain;
	}

	/** Follows the chain starting at descriptor `head`. */
	walk(m, head) {
		const size = this.size;
		const desc = this.desc;
		const chain = new Chain(head);
		let index = head;
		for (let n = 0; n < size; n++) {
			if (index >= size)
				throw new QueueError(`descriptor index ${index} out of range`);
			const at = desc + DESC_SIZE * index;
			const addr = addr64(m.dv.getUint32(at, true), m.dv.getUint32(at + 4, true));
			const len = m.dv.getUint32(at + 8, true);
			const flags = m.dv.getUint16(at + 12, true);
			const nextIndex = m.dv.getUint16(at + 14, true);
			if (flags & DESC_F_INDIRECT)
				throw new QueueError(`descriptor ${index} is indirect`);
			if (!m.contains(addr, len))
				throw new QueueError(`descriptor ${index} outside memory (${hex(addr)}+${hex(len)})`);
			const segment = { addr, len };
			if (flags & DESC_F_WRITE)
				chain.writable.push(segment);
			else if (chain.writable.length)
				throw new QueueError(`descriptor ${index} is readable after a writable one`);
			else
				chain.readable.push(segment);
			if (!(flags & DESC_F_NEXT))
				return chain;
			index = nextIndex;
		}
		throw new QueueError(`descriptor chain ${head} loops`);
	}

	/** Returns chain `head` to the driver with `len` bytes written. */
	pushUsed(head, len) {
		const m = this.check();
		const used = this.used;
		const next = this.get(Q_NEXT_USED) & 0xffff;
		const at = used + 4 + 8 * (next % this.size);
		m.dv.setUint32(at, head, true);
		m.dv.setUint32(at + 4, len, true);
		const idx = (next + 1) & 0xffff;
		this.set(Q_NEXT_USED, idx);
		// Seq-cst: the element above is visible before the index.
		Atomics.store(m.u16, (used + 2) >>> 1, idx);
		this.set(Q_USED_SINCE, 1);
	}

	/** Whether buffers were used since the last call; resets the flag. */
	takeUsed() {
		return Atomics.exchange(this.w, this.base + Q_USED_SINCE, 0) !== 0;
	}

	/** Whether the driver wants an interrupt for used buffers (it did not
	 *  set VIRTQ_AVAIL_F_NO_INTERRUPT).  In doubt, it does. */
	interruptWanted() {
		const m = this.memory.refresh();
		const avail = this.avail;
		if (avail % 2 !== 0 || !m.contains(avail, 2))
			return true;
		// A seq-cst load: the used index is visible before the flag is
		// looked at, so a driver re-enabling interrupts misses nothing.
		return (Atomics.load(m.u16, avail >>> 1) & AVAIL_F_NO_INTERRUPT) === 0;
	}
}
