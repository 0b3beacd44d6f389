// SPDX-License-Identifier: GPL-2.0
// @ts-check
//
// The host imports of the kernel (host-abi.rst "Imports") on a kernel
// thread's worker: the console, clocks, threads, halt, randomness, the
// virtio-mmio devices, process memories, user mode and fork.

import * as abi from './abi.js';
import * as sh from './shared.js';
import * as irq from './irq.js';
import { userSignal } from './user.js';
import { canFork, setForkPromise, userFork, userRewound } from './unwind.js';
import { post } from './worker-messages.js';
import { W } from './worker-state.js';
import { spawn } from './worker-pool.js';
import { mms, getMm, ubytes, postEvent } from './process-memories.js';
import { compile } from './module-cache.js';
import { TASK_EXIT, UserEnter, HostFault, T, wasmScripts } from './run-entry.js';

/** The kernel memory as bytes (refreshed if it ever grows). */
let ku8 = null;
let kdv = null;

/** Takes the kernel memory of W (at init). */
export function attachKernelMemory() {
	ku8 = new Uint8Array(W.kernelMemory.buffer);
	kdv = new DataView(W.kernelMemory.buffer);
}

function kbytes() {
	if (ku8.byteLength !== W.kernelMemory.buffer.byteLength) {
		ku8 = new Uint8Array(W.kernelMemory.buffer);
		kdv = new DataView(W.kernelMemory.buffer);
	}
	return ku8;
}

/** Checks a kernel-side range; a bad one is a kernel bug and traps. */
function kcheck(addr, len, what) {
	const size = ku8.byteLength;
	if (addr + len > size && kbytes().byteLength < addr + len)
		throw new HostFault(`${what}: range 0x${addr.toString(16)}+0x${len.toString(16)} ` +
			`is outside guest memory (size 0x${size.toString(16)})`);
}

const u = (v) => v >>> 0;

/** Reads a kernel-side range as a fresh (unshared) copy. */
function kread(addr, len, what) {
	kcheck(addr, len, what);
	return ku8.slice(addr, addr + len);
}

/** How many of `n` bytes at `addr` lie inside a user memory (uaccess.rs). */
function reachable(buf, addr, n) {
	const size = buf ? buf.byteLength : 0;
	if (addr >= size)
		return 0;
	return Math.min(size - addr, n);
}

function parkForever() {
	const w = new Int32Array(new SharedArrayBuffer(4));
	for (;;)
		Atomics.wait(w, 0, 0);
}

/** The size argument of mmio_read/mmio_write: 1, 2, 4 or 8.  Another is
 *  a kernel bug (the kernel makes no other): it traps, as natively. */
function accessSize(size, what) {
	size = u(size);
	if (size !== 1 && size !== 2 && size !== 4 && size !== 8)
		throw new HostFault(`${what}: bad size ${size}`);
	return size;
}

export const hostImports = {
	console_write(buf, len) {
		buf = u(buf); len = u(len);
		const bytes = kread(buf, len, 'console_write');
		post({ t: 'out', bytes }, [bytes.buffer]);
	},

	console_read(buf, len) {
		buf = u(buf); len = u(len);
		kcheck(buf, len, 'console_read');
		const bytes = sh.ringTake(W.shv, len);
		ku8.set(bytes, buf);
		return bytes.length;
	},

	clock_monotonic() {
		// Every worker has a time origin of its own; the page passed the
		// machine's zero as an epoch-based time.  A shared last value keeps
		// the clock from going back between threads.
		const now = BigInt(Math.round(
			(performance.timeOrigin - W.bootOrigin + performance.now()) * 1e6));
		for (;;) {
			const last = Atomics.load(W.shv.clock, sh.CLK_LAST);
			if (now <= last)
				return last;
			if (Atomics.compareExchange(W.shv.clock, sh.CLK_LAST, last, now) === last)
				return now;
		}
	},

	clock_realtime() {
		return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));
	},

	cpu_start(cpu, idle) {
		// The page makes the thread; it cannot fail here (a worker that
		// cannot start ends the run as a host fault).
		irq.cpuStarted(W.shv.irq, u(cpu));
		spawn({ kind: 'cpu', cpu: u(cpu), idle: u(idle) });
		return 0;
	},

	task_spawn(task) {
		spawn({ kind: 'task', task: u(task) });
		return 0;
	},

	task_exit() {
		throw TASK_EXIT;
	},

	halt(reason, code) {
		post({ t: 'halt', reason, code });
		// The page ends every worker; this CPU never resumes.
		parkForever();
	},

	random_fill(buf, len) {
		buf = u(buf); len = u(len);
		kcheck(buf, len, 'random_fill');
		// getRandomValues refuses views of shared memory: fill a copy.
		const tmp = new Uint8Array(Math.min(len, 65536));
		for (let off = 0; off < len; off += tmp.length) {
			const n = Math.min(tmp.length, len - off);
			const part = tmp.subarray(0, n);
			crypto.getRandomValues(part);
			ku8.set(part, buf + off);
		}
	},

	// The virtio-mmio devices (devices.js): registers of no device read
	// as all ones and ignore writes.
	mmio_read(addr, size) {
		return W.devices.read(u(addr), accessSize(size, 'mmio_read'));
	},

	mmio_write(addr, size, value, cpu) {
		W.devices.write(u(addr), accessSize(size, 'mmio_write'), value, cpu | 0);
	},

	mm_new(pages, maxPages, tableSize) {
		pages = u(pages); maxPages = u(maxPages); tableSize = u(tableSize);
		if (pages > maxPages || maxPages > abi.MAX_PAGES || tableSize > abi.MAX_TABLE)
			return abi.ENOMEM;
		let memory;
		try {
			memory = new WebAssembly.Memory({ initial: pages, maximum: maxPages, shared: true });
		} catch {
			return abi.ENOMEM;
		}
		// Ids are never reused, so a stale id can never name a new memory.
		const id = Atomics.add(W.shv.ctl, sh.CTL_NEXT_MM, 1);
		if (id <= 0)
			return abi.ENOMEM;
		mms.set(id, { id, memory, max: maxPages, tableSize, image: [], fork: null });
		postEvent({ e: 'mm_new', id, memory, max: maxPages, tableSize });
		return id;
	},

	mm_fork(mm) {
		mm = u(mm);
		if (!canFork(T.user, mm))
			return abi.ENOSYS;
		const parent = getMm(mm);
		if (!parent)
			return abi.ENOMEM;
		const pages = parent.memory.buffer.byteLength / abi.PAGE_SIZE;
		let memory;
		try {
			memory = new WebAssembly.Memory({ initial: pages, maximum: parent.max, shared: true });
		} catch {
			return abi.ENOMEM;
		}
		const id = Atomics.add(W.shv.ctl, sh.CTL_NEXT_MM, 1);
		if (id <= 0)
			return abi.ENOMEM;
		// Set (1 made, 2 never) before the image is posted: the child's
		// worker reads it for the copy to happen before its reads.
		const fork = new Int32Array(new SharedArrayBuffer(4));
		const image = parent.image.map((e) => ({ ...e }));
		mms.set(id, { id, memory, max: parent.max, tableSize: parent.tableSize, image, fork });
		// The other workers and the page take the image from the parent's
		// record, which every one has before this event.
		postEvent({ e: 'mm_fork', id, parent: mm, memory, max: parent.max,
			tableSize: parent.tableSize, fork });
		setForkPromise(T.user, {
			id,
			memory,
			done: false,
			deliver(img) {
				Atomics.store(fork, 0, img ? 1 : 2);
				post({ t: 'fork_image', child: id, image: img });
			},
		});
		return id;
	},

	user_fork(child, area, skip, nskip) {
		const n = Math.min(u(nskip), 64);
		const words = kread(u(skip), 8 * n, 'user_fork');
		const dv = new DataView(words.buffer, words.byteOffset, words.byteLength);
		/** @type {Array<[number, number]>} */
		const holes = [];
		for (let i = 0; i < n; i++)
			holes.push([dv.getUint32(8 * i, true), dv.getUint32(8 * i + 4, true)]);
		userFork(T.user, child, area, holes);
	},

	user_rewound() {
		userRewound(T.user);
	},

	mm_grow(mm, pages) {
		const m = getMm(mm);
		pages = u(pages);
		if (!m)
			return abi.ENOMEM;
		const cur = m.memory.buffer.byteLength / abi.PAGE_SIZE;
		if (cur + pages > m.max)
			return abi.ENOMEM;
		try {
			return m.memory.grow(pages);
		} catch {
			return abi.ENOMEM;
		}
	},

	mm_free(mm) {
		const id = u(mm);
		sh.markFreed(W.shv, id);
		mms.delete(id);
		postEvent({ e: 'mm_free', id });
	},

	mm_add_module(mm, buf, len, memoryBase, tableBase) {
		buf = u(buf); len = u(len);
		kcheck(buf, len, 'mm_add_module');
		const bytes = ku8.subarray(buf, buf + len);
		const m = getMm(mm);
		if (!m)
			return abi.ENOMEM;
		let c;
		const tc = W.trace ? performance.now() : 0;
		try {
			c = compile(bytes);
			if (W.trace)
				post({ t: 'trace', text: `mm_add_module: ${len} bytes at 0x${buf.toString(16)}, ${c.fresh ? 'compiled' : 'cached'} in ${(performance.now() - tc).toFixed(2)} ms` });
		} catch (e) {
			if (W.trace)
				post({ t: 'trace', text: `exec refused: ${e}` });
			return abi.ENOEXEC;
		}
		const why = abi.checkUserModule(c.iface) ??
			abi.checkUserLinks(c.iface, m.image.map((e) => e.iface));
		if (why) {
			if (W.trace)
				post({ t: 'trace', text: `exec refused: ${why}` });
			return abi.ENOEXEC;
		}
		const e = { module: c.module, iface: c.iface, memoryBase: u(memoryBase), tableBase: u(tableBase) };
		m.image.push(e);
		postEvent({
			e: 'mm_module', id: m.id, key: c.key, hash: c.hash, bytes: c.bytes, memory: c.memory,
			module: c.module,
			iface: c.iface, memoryBase: e.memoryBase, tableBase: e.tableBase,
		});
		return 0;
	},

	user_copy_from(mm, to, from, n) {
		to = u(to); from = u(from); n = u(n);
		const user = ubytes(mm);
		const ok = reachable(user, from, n);
		if (ok > 0) {
			kcheck(to, ok, 'user_copy_from');
			ku8.set(user.subarray(from, from + ok), to);
		} else {
			kcheck(to, n, 'user_copy_from');
		}
		return n - ok;
	},

	user_copy_to(mm, to, from, n) {
		to = u(to); from = u(from); n = u(n);
		kcheck(from, n, 'user_copy_to');
		const user = ubytes(mm);
		const ok = reachable(user, to, n);
		if (ok > 0)
			user.set(ku8.subarray(from, from + ok), to);
		return n - ok;
	},

	user_clear(mm, to, n) {
		to = u(to); n = u(n);
		const user = ubytes(mm);
		const ok = reachable(user, to, n);
		if (ok > 0)
			user.fill(0, to, to + ok);
		return n - ok;
	},

	user_cmpxchg32(mm, uaddr, old, neu, cur) {
		uaddr = u(uaddr); cur = u(cur);
		kcheck(cur, 4, 'user_cmpxchg32');
		const user = ubytes(mm);
		if (!user || uaddr % 4 || uaddr + 4 > user.byteLength)
			return abi.EFAULT;
		const words = new Int32Array(user.buffer, 0, user.byteLength >>> 2);
		const found = Atomics.compareExchange(words, uaddr >>> 2, old | 0, neu | 0);
		kdv.setInt32(cur, found, true);
		return 0;
	},

	user_enter(mm, kind, sp) {
		if (T.kernelScript === null) {
			// The innermost wasm frame of this call is the kernel's: its
			// script id tells kernel frames from user frames in traps.
			const ids = wasmScripts(new Error().stack);
			if (ids.length)
				T.kernelScript = ids[0];
		}
		throw new UserEnter(u(mm), u(kind), u(sp));
	},

	user_sp() {
		return T.user ? T.user.sp.value : 0;
	},

	user_signal(handler, sig, info, uctx, hasSiginfo, sp) {
		return userSignal(T.user, [handler, sig, info, uctx, hasSiginfo], sp);
	},
};
