// SPDX-License-Identifier: GPL-2.0
// @ts-check
//
// virtio-console (device type 3), one port, no multiport, as tools/wasm/
// host/src/virtio/console.rs: queue 0 is receiveq (host to guest), queue 1
// transmitq (guest to host).
//
// Transmitted bytes go to the console output (the page's terminal) as soon
// as the driver notifies, on the notifying worker, and their buffers come
// back at once.  Received bytes (keyboard input) wait in the shared
// console input ring of shared.js, which the page fills; they go into the
// receive buffers the driver makes available:
//   - when the driver notifies receiveq (new buffers) or sets DRIVER_OK,
//   - when it first transmits (see below),
//   - when the page has put input in the ring: it raises the device's
//     line, and the driver's interrupt handler reads InterruptStatus,
//     where the device delivers first (and reports the used buffers in
//     that very read rather than by another interrupt).
// The ring has one producer (the page) and its consumers hold receiveq's
// lock, so input is never lost or reordered, and waits as long as the
// driver offers no buffers.
//
// Input is held back until the driver has transmitted once.  Without
// multiport the driver never says when its port is ready, and Linux's
// virtio_console throws away data that arrives while it is still setting
// the port up (its receive buffers are queued before the port is hooked
// up to hvc).  The first transmission (the console's first output) comes
// from a port that is hooked up.
//
// With a size (the page's terminal: createDevices() sets the first), the
// device offers VIRTIO_CONSOLE_F_SIZE, cols and rows in the configuration
// space.  Without multiport the driver reads them only on a configuration
// interrupt, and drops one that comes before its port is up, so the first
// goes with the first transmission, and later ones with each change of
// size (resizeConsole(), from the page, which only stores a word and
// raises the line).

import * as sh from './shared.js';
import { D_BACKEND, STATUS_DRIVER_OK, INT_CONFIG } from './virtio-mmio.js';

export const DEVICE_ID = 3;
export const RECEIVEQ = 0;
export const TRANSMITQ = 1;
/** Bytes of a transmitted buffer copied out at a time. */
const CHUNK = 64 << 10;
/** Shared word (of the device's): the driver has transmitted. */
const C_READY = D_BACKEND;
/** Shared word: the size, cols | rows << 16, or 0 for none (no F_SIZE).
 *  Set before the driver sees the device; a size stays a size. */
export const C_SIZE = D_BACKEND + 1;
/** `VIRTIO_CONSOLE_F_SIZE`: cols and rows in the configuration space. */
export const F_SIZE = 1 << 0;

/** `struct virtio_console_config`: cols, rows (with F_SIZE), max_nr_ports,
 *  emerg_wr (max_nr_ports would only be meaningful with MULTIPORT). */
const CONFIG = new Uint8Array([0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);

/** The C_SIZE word of `cols` and `rows` (each 1 to 65535). */
export function sizeWord(cols, rows) {
	const clamp = (n) => Math.min(Math.max(Math.floor(Number(n)) || 1, 1), 0xffff);
	return (clamp(cols) | (clamp(rows) << 16)) | 0;
}

/**
 * The console backend of one worker.  `input` holds the views of the
 * console input ring (shared.js views()), `output(bytes)` takes what the
 * guest transmits (a fresh Uint8Array it may keep).
 */
export class ConsoleBackend {
	constructor(input, output) {
		this.input = input;
		this.output = output;
		this.name = 'virtio-console';
		this.deviceId = DEVICE_ID;
		this.features = [0, 0];
		this.queueMax = [64, 64];
		this.config = CONFIG;
	}

	/** The features offered: F_SIZE if the console has a size. */
	featuresOf(dev) {
		return [dev.get(C_SIZE) !== 0 ? F_SIZE : 0, 0];
	}

	/** The configuration space, with the size as it is now. */
	configOf(dev) {
		const size = dev.get(C_SIZE);
		if (size === 0)
			return CONFIG;
		const config = CONFIG.slice();
		new DataView(config.buffer).setUint32(0, size, true);
		return config;
	}

	process(dev, queue) {
		if (queue === RECEIVEQ)
			this.deliver(dev, true);
		else if (queue === TRANSMITQ)
			this.transmit(dev);
	}

	/** The driver's interrupt handler reads InterruptStatus: input the
	 *  page put in the ring goes in now. */
	readInterruptStatus(dev) {
		if (sh.ringUsed(this.input) > 0)
			this.deliver(dev, false);
	}

	/** Moves waiting input into the receive buffers the driver offers. */
	deliver(dev, raise) {
		if (!dev.get(C_READY))
			return;
		dev.service(RECEIVEQ, (q) => {
			for (;;) {
				const waiting = sh.ringUsed(this.input);
				if (waiting === 0)
					return;
				const chain = q.pop();
				if (!chain)
					return;
				const bytes = sh.ringTake(this.input, Math.min(waiting, chain.writableLen()));
				const u8 = q.memory.u8;
				let written = 0;
				for (const seg of chain.writable) {
					const n = Math.min(seg.len, bytes.length - written);
					u8.set(bytes.subarray(written, written + n), seg.addr);
					written += n;
				}
				q.pushUsed(chain.head, written);
			}
		}, raise);
	}

	/** Sends what the driver transmits to the output, in order. */
	transmit(dev) {
		let sent = false;
		dev.service(TRANSMITQ, (q) => {
			for (let chain = q.pop(); chain; chain = q.pop()) {
				sent = true;
				const u8 = q.memory.u8;
				for (const seg of chain.readable)
					for (let off = 0; off < seg.len; off += CHUNK) {
						const n = Math.min(seg.len - off, CHUNK);
						this.output(u8.slice(seg.addr + off, seg.addr + off + n));
					}
				q.pushUsed(chain.head, 0);
			}
		});
		if (sent && Atomics.exchange(dev.w, dev.base + C_READY, 1) === 0) {
			// The port is up: the driver can take the size now.
			if (dev.get(C_SIZE) !== 0)
				dev.interrupt(INT_CONFIG);
			this.deliver(dev, true);
		}
	}
}

/**
 * The terminal changed size (the page): the new size in the configuration
 * space and, once the driver's port is up, a configuration interrupt
 * (before, the first transmission sends the size).  Nothing without
 * F_SIZE or if the size is the same.  Only Atomics: the page never waits.
 */
export function resizeConsole(dev, cols, rows) {
	/** @type {Int32Array} */
	const w = dev.w;
	const at = dev.base + C_SIZE;
	const size = sizeWord(cols, rows);
	for (;;) {
		const old = Atomics.load(w, at);
		if (old === 0 || old === size)
			return false;
		if (Atomics.compareExchange(w, at, old, size) === old)
			break;
	}
	// The size is stored before C_READY is read: if the first
	// transmission has not set C_READY yet, its interrupt carries it.
	if (dev.get(C_READY) !== 0 && dev.live())
		dev.interrupt(INT_CONFIG);
	return true;
}

/**
 * Whether input put in the ring now would be taken by an interrupt: the
 * device is live and the driver has transmitted (else it is taken later,
 * when that happens).  For the page, which raises the line only then.
 */
export function consoleTakesInput(dev) {
	return dev.get(C_READY) !== 0 && (dev.status() & STATUS_DRIVER_OK) !== 0 && !dev.broken();
}
