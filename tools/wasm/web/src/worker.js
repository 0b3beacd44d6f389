// SPDX-License-Identifier: GPL-2.0
//
// One kernel thread: a virtual CPU or a kernel task (host-abi.rst "Threads
// and instances").  The page sends this worker the compiled kernel and the
// shared kernel memory once ("init"), then one entry at a time ("run"):
// the worker instantiates the kernel over the memory, calls the entry
// export, and runs user code when the kernel enters user mode.  When the
// task exits the worker reports "done" and can run another entry.
//
// The noreturn imports (task_exit, user_enter) throw a JavaScript value
// that unwinds every wasm frame of this worker back to runEntry(), as the
// native host unwinds with an error.  Parking and waking is the kernel's
// own memory.atomic.wait32/notify on the shared memory.

import * as abi from './abi.js';
import * as sh from './shared.js';
import * as irq from './irq.js';
import { Devices } from './devices.js';
import { readInterface } from './wasm-parse.js';
import { instantiateImage, callUserEntry, userSignal } from './user.js';

// ---------------------------------------------------------------------------
// Messages to and from the page, in a browser worker or a Node worker thread.

let post;
if (typeof WorkerGlobalScope !== 'undefined' && typeof self !== 'undefined') {
	post = (msg, transfer) => self.postMessage(msg, transfer ?? []);
	self.onmessage = (e) => onMessage(e.data);
	// Started bare by the page's early script, which kept what came
	// before this code: taken once this module has run.
	const queued = self.wasmLinuxQueued;
	if (queued)
		queueMicrotask(() => {
			for (const m of queued.splice(0))
				onMessage(m);
		});
} else {
	const { parentPort } = await import('node:worker_threads');
	post = (msg, transfer) => parentPort.postMessage(msg, transfer ?? []);
	parentPort.on('message', (data) => onMessage(data));
}

// ---------------------------------------------------------------------------
// What unwinds a thread.

/** task_exit: the task is dead; the worker is free again. */
class TaskExit {}
const TASK_EXIT = new TaskExit();

/** user_enter: leave the kernel for user code. */
class UserEnter {
	constructor(mm, kind, sp) {
		this.mm = mm;
		this.kind = kind;
		this.sp = sp;
	}
}

/** A host-side fault: a kernel bug the host detected (a bad range). */
class HostFault extends Error {}

// ---------------------------------------------------------------------------
// State of this worker.

/** Set by init. */
let kernelModule = null;
let kernelMemory = null;
let shv = null;			// views of the shared control buffers
let bootOrigin = 0;		// ms, epoch-based time of the machine's clock zero
let trace = false;
/** This worker's view of the machine's virtio devices. */
let devices = null;

/** The kernel memory as bytes (refreshed if it ever grows). */
let ku8 = null;
let kdv = null;

/** Process memories this worker knows: id -> mm record (from the page's
 *  init message and events, and mm_new below). */
const mms = new Map();

/** Compiled user modules: hash -> [{key, hash, bytes, memory, module,
 *  iface}]. */
const compiled = new Map();

/** The running thread: entry, kernel instance, user image. */
const T = {
	entry: null,
	kernel: null,
	user: null,		// { instances, sp, exports } of the running image
	kernelScript: null,	// the kernel's wasm://wasm/ id in stack traces
};

function kbytes() {
	if (ku8.byteLength !== kernelMemory.buffer.byteLength) {
		ku8 = new Uint8Array(kernelMemory.buffer);
		kdv = new DataView(kernelMemory.buffer);
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

// ---------------------------------------------------------------------------
// The page's messages.

function onMessage(msg) {
	switch (msg.t) {
	case 'init':
		kernelModule = msg.module;
		kernelMemory = msg.memory;
		shv = sh.views(msg.shared);
		bootOrigin = msg.bootOrigin;
		trace = !!msg.trace;
		slot = msg.slot;
		ku8 = new Uint8Array(kernelMemory.buffer);
		kdv = new DataView(kernelMemory.buffer);
		devices = new Devices(msg.shared.devices, {
			memory: kernelMemory,
			irq: shv.irq,
			input: shv,
			output: (bytes) => post({ t: 'out', bytes }, [bytes.buffer]),
			warn: (text) => post({ t: 'warn', text }),
		});
		applySync(msg);
		idleLoop();
		break;
	case 'ev':
		applyEvent(msg);
		break;
	case 'sync':
		applySync(msg);
		break;
	default:
		break;
	}
}

/** This worker's slot in the pool. */
let slot = -1;
/** Every machine event (mm_new, mm_module, mm_free) up to this one is
 *  applied here; `known` has the later ones that are. */
let gen = 0;
const known = new Set();
const genWaiters = [];

/** Counts event `g` as applied. */
function applied(g) {
	if (g > gen)
		known.add(g);
	while (known.delete(gen + 1))
		gen++;
	for (const w of genWaiters.splice(0))
		w();
}

function addMm(m) {
	if (sh.isFreed(shv, m.id))
		return;
	const have = mms.get(m.id);
	// A process's image only grows, by the one task that execs.
	if (have && have.image.length >= m.image.length)
		return;
	mms.set(m.id, {
		id: m.id,
		memory: m.memory,
		max: m.max,
		tableSize: m.tableSize,
		image: m.image.map((e) => ({
			module: e.module,
			iface: e.iface,
			memoryBase: e.memoryBase,
			tableBase: e.tableBase,
		})),
	});
}

/**
 * A machine event the page forwards, in order: what other workers did to
 * process memories.  Events this worker made itself are already applied.
 * The page sends no events to a worker while it runs an entry (it could
 * not take them): it sends a snapshot when the worker is done (applySync).
 */
function applyEvent(ev) {
	if (ev.gen <= gen || known.has(ev.gen))
		return;
	if (ev.origin !== slot) {
		switch (ev.e) {
		case 'mm_new':
			addMm({ ...ev, image: [] });
			break;
		case 'mm_module': {
			const c = remember(ev);
			const m = mms.get(ev.id);
			if (m)
				m.image.push({ module: c.module, iface: c.iface,
					memoryBase: ev.memoryBase, tableBase: ev.tableBase });
			break;
		}
		case 'mm_free':
			mms.delete(ev.id);
			break;
		default:
			break;
		}
	}
	applied(ev.gen);
}

/**
 * The page's state of every process memory and compiled module after its
 * event `msg.gen` (in the init message, and for a worker that was busy
 * while events happened).  Memories this worker knows and the page does
 * not yet are kept (its own events that the page has not ordered yet);
 * freed ones go.
 */
function applySync(msg) {
	for (const c of msg.modules)
		remember(c);
	for (const m of msg.mms)
		addMm(m);
	for (const id of [...mms.keys()])
		if (sh.isFreed(shv, id))
			mms.delete(id);
	if (msg.gen > gen) {
		for (const g of known)
			if (g <= msg.gen)
				known.delete(g);
		gen = msg.gen;
	}
	applied(gen);
}

/** Tells the page about an event (numbered in the order they happen). */
function postEvent(ev, transfer) {
	ev.gen = Atomics.add(shv.ctl, sh.CTL_GEN, 1) + 1;
	ev.origin = slot;
	applied(ev.gen);
	post({ t: 'ev', ...ev }, transfer);
}

/**
 * Waits in the pool for entries, forever.  The wait is asynchronous, so the
 * page's messages (events) are taken meanwhile; an entry does not start
 * before this worker has every event that happened before it was handed
 * over (a clone child needs its parent's process memory).
 */
async function idleLoop() {
	const state = slot * sh.SLOT_WORDS + sh.SLOT_STATE;
	for (;;) {
		// The oldest entry that waits for a worker, else wait for one.
		let entry;
		const q = sh.takeOrIdle(shv, slot);
		if (q) {
			entry = q.entry;
			post({ t: 'idle', took: true, waited: (stamp() - q.time) / 10 });
		} else {
			post({ t: 'idle' });
			for (;;) {
				const cur = Atomics.load(shv.pool, state);
				if (cur === sh.SLOT_ASSIGNED)
					break;
				const r = Atomics.waitAsync(shv.pool, state, cur);
				if (r.async)
					await r.value;
			}
			const words = [];
			for (let i = 0; i < 5; i++)
				words.push(Atomics.load(shv.pool, state - sh.SLOT_STATE + sh.SLOT_KIND + i));
			Atomics.store(shv.pool, state, sh.SLOT_BUSY);
			entry = sh.wordsEntry(words);
		}
		const target = Atomics.load(shv.ctl, sh.CTL_GEN);
		if (gen < target)
			post({ t: 'behind' });
		const deadline = performance.now() + 5000;
		while (gen < target && performance.now() < deadline)
			await new Promise((resolve) => {
				genWaiters.push(resolve);
				setTimeout(resolve, 100);
			});
		if (gen < target)
			post({ t: 'trace', text: `missing machine events ${gen + 1} to ${target}` });
		Atomics.store(shv.pool, state, sh.SLOT_RUNNING);
		runEntry(entry);
	}
}

/** Now, on the machine's clock, in 0.1 ms (queue stamps). */
function stamp() {
	return Math.round((performance.timeOrigin + performance.now() - bootOrigin) * 10);
}

/** Hands an entry to an idle worker, else queues it for the next one
 *  (the page starts more), else (the queue is full) leaves it to the
 *  page. */
function spawn(entry) {
	const s = sh.handOffOrQueue(shv, entry, slot + 1, stamp());
	if (s >= 0)
		post({ t: 'claimed', slot: s, entry });
	else if (s === -1)
		post({ t: 'queued', entry });
	else
		post({ t: 'spawn', entry });
}

// ---------------------------------------------------------------------------
// Running an entry.

function entryName(e) {
	switch (e.kind) {
	case 'boot': return 'the boot CPU (wasm_boot)';
	case 'cpu': return `CPU ${e.cpu} (wasm_secondary_start, idle task 0x${e.idle.toString(16)})`;
	default: return `task 0x${e.task.toString(16)} (wasm_task_start)`;
	}
}

function runEntry(entry) {
	T.entry = entry;
	if (trace)
		post({ t: 'trace', text: `enter ${entryName(entry)}` });
	T.user = null;
	let err = null;
	let kernel;
	const ti = performance.now();
	try {
		kernel = new WebAssembly.Instance(kernelModule, {
			env: { memory: kernelMemory },
			host: hostImports,
		});
	} catch (e) {
		post({ t: 'fault', message: `cannot start ${entryName(entry)}: ${e}` });
		return;
	}
	T.kernel = kernel;
	if (trace)
		post({ t: 'trace', text: `instantiated in ${(performance.now() - ti).toFixed(2)} ms` });
	const x = kernel.exports;
	try {
		switch (entry.kind) {
		case 'boot': {
			const version = x.wasm_abi_version();
			if (version !== abi.HOST_ABI_VERSION) {
				post({ t: 'fault', message: `the kernel implements host ABI version ${version}, ` +
					`this host implements version ${abi.HOST_ABI_VERSION}` });
				return;
			}
			const pending = x.wasm_irq_pending?.value;
			if (typeof pending !== 'number') {
				post({ t: 'fault', message: 'the module has no i32 global export wasm_irq_pending' });
				return;
			}
			const affinity = x.wasm_irq_affinity?.value;
			irq.setIrqAddresses(shv.irq, pending >>> 0,
				typeof affinity === 'number' ? affinity >>> 0 : undefined);
			post({ t: 'irq_pending', addr: pending >>> 0 });
			x.wasm_boot(entry.cmdline, entry.initrdStart, entry.initrdSize, entry.nrCpus);
			break;
		}
		case 'cpu':
			x.wasm_secondary_start(entry.cpu, entry.idle);
			break;
		default:
			x.wasm_task_start(entry.task);
			break;
		}
	} catch (e) {
		err = e;
	}
	// A task that enters user mode comes back here each time it execs.
	while (err instanceof UserEnter)
		err = runUser(err);
	T.kernel = null;
	T.user = null;
	if (err === null) {
		if (trace)
			post({ t: 'trace', text: `${entryName(entry)} returned` });
		post({ t: 'done' });
	} else if (err instanceof TaskExit) {
		post({ t: 'done' });
	} else {
		const text = err instanceof Error ? `${err}\n${err.stack ?? ''}` : String(err);
		post({ t: 'fault', message: `kernel trap on ${entryName(entry)}: ${text}` });
	}
}

/**
 * Runs user code as `req` asks.  Returns what ended it: a UserEnter for an
 * exec, TaskExit, or a fault.
 */
function runUser(req) {
	const kernel = T.kernel;
	const mm = getMm(req.mm);
	if (!mm)
		return new HostFault(`the kernel entered user mode in unknown mm ${req.mm}`);
	if (trace)
		post({ t: 'trace', text: `${entryName(T.entry)}: enter user mode (mm ${req.mm}, kind ${req.kind})` });
	const syscall = kernel.exports.wasm_syscall;
	let err;
	try {
		T.user = null;
		const ti = trace ? performance.now() : 0;
		T.user = instantiateImage(mm, req.sp, syscall);
		if (trace)
			post({ t: 'trace', text: `image of mm ${req.mm} instantiated in ${(performance.now() - ti).toFixed(2)} ms` });
		callUserEntry(T.user, req.kind, req.sp);
		// A user entry that returns exits the thread.
		syscall(abi.NR_EXIT, 0, 0, 0, 0, 0, 0);
		return new HostFault('exit returned to user mode');
	} catch (e) {
		err = e;
	}
	if (err instanceof UserEnter || err instanceof TaskExit || err instanceof HostFault)
		return err;
	if (!isTrap(err) || !T.user || !inUserCode(err))
		return err;
	const sig = trapSignal(err);
	if (trace)
		post({ t: 'trace', text: `user trap, signal ${sig}: ${err}` });
	try {
		kernel.exports.wasm_user_trap(sig);
		return new HostFault('wasm_user_trap returned');
	} catch (e) {
		return e;
	}
}

function isTrap(e) {
	return e instanceof WebAssembly.RuntimeError || e instanceof RangeError;
}

/** The wasm://wasm/ ids of the wasm frames of a stack trace, innermost
 *  first. */
function wasmScripts(stack) {
	const out = [];
	for (const m of String(stack ?? '').matchAll(/wasm:\/\/wasm\/([^:)\s]+)/g))
		out.push(m[1]);
	return out;
}

/**
 * Whether a trap happened in user code rather than in the kernel: its
 * innermost wasm frame is not the kernel's.  JavaScript only tells by the
 * stack trace, whose wasm frames name their module by a wasm://wasm/ id;
 * the kernel's id was taken in user_enter.
 */
function inUserCode(err) {
	const frames = wasmScripts(err.stack);
	if (frames.length === 0 || T.kernelScript === null)
		return true;
	return frames[0] !== T.kernelScript;
}

/** The signal a trap of user code stands for (user.rs trap_signal). */
function trapSignal(err) {
	const m = String(err.message);
	if (err instanceof WebAssembly.RuntimeError) {
		if (/unreachable/.test(m))
			return abi.SIGILL;
		if (/divide by zero|remainder by zero|divide result unrepresentable|integer overflow/.test(m))
			return abi.SIGFPE;
		if (/unaligned/.test(m))
			return abi.SIGBUS;
	}
	return abi.SIGSEGV;
}

// ---------------------------------------------------------------------------
// Process memories.

/** The memory record of `id`, or null (0, unknown or freed). */
function getMm(id) {
	id >>>= 0;
	if (id === 0 || sh.isFreed(shv, id))
		return null;
	return mms.get(id) ?? null;
}

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
 * eq(a, b, n): whether the n bytes at a in the kernel memory ("k" "m") are
 * the n bytes at b of a cached module's memory ("c" "m"); 8 bytes at a
 * time.  Two memories (multi-memory): a cold JavaScript loop over a
 * module takes 15-25 ms, this well under one.
 */
const EQ_WASM = new Uint8Array([
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
					k: { m: kernelMemory }, c: { m: c.memory },
				}).exports.eq;
			} catch {
				c.eq = null;
			}
		}
	}
	if (c.eq && view.buffer === kernelMemory.buffer)
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
function remember(c) {
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
function compile(view) {
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
	const c = remember({ key: `${hash}/${slot}/${++compilations}`, hash, bytes: shared, memory, module, iface });
	return { ...c, fresh: true };
}

// ---------------------------------------------------------------------------
// The host imports (host-abi.rst "Imports").

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

/** The bytes of a process memory, or null. */
function ubytes(mm) {
	const m = getMm(mm);
	if (!m)
		return null;
	if (!m.u8 || m.u8.byteLength !== m.memory.buffer.byteLength)
		m.u8 = new Uint8Array(m.memory.buffer);
	return m.u8;
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

const hostImports = {
	console_write(buf, len) {
		buf = u(buf); len = u(len);
		const bytes = kread(buf, len, 'console_write');
		post({ t: 'out', bytes }, [bytes.buffer]);
	},

	console_read(buf, len) {
		buf = u(buf); len = u(len);
		kcheck(buf, len, 'console_read');
		const bytes = sh.ringTake(shv, len);
		ku8.set(bytes, buf);
		return bytes.length;
	},

	clock_monotonic() {
		// Every worker has a time origin of its own; the page passed the
		// machine's zero as an epoch-based time.  A shared last value keeps
		// the clock from going back between threads.
		const now = BigInt(Math.round(
			(performance.timeOrigin - bootOrigin + performance.now()) * 1e6));
		for (;;) {
			const last = Atomics.load(shv.clock, sh.CLK_LAST);
			if (now <= last)
				return last;
			if (Atomics.compareExchange(shv.clock, sh.CLK_LAST, last, now) === last)
				return now;
		}
	},

	clock_realtime() {
		return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));
	},

	cpu_start(cpu, idle) {
		// The page makes the thread; it cannot fail here (a worker that
		// cannot start ends the run as a host fault).
		irq.cpuStarted(shv.irq, u(cpu));
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
		return devices.read(u(addr), accessSize(size, 'mmio_read'));
	},

	mmio_write(addr, size, value, cpu) {
		devices.write(u(addr), accessSize(size, 'mmio_write'), value, cpu | 0);
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
		const id = Atomics.add(shv.ctl, sh.CTL_NEXT_MM, 1);
		if (id <= 0)
			return abi.ENOMEM;
		mms.set(id, { id, memory, max: maxPages, tableSize, image: [] });
		postEvent({ e: 'mm_new', id, memory, max: maxPages, tableSize });
		return id;
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
		sh.markFreed(shv, id);
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
		const tc = trace ? performance.now() : 0;
		try {
			c = compile(bytes);
			if (trace)
				post({ t: 'trace', text: `mm_add_module: ${len} bytes at 0x${buf.toString(16)}, ${c.fresh ? 'compiled' : 'cached'} in ${(performance.now() - tc).toFixed(2)} ms` });
		} catch (e) {
			if (trace)
				post({ t: 'trace', text: `exec refused: ${e}` });
			return abi.ENOEXEC;
		}
		const why = abi.checkUserModule(c.iface) ??
			abi.checkUserLinks(c.iface, m.image.map((e) => e.iface));
		if (why) {
			if (trace)
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

post({ t: 'loaded' });
