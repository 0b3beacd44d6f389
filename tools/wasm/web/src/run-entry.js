// SPDX-License-Identifier: GPL-2.0
// @ts-check
//
// Running one entry of the kernel on a kernel thread's worker: it
// instantiates the kernel over the shared memory, calls the entry export
// (wasm_boot, wasm_secondary_start, wasm_task_start), and runs user code
// each time the kernel enters user mode.  The noreturn imports (task_exit,
// user_enter) throw a JavaScript value that unwinds every wasm frame of
// this worker back to runEntry(), as the native host unwinds with an
// error.  A trap in user code becomes a signal (wasm_user_trap), a trap in
// the kernel a host fault.  User code runs through the unwind driver
// (unwind.js); a fork child first waits, without blocking the worker, for
// the image its parent's worker sends once it has copied the memory.

import * as abi from './abi.js';
import * as irq from './irq.js';
import { instantiateImage, userEntry, callUserEntry } from './user.js';
import { UserFault, forkChild, dropForks } from './unwind.js';
import { post } from './worker-messages.js';
import { W } from './worker-state.js';
import { getMm } from './process-memories.js';
/** task_exit: the task is dead; the worker is free again. */
export class TaskExit {}
export const TASK_EXIT = new TaskExit();

/** user_enter: leave the kernel for user code. */
export class UserEnter {
	constructor(mm, kind, sp) {
		this.mm = mm;
		this.kind = kind;
		this.sp = sp;
	}
}

/** A host-side fault: a kernel bug the host detected (a bad range). */
export class HostFault extends Error {}

/** The running thread: entry, kernel instance, user image. */
export const T = {
	entry: null,
	kernel: null,
	/** @type {import('./unwind.js').UserThread | null} the running image */
	user: null,
	kernelScript: null,	// the kernel's wasm://wasm/ id in stack traces
};

/** Fork children of this worker waiting for their image, by memory id. */
const forkWaiters = new Map();

/**
 * The image of fork child `id` (unwind.js ForkImage), or null if its
 * parent never makes the copy: asks the page, which has it from the
 * parent's worker or forwards it when it comes (fork_image).
 */
function forkImage(id) {
	return new Promise((resolve) => {
		forkWaiters.set(id, resolve);
		post({ t: 'fork_wait', child: id });
	});
}

/** How often a waiting fork child gives its CPU a chance (ms). */
const FORK_TICK_MS = 10;

/**
 * Waits for fork child `id`'s image, as forkImage().  The child's task
 * holds its CPU meanwhile (the kernel has it in user mode), and its parent
 * may not have unwound yet: it may have been scheduled out on its way
 * there, on the same CPU.  So every FORK_TICK_MS the wait is a user tick
 * (wasm_user_preempt, with no user frame): the kernel takes the CPU's
 * interrupts and reschedules, which lets the parent run.
 */
async function waitForkImage(kernel, id) {
	const image = forkImage(id);
	const tick = Symbol('tick');
	const preempt = kernel.exports.wasm_user_preempt;
	for (;;) {
		const r = await Promise.race([image, new Promise((resolve) => {
			setTimeout(() => resolve(tick), FORK_TICK_MS);
		})]);
		if (r !== tick)
			return r;
		if (typeof preempt === 'function')
			preempt();
	}
}

/** The page's fork_image message: a fork child's image (null: none). */
export function forkImageArrived(msg) {
	const resolve = forkWaiters.get(msg.child);
	forkWaiters.delete(msg.child);
	resolve?.(msg.image ?? null);
}

function entryName(e) {
	switch (e.kind) {
	case 'boot': return 'the boot CPU (wasm_boot)';
	case 'cpu': return `CPU ${e.cpu} (wasm_secondary_start, idle task 0x${e.idle.toString(16)})`;
	default: return `task 0x${e.task.toString(16)} (wasm_task_start)`;
	}
}

/** Runs `entry` with `imports` as the kernel's host imports, until it
 *  returns, exits or faults; tells the page which.  Resolves then. */
export async function runEntry(entry, imports) {
	T.entry = entry;
	if (W.trace)
		post({ t: 'trace', text: `enter ${entryName(entry)}` });
	T.user = null;
	let err = null;
	let kernel;
	const ti = performance.now();
	try {
		kernel = new WebAssembly.Instance(W.kernelModule, {
			env: { memory: W.kernelMemory },
			host: imports,
		});
	} catch (e) {
		post({ t: 'fault', message: `cannot start ${entryName(entry)}: ${e}` });
		return;
	}
	T.kernel = kernel;
	if (W.trace)
		post({ t: 'trace', text: `instantiated in ${(performance.now() - ti).toFixed(2)} ms` });
	// Checked against the documented exports (abi.js) when the page
	// compiled the kernel.
	const x = /** @type {Record<string, any>} */ (kernel.exports);
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
			irq.setIrqAddresses(W.shv.irq, pending >>> 0,
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
		err = await runUser(err);
	T.kernel = null;
	T.user = null;
	if (err === null) {
		if (W.trace)
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
 * Runs user code as `req` asks.  Resolves to what ended it: a UserEnter
 * for an exec, TaskExit, or a fault.
 */
async function runUser(req) {
	const kernel = T.kernel;
	const mm = getMm(req.mm);
	if (!mm)
		return new HostFault(`the kernel entered user mode in unknown mm ${req.mm}`);
	if (W.trace)
		post({ t: 'trace', text: `${entryName(T.entry)}: enter user mode (mm ${req.mm}, kind ${req.kind})` });
	const syscall = kernel.exports.wasm_syscall;
	let err;
	try {
		T.user = null;
		let image = null;
		if (req.kind === abi.USER_FORK) {
			// Instances come after the copy: their start functions see
			// the parent's memory (data already initialized).
			image = await waitForkImage(kernel, mm.id);
			if (image && mm.fork)
				Atomics.load(mm.fork, 0);	// the copy happens before
			if (W.trace)
				post({ t: 'trace', text: `fork child mm ${mm.id}: ${image ? 'copy made' : 'no copy: SIGKILL'}` });
			if (!image)
				throw new UserFault(abi.SIGKILL);
		}
		const ti = W.trace ? performance.now() : 0;
		T.user = instantiateImage(mm, req.sp, syscall);
		if (W.trace)
			post({ t: 'trace', text: `image of mm ${req.mm} instantiated in ${(performance.now() - ti).toFixed(2)} ms` });
		const call = image ? forkChild(T.user, image) : userEntry(T.user, req.kind, req.sp);
		callUserEntry(T.user, call);
		// A user entry that returns exits the thread.
		syscall(abi.NR_EXIT, 0, 0, 0, 0, 0, 0);
		return new HostFault('exit returned to user mode');
	} catch (e) {
		err = e;
	} finally {
		// A fork child waiting for a copy from this image gets none.
		dropForks(T.user);
	}
	if (err instanceof UserEnter || err instanceof TaskExit || err instanceof HostFault)
		return err;
	let sig;
	if (err instanceof UserFault)
		sig = err.sig;
	else if (!isTrap(err) || !T.user || !inUserCode(err))
		return err;
	else
		sig = trapSignal(err);
	if (W.trace)
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
export function wasmScripts(stack) {
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

