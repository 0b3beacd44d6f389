// SPDX-License-Identifier: GPL-2.0
// @ts-check
//
// The virtio-mmio devices of the machine and the mmio_read/mmio_write
// imports' dispatch to them, as tools/wasm/host/src/virtio/mod.rs.
//
// Device i (in this order: the console unless the console is the host's,
// then the entropy source) has the 4 KiB register window at
// 0xf0000000 + i * 0x1000 and interrupt line 3 + i; the kernel learns both
// from virtio_mmio.device=4K@BASE:LINE on its command line.  The page
// creates the devices' shared state (createDevices); every worker makes a
// Devices over it.

import { MMIO_BASE, NR_LINES, VIRTIO_FIRST_LINE, VIRTIO_WINDOW } from './abi.js';
import { Transport, DEV_WORDS, D_TYPE, allOnes } from './virtio-mmio.js';
import { GuestMemory } from './virtqueue.js';
import { ConsoleBackend, DEVICE_ID as CONSOLE_ID, C_SIZE, sizeWord } from './virtio-console.js';
import { RngBackend, DEVICE_ID as RNG_ID } from './virtio-rng.js';

export const MAX_DEVICES = NR_LINES - VIRTIO_FIRST_LINE;
/** Words before the first device: the number of devices. */
const HDR_WORDS = 4;

/** The device IDs of the machine: a virtio console unless `console` is
 *  'host', and the entropy source. */
export function deviceKinds(console) {
	return console === 'host' ? [RNG_ID] : [CONSOLE_ID, RNG_ID];
}

/** The kernel parameter that declares device `index`. */
export function cmdlineParam(index) {
	const base = MMIO_BASE + index * VIRTIO_WINDOW;
	return `virtio_mmio.device=4K@0x${base.toString(16)}:${VIRTIO_FIRST_LINE + index}`;
}

/**
 * The kernel command line, as the native host's cli.rs makes it:
 * console=hvc0, wasm_hvc=off with a virtio console (the kernel's own hvc0
 * steps aside), the devices, then `append`.
 */
export function kernelCmdline(console, append = '') {
	const words = ['console=hvc0'];
	if (console !== 'host')
		words.push('wasm_hvc=off');
	words.push(...deviceKinds(console).map((_, i) => cmdlineParam(i)));
	if (append.trim())
		words.push(append.trim());
	return words.join(' ');
}

/** The shared state of devices `kinds` (device IDs), all reset; with
 *  `consoleSize` ({ cols, rows }, the terminal's) a virtio console offers
 *  its size (VIRTIO_CONSOLE_F_SIZE; virtio-console.js resizeConsole()
 *  changes it later). */
export function createDevices(kinds, consoleSize = null) {
	if (kinds.length > MAX_DEVICES)
		throw new RangeError(`at most ${MAX_DEVICES} devices`);
	const buf = new SharedArrayBuffer((HDR_WORDS + kinds.length * DEV_WORDS) * 4);
	const w = new Int32Array(buf);
	w[0] = kinds.length;
	kinds.forEach((id, i) => {
		const base = HDR_WORDS + i * DEV_WORDS;
		w[base + D_TYPE] = id;
		if (id === CONSOLE_ID && consoleSize)
			w[base + C_SIZE] = sizeWord(consoleSize.cols, consoleSize.rows);
	});
	return buf;
}

/** Every device of the machine, by window. */
export class Devices {
	/**
	 * shared: the SharedArrayBuffer of createDevices()
	 * opts: { memory (a WebAssembly.Memory, or a buffer for tests),
	 *         irq (Int32Array of irq.js's state), input (views of the
	 *         console input ring, shared.js), output(bytes), warn(text) }
	 */
	constructor(shared, opts) {
		const words = new Int32Array(shared);
		const ctx = {
			words,
			memory: new GuestMemory(opts.memory),
			irq: opts.irq,
			warn: opts.warn,
		};
		this.memory = ctx.memory;
		this.windows = [];
		const n = Math.min(words[0], MAX_DEVICES);
		for (let i = 0; i < n; i++) {
			const base = HDR_WORDS + i * DEV_WORDS;
			const id = words[base + D_TYPE];
			const backend = id === CONSOLE_ID ? new ConsoleBackend(opts.input, opts.output) :
				id === RNG_ID ? new RngBackend() : null;
			if (!backend)
				throw new Error(`unknown virtio device ${id}`);
			this.windows.push(new Transport(ctx, base, VIRTIO_FIRST_LINE + i, backend));
		}
	}

	/** The virtio console, or null. */
	console() {
		return this.windows.find((d) => d.backend.deviceId === CONSOLE_ID) ?? null;
	}

	/** The device window holding `addr` and the offset in it, if an access
	 *  of `size` bytes there stays inside the window. */
	find(addr, size) {
		const rel = (addr >>> 0) - MMIO_BASE;
		if (rel < 0)
			return null;
		const dev = this.windows[Math.floor(rel / VIRTIO_WINDOW)];
		const offset = rel % VIRTIO_WINDOW;
		return dev && offset + size <= VIRTIO_WINDOW ? { dev, offset } : null;
	}

	/** mmio_read: the little-endian value (a BigInt), zero-extended; all
	 *  ones where no register is. */
	read(addr, size) {
		const f = this.find(addr, size);
		return f ? f.dev.read(f.offset, size) : allOnes(size);
	}

	/** mmio_write from CPU `cpu`; dropped where no register is. */
	write(addr, size, value, cpu) {
		const f = this.find(addr, size);
		if (f)
			f.dev.write(f.offset, size, value, cpu);
	}
}
