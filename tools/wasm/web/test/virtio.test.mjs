// SPDX-License-Identifier: GPL-2.0
//
// Unit tests of the web host's virtio-mmio devices (src/virtqueue.js,
// virtio-mmio.js, virtio-console.js, virtio-rng.js, devices.js, irq.js,
// spinlock.js), after the native host's tests in tools/wasm/host/src/
// virtio/.  Run with:
//
//   node --test tools/wasm/web/test/virtio.test.mjs

import test from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { Virtqueue, GuestMemory, QueueError, Q_WORDS, Q_NUM, Q_READY, Q_DESC_LO,
	Q_AVAIL_LO, Q_USED_LO } from '../src/virtqueue.js';
import * as mmio from '../src/virtio-mmio.js';
import { Transport, DEV_WORDS } from '../src/virtio-mmio.js';
import { ConsoleBackend, RECEIVEQ, TRANSMITQ, consoleTakesInput, resizeConsole, F_SIZE,
	C_SIZE, sizeWord } from '../src/virtio-console.js';
import { RngBackend } from '../src/virtio-rng.js';
import { Devices, createDevices, deviceKinds, kernelCmdline, cmdlineParam } from '../src/devices.js';
import { createIrq, setIrqAddresses, cpuStarted, targetCpu } from '../src/irq.js';
import * as sh from '../src/shared.js';
import { locked } from '../src/spinlock.js';

const { MAGIC, VERSION, DEVICE_ID, VENDOR_ID, DEVICE_FEATURES, DEVICE_FEATURES_SEL,
	DRIVER_FEATURES, DRIVER_FEATURES_SEL, QUEUE_SEL, QUEUE_NUM_MAX, QUEUE_NUM,
	QUEUE_READY, QUEUE_NOTIFY, INTERRUPT_STATUS, INTERRUPT_ACK, STATUS,
	QUEUE_DESC_LOW, QUEUE_DESC_HIGH, QUEUE_DRIVER_LOW, QUEUE_DEVICE_LOW,
	QUEUE_DEVICE_HIGH, CONFIG_GENERATION, CONFIG, STATUS_NEEDS_RESET, INT_CONFIG } = mmio;

/** Memory of the tests: 4 wasm pages, as the native tests' test_memory(4). */
const MEM_SIZE = 0x40000;
/** Address of the pending-interrupt words. */
const PENDING = 0x100;
const AFFINITY = 0x200;

// ---------------------------------------------------------------------------
// A driver's side of a queue (as testing.rs).

class Driver {
	/** Rings at `base` (zeroed): descriptors, avail at +0x1000, used at
	 *  +0x2000. */
	constructor(buf, base, size) {
		this.u8 = new Uint8Array(buf);
		this.dv = new DataView(buf);
		this.u8.fill(0, base, base + 0x3000);
		this.size = size;
		this.desc = base;
		this.avail = base + 0x1000;
		this.used = base + 0x2000;
		this.availIdx = 0;
	}

	setDesc(i, addr, len, write, next) {
		const at = this.desc + 16 * i;
		this.dv.setBigUint64(at, BigInt(addr), true);
		this.dv.setUint32(at + 8, len >>> 0, true);
		this.dv.setUint16(at + 12, (next !== undefined ? 1 : 0) | (write ? 2 : 0), true);
		this.dv.setUint16(at + 14, next ?? 0, true);
	}

	setFlags(i, flags) {
		this.dv.setUint16(this.desc + 16 * i + 12, flags, true);
	}

	offer(head) {
		this.dv.setUint16(this.avail + 4 + 2 * (this.availIdx % this.size), head, true);
		this.availIdx = (this.availIdx + 1) & 0xffff;
		this.setAvailIdx(this.availIdx);
	}

	setAvailIdx(idx) { this.dv.setUint16(this.avail + 2, idx, true); }
	setAvailFlags(flags) { this.dv.setUint16(this.avail, flags, true); }
	usedIdx() { return this.dv.getUint16(this.used + 2, true); }
	usedElem(i) {
		const at = this.used + 4 + 8 * (i % this.size);
		return [this.dv.getUint32(at, true), this.dv.getUint32(at + 4, true)];
	}

	write(addr, text) { this.u8.set(new TextEncoder().encode(text), addr); }
	read(addr, len) { return new TextDecoder().decode(this.u8.slice(addr, addr + len)); }
}

/** A bare queue over fresh memory, rings at 0x4000. */
function bareQueue(size) {
	const buf = new SharedArrayBuffer(MEM_SIZE);
	const d = new Driver(buf, 0x4000, size);
	const words = new Int32Array(new SharedArrayBuffer(Q_WORDS * 4));
	const q = new Virtqueue(words, 0, new GuestMemory(buf));
	q.set(Q_NUM, size);
	q.set(Q_DESC_LO, d.desc);
	q.set(Q_AVAIL_LO, d.avail);
	q.set(Q_USED_LO, d.used);
	q.set(Q_READY, 1);
	return { d, q };
}

// ---------------------------------------------------------------------------
// Devices over a test memory (as testing.rs).

/** A device of `backend` on line 3, over fresh memory; `warnings` gets
 *  the device's warnings. */
function device(backend) {
	const buf = new SharedArrayBuffer(MEM_SIZE);
	const irq = new Int32Array(createIrq());
	setIrqAddresses(irq, PENDING, AFFINITY);
	new Int32Array(buf).fill(-1, AFFINITY / 4, AFFINITY / 4 + 32);
	const warnings = [];
	const ctx = {
		words: new Int32Array(new SharedArrayBuffer(DEV_WORDS * 4)),
		memory: new GuestMemory(buf),
		irq,
		warn: (t) => warnings.push(t),
	};
	const dev = new Transport(ctx, 0, 3, backend);
	dev.buf = buf;
	dev.warnings = warnings;
	return dev;
}

const r = (dev, off) => Number(dev.read(off, 4));
const w = (dev, off, v) => dev.write(off, 4, BigInt(v >>> 0), 0);

function pending(dev, cpu) {
	return new DataView(dev.buf).getUint32(PENDING + 4 * cpu, true);
}

function clearPending(dev) {
	new Uint8Array(dev.buf).fill(0, PENDING, PENDING + 256);
}

/** Negotiates VERSION_1 and sets every queue up with `size` entries:
 *  queue i has its rings at 0x10000 + i * 0x4000. */
function activate(dev, size) {
	w(dev, STATUS, 1 | 2);
	w(dev, DRIVER_FEATURES_SEL, 0);
	w(dev, DRIVER_FEATURES, 0);
	w(dev, DRIVER_FEATURES_SEL, 1);
	w(dev, DRIVER_FEATURES, 1);
	w(dev, STATUS, 1 | 2 | 8);
	assert.equal(r(dev, STATUS), 0xb, 'features accepted');
	const drivers = dev.backend.queueMax.map((_, i) => {
		const d = new Driver(dev.buf, 0x10000 + 0x4000 * i, size);
		w(dev, QUEUE_SEL, i);
		w(dev, QUEUE_NUM, size);
		w(dev, QUEUE_DESC_LOW, d.desc);
		w(dev, QUEUE_DESC_HIGH, 0);
		w(dev, QUEUE_DRIVER_LOW, d.avail);
		w(dev, QUEUE_DEVICE_LOW, d.used);
		w(dev, QUEUE_READY, 1);
		assert.equal(r(dev, QUEUE_READY), 1);
		return d;
	});
	w(dev, STATUS, 0xf);
	return drivers;
}

/** Checks a device in the broken state: it stays quiet when notified,
 *  and a reset revives it. */
function assertBrokenUntilReset(dev, drivers) {
	assert.notEqual(r(dev, STATUS) & STATUS_NEEDS_RESET, 0, 'needs reset');
	assert.notEqual(r(dev, INTERRUPT_STATUS) & INT_CONFIG, 0);
	assert.notEqual(pending(dev, 0) & (1 << 3), 0, 'config interrupt raised');
	assert.equal(dev.warnings.length, 1, 'one warning');
	clearPending(dev);
	const used = drivers.map((d) => d.usedIdx());
	drivers.forEach((_, q) => {
		dev.write(QUEUE_NOTIFY, 4, BigInt(q), 0);
		dev.backend.process(dev, q);
	});
	assert.deepEqual(drivers.map((d) => d.usedIdx()), used, 'a broken device uses no buffers');
	assert.equal(pending(dev, 0), 0, 'and raises nothing more');
	w(dev, STATUS, 0xf);
	assert.notEqual(r(dev, STATUS) & STATUS_NEEDS_RESET, 0, 'only a reset clears it');
	w(dev, STATUS, 0);
	assert.equal(r(dev, STATUS), 0);
	assert.equal(r(dev, INTERRUPT_STATUS), 0);
	w(dev, QUEUE_SEL, 0);
	assert.equal(r(dev, QUEUE_READY), 0);
	dev.warnings.length = 0;
}

/** A device that uses every chain with length 7 (mmio.rs's Echo). */
class Echo {
	constructor() {
		this.name = 'echo';
		this.deviceId = 42;
		this.features = [1 << 5, 0];
		this.queueMax = [8, 16];
		this.config = Uint8Array.from({ length: 12 }, (_, i) => i + 1);
	}

	process(dev, queue) {
		dev.service(queue, (q) => {
			for (let c = q.pop(); c; c = q.pop())
				q.pushUsed(c.head, 7);
		});
	}
}

/** The corruptions of a descriptor table or ring, for queue `d` whose
 *  buffers the device writes if `write`. */
function corruptions(write) {
	return {
		'buffer out of range': (d) => { d.setDesc(0, 0x7fff0000, 16, write); d.offer(0); },
		'buffer above 4 GiB': (d) => { d.setDesc(0, 2 ** 40, 16, write); d.offer(0); },
		'length past the end': (d) => { d.setDesc(0, 0x100, 0xffffffff, write); d.offer(0); },
		'buffer ends past memory': (d) => { d.setDesc(0, MEM_SIZE - 8, 16, write); d.offer(0); },
		'loop': (d) => {
			d.setDesc(0, 0x100, 4, write, 1);
			d.setDesc(1, 0x100, 4, write, 0);
			d.offer(0);
		},
		'next >= size': (d) => { d.setDesc(0, 0x100, 4, write, d.size); d.offer(0); },
		'head >= size': (d) => { d.setDesc(0, 0x100, 4, write); d.offer(0xffff); },
		'avail idx far ahead': (d) => d.setAvailIdx(0x8000),
		'indirect': (d) => { d.setDesc(0, 0x100, 16, write); d.setFlags(0, 4); d.offer(0); },
	};
}

// ---------------------------------------------------------------------------
// The queue walker.

test('virtqueue: chains in order and the used ring', () => {
	const { d, q } = bareQueue(4);
	assert.equal(q.pop(), null);
	d.setDesc(0, 0x100, 16, false, 2);
	d.setDesc(2, 0x200, 512, true, 3);
	d.setDesc(3, 0x400, 1, true);
	d.setDesc(1, 0x500, 8, false);
	d.offer(0);
	d.offer(1);
	const c = q.pop();
	assert.equal(c.head, 0);
	assert.deepEqual(c.readable, [{ addr: 0x100, len: 16 }]);
	assert.equal(c.writable.length, 2);
	assert.deepEqual([c.readableLen(), c.writableLen()], [16, 513]);
	const c2 = q.pop();
	assert.deepEqual([c2.head, c2.writable.length], [1, 0]);
	assert.equal(q.pop(), null);
	assert.equal(q.takeUsed(), false);
	q.pushUsed(1, 0);
	q.pushUsed(0, 513);
	assert.equal(q.takeUsed(), true);
	assert.equal(q.takeUsed(), false);
	assert.equal(d.usedIdx(), 2);
	assert.deepEqual(d.usedElem(0), [1, 0]);
	assert.deepEqual(d.usedElem(1), [0, 513]);
	assert.equal(q.interruptWanted(), true);
	d.setAvailFlags(1);
	assert.equal(q.interruptWanted(), false);
});

test('virtqueue: indices wrap at 2^16', () => {
	const { d, q } = bareQueue(2);
	d.setDesc(0, 0x100, 4, true);
	for (let i = 0; i < 70000; i++) {
		d.offer(0);
		assert.equal(q.pop().head, 0);
		q.pushUsed(0, 4);
	}
	assert.equal(d.usedIdx(), 70000 & 0xffff);
	assert.equal(q.pop(), null);
});

test('virtqueue: corrupt rings and descriptors throw QueueError only', () => {
	for (const [name, setup] of Object.entries({
		...corruptions(false),
		'readable after writable': (d) => {
			d.setDesc(0, 0x100, 4, true, 1);
			d.setDesc(1, 0x200, 4, false);
			d.offer(0);
		},
	})) {
		const { d, q } = bareQueue(4);
		setup(d);
		assert.throws(() => q.pop(), QueueError, name);
	}
	for (const [name, field, value] of [
		['size 0', Q_NUM, 0],
		['size not a power of two', Q_NUM, 3],
		['size too large', Q_NUM, 65536],
		['descriptor table past the end', Q_DESC_LO, MEM_SIZE - 32],
		['misaligned descriptor table', Q_DESC_LO, 0x4008],
		['misaligned avail ring', Q_AVAIL_LO, 0x5001],
		['used ring past the end', Q_USED_LO, MEM_SIZE - 8],
		['misaligned used ring', Q_USED_LO, 0x6002],
	]) {
		const { q } = bareQueue(4);
		q.set(field, value);
		assert.throws(() => q.pop(), QueueError, name);
		assert.throws(() => q.pushUsed(0, 0), QueueError, name);
	}
	const { q } = bareQueue(4);
	q.set(Q_AVAIL_LO, MEM_SIZE + 2);
	assert.equal(q.interruptWanted(), true, 'in doubt, interrupt');
});

// ---------------------------------------------------------------------------
// The transport.

test('mmio: identity, features and bad accesses', () => {
	const dev = device(new Echo());
	assert.equal(r(dev, MAGIC), 0x74726976);
	assert.equal(r(dev, VERSION), 2);
	assert.equal(r(dev, DEVICE_ID), 42);
	assert.equal(r(dev, VENDOR_ID), mmio.VENDOR_VALUE);
	assert.equal(r(dev, DEVICE_FEATURES), 1 << 5);
	w(dev, DEVICE_FEATURES_SEL, 1);
	assert.equal(r(dev, DEVICE_FEATURES), 1, 'VERSION_1');
	w(dev, DEVICE_FEATURES_SEL, 2);
	assert.equal(r(dev, DEVICE_FEATURES), 0);
	assert.equal(r(dev, CONFIG_GENERATION), 0);
	w(dev, QUEUE_SEL, 1);
	assert.equal(r(dev, QUEUE_NUM_MAX), 16);
	w(dev, QUEUE_SEL, 2);
	assert.equal(r(dev, QUEUE_NUM_MAX), 0);
	assert.equal(r(dev, QUEUE_READY), 0);
	for (const off of [DRIVER_FEATURES, QUEUE_NOTIFY, INTERRUPT_ACK, QUEUE_DESC_LOW, 0x0c0, 0x0f8])
		assert.equal(r(dev, off), 0xffffffff, `0x${off.toString(16)}`);
	assert.equal(dev.read(MAGIC, 2), 0xffffn);
	assert.equal(dev.read(MAGIC + 1, 4), 0xffffffffn);
	assert.equal(dev.read(MAGIC, 8), 0xffffffffffffffffn);
	w(dev, MAGIC, 0);
	w(dev, INTERRUPT_STATUS, 3);
	assert.equal(r(dev, MAGIC), 0x74726976);
	assert.equal(r(dev, INTERRUPT_STATUS), 0);
	// Writes of other sizes go nowhere.
	dev.write(QUEUE_SEL, 2, 1n, 0);
	dev.write(QUEUE_SEL, 8, 1n, 0);
	assert.equal(r(dev, QUEUE_NUM_MAX), 0);
});

test('mmio: the configuration reads at any width and ignores writes', () => {
	const dev = device(new Echo());
	assert.equal(dev.read(CONFIG, 1), 1n);
	assert.equal(dev.read(CONFIG + 1, 2), 0x0302n);
	assert.equal(dev.read(CONFIG + 4, 4), 0x08070605n);
	assert.equal(dev.read(CONFIG + 4, 8), 0x0c0b0a0908070605n);
	assert.equal(dev.read(CONFIG + 11, 1), 12n);
	assert.equal(dev.read(CONFIG + 11, 2), 0xffffn);
	assert.equal(dev.read(CONFIG + 12, 1), 0xffn);
	assert.equal(dev.read(0xffc, 4), 0xffffffffn);
	dev.write(CONFIG, 1, 0xaan, 0);
	dev.write(CONFIG, 4, 0xaan, 0);
	assert.equal(dev.read(CONFIG, 1), 1n);
});

test('mmio: features must include VERSION_1 and be offered', () => {
	const dev = device(new Echo());
	w(dev, STATUS, 3);
	w(dev, STATUS, 0xb);
	assert.equal(r(dev, STATUS), 3, 'no VERSION_1');
	w(dev, DRIVER_FEATURES_SEL, 1);
	w(dev, DRIVER_FEATURES, 1);
	w(dev, DRIVER_FEATURES_SEL, 0);
	w(dev, DRIVER_FEATURES, 1 << 6);
	w(dev, STATUS, 0xb);
	assert.equal(r(dev, STATUS), 3, 'bit 6 was not offered');
	w(dev, DRIVER_FEATURES, 1 << 5);
	w(dev, STATUS, 0xb);
	assert.equal(r(dev, STATUS), 0xb);
});

test('mmio: used buffers interrupt the notifying CPU, unless told not to', () => {
	const dev = device(new Echo());
	cpuStarted(dev.ctx.irq, 1);
	const d = activate(dev, 8);
	d[1].setDesc(0, 0x100, 4, false);
	d[1].offer(0);
	dev.write(QUEUE_NOTIFY, 4, 1n, 1);
	assert.equal(d[1].usedIdx(), 1);
	assert.deepEqual(d[1].usedElem(0), [0, 7]);
	assert.equal(r(dev, INTERRUPT_STATUS), 1);
	assert.equal(pending(dev, 1), 1 << 3);
	assert.equal(pending(dev, 0), 0);
	w(dev, INTERRUPT_ACK, 1);
	assert.equal(r(dev, INTERRUPT_STATUS), 0);
	clearPending(dev);
	d[1].setAvailFlags(1);
	d[1].offer(0);
	dev.write(QUEUE_NOTIFY, 4, 1n, 1);
	assert.equal(d[1].usedIdx(), 2);
	assert.deepEqual([r(dev, INTERRUPT_STATUS), pending(dev, 1)], [0, 0]);
	dev.write(QUEUE_NOTIFY, 4, 9n, 1);
	// A CPU that was never started: CPU 0 takes it.
	d[1].setAvailFlags(0);
	d[1].offer(0);
	dev.write(QUEUE_NOTIFY, 4, 1n, 5);
	assert.deepEqual([pending(dev, 0), pending(dev, 5)], [1 << 3, 0]);
});

test('irq: the kernel\'s affinity picks the CPU if it was started', () => {
	const dev = device(new Echo());
	const irq = dev.ctx.irq;
	const i32 = dev.memory.i32;
	cpuStarted(irq, 1);
	cpuStarted(irq, 2);
	assert.equal(targetCpu(irq, i32, 3, 1), 1, '-1: the notifying CPU');
	i32[AFFINITY / 4 + 3] = 2;
	assert.equal(targetCpu(irq, i32, 3, 1), 2);
	i32[AFFINITY / 4 + 3] = 7;
	assert.equal(targetCpu(irq, i32, 3, 1), 1, 'CPU 7 was not started');
	assert.equal(targetCpu(irq, i32, 3, 9), 0);
	const d = activate(dev, 8);
	i32[AFFINITY / 4 + 3] = 2;
	d[0].setDesc(0, 0x100, 4, false);
	d[0].offer(0);
	dev.write(QUEUE_NOTIFY, 4, 0n, 1);
	assert.deepEqual([pending(dev, 1), pending(dev, 2)], [0, 1 << 3]);
});

test('mmio: buffers added before DRIVER_OK wait for it', () => {
	const dev = device(new Echo());
	const d = activate(dev, 8);
	w(dev, STATUS, 0xb);
	d[0].setDesc(0, 0x100, 4, false);
	d[0].offer(0);
	w(dev, QUEUE_NOTIFY, 0);
	assert.equal(d[0].usedIdx(), 0);
	w(dev, STATUS, 0xf);
	assert.equal(d[0].usedIdx(), 1, 'processed when DRIVER_OK is set');
});

test('mmio: queue registers and bad sizes', () => {
	const dev = device(new Echo());
	w(dev, STATUS, 3);
	w(dev, QUEUE_SEL, 0);
	w(dev, QUEUE_NUM, 16);
	w(dev, QUEUE_READY, 1);
	assert.equal(r(dev, QUEUE_READY), 0, '16 > max 8');
	assert.notEqual(r(dev, STATUS) & STATUS_NEEDS_RESET, 0);
	w(dev, STATUS, 0);
	assert.equal(r(dev, STATUS), 0);
	dev.warnings.length = 0;
	const d = activate(dev, 4);
	assert.equal(dev.queues[0].desc, d[0].desc);
	w(dev, QUEUE_SEL, 0);
	w(dev, QUEUE_DESC_LOW, 0x9000);
	assert.equal(dev.queues[0].desc, d[0].desc, 'a ready queue keeps its rings');
	w(dev, QUEUE_READY, 0);
	assert.equal(r(dev, QUEUE_READY), 0);
	assert.equal(dev.queues[0].ready, false);
});

test('mmio: corrupt queues break the device until reset, without a throw', () => {
	for (const [name, setup] of Object.entries(corruptions(false))) {
		const dev = device(new Echo());
		let d = activate(dev, 4);
		setup(d[0]);
		assert.doesNotThrow(() => w(dev, QUEUE_NOTIFY, 0), name);
		assertBrokenUntilReset(dev, d);
		d = activate(dev, 4);
		d[0].setDesc(0, 0x100, 4, false);
		d[0].offer(0);
		w(dev, QUEUE_NOTIFY, 0);
		assert.equal(d[0].usedIdx(), 1, `${name}: works again after a reset`);
	}
});

test('mmio: rings past the end of memory or above 4 GiB', () => {
	const dev = device(new Echo());
	w(dev, STATUS, 3);
	w(dev, QUEUE_SEL, 0);
	w(dev, QUEUE_NUM, 8);
	w(dev, QUEUE_DESC_LOW, MEM_SIZE - 0x40);
	w(dev, QUEUE_DRIVER_LOW, 0x1000);
	w(dev, QUEUE_DEVICE_LOW, 0x2000);
	w(dev, QUEUE_READY, 1);
	w(dev, STATUS, 0xf);
	assert.notEqual(r(dev, STATUS) & STATUS_NEEDS_RESET, 0);
	w(dev, STATUS, 0);
	const d = activate(dev, 4);
	assert.equal(d[0].usedIdx(), 0);
	w(dev, STATUS, 0);
	w(dev, STATUS, 3);
	w(dev, QUEUE_SEL, 0);
	w(dev, QUEUE_NUM, 4);
	w(dev, QUEUE_DEVICE_HIGH, 1);
	w(dev, QUEUE_READY, 1);
	w(dev, STATUS, 0xf);
	assert.notEqual(r(dev, STATUS) & STATUS_NEEDS_RESET, 0);
});

// ---------------------------------------------------------------------------
// The console.

/** A console device; with `size` ({ cols, rows }) it offers F_SIZE, as
 *  createDevices() makes it. */
function consoleDevice(size = null) {
	const shared = sh.createShared();
	const input = sh.views(shared);
	const sink = [];
	const dev = device(new ConsoleBackend(input, (b) => sink.push(...b)));
	if (size)
		dev.set(C_SIZE, sizeWord(size.cols, size.rows));
	dev.input = input;
	dev.sink = sink;
	dev.text = () => new TextDecoder().decode(Uint8Array.from(sink));
	return dev;
}

const type = (dev, text) => sh.ringPut(dev.input, new TextEncoder().encode(text));

test('console: registers', () => {
	const dev = consoleDevice();
	assert.equal(r(dev, DEVICE_ID), 3);
	assert.equal(r(dev, DEVICE_FEATURES), 0);
	assert.equal(dev.read(0x104, 4), 1n, 'max_nr_ports');
	assert.equal(dev.read(0x10c, 4), 0xffffffffn);
	w(dev, QUEUE_SEL, 1);
	assert.equal(r(dev, QUEUE_NUM_MAX), 64);
});

test('console: transmitted bytes reach the output in order', () => {
	const dev = consoleDevice();
	const tx = activate(dev, 8)[TRANSMITQ];
	tx.write(0x1000, 'hello, ');
	tx.write(0x2000, 'world');
	tx.write(0x3000, '!\n');
	tx.setDesc(0, 0x1000, 7, false, 1);
	tx.setDesc(1, 0x2000, 5, false);
	tx.setDesc(2, 0x3000, 2, false);
	tx.offer(0);
	tx.offer(2);
	dev.write(QUEUE_NOTIFY, 4, BigInt(TRANSMITQ), 0);
	assert.equal(dev.text(), 'hello, world!\n');
	assert.equal(tx.usedIdx(), 2);
	assert.deepEqual(tx.usedElem(1), [2, 0]);
	assert.notEqual(pending(dev, 0) & (1 << 3), 0);
});

test('console: input waits for buffers and for the first output', () => {
	const dev = consoleDevice();
	type(dev, 'early ');
	const d = activate(dev, 8);
	assert.equal(consoleTakesInput(dev), false);
	const rx = d[RECEIVEQ];
	rx.setDesc(0, 0x1000, 4, true);
	rx.setDesc(1, 0x2000, 100, true);
	rx.offer(0);
	dev.write(QUEUE_NOTIFY, 4, BigInt(RECEIVEQ), 0);
	assert.equal(rx.usedIdx(), 0, 'held back until the first output');
	r(dev, INTERRUPT_STATUS);
	assert.equal(rx.usedIdx(), 0, 'also in the interrupt handler');
	const tx = d[TRANSMITQ];
	tx.write(0x5000, '$ ');
	tx.setDesc(0, 0x5000, 2, false);
	tx.offer(0);
	dev.write(QUEUE_NOTIFY, 4, BigInt(TRANSMITQ), 0);
	assert.equal(consoleTakesInput(dev), true);
	assert.deepEqual(rx.usedElem(0), [0, 4]);
	assert.equal(rx.read(0x1000, 4), 'earl');
	assert.equal(sh.ringUsed(dev.input), 2);
	rx.offer(1);
	clearPending(dev);
	w(dev, INTERRUPT_ACK, 3);
	// The page's path: input into the ring, then the handler's read of
	// InterruptStatus delivers it and reports it there, with no second
	// interrupt.
	type(dev, 'input');
	assert.equal(r(dev, INTERRUPT_STATUS), 1);
	assert.equal(rx.usedIdx(), 2);
	assert.deepEqual(rx.usedElem(1), [1, 7]);
	assert.equal(rx.read(0x2000, 7), 'y input');
	assert.equal(sh.ringUsed(dev.input), 0);
	assert.equal(pending(dev, 0), 0);
	// Nothing waiting: buffers stay with the device.
	rx.offer(0);
	dev.write(QUEUE_NOTIFY, 4, BigInt(RECEIVEQ), 0);
	assert.equal(rx.usedIdx(), 2);
	// Input then goes into the buffer it has, in order, over several
	// buffers.
	type(dev, 'abcdef');
	r(dev, INTERRUPT_STATUS);
	assert.equal(rx.usedIdx(), 3);
	assert.equal(rx.read(0x1000, 4), 'abcd');
	rx.offer(1);
	dev.write(QUEUE_NOTIFY, 4, BigInt(RECEIVEQ), 0);
	assert.deepEqual(rx.usedElem(3), [1, 2]);
	assert.equal(rx.read(0x2000, 2), 'ef');
	assert.notEqual(pending(dev, 0) & (1 << 3), 0, 'a notify interrupts');
});

test('console: F_SIZE and the size in the configuration space', () => {
	const plain = consoleDevice();
	assert.equal(r(plain, DEVICE_FEATURES) & F_SIZE, 0);
	assert.equal(plain.read(0x100, 4), 0n);
	assert.equal(resizeConsole(plain, 100, 30), false, 'no size without F_SIZE');
	assert.equal(r(plain, DEVICE_FEATURES) & F_SIZE, 0);
	assert.equal(plain.read(0x100, 4), 0n);

	const dev = consoleDevice({ cols: 132, rows: 43 });
	assert.equal(F_SIZE, 1, 'feature bit 0');
	assert.equal(r(dev, DEVICE_FEATURES), F_SIZE);
	w(dev, DEVICE_FEATURES_SEL, 1);
	assert.equal(r(dev, DEVICE_FEATURES), 1, 'VERSION_1');
	assert.equal(dev.read(0x100, 2), 132n, 'cols');
	assert.equal(dev.read(0x102, 2), 43n, 'rows');
	assert.equal(dev.read(0x100, 1), 132n);
	assert.equal(dev.read(0x100, 4), BigInt(132 | (43 << 16)));
	assert.equal(dev.read(0x104, 4), 1n, 'max_nr_ports');
	// The driver may accept it.
	w(dev, STATUS, 1 | 2);
	w(dev, DRIVER_FEATURES_SEL, 0);
	w(dev, DRIVER_FEATURES, F_SIZE);
	w(dev, DRIVER_FEATURES_SEL, 1);
	w(dev, DRIVER_FEATURES, 1);
	w(dev, STATUS, 1 | 2 | 8);
	assert.equal(r(dev, STATUS), 0xb);
	// Sizes are clamped to a u16 each, at least 1.
	assert.equal(sizeWord(70000, 0), 0xffff | (1 << 16));
});

test('console: the first config interrupt comes with the first output, then one per resize', () => {
	const dev = consoleDevice({ cols: 80, rows: 24 });
	const d = activate(dev, 8);
	const configInts = () => r(dev, INTERRUPT_STATUS) & INT_CONFIG;
	// Before the first output: the size changes, quietly.
	assert.equal(resizeConsole(dev, 100, 30), true);
	assert.equal(configInts(), 0, 'no config interrupt before the first output');
	assert.equal(pending(dev, 0), 0, 'nor the line');
	assert.equal(dev.read(0x100, 2), 100n);
	assert.equal(dev.read(0x102, 2), 30n);
	// Buffers on receiveq do not make it either.
	const rx = d[RECEIVEQ];
	rx.setDesc(0, 0x1000, 16, true);
	rx.offer(0);
	dev.write(QUEUE_NOTIFY, 4, BigInt(RECEIVEQ), 0);
	assert.equal(configInts(), 0);
	// The first output: a config interrupt, with the size as it is now.
	const tx = d[TRANSMITQ];
	tx.write(0x5000, '$ ');
	tx.setDesc(0, 0x5000, 2, false);
	tx.offer(0);
	dev.write(QUEUE_NOTIFY, 4, BigInt(TRANSMITQ), 0);
	assert.equal(configInts(), INT_CONFIG, 'one with the first output');
	assert.notEqual(pending(dev, 0) & (1 << 3), 0, 'the line is raised');
	assert.equal(dev.read(0x100, 4), BigInt(100 | (30 << 16)));
	w(dev, INTERRUPT_ACK, 3);
	clearPending(dev);
	// More output: none.
	tx.setDesc(1, 0x5000, 2, false);
	tx.offer(1);
	dev.write(QUEUE_NOTIFY, 4, BigInt(TRANSMITQ), 0);
	assert.equal(configInts(), 0, 'only the first output');
	w(dev, INTERRUPT_ACK, 3);
	clearPending(dev);
	// Then one for each resize, the new size in the configuration.
	for (const [cols, rows] of [[120, 40], [60, 20]]) {
		assert.equal(resizeConsole(dev, cols, rows), true);
		assert.notEqual(pending(dev, 0) & (1 << 3), 0, `raised for ${cols}x${rows}`);
		assert.equal(configInts(), INT_CONFIG);
		assert.equal(dev.read(0x100, 2), BigInt(cols));
		assert.equal(dev.read(0x102, 2), BigInt(rows));
		w(dev, INTERRUPT_ACK, INT_CONFIG);
		clearPending(dev);
		assert.equal(configInts(), 0);
	}
	// The same size again is no change.
	assert.equal(resizeConsole(dev, 60, 20), false);
	assert.equal(configInts(), 0);
	assert.equal(pending(dev, 0), 0);
});

test('console: createDevices gives the console its size', () => {
	const mem = new SharedArrayBuffer(MEM_SIZE);
	const opts = { memory: mem, irq: new Int32Array(createIrq()), input: sh.views(sh.createShared()),
		output: () => {}, warn: () => {} };
	const sized = new Devices(createDevices(deviceKinds('virtio'), { cols: 90, rows: 33 }), opts);
	assert.equal(sized.read(0xf0000010 | 0, 4), BigInt(F_SIZE));
	assert.equal(sized.read(0xf0000100 | 0, 4), BigInt(90 | (33 << 16)));
	const plain = new Devices(createDevices(deviceKinds('virtio')), opts);
	assert.equal(plain.read(0xf0000010 | 0, 4), 0n);
	const host = new Devices(createDevices(deviceKinds('host'), { cols: 90, rows: 33 }), opts);
	assert.equal(host.read(0xf0000010 | 0, 4), 0n, 'the rng has no size');
});

test('console: corrupt queues break it without a throw or output', () => {
	for (const queue of [RECEIVEQ, TRANSMITQ])
		for (const [name, setup] of Object.entries(corruptions(queue === RECEIVEQ))) {
			const dev = consoleDevice();
			const d = activate(dev, 8);
			// As if the driver had written its first output.
			dev.set(mmio.D_BACKEND, 1);
			setup(d[queue]);
			type(dev, 'x');
			assert.doesNotThrow(() => {
				dev.write(QUEUE_NOTIFY, 4, BigInt(queue), 0);
				r(dev, INTERRUPT_STATUS);
			}, `${queue} ${name}`);
			assertBrokenUntilReset(dev, d);
			assert.equal(dev.sink.length, 0);
			assert.equal(consoleTakesInput(dev), false);
		}
});

// ---------------------------------------------------------------------------
// The entropy source.

test('rng: registers', () => {
	const dev = device(new RngBackend());
	assert.equal(r(dev, DEVICE_ID), 4);
	assert.equal(r(dev, DEVICE_FEATURES), 0);
	w(dev, QUEUE_SEL, 0);
	assert.equal(r(dev, QUEUE_NUM_MAX), 256);
	assert.equal(dev.read(0x100, 1), 0xffn, 'no configuration');
});

test('rng: fills the buffers the driver offers', () => {
	const dev = device(new RngBackend());
	const [q] = activate(dev, 8);
	q.setDesc(0, 0x1000, 64, true, 1);
	q.setDesc(1, 0x20000, 100000, true);
	q.offer(0);
	w(dev, QUEUE_NOTIFY, 0);
	assert.equal(q.usedIdx(), 1);
	assert.deepEqual(q.usedElem(0), [0, 64 + (65536 - 64)], 'at most 64 KiB');
	const u8 = new Uint8Array(dev.buf);
	const a = u8.slice(0x1000, 0x1040);
	assert.ok(a.some((b) => b !== 0));
	assert.ok(u8.slice(0x20000 + 65536 - 64 - 16, 0x20000 + 65536 - 64).some((b) => b !== 0));
	assert.ok(u8.slice(0x20000 + 65536 - 64, 0x20000 + 65536).every((b) => b === 0), 'no more');
	assert.notEqual(pending(dev, 0) & (1 << 3), 0);
});

test('rng: corrupt queues break it without a throw', () => {
	for (const [name, setup] of Object.entries(corruptions(true))) {
		const dev = device(new RngBackend());
		const d = activate(dev, 8);
		setup(d[0]);
		assert.doesNotThrow(() => w(dev, QUEUE_NOTIFY, 0), name);
		assertBrokenUntilReset(dev, d);
	}
});

// ---------------------------------------------------------------------------
// The machine's devices.

test('devices: command line, windows and dispatch by address', () => {
	assert.deepEqual(deviceKinds('virtio'), [3, 4]);
	assert.deepEqual(deviceKinds('host'), [4]);
	assert.equal(cmdlineParam(0), 'virtio_mmio.device=4K@0xf0000000:3');
	assert.equal(cmdlineParam(2), 'virtio_mmio.device=4K@0xf0002000:5');
	assert.equal(kernelCmdline('virtio'), 'console=hvc0 wasm_hvc=off ' +
		'virtio_mmio.device=4K@0xf0000000:3 virtio_mmio.device=4K@0xf0001000:4');
	assert.equal(kernelCmdline('host', ' quiet '),
		'console=hvc0 virtio_mmio.device=4K@0xf0000000:3 quiet');
	const mem = new SharedArrayBuffer(MEM_SIZE);
	const opts = { memory: mem, irq: new Int32Array(createIrq()), input: sh.views(sh.createShared()),
		output: () => {}, warn: () => {} };
	const devices = new Devices(createDevices(deviceKinds('virtio')), opts);
	assert.ok(devices.console());
	const s32 = (a) => a | 0;	// addresses come as i32 from wasm
	assert.equal(devices.read(s32(0xf0000000), 4), 0x74726976n);
	assert.equal(devices.read(s32(0xf0000008), 4), 3n);
	assert.equal(devices.read(s32(0xf0001008), 4), 4n);
	assert.equal(devices.read(s32(0xf0002000), 4), 0xffffffffn);
	assert.equal(devices.read(s32(0xeffffffc), 4), 0xffffffffn);
	assert.equal(devices.read(0, 1), 0xffn);
	assert.equal(devices.read(0, 2), 0xffffn);
	assert.equal(devices.read(s32(0xfffffffc), 8), 0xffffffffffffffffn);
	assert.equal(devices.read(s32(0xf0000ffc), 8), 0xffffffffffffffffn, 'crosses the window');
	devices.write(s32(0xf0005070), 4, 0n, 0);
	devices.write(s32(0xf0000070), 4, 3n, 0);
	assert.equal(devices.read(s32(0xf0000070), 4), 3n);
	// Another worker's view of the same devices sees the same registers.
	const again = new Devices(devices.windows[0].w.buffer, opts);
	assert.equal(again.read(s32(0xf0000070), 4), 3n);
	const host = new Devices(createDevices(deviceKinds('host')), opts);
	assert.equal(host.console(), null);
	assert.equal(host.read(s32(0xf0000008), 4), 4n, 'the rng comes first');
	assert.equal(host.read(s32(0xf0001000), 4), 0xffffffffn);
});

test('spinlock: workers that contend lose no update', async () => {
	const words = new Int32Array(new SharedArrayBuffer(8));
	const url = new URL('../src/spinlock.js', import.meta.url).href;
	const body = `
		const { workerData } = require('node:worker_threads');
		import(workerData.url).then(({ locked }) => {
			const w = workerData.words;
			for (let i = 0; i < 20000; i++)
				locked(w, 0, () => { const v = w[1]; w[1] = v + 1; });
		});`;
	const run = () => new Promise((resolve, reject) => {
		const t = new Worker(body, { eval: true, workerData: { words, url } });
		t.on('exit', resolve);
		t.on('error', reject);
	});
	await Promise.all([run(), run(), run()]);
	locked(words, 0, () => { words[1] += 1; });
	assert.equal(words[1], 60001);
	assert.equal(words[0], 0, 'free');
});
