// SPDX-License-Identifier: GPL-2.0
//
// The unwind driver (src/unwind.js) on a real Asyncify-instrumented
// module, in Node: test/unwind-prog.wat goes through binaryen's wasm-opt
// as wasm-linux-cc's Asyncify step runs it (tools/wasm/scripts/
// wasm-asyncify), is instantiated by src/user.js over a shared memory and
// run with a stand-in for the kernel's system calls.  It checks setjmp and
// longjmp (saved locals, the stack pointer, the unwind area put back after
// being overwritten), a signal handler's own level, fork (the child's
// memory a copy, the child rewound in new instances with the parent's
// jmp_bufs), and an image without instrumentation.
//
//   node --test test/unwind.test.mjs
//
// Without binaryen's wasm-opt (test/wasm-tools.mjs says where it looks)
// the tests of modules are skipped.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as abi from '../src/abi.js';
import * as unwind from '../src/unwind.js';
import { instantiateImage, userEntry, callUserEntry, userSignal } from '../src/user.js';
import { readInterface } from '../src/wasm-parse.js';
import { findWasmOpt, wasmOpt } from './wasm-tools.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const WAT = path.join(here, 'unwind-prog.wat');

const wasmOptPath = findWasmOpt();
const skip = wasmOptPath ? false : 'no binaryen wasm-opt (set WASM_OPT, or run setup-toolchain.sh)';

/** The program, with Asyncify (as wasm-asyncify runs it) or without. */
function build(asyncify) {
	return wasmOpt(wasmOptPath, WAT, asyncify);
}

const ARGP = 0x9000;		// _start's argument
const SP = ARGP - 64;		// the stack pointer _start sets
const LOG = 0x100;
const PID = 2;
const NR_CLONE = 220;
const NR_RAISE = 1001;		// the stand-in kernel runs a signal handler

/** A process memory record as process-memories.js keeps them. */
function mmRecord(id, bytes, memory) {
	const mod = new WebAssembly.Module(bytes);
	return {
		id,
		memory: memory ?? new WebAssembly.Memory({ initial: 1, maximum: 16, shared: true }),
		max: 16,
		tableSize: 0,
		image: [{ module: mod, iface: readInterface(bytes), memoryBase: 0, tableBase: 0 }],
	};
}

function readLog(memory) {
	const w = new Uint32Array(memory.buffer);
	return Array.from(w.subarray((LOG + 4) / 4, (LOG + 4) / 4 + w[LOG / 4]));
}

/**
 * A stand-in kernel for one thread: clone forks (mm_fork, then user_fork
 * at the end of the call, then the rewound call returns the pid), 1001
 * runs the signal handler in mode 1 and then in mode 2; `rewind` is the
 * flag of a fork child's task.
 */
function kernel(mm, rewind) {
	const k = {
		user: null,
		rewind,
		rewindRet: 0,
		image: undefined,
		child: null,
		handlerFault: null,
		forkable: null,
		syscall(nr, a0, a1, a2, a3, a4, a5) {
			if (k.rewind) {
				k.rewind = false;
				unwind.userRewound(k.user);
				return k.rewindRet;
			}
			if (nr === NR_RAISE) {
				assert.equal(userSignal(k.user, [1, 0, 0, 0, 0], 0x8000), 0);
				assert.equal(k.user.sp.value, SP, 'user_signal restores the stack pointer');
				try {
					userSignal(k.user, [2, 0, 0, 0, 0], 0x8000);
				} catch (e) {
					k.handlerFault = e;
				}
				k.user.sp.value = SP;
				assert.equal(k.user.unwinder.level, 0);
				return 0;
			}
			if (nr === NR_CLONE) {
				k.forkable = unwind.canFork(k.user, mm.id);
				if (!k.forkable)
					return abi.ENOSYS;
				const memory = new WebAssembly.Memory({
					initial: mm.memory.buffer.byteLength / abi.PAGE_SIZE,
					maximum: mm.max, shared: true });
				k.child = memory;
				unwind.setForkPromise(k.user, {
					id: PID, memory, done: false,
					// What postMessage would do to it.
					deliver: (img) => { k.image = img && structuredClone(img); },
				});
				k.rewind = true;
				k.rewindRet = PID;
				unwind.userFork(k.user, PID, a5);
				return PID;
			}
			throw new Error(`unexpected system call ${nr}`);
		},
	};
	return k;
}

/** The log before the fork: three longjmps (10, 20, 0 -> 1), the
 *  handler's setjmp and longjmp at its level (100, 101). */
const BEFORE_FORK = [
	0, SP, 1234,
	10, SP, 1234,
	20, SP, 1234,
	1, SP, 1234,
	100, 101,
];

test('setjmp, longjmp, a handler level and fork on an instrumented image', { skip }, () => {
	const bytes = build(true);
	const mm = mmRecord(1, bytes);
	assert.equal(abi.checkUserModule(mm.image[0].iface), null);
	assert.ok(unwind.instrumented(mm.image[0].iface));

	const k = kernel(mm, false);
	const user = instantiateImage(mm, ARGP, k.syscall);
	k.user = user;
	assert.equal(user.unwinder.capable, true);
	callUserEntry(user, userEntry(user, abi.USER_EXEC, ARGP));

	assert.equal(unwind.unwindState(user), unwind.NORMAL);
	assert.equal(k.forkable, true);
	assert.ok(k.handlerFault instanceof unwind.UserFault,
		`a longjmp out of the handler's level: ${k.handlerFault}`);
	assert.equal(k.handlerFault.sig, abi.SIGSEGV);
	assert.deepEqual(readLog(mm.memory),
		[...BEFORE_FORK, 0x1000000 | PID, 9999, SP, 0x55]);

	// The child: a copy of the memory as it was at the fork, new
	// instances, rewound from the parent's area.
	assert.ok(k.image, 'the parent delivered the image');
	assert.equal(k.image.area, 0x2000);
	assert.equal(k.image.sp, SP);
	assert.deepEqual(k.image.entry, { name: '_start', args: [ARGP] });
	assert.deepEqual([...k.image.jmpbufs.byId.values()].map((s) => s.env).sort(),
		[0x400, 0x480]);
	const cmm = { ...mmRecord(PID, bytes, k.child), image: mm.image };
	const ck = kernel(cmm, true);
	const child = instantiateImage(cmm, 0, ck.syscall);
	ck.user = child;
	const call = unwind.forkChild(child, k.image);
	callUserEntry(child, call);
	assert.equal(unwind.unwindState(child), unwind.NORMAL);
	// The child's clone returned 0, its locals and stack pointer are
	// the parent's; its longjmp to the parent's jmp_buf returned 77.
	assert.deepEqual(readLog(cmm.memory),
		[...BEFORE_FORK, 0x1000000, 9999, SP, 0x55, 77, SP, 1234]);
	const cw = new Uint32Array(cmm.memory.buffer);
	const pw = new Uint32Array(mm.memory.buffer);
	assert.equal(cw[0x600 / 4], 0x66, 'the child changed its memory');
	assert.equal(pw[0x600 / 4], 0x55, 'not the parent\'s');
	assert.equal(cw[0x500 / 4], 5);
	assert.equal(pw[0x500 / 4], 4);
});

test('an image without instrumentation', { skip }, () => {
	const bytes = build(false);
	const mm = mmRecord(1, bytes);
	assert.equal(abi.checkUserModule(mm.image[0].iface), null);
	assert.equal(unwind.instrumented(mm.image[0].iface), false);
	const k = kernel(mm, false);
	const user = instantiateImage(mm, ARGP, k.syscall);
	k.user = user;
	assert.equal(user.unwinder.capable, false);
	assert.equal(unwind.canFork(user, 1), false);
	// setjmp returns 0 once; the longjmp has nowhere to go.
	assert.throws(() => callUserEntry(user, userEntry(user, abi.USER_EXEC, ARGP)),
		(e) => e instanceof unwind.UserFault && e.sig === abi.SIGSEGV);
	assert.deepEqual(readLog(mm.memory), [0, SP, 1234]);
});

test('fork promises that are not kept fail the child', () => {
	const mm = { id: 1, image: [], memory: new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }) };
	const user = {
		instances: [], sp: new WebAssembly.Global({ value: 'i32', mutable: true }, 0),
		memory: mm.memory, mm: 1, entry: { name: '_start', args: [0] },
		unwinder: unwind.newUnwinder(true),
	};
	const got = [];
	const promise = (id) => ({ id, memory: mm.memory, done: false, deliver: (img) => got.push([id, img]) });
	assert.equal(unwind.canFork(user, 1), true);
	assert.equal(unwind.canFork(user, 2), false, 'not its own memory');
	user.unwinder.level = 1;
	assert.equal(unwind.canFork(user, 1), false, 'in a signal handler');
	user.unwinder.level = 0;
	unwind.setForkPromise(user, promise(5));
	unwind.setForkPromise(user, promise(6));
	assert.deepEqual(got, [[5, null]], 'a second mm_fork fails the first child');
	unwind.userFork(user, 7, 0x1000);
	assert.deepEqual(got, [[5, null], [6, null]], 'user_fork for another child');
	assert.equal(unwind.unwindState(user), unwind.NORMAL);
	unwind.setForkPromise(user, promise(8));
	unwind.userFork(user, 8, 0x1000);
	assert.equal(unwind.unwindState(user), unwind.UNWINDING);
	unwind.dropForks(user);
	assert.deepEqual(got, [[5, null], [6, null], [8, null]], 'the thread left before the copy');
	unwind.dropForks(user);
	assert.equal(got.length, 3, 'once');
});

test('the import check takes the unwind imports with their types only', () => {
	const fn = (params, results) => ({ kind: 'function', type: {
		params, results, sig: `(${params.join(',')})->(${results.join(',')})` } });
	const iface = (imports) => ({ imports, exports: new Map() });
	const ok = iface([
		{ module: 'linux', name: 'setjmp', ...fn(['i32', 'i32'], ['i32']) },
		{ module: 'linux', name: 'longjmp', ...fn(['i32', 'i32'], []) },
		{ module: 'env', name: '__asyncify_state', kind: 'global', type: { type: 'i32', mutable: true } },
		{ module: 'env', name: '__asyncify_data', kind: 'global', type: { type: 'i32', mutable: true } },
	]);
	assert.equal(abi.checkUserModule(ok), null);
	for (const bad of [
		{ module: 'linux', name: 'setjmp', ...fn(['i32'], ['i32']) },
		{ module: 'linux', name: 'longjmp', ...fn(['i32', 'i32'], ['i32']) },
		{ module: 'env', name: '__asyncify_state', kind: 'global', type: { type: 'i32', mutable: false } },
		{ module: 'env', name: '__asyncify_data', kind: 'global', type: { type: 'i64', mutable: true } },
		{ module: 'linux', name: 'vfork', ...fn([], ['i32']) },
	])
		assert.match(abi.checkUserModule(iface([bad])), /unsupported import/);
});

test('a jmp_buf names its snapshot by id, and a setjmp loop stays bounded', () => {
	const b = { next: 1, byId: new Map(), bySite: new Map() };
	const snap = (env, sp, level = 0) => ({ env, area: 0x1000, saved: new Uint8Array(8), sp, level });
	const outer = unwind.keepSnapshot(b, snap(0x100, 5000));
	const inner = unwind.keepSnapshot(b, snap(0x100, 4000));
	assert.notEqual(outer, inner);
	// The same buffer at the same depth replaces the nested one only.
	const again = unwind.keepSnapshot(b, snap(0x100, 4000));
	assert.ok(!b.byId.has(inner) && b.byId.has(outer) && b.byId.has(again));
	unwind.keepSnapshot(b, snap(0x200, 4000));
	unwind.keepSnapshot(b, snap(0x100, 4000, 1));
	assert.equal(b.byId.size, 4);
	for (let i = 0; i < 10000; i++)
		unwind.keepSnapshot(b, snap(0x300, 4000));
	assert.equal(b.byId.size, 5);
	for (let i = 0; i < 9000; i++)
		unwind.keepSnapshot(b, snap(0x1000 + 32 * i, 4000));
	assert.equal(b.byId.size, 4096);
	assert.ok(!b.byId.has(outer), 'the oldest go first');
});
