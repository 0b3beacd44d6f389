// SPDX-License-Identifier: GPL-2.0
//
// The machine, on the page's main thread (which never blocks): it compiles
// the kernel, creates the shared kernel memory, places the command line
// and the initramfs at its top (host-abi.rst "Boot protocol"), starts one
// worker per virtual CPU and per kernel task, and carries messages between
// the workers and the page: console output, console input (a shared ring
// plus interrupt line 2 on CPU 0), process memories and compiled user
// modules (which a worker can only receive while it waits for an entry),
// and the end of the run.
//
// Works on a browser page and, with a Worker factory from node-run.js, in
// Node's worker threads.

import * as abi from './abi.js';
import * as sh from './shared.js';

/** Workers kept started and waiting for an entry (boot waits for them). */
const DEFAULT_SPARES = 8;

const PANIC_END = '---[ end Kernel panic - not syncing: ';
const PANIC = 'Kernel panic - not syncing: ';
const INIT_RE = /Run \S+ as init process/;

export class Machine {
	/**
	 * options:
	 *   createWorker()   returns a Worker-like object (postMessage,
	 *                    terminate, onmessage/onerror as on the web)
	 *   onOutput(bytes)  console output (Uint8Array)
	 *   onState(state, detail)  'booting', 'init', 'poweroff', 'reboot',
	 *                    'panic', 'fault'
	 *   onTrace(text)    host trace lines (when options.trace)
	 *   spares           workers kept ready (default 6)
	 *   trace            report thread events through onTrace
	 */
	constructor(options) {
		this.opt = options;
		this.spares = options.spares ?? DEFAULT_SPARES;
		this.shared = sh.createShared();
		this.v = sh.views(this.shared);
		this.workers = [];	// by pool slot
		this.starting = 0;	// workers not yet waiting in the pool
		this.waiting = [];	// entries no worker was idle for
		this.mms = new Map();	// id -> {id, memory, max, tableSize, image}
		this.modules = new Map();	// hash -> {hash, bytes, module}
		this.gen = 0;		// machine events applied, in order
		this.early = new Map();	// events that came before their turn
		this.pendingInput = [];
		this.irqPending = null;
		this.ended = null;
		this.init = null;	// the init message, once the kernel is ready
		this.line = '';
		this.panicReason = null;
		this.initStarted = false;
		for (let i = 0; i < this.spares; i++)
			this.newWorker();
	}

	/** Starts a worker; it waits in the pool once it has the kernel. */
	newWorker() {
		const slot = this.workers.length;
		if (slot >= sh.MAX_WORKERS) {
			this.finish('fault', `more than ${sh.MAX_WORKERS} kernel threads`);
			return;
		}
		const w = this.opt.createWorker();
		this.workers.push(w);
		this.starting++;
		w.slot = slot;
		w.onmessage = (e) => this.onWorkerMessage(w, e.data);
		w.onerror = (e) => {
			const msg = e && (e.message ?? e.error?.message ?? String(e));
			this.finish('fault', `a worker failed: ${msg}`);
		};
		if (this.init)
			this.sendInit(w);
	}

	sendInit(w) {
		w.postMessage({
			...this.init, slot: w.slot, gen: this.gen,
			mms: [...this.mms.values()], modules: [...this.modules.values()],
		});
	}

	/**
	 * Boots: `kernel` is the module's bytes (ArrayBuffer or Uint8Array),
	 * `initrd` the initramfs bytes or null, `cmdline` a string,
	 * `memoryBytes` the guest RAM, `cpus` how many CPUs to start.
	 * Resolves when the boot CPU has been started; throws (with a message
	 * for the user) if the kernel cannot be booted.
	 */
	async boot({ kernel, initrd, cmdline, memoryBytes, cpus }) {
		const bytes = kernel instanceof Uint8Array ? kernel : new Uint8Array(kernel);
		const check = abi.checkKernel(bytes);
		if (!check.memory || !check.memory.shared)
			throw new Error('the kernel does not import a shared env.memory');
		if (!check.ok) {
			const lines = check.fatal.map((l) => `${check.missing.includes(l) ? 'missing' : 'unknown'}: ${l}`);
			throw new Error(`the kernel's imports and exports are not the host ABI this host implements:\n${lines.join('\n')}`);
		}
		if (!check.exact)
			this.opt.onTrace?.(`the kernel's exports differ from the documented list: ` +
				[...check.missing.map((l) => `missing ${l}`), ...check.extra.map((l) => `extra ${l}`)].join('; '));
		const module = await WebAssembly.compile(bytes);
		const { min, max } = check.memory;
		const pages = Math.ceil(memoryBytes / abi.WASM_PAGE);
		if (max === null)
			throw new Error("the kernel's env.memory has no maximum");
		if (pages < min || pages > max)
			throw new Error(`guest memory must be between ${(min * abi.WASM_PAGE) >> 10} KiB ` +
				`and ${(max * abi.WASM_PAGE) >> 20} MiB for this kernel`);
		if (/\0/.test(cmdline))
			throw new Error('the command line contains a NUL byte');
		const cmd = new TextEncoder().encode(cmdline + '\0');
		const initrdBytes = initrd ? new Uint8Array(initrd) : new Uint8Array(0);
		const memory = new WebAssembly.Memory({ initial: pages, maximum: max, shared: true });
		const p = abi.place(pages * abi.WASM_PAGE, min * abi.WASM_PAGE, cmd.length, initrdBytes.length);
		const mem8 = new Uint8Array(memory.buffer);
		mem8.set(cmd, p.cmdline);
		mem8.set(initrdBytes, p.initrdStart);
		this.memory = memory;
		this.kernelI32 = new Int32Array(memory.buffer);
		// The guest's monotonic clock starts now.
		const bootOrigin = performance.timeOrigin + performance.now();
		this.init = {
			t: 'init', module, memory, shared: this.shared, bootOrigin,
			trace: !!this.opt.trace,
		};
		for (const w of this.workers)
			this.sendInit(w);
		// Kernel threads start in bursts (about 25 while the kernel boots):
		// boot when the pool is ready for them, a worker being much slower
		// to start than to hand an entry to.
		await new Promise((resolve) => {
			this.onReady = () => {
				if (this.starting === 0 || performance.now() - this.readyWaitStart > 3000) {
					this.onReady = null;
					resolve();
				}
			};
			this.readyWaitStart = performance.now();
			this.onReady();
		});
		this.bootStartedAt = performance.now();
		this.opt.onState?.('booting');
		this.start({
			kind: 'boot', cmdline: p.cmdline, initrdStart: p.initrdStart,
			initrdSize: initrdBytes.length, nrCpus: cpus,
		});
	}

	/** Runs `entry` on an idle worker, or on the next one to be idle. */
	start(entry) {
		if (this.ended)
			return;
		if (this.opt.trace)
			this.opt.onTrace?.(`start ${JSON.stringify(entry)}`);
		if (this.waiting.length || sh.handOff(this.v, entry) < 0) {
			this.waiting.push(entry);
			this.newWorker();
		}
		this.replenish();
	}

	/** Keeps `spares` workers idle or starting. */
	replenish() {
		if (this.ended)
			return;
		const idle = sh.idleWorkers(this.v, this.workers.length);
		for (let n = idle + this.starting; n < this.spares; n++)
			this.newWorker();
	}

	/** A machine event from a worker: applied and forwarded to every
	 *  worker in the order the events happened. */
	event(ev) {
		this.early.set(ev.gen, ev);
		while (this.early.has(this.gen + 1)) {
			const e = this.early.get(this.gen + 1);
			this.early.delete(this.gen + 1);
			this.gen++;
			switch (e.e) {
			case 'mm_new':
				this.mms.set(e.id, { id: e.id, memory: e.memory, max: e.max, tableSize: e.tableSize, image: [] });
				break;
			case 'mm_module': {
				if (!this.modules.has(e.hash))
					this.modules.set(e.hash, { hash: e.hash, bytes: e.bytes, module: e.module });
				const mm = this.mms.get(e.id);
				if (mm)
					mm.image.push({ hash: e.hash, bytes: e.bytes, module: e.module,
						memoryBase: e.memoryBase, tableBase: e.tableBase });
				break;
			}
			case 'mm_free':
				this.mms.delete(e.id);
				break;
			default:
				break;
			}
			if (this.init)
				for (const w of this.workers)
					w.postMessage(e);
		}
	}

	onWorkerMessage(w, m) {
		if (this.ended && m.t !== 'out')
			return;
		switch (m.t) {
		case 'idle':
			if (!w.ready) {
				w.ready = true;
				this.starting--;
				this.onReady?.();
			}
			while (this.waiting.length && sh.handOff(this.v, this.waiting[0], w.slot) >= 0)
				this.waiting.shift();
			break;
		case 'out':
			this.output(m.bytes);
			break;
		case 'spawn':
			this.start(m.entry);
			break;
		case 'claimed':
			if (this.opt.trace)
				this.opt.onTrace?.(`handed ${JSON.stringify(m.entry)} to worker ${m.slot}`);
			this.replenish();
			break;
		case 'irq_pending':
			this.irqPending = m.addr;
			this.flushInput();
			break;
		case 'ev':
			this.event(m);
			break;
		case 'done':
			break;
		case 'halt': {
			const reason = m.reason;
			if (reason === abi.HALT_POWEROFF)
				this.finish('poweroff', `power off (code ${m.code})`);
			else if (reason === abi.HALT_REBOOT)
				this.finish('reboot', `reboot (code ${m.code})`);
			else if (reason === abi.HALT_PANIC)
				this.finish('panic', this.panicReason ?? 'kernel panic');
			else
				this.finish('fault', `halt with unknown reason ${reason}`);
			break;
		}
		case 'fault':
			this.finish('fault', m.message);
			break;
		case 'trace':
			this.opt.onTrace?.(m.text);
			break;
		default:
			break;
		}
	}

	/** Console output: to the page, and scanned for init and panics. */
	output(bytes) {
		this.opt.onOutput?.(bytes);
		for (const b of bytes) {
			if (b !== 10) {
				if (this.line.length < 1024)
					this.line += String.fromCharCode(b);
				continue;
			}
			const text = this.line.replace(/\r$/, '');
			this.line = '';
			if (!this.initStarted && INIT_RE.test(text)) {
				this.initStarted = true;
				this.opt.onState?.('init');
			}
			const end = text.indexOf(PANIC_END);
			if (end >= 0) {
				const rest = text.slice(end + PANIC_END.length).replace(/ \]---$/, '');
				this.finish('panic', this.panicReason ?? rest.trim());
				continue;
			}
			const at = text.indexOf(PANIC);
			if (at >= 0 && this.panicReason === null)
				this.panicReason = text.slice(at + PANIC.length).trim();
		}
	}

	/** Console input: queued, put into the ring, and line 2 raised on
	 *  CPU 0 (console_input.rs). */
	send(data) {
		const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : new Uint8Array(data);
		if (bytes.length)
			this.pendingInput.push(bytes);
		this.flushInput();
	}

	flushInput() {
		if (this.irqPending === null || this.ended)
			return;
		let put = false;
		while (this.pendingInput.length) {
			const head = this.pendingInput[0];
			const n = sh.ringPut(this.v, head);
			if (n > 0)
				put = true;
			if (n < head.length) {
				this.pendingInput[0] = head.subarray(n);
				break;
			}
			this.pendingInput.shift();
		}
		if (put)
			sh.raiseIrq(this.kernelI32, this.irqPending, abi.CONSOLE_CPU, abi.CONSOLE_LINE);
		// The ring is full: try again when the kernel has read some.
		if (this.pendingInput.length && !this.retry)
			this.retry = setTimeout(() => {
				this.retry = null;
				this.flushInput();
			}, 10);
	}

	/** Ends the run: the first outcome counts; every worker is ended. */
	finish(state, detail) {
		if (this.ended)
			return;
		this.ended = { state, detail };
		// Let the last console output of the workers arrive first.
		setTimeout(() => this.stop(), 50);
		this.opt.onState?.(state, detail);
	}

	/** Terminates every worker. */
	stop() {
		for (const w of this.workers)
			w.terminate();
	}
}
