// SPDX-License-Identifier: GPL-2.0
// @ts-check
//
// Unwinding and rewinding user code: fork, setjmp and longjmp (host-abi.rst
// "Unwinding user code"; the native host's unwind.rs does the same).
//
// User modules are instrumented with binaryen's Asyncify: they import two
// globals, the unwind state and the address of the unwind area, one pair
// per thread.  An import that wants the user stack sets the state to
// UNWINDING and returns; the code saves itself frame by frame into the
// area and the entry export returns to drive(), which does what the unwind
// was for and calls the entry again with the state REWINDING, so that the
// code comes back down to the import.  longjmp throws a JavaScript value
// that unwinds the wasm frames of the level back to its drive().
//
// Nothing here touches the worker's state: every function takes the
// thread's user image (`user`, from user.js instantiateImage), so that a
// test can drive modules under Node without a kernel.

import * as abi from './abi.js';

/** __asyncify_state: normal execution, saving and returning, coming
 *  back to where it was. */
export const NORMAL = 0;
export const UNWINDING = 1;
export const REWINDING = 2;

/** The most an unwind area may hold (user-abi.rst, "fork"). */
export const AREA_MAX = 1 << 20;

/** Snapshots a thread keeps at most: beyond, the oldest are dropped (a
 *  program that calls setjmp on ever new buffers or depths). */
const MAX_JMPBUFS = 4096;

/**
 * A user fault raised by the host itself: the thread gets `sig` as if its
 * code had trapped (run-entry.js calls wasm_user_trap(sig)).
 */
export class UserFault extends Error {
	/** @param {number} sig */
	constructor(sig) {
		super(`user fault (signal ${sig})`);
		this.sig = sig;
	}
}

/** What linux.longjmp throws to unwind the level's wasm frames: not an
 *  Error, which would cost a stack trace on every longjmp. */
class LongJmp {
	/** @param {number} id the snapshot @param {number} val */
	constructor(id, val) {
		this.id = id;
		this.val = val;
	}
}

/**
 * @typedef {object} Snapshot  the user stack as setjmp saw it
 * @property {number} env  the jmp_buf it was taken for
 * @property {number} area  where the unwind area was
 * @property {Uint8Array} saved  its bytes, from the area to the position
 *   the unwind reached (the header included)
 * @property {number} sp  the user stack pointer
 * @property {number} level  signal-handler nesting level of the setjmp
 *
 * @typedef {object} EntryCall  the export a level was entered through and
 *   its arguments: a rewind calls it again the same way
 * @property {string} name
 * @property {number[]} args
 *
 * @typedef {object} ForkImage  what a fork child rewinds from
 * @property {number} area
 * @property {number} sp
 * @property {EntryCall} entry
 * @property {JmpBufs} jmpbufs
 *
 * @typedef {object} JmpBufs  a thread's snapshots, by the id setjmp wrote
 *   into the jmp_buf (host-abi.rst, "Unwinding user code"): a jmp_buf
 *   copied away and back, or used from a copy, still names its setjmp
 * @property {number} next  the next id (never 0)
 * @property {Map<number, Snapshot>} byId  oldest first
 * @property {Map<string, number>} bySite  the id of each "env:sp:level"
 *
 * @typedef {object} ForkPromise  the parent's promise of a copy to a fork
 *   child (mm_fork makes it, user_fork spends it)
 * @property {number} id  the child's memory id
 * @property {WebAssembly.Memory} memory  the child's memory
 * @property {boolean} done  deliver() was called
 * @property {(image: ForkImage | null) => void} deliver  hands the child
 *   its image, or null: the child gets SIGKILL
 *
 * @typedef {{kind: 'fork', child: ForkPromise, area: number, holes: Array<[number, number]>} |
 *   {kind: 'setjmp', env: number, area: number}} Pending
 *
 * @typedef {object} Unwinder  the per-thread unwind state of an image
 * @property {WebAssembly.Global} state  env.__asyncify_state
 * @property {WebAssembly.Global} data  env.__asyncify_data
 * @property {boolean} capable  every module of the image is instrumented
 * @property {number} level  signal-handler nesting depth of the code now
 * @property {Pending | null} pending  what the current unwind is for
 * @property {ForkPromise | null} promise  from mm_fork, until user_fork
 * @property {number} setjmpRet  what linux.setjmp returns when the rewind
 *   reaches it
 * @property {JmpBufs} jmpbufs
 *
 * @typedef {object} UserThread  the user image a thread runs
 * @property {WebAssembly.Instance[]} instances  program first
 * @property {WebAssembly.Global} sp  env.__stack_pointer
 * @property {WebAssembly.Memory} memory  the process memory
 * @property {number} mm  its id
 * @property {EntryCall} entry  the export level 0 was entered through
 * @property {Unwinder} unwinder
 */

/** A new unwind state; `capable`: every module imports the state. */
export function newUnwinder(capable) {
	return {
		state: new WebAssembly.Global({ value: 'i32', mutable: true }, NORMAL),
		data: new WebAssembly.Global({ value: 'i32', mutable: true }, 0),
		capable,
		level: 0,
		pending: null,
		promise: null,
		setjmpRet: 0,
		jmpbufs: { next: 1, byId: new Map(), bySite: new Map() },
	};
}

/** Whether a module is instrumented: it imports env.__asyncify_state. */
export function instrumented(iface) {
	return iface.imports.some((i) => i.module === 'env' && i.name === '__asyncify_state');
}

/** The unwind state of a thread's user code (NORMAL without any). */
export function unwindState(user) {
	return user ? user.unwinder.state.value : NORMAL;
}

function bytes(memory) {
	return new Uint8Array(memory.buffer);
}

/**
 * The header of the unwind area at `area`: { pos, end }, or null if the
 * area is not one (what the kernel checks for a fork: aligned, its end
 * after the header, at most AREA_MAX, all of it in memory).
 */
function areaHeader(mem, area) {
	if (area === 0 || area % 16 !== 0 || area + 8 > mem.byteLength)
		return null;
	const dv = new DataView(mem.buffer, mem.byteOffset, mem.byteLength);
	const pos = dv.getUint32(area, true);
	const end = dv.getUint32(area + 4, true);
	if (end <= area + 8 || end - area > AREA_MAX || end > mem.byteLength)
		return null;
	return { pos, end };
}

/** Starts unwinding into `area`, for `why`. */
function startUnwind(u, area, why) {
	u.pending = why;
	u.data.value = area | 0;
	u.state.value = UNWINDING;
}

/**
 * linux.setjmp(env, area): unwind into `area` (drive() keeps a copy and
 * writes its id into `env`) and return 0 when the rewind comes back; after a longjmp the
 * rewind comes back here too, and returns longjmp's value.  Without
 * instrumentation it cannot save: it returns 0 once.
 * @param {UserThread} user
 */
export function setjmp(user, env, area) {
	const u = user.unwinder;
	if (u.state.value === REWINDING) {
		u.state.value = NORMAL;
		return u.setjmpRet;
	}
	if (!u.capable)
		return 0;
	env >>>= 0;
	area >>>= 0;
	const mem = bytes(user.memory);
	const h = areaHeader(mem, area);
	if (!h || h.pos !== area + 8 || env + 8 > mem.byteLength)
		throw new UserFault(abi.SIGSEGV);
	startUnwind(u, area, { kind: 'setjmp', env, area });
	return 0;
}

/**
 * The snapshot id in the first two words of the jmp_buf at `env` (the id
 * and its complement), or 0.
 * @param {Uint8Array} mem
 */
function jmpbufId(mem, env) {
	if (env + 8 > mem.byteLength)
		return 0;
	const dv = new DataView(mem.buffer, mem.byteOffset);
	const id = dv.getUint32(env, true);
	return (~id >>> 0) === dv.getUint32(env + 4, true) ? id : 0;
}

/**
 * linux.longjmp(env, val): never returns to its caller.  A jmp_buf never
 * saved (or saved without instrumentation), whose snapshot was dropped, or
 * saved in another signal handler level, has nowhere to go back to:
 * SIGSEGV.
 * @param {UserThread} user
 */
export function longjmp(user, env, val) {
	env >>>= 0;
	const u = user.unwinder;
	const id = jmpbufId(bytes(user.memory), env);
	const s = id && u.jmpbufs.byId.get(id);
	if (!s || s.level !== u.level)
		throw new UserFault(abi.SIGSEGV);
	throw new LongJmp(id, val === 0 ? 1 : val | 0);
}

/** Whether mm_fork(mm) can fork the thread running `user`: its own
 *  memory, every module instrumented, not in a signal handler. */
export function canFork(user, mm) {
	return !!user && user.mm === mm && user.unwinder.capable && user.unwinder.level === 0;
}

/** Keeps the promise of a copy to a fork child mm_fork made; one left
 *  from a fork that did not complete fails. */
export function setForkPromise(user, promise) {
	const u = user.unwinder;
	if (u.promise)
		failFork(u.promise);
	u.promise = promise;
}

function failFork(promise) {
	if (!promise.done) {
		promise.done = true;
		promise.deliver(null);
	}
}

/** user_fork(child, area, skip, nskip): unwind into `area` when the
 *  system call returns, for the child mm_fork made; `holes` need no copy. */
export function userFork(user, child, area, holes = []) {
	if (!user)
		return;
	const u = user.unwinder;
	const promise = u.promise;
	u.promise = null;
	if (!promise)
		return;
	if (promise.id !== child >>> 0) {
		failFork(promise);
		return;
	}
	startUnwind(u, area >>> 0, { kind: 'fork', child: promise, area: area >>> 0, holes });
}

/** user_rewound(): the rewind reached the system call. */
export function userRewound(user) {
	if (user)
		user.unwinder.state.value = NORMAL;
}

/** The thread leaves its user image (an exit, an exec, a trap): a fork
 *  child still waiting for a copy from it gets none. */
export function dropForks(user) {
	if (!user)
		return;
	const u = user.unwinder;
	if (u.promise)
		failFork(u.promise);
	u.promise = null;
	if (u.pending && u.pending.kind === 'fork')
		failFork(u.pending.child);
	u.pending = null;
}

/** After the unwind: the child's memory becomes a copy of the parent's,
 *  and the child gets what it rewinds from. */
/** The ranges of [0, len) to copy: all but `holes`. */
export function copyRanges(len, holes) {
	const h = holes.map(([s, e]) => [s >>> 0, Math.min(e >>> 0, len)]).filter(([s, e]) => s < e);
	h.sort((a, b) => a[0] - b[0]);
	/** @type {Array<[number, number]>} */
	const out = [];
	let pos = 0;
	for (const [s, e] of h) {
		if (s > pos)
			out.push([pos, s]);
		pos = Math.max(pos, e);
	}
	if (pos < len)
		out.push([pos, len]);
	return out;
}

function completeFork(user, promise, area, holes = []) {
	if (promise.done)
		return;
	const hdr = areaHeader(bytes(user.memory), area);
	if (!hdr || hdr.pos > hdr.end)
		throw new UserFault(abi.SIGILL);
	const from = bytes(user.memory);
	const to = bytes(promise.memory);
	const len = Math.min(from.byteLength, to.byteLength);
	for (const [s, e] of copyRanges(len, holes))
		to.set(from.subarray(s, e), s);
	promise.done = true;
	promise.deliver({
		area,
		sp: user.sp.value,
		entry: { name: user.entry.name, args: user.entry.args.slice() },
		jmpbufs: copyJmpBufs(user.unwinder.jmpbufs),
	});
}

function saveSnapshot(user, env, area) {
	const u = user.unwinder;
	const mem = bytes(user.memory);
	const h = areaHeader(mem, area);
	if (!h || h.pos < area + 8)
		throw new UserFault(abi.SIGSEGV);
	// A stack too deep for the area wrote past it.
	if (h.pos > h.end)
		throw new UserFault(abi.SIGILL);
	const id = keepSnapshot(u.jmpbufs,
		{ env, area, saved: mem.slice(area, h.pos), sp: user.sp.value, level: u.level });
	const dv = new DataView(mem.buffer, mem.byteOffset);
	dv.setUint32(env, id, true);
	dv.setUint32(env + 4, ~id >>> 0, true);
	u.setjmpRet = 0;
}

/** @param {JmpBufs} b @returns {JmpBufs} */
function copyJmpBufs(b) {
	return { next: b.next, byId: new Map(b.byId), bySite: new Map(b.bySite) };
}

/** Where a snapshot was taken: "env:sp:level", the key of bySite.
 *  @param {Snapshot} s */
function siteKey(s) {
	return `${s.env}:${s.sp}:${s.level}`;
}

/**
 * Keeps `snap` under a new id, which it returns.  A snapshot of the same
 * buffer at the same stack depth and level is replaced: its frame is the
 * same one or has returned (this bounds a setjmp in a loop).
 * @param {JmpBufs} b
 * @param {Snapshot} snap
 */
export function keepSnapshot(b, snap) {
	const site = siteKey(snap);
	const old = b.bySite.get(site);
	if (old !== undefined)
		b.byId.delete(old);
	while (b.byId.size >= MAX_JMPBUFS) {
		const [first, s] = b.byId.entries().next().value;
		b.byId.delete(first);
		b.bySite.delete(siteKey(s));
	}
	const id = b.next;
	b.next = (b.next + 1) >>> 0 || 1;
	b.byId.set(id, snap);
	b.bySite.set(site, id);
	return id;
}

/** Puts the stack saved as snapshot `id` back; returns its area. */
function restoreSnapshot(user, id, val) {
	const u = user.unwinder;
	const s = u.jmpbufs.byId.get(id);
	const mem = bytes(user.memory);
	if (!s || s.area + s.saved.byteLength > mem.byteLength)
		throw new UserFault(abi.SIGSEGV);
	mem.set(s.saved, s.area);
	u.setjmpRet = val;
	user.sp.value = s.sp;
	return s.area;
}

/**
 * Calls `f` (the entry export of a level of user code) with `args` and
 * serves every unwind it makes until it really returns; a rewind calls it
 * again the same way.  Throws what the code throws, but a longjmp of this
 * level.
 * @param {UserThread} user
 * @param {Function} f
 * @param {number[]} args
 */
export function drive(user, f, args) {
	const u = user.unwinder;
	for (;;) {
		let area;
		try {
			f(...args);
		} catch (e) {
			if (!(e instanceof LongJmp))
				throw e;
			area = restoreSnapshot(user, e.id, e.val);
		}
		if (area === undefined) {
			if (u.state.value !== UNWINDING)
				return;
			u.state.value = NORMAL;
			const p = u.pending;
			u.pending = null;
			// The code unwound with nobody asking (it set the state
			// itself): nowhere to come back to.
			if (!p)
				throw new UserFault(abi.SIGSEGV);
			if (p.kind === 'fork')
				completeFork(user, p.child, p.area, p.holes);
			else
				saveSnapshot(user, p.env, p.area);
			area = p.area;
		}
		u.data.value = area | 0;
		u.state.value = REWINDING;
	}
}

/**
 * Runs a signal handler: `f` (__wasm_signal) at the next nesting level,
 * through drive(): its setjmps and longjmps stay in it.
 * @param {UserThread} user
 */
export function driveNested(user, f, args) {
	const u = user.unwinder;
	u.level++;
	try {
		drive(user, f, args);
	} finally {
		u.level--;
	}
}

/**
 * A fork child's image (new instances over the copied memory): takes the
 * parent's stack pointer, saved jmp_bufs and entry, and sets the rewind
 * up.  Returns the entry to call.
 * @param {UserThread} user
 * @param {ForkImage} image
 */
export function forkChild(user, image) {
	const u = user.unwinder;
	u.jmpbufs = copyJmpBufs(image.jmpbufs);
	u.level = 0;
	user.entry = { name: image.entry.name, args: image.entry.args.slice() };
	user.sp.value = image.sp | 0;
	u.data.value = image.area | 0;
	u.state.value = REWINDING;
	return user.entry;
}
