// SPDX-License-Identifier: GPL-2.0
// @ts-check
//
// The virtio-mmio transport (virtio 1.x, section 4.2, "modern" layout,
// Version 2), as tools/wasm/host/src/virtio/mmio.rs: the register file of
// one device window, its status and feature negotiation, its queues and
// its interrupt.
//
// Kernel code runs in many workers at once, so a device is not a
// JavaScript object of one worker: its registers and queues are words of
// a SharedArrayBuffer (layout below), and a Transport is each worker's
// view of them.  The register file is behind the device's lock; each
// queue is behind a lock of its own, held while the queue is processed.
// Lock order: the device, then a queue.  Status, InterruptStatus and
// "broken" are single words used with Atomics, so that processing can
// mark the device broken without the device lock.
//
// Nothing here throws on what the guest does: bad accesses read as all
// ones or are ignored, and corrupt rings make the device need a reset.

import { lock, unlock, locked } from './spinlock.js';
import { Virtqueue, Q_WORDS, Q_LOCK, Q_NUM, Q_READY, Q_DESC_LO, Q_DESC_HI,
	Q_AVAIL_LO, Q_AVAIL_HI, Q_USED_LO, Q_USED_HI } from './virtqueue.js';
import { raiseDevice } from './irq.js';

export const MAGIC = 0x000;
export const VERSION = 0x004;
export const DEVICE_ID = 0x008;
export const VENDOR_ID = 0x00c;
export const DEVICE_FEATURES = 0x010;
export const DEVICE_FEATURES_SEL = 0x014;
export const DRIVER_FEATURES = 0x020;
export const DRIVER_FEATURES_SEL = 0x024;
export const QUEUE_SEL = 0x030;
export const QUEUE_NUM_MAX = 0x034;
export const QUEUE_NUM = 0x038;
export const QUEUE_READY = 0x044;
export const QUEUE_NOTIFY = 0x050;
export const INTERRUPT_STATUS = 0x060;
export const INTERRUPT_ACK = 0x064;
export const STATUS = 0x070;
export const QUEUE_DESC_LOW = 0x080;
export const QUEUE_DESC_HIGH = 0x084;
export const QUEUE_DRIVER_LOW = 0x090;
export const QUEUE_DRIVER_HIGH = 0x094;
export const QUEUE_DEVICE_LOW = 0x0a0;
export const QUEUE_DEVICE_HIGH = 0x0a4;
export const CONFIG_GENERATION = 0x0fc;
/** Device-specific configuration starts here. */
export const CONFIG = 0x100;

/** "virt", little-endian. */
export const MAGIC_VALUE = 0x74726976;
/** "QEMU", as most virtio-mmio devices say. */
export const VENDOR_VALUE = 0x554d4551;

/** Device status bits. */
export const STATUS_DRIVER_OK = 4;
export const STATUS_FEATURES_OK = 8;
export const STATUS_NEEDS_RESET = 0x40;
/** InterruptStatus bits: a used buffer, a configuration change. */
export const INT_VRING = 1;
export const INT_CONFIG = 2;
/** VIRTIO_F_VERSION_1 is bit 32: bit 0 of the high feature word. */
const F_VERSION_1_HI = 1;

/** Words of one device's shared state (Int32Array indices from its base). */
export const D_TYPE = 0;	// the virtio device ID (backend)
const D_LOCK = 1;		// the register file's lock
const D_STATUS = 2;
const D_INT_STATUS = 3;
const D_BROKEN = 4;		// corrupt rings: ignore the queues until reset
const D_NOTIFY_CPU = 5;		// the CPU of the last QueueNotify
const D_DEV_FSEL = 6;
const D_DRV_FSEL = 7;
const D_DRV_F_LO = 8;
const D_DRV_F_HI = 9;
const D_QUEUE_SEL = 10;
/** Words the backend may use for state of its own. */
export const D_BACKEND = 12;
const D_QUEUES = 16;
export const MAX_QUEUES = 2;
export const DEV_WORDS = D_QUEUES + MAX_QUEUES * Q_WORDS;

/** All ones of an access of `size` bytes, as mmio_read returns it. */
export function allOnes(size) {
	return BigInt.asUintN(size * 8, -1n);
}

/**
 * One virtio-mmio device, as a worker (or a test) sees it.
 *
 * ctx: { words (Int32Array of the devices' SharedArrayBuffer), memory
 *        (GuestMemory of the kernel memory), irq (Int32Array of the
 *        interrupt state, irq.js), warn(text) }
 * backend: { name, deviceId, features: [lo, hi], queueMax: [...],
 *        config: Uint8Array, process(dev, queue), readInterruptStatus?(dev),
 *        featuresOf?(dev), configOf?(dev) (features and configuration
 *        that depend on the device's shared state, instead of those) }
 */
export class Transport {
	constructor(ctx, base, line, backend) {
		this.ctx = ctx;
		/** @type {Int32Array} */
		this.w = ctx.words;
		this.memory = ctx.memory;
		this.base = base;
		this.line = line;
		this.backend = backend;
		this.name = backend.name;
		this.queues = backend.queueMax.map((_, i) =>
			new Virtqueue(this.w, base + D_QUEUES + i * Q_WORDS, this.memory));
	}

	get(i) { return Atomics.load(this.w, this.base + i); }
	set(i, v) { Atomics.store(this.w, this.base + i, v | 0); }

	/** The Status register. */
	status() { return this.get(D_STATUS) >>> 0; }
	/** The InterruptStatus register. */
	interruptStatus() { return this.get(D_INT_STATUS) >>> 0; }
	/** The CPU of the last QueueNotify. */
	notifyCpu() { return this.get(D_NOTIFY_CPU); }
	broken() { return this.get(D_BROKEN) !== 0; }

	/** Whether the driver made the device live and it is not broken. */
	live() {
		return (this.status() & STATUS_DRIVER_OK) !== 0 && !this.broken();
	}

	/** Sets `bits` in InterruptStatus and, if `raise`, raises the line. */
	interrupt(bits, raise = true) {
		Atomics.or(this.w, this.base + D_INT_STATUS, bits);
		if (raise)
			raiseDevice(this.ctx.irq, this.memory.refresh().i32, this.line, this.notifyCpu());
	}

	/** The device needs a reset: it ignores its queues until then. */
	markBroken(why) {
		if (Atomics.exchange(this.w, this.base + D_BROKEN, 1) !== 0)
			return;
		Atomics.or(this.w, this.base + D_STATUS, STATUS_NEEDS_RESET);
		this.ctx.warn?.(`${this.name}: ${why}; device needs reset`);
		this.interrupt(INT_CONFIG);
	}

	/**
	 * Runs `f(queue)` on queue `queue` under its lock if the device is
	 * live and the queue ready; then interrupts the driver if buffers were
	 * used (and it wants to hear; `raise` false only sets the status bit),
	 * and marks the device broken if `f` threw.
	 */
	service(queue, f, raise = true) {
		const q = this.queues[queue];
		if (!q)
			return;
		const w = this.w;
		lock(w, q.base + Q_LOCK);
		try {
			if (!q.ready || !this.live())
				return;
			let err = null;
			try {
				f(q);
			} catch (e) {
				err = e;
			}
			if (q.takeUsed() && q.interruptWanted())
				this.interrupt(INT_VRING, raise);
			if (err)
				this.markBroken(err.message ?? String(err));
		} finally {
			unlock(w, q.base + Q_LOCK);
		}
	}

	/** Reads `size` bytes of the register file at `offset` (a BigInt):
	 *  all ones for no register, a write-only one or a bad access. */
	read(offset, size) {
		if (offset >= CONFIG)
			return this.readConfig(offset - CONFIG, size);
		if (size !== 4 || offset % 4 !== 0)
			return allOnes(size);
		switch (offset) {
		case INTERRUPT_STATUS:
			this.backend.readInterruptStatus?.(this);
			return BigInt(this.interruptStatus());
		case STATUS:
			return BigInt(this.status());
		default:
			break;
		}
		const value = locked(this.w, this.base + D_LOCK, () => this.readReg(offset));
		return value === null ? allOnes(size) : BigInt(value >>> 0);
	}

	readReg(offset) {
		const sel = this.get(D_QUEUE_SEL) >>> 0;
		const q = this.queues[sel];
		switch (offset) {
		case MAGIC: return MAGIC_VALUE;
		case VERSION: return 2;
		case DEVICE_ID: return this.backend.deviceId;
		case VENDOR_ID: return VENDOR_VALUE;
		case DEVICE_FEATURES: {
			const fsel = this.get(D_DEV_FSEL) >>> 0;
			const [lo, hi] = this.offered();
			return fsel === 0 ? lo : fsel === 1 ? hi : 0;
		}
		case QUEUE_NUM_MAX: return this.backend.queueMax[sel] ?? 0;
		case QUEUE_READY: return q && q.ready ? 1 : 0;
		case CONFIG_GENERATION: return 0;
		default: return null;
		}
	}

	/** The feature words the device offers: the backend's and VERSION_1. */
	offered() {
		const [lo, hi] = this.backend.featuresOf?.(this) ?? this.backend.features;
		return [lo >>> 0, (hi | F_VERSION_1_HI) >>> 0];
	}

	readConfig(offset, size) {
		const config = this.backend.configOf?.(this) ?? this.backend.config;
		if (offset + size > config.length)
			return allOnes(size);
		let v = 0n;
		for (let i = size - 1; i >= 0; i--)
			v = (v << 8n) | BigInt(config[offset + i]);
		return v;
	}

	/** Writes `size` bytes (`value`, a Number or BigInt) to the register
	 *  file at `offset`, from a kernel thread on CPU `cpu`.  Bad accesses,
	 *  read-only registers and the configuration ignore writes. */
	write(offset, size, value, cpu) {
		if (size !== 4 || offset % 4 !== 0 || offset >= CONFIG)
			return;
		const v = Number(BigInt.asUintN(32, BigInt(value)));
		switch (offset) {
		case QUEUE_NOTIFY:
			this.notify(v, cpu);
			return;
		case INTERRUPT_ACK:
			Atomics.and(this.w, this.base + D_INT_STATUS, ~v);
			return;
		case STATUS:
			this.setStatus(v);
			return;
		case QUEUE_READY: {
			const sel = this.get(D_QUEUE_SEL) >>> 0;
			if (sel < this.queues.length)
				this.setReady(sel, v === 1);
			return;
		}
		default:
			break;
		}
		locked(this.w, this.base + D_LOCK, () => this.writeReg(offset, v));
	}

	writeReg(offset, v) {
		switch (offset) {
		case DEVICE_FEATURES_SEL: this.set(D_DEV_FSEL, v); return;
		case DRIVER_FEATURES_SEL: this.set(D_DRV_FSEL, v); return;
		case DRIVER_FEATURES: {
			const fsel = this.get(D_DRV_FSEL) >>> 0;
			if (fsel === 0)
				this.set(D_DRV_F_LO, v);
			else if (fsel === 1)
				this.set(D_DRV_F_HI, v);
			return;
		}
		case QUEUE_SEL: this.set(D_QUEUE_SEL, v); return;
		default:
			break;
		}
		const q = this.queues[this.get(D_QUEUE_SEL) >>> 0];
		if (!q || q.ready)
			return;
		const field = {
			[QUEUE_NUM]: Q_NUM,
			[QUEUE_DESC_LOW]: Q_DESC_LO,
			[QUEUE_DESC_HIGH]: Q_DESC_HI,
			[QUEUE_DRIVER_LOW]: Q_AVAIL_LO,
			[QUEUE_DRIVER_HIGH]: Q_AVAIL_HI,
			[QUEUE_DEVICE_LOW]: Q_USED_LO,
			[QUEUE_DEVICE_HIGH]: Q_USED_HI,
		}[offset];
		if (field !== undefined)
			q.set(field, v);
	}

	/** QueueReady: starts queue `sel` as its registers say, or stops it. */
	setReady(sel, ready) {
		const q = this.queues[sel];
		let bad = null;
		lock(this.w, this.base + D_LOCK);
		lock(this.w, q.base + Q_LOCK);
		if (!ready) {
			q.set(Q_READY, 0);
			q.clearProgress();
		} else if (!q.ready) {
			const n = q.size;
			if (n === 0 || n > this.backend.queueMax[sel] || (n & (n - 1)) !== 0) {
				bad = `invalid queue size ${n}`;
			} else {
				q.clearProgress();
				q.set(Q_READY, 1);
			}
		}
		unlock(this.w, q.base + Q_LOCK);
		unlock(this.w, this.base + D_LOCK);
		if (bad)
			this.markBroken(bad);
	}

	/** Status: 0 resets; FEATURES_OK sticks only if the driver accepted a
	 *  subset of the offer including VERSION_1; DRIVER_OK processes every
	 *  queue (buffers the driver added before it). */
	setStatus(v) {
		if (v === 0) {
			this.reset();
			return;
		}
		v &= 0xff & ~STATUS_NEEDS_RESET;
		const old = locked(this.w, this.base + D_LOCK, () => {
			const [offLo, offHi] = this.offered();
			const lo = this.get(D_DRV_F_LO);
			const hi = this.get(D_DRV_F_HI);
			if ((v & STATUS_FEATURES_OK) &&
			    ((lo & ~offLo) !== 0 || (hi & ~offHi) !== 0 || (hi & F_VERSION_1_HI) === 0))
				v &= ~STATUS_FEATURES_OK;
			if (this.broken())
				v |= STATUS_NEEDS_RESET;
			return Atomics.exchange(this.w, this.base + D_STATUS, v);
		});
		if ((v & STATUS_DRIVER_OK) && !(old & STATUS_DRIVER_OK))
			for (let i = 0; i < this.queues.length; i++)
				this.dispatch(i);
	}

	/** Returns the device to its initial state (after any processing in
	 *  flight has finished).  The backend's own state stays. */
	reset() {
		lock(this.w, this.base + D_LOCK);
		for (const q of this.queues)
			lock(this.w, q.base + Q_LOCK);
		for (const q of this.queues)
			for (let i = Q_LOCK + 1; i < Q_WORDS; i++)
				q.set(i, 0);
		for (const i of [D_DEV_FSEL, D_DRV_FSEL, D_DRV_F_LO, D_DRV_F_HI, D_QUEUE_SEL,
			D_INT_STATUS, D_BROKEN, D_STATUS])
			this.set(i, 0);
		for (const q of this.queues.slice().reverse())
			unlock(this.w, q.base + Q_LOCK);
		unlock(this.w, this.base + D_LOCK);
	}

	/** QueueNotify from `cpu`. */
	notify(queue, cpu) {
		if (queue >= this.queues.length)
			return;
		this.set(D_NOTIFY_CPU, cpu);
		this.dispatch(queue);
	}

	/** Has `queue` processed, now, on this thread. */
	dispatch(queue) {
		if (this.broken())
			return;
		this.backend.process(this, queue);
	}
}
