// SPDX-License-Identifier: GPL-2.0
// @ts-check
//
// The compiled user modules of a kernel thread's worker: mm_add_module
// compiles a module's bytes once per machine, and finds them again (by a
// cheap key, then a byte-for-byte comparison in wasm) when a process execs
// the same bytes; the page hands every compilation to the other workers
// (process-memories.js).

import * as abi from './abi.js';
import { readInterface } from './wasm-parse.js';
import { W } from './worker-state.js';

/** Compiled user modules: hash -> [{key, hash, bytes, memory, module,
 *  iface}]. */
const compiled = new Map();

/** The whole 32-bit words of `b` as an Int32Array, or null if `b` is not
 *  4-aligned. */
function words(b) {
	return b.byteOffset % 4 ? null : new Int32Array(b.buffer, b.byteOffset, b.length >>> 2);
}

/** Bytes of a module that its cache key samples. */
const KEY_SAMPLES = 64;

/**
 * The cache key of a module's bytes: its length and KEY_SAMPLES bytes
 * spread over it.  It only picks the candidates, cheaply (a hash of all
 * the bytes would cost as much as the comparison): a hit is a
 * byte-for-byte match, which stops at the first difference.
 */
function hashBytes(b) {
	const n = b.length;
	let h1 = 0x811c9dc5 ^ n;
	let h2 = 0x01000193;
	for (let k = 0; k < KEY_SAMPLES && k < n; k++) {
		const w = b[Math.floor(k * n / Math.min(KEY_SAMPLES, n))];
		h1 = Math.imul(h1 ^ w, 0x01000193);
		h2 = Math.imul(h2 ^ w, 0x5bd1e995) ^ (h2 >>> 15);
	}
	return `${(h1 >>> 0).toString(16)}-${(h2 >>> 0).toString(16)}-${n}`;
}

function sameBytes(a, b) {
	if (a.length !== b.length)
		return false;
	let i = 0;
	const wa = words(a);
	const wb = words(b);
	if (wa && wb) {
		for (let j = 0; j < wa.length; j++)
			if (wa[j] !== wb[j])
				return false;
		i = wa.length * 4;
	}
	for (; i < a.length; i++)
		if (a[i] !== b[i])
			return false;
	return true;
}

/**
 * eq(a, b, n): whether the n bytes at a in the kernel memory are the n
 * bytes at b of a cached module's memory, in wasm (two memories): a cold
 * JavaScript loop over a module takes 15-25 ms, this well under one.
 * Assembled from eq.wat (test/eq-wasm.mjs checks that they are the same).
 */
export const EQ_WASM = new Uint8Array([
	0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x01, 0x60,
	0x03, 0x7f, 0x7f, 0x7f, 0x01, 0x7f, 0x02, 0x15, 0x02, 0x01, 0x6b, 0x01,
	0x6d, 0x02, 0x03, 0x00, 0x80, 0x80, 0x04, 0x01, 0x63, 0x01, 0x6d, 0x02,
	0x03, 0x00, 0x80, 0x80, 0x04, 0x03, 0x02, 0x01, 0x00, 0x07, 0x06, 0x01,
	0x02, 0x65, 0x71, 0x00, 0x00, 0x0a, 0x70, 0x01, 0x6e, 0x00, 0x02, 0x40,
	0x03, 0x40, 0x20, 0x02, 0x41, 0x08, 0x49, 0x0d, 0x01, 0x20, 0x00, 0x29,
	0x03, 0x00, 0x20, 0x01, 0x29, 0x43, 0x01, 0x00, 0x52, 0x04, 0x40, 0x41,
	0x00, 0x0f, 0x0b, 0x20, 0x00, 0x41, 0x08, 0x6a, 0x21, 0x00, 0x20, 0x01,
	0x41, 0x08, 0x6a, 0x21, 0x01, 0x20, 0x02, 0x41, 0x08, 0x6b, 0x21, 0x02,
	0x0c, 0x00, 0x0b, 0x0b, 0x02, 0x40, 0x03, 0x40, 0x20, 0x02, 0x45, 0x0d,
	0x01, 0x20, 0x00, 0x2d, 0x00, 0x00, 0x20, 0x01, 0x2d, 0x40, 0x01, 0x00,
	0x47, 0x04, 0x40, 0x41, 0x00, 0x0f, 0x0b, 0x20, 0x00, 0x41, 0x01, 0x6a,
	0x21, 0x00, 0x20, 0x01, 0x41, 0x01, 0x6a, 0x21, 0x01, 0x20, 0x02, 0x41,
	0x01, 0x6b, 0x21, 0x02, 0x0c, 0x00, 0x0b, 0x0b, 0x41, 0x01, 0x0b,
]);
/** Its compilation; null where it does not compile. */
let eqModule;

/** Whether the kernel memory bytes `view` are the cached module `c`'s
 *  bytes. */
function sameModuleBytes(c, view) {
	if (c.bytes.length !== view.length)
		return false;
	if (c.eq === undefined) {
		c.eq = null;
		if (eqModule === undefined) {
			try {
				eqModule = new WebAssembly.Module(EQ_WASM);
			} catch {
				eqModule = null;
			}
		}
		if (eqModule && c.memory) {
			try {
				c.eq = new WebAssembly.Instance(eqModule, {
					k: { m: W.kernelMemory }, c: { m: c.memory },
				}).exports.eq;
			} catch {
				c.eq = null;
			}
		}
	}
	if (c.eq && view.buffer === W.kernelMemory.buffer)
		return c.eq(view.byteOffset, 0, view.length) === 1;
	return sameBytes(c.bytes, view);
}

/** Compilations made here, for unique keys. */
let compilations = 0;

/**
 * Adds a compiled module (`c`: key, hash, bytes, memory, module, iface) to the
 * cache unless it is there.  A module comes with its key (unique to one
 * compilation) and its interface, as the worker that compiled it found
 * them: no other worker reads or compares its bytes until it execs the
 * same bytes itself.
 */
export function remember(c) {
	let list = compiled.get(c.hash);
	if (!list)
		compiled.set(c.hash, list = []);
	let hit = list.find((x) => x.key === c.key);
	if (!hit) {
		hit = { key: c.key, hash: c.hash, bytes: c.bytes, memory: c.memory,
			module: c.module, iface: c.iface };
		list.push(hit);
	}
	return hit;
}

/**
 * Compiles user module bytes once per machine (the page shares the
 * compiled modules with every worker it starts).  `view` may be a view of
 * the kernel memory: it is read in place, and copied only to compile.
 */
export function compile(view) {
	const hash = hashBytes(view);
	const hit = compiled.get(hash)?.find((x) => sameModuleBytes(x, view));
	if (hit)
		return { ...hit, fresh: false };
	const bytes = view.slice();
	const iface = readInterface(bytes);
	const module = new WebAssembly.Module(bytes);
	// Kept in a shared memory: the page hands it to other workers without
	// a copy, and they compare it with what they exec in wasm.
	const pages = Math.ceil(bytes.length / abi.PAGE_SIZE);
	const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
	const shared = new Uint8Array(memory.buffer, 0, bytes.length);
	shared.set(bytes);
	const c = remember({ key: `${hash}/${W.slot}/${++compilations}`, hash, bytes: shared, memory, module, iface });
	return { ...c, fresh: true };
}
