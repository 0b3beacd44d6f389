// SPDX-License-Identifier: GPL-2.0
// @ts-check
//
// The machine, on the page's main thread (which never blocks): it compiles
// the kernel, creates the shared kernel memory, places the command line
// and the initramfs at its top (host-abi.rst "Boot protocol"), starts one
// worker per virtual CPU and per kernel task, and carries messages between
// the workers and the page: console output, console input (a shared ring,
// which the virtio console takes, or the host console's console_read with
// interrupt line 2 on CPU 0), process memories and compiled user modules
// (which a worker can only receive while it waits for an entry: one that
// runs gets a snapshot when it is done), and the end of the run.  The virtio devices themselves (devices.js) run in the
// workers, on state they share with the page.
//
// Works on a browser page and, with a Worker factory from node-run.js, in
// Node's worker threads.

import * as abi from './abi.js';
import * as sh from './shared.js';
import { raiseDevice } from './irq.js';
import { Devices, createDevices, deviceKinds, kernelCmdline } from './devices.js';
import { consoleTakesInput, resizeConsole } from './virtio-console.js';

/**
 * The worker pool.  A worker costs tens of milliseconds of CPU time to
 * start (a thread, a JavaScript engine, its modules) and far more wall
 * time while others start and the kernel runs; handing an entry to one
 * that waits takes well under a millisecond.  The kernel starts about 36
 * threads on its way to the shell prompt, most of them one at a time (a
 * kthread's creator waits until it runs), so a spawn that has to wait for
 * a worker to start costs the boot that long.  The machine therefore
 * starts DEFAULT_WORKERS workers from the start (the page's early script
 * starts the first of them before the page's modules even load), a few at
 * a time so that they do not starve the fetch and the boot CPU, and later
 * keeps DEFAULT_SPARES more than the waiting entries idle or starting (few:
 * on two cores a spare costs the boot as much as a thread it needs).
 * Entries that find no idle worker wait in a queue in shared memory
 * (shared.js), which workers take from themselves.
 */
const DEFAULT_WORKERS = 40;
const DEFAULT_SPARES = 3;
/** Workers loading their scripts at once. */
const DEFAULT_CONCURRENCY = 3;

const PANIC_END = '---[ end Kernel panic - not syncing: ';
const PANIC = 'Kernel panic - not syncing: ';
const INIT_RE = /Run \S+ as init process/;

export class Machine {
	/**
	 * options:
	 *   createWorker()   returns a Worker-like object (postMessage,
	 *                    terminate, onmessage/onerror as on the web)
	 *   adoptWorker()    optional: a worker whose thread was started
	 *                    before (the page's early script) and runs, or
	 *                    null; taken before any is created
	 *   onOutput(bytes)  console output (Uint8Array)
	 *   onState(state, detail)  'booting', 'init', 'poweroff', 'reboot',
	 *                    'panic', 'fault'
	 *   onTrace(text)    host trace lines (when options.trace)
	 *   onWarn(text)     host warnings (a device that needs a reset);
	 *                    default console.warn
	 *   console          'virtio' (default): the console is a virtio
	 *                    console; 'host': the kernel's own hvc0 over
	 *                    console_write/console_read
	 *   consoleSize      { cols, rows } of the terminal: the virtio
	 *                    console offers its size (resizeConsole() for
	 *                    changes); without it, none
	 *   workers          workers started with the machine (default 40)
	 *   spares           workers kept idle or starting beyond the
	 *                    entries that wait for one (default 3)
	 *   concurrency      workers loading at once (default 3)
	 *   trace            report thread events through onTrace
	 */
	constructor(options) {
		this.opt = options;
		this.spares = options.spares ?? DEFAULT_SPARES;
		this.consoleKind = options.console === 'host' ? 'host' : 'virtio';
		this.shared = sh.createShared();
		this.shared.devices = createDevices(deviceKinds(this.consoleKind),
			this.consoleKind === 'virtio' ? options.consoleSize ?? null : null);
		this.devices = null;	// the page's view, once the memory exists
		this.v = sh.views(this.shared);
		this.workers = [];	// by pool slot
		this.starting = 0;	// workers not yet waiting in the pool
		this.loading = 0;	// workers not yet done loading their scripts
		this.waiting = [];	// entries no worker was idle for
		this.waitStart = [];	// when each of them began to wait
		/** For traces: entries that waited for a worker, and how long in
		 *  all (ms); workers started. */
		this.stats = { waited: 0, waitMs: 0 };
		this.mms = new Map();	// id -> {id, memory, max, tableSize, image}
		this.modules = new Map();	// key -> {key, hash, bytes, memory, module, iface}
		this.gen = 0;		// machine events applied, in order
		this.early = new Map();	// events that came before their turn
		/** Fork children by memory id: the image their parent's worker
		 *  sent (null: none comes), or the worker that waits for it. */
		this.forks = new Map();
		this.pendingInput = [];
		this.irqPending = null;
		this.ended = null;
		this.init = null;	// the init message, once the kernel is ready
		this.line = '';
		this.panicReason = null;
		this.initStarted = false;
		this.initialWorkers = Math.max(options.workers ?? DEFAULT_WORKERS, 1);
		this.concurrency = Math.max(options.concurrency ?? DEFAULT_CONCURRENCY, 1);
		this.replenish();
	}

	/**
	 * Starts a worker, or takes one whose thread already runs (`adopted`,
	 * from options.adoptWorker: it does not count as loading); it waits
	 * in the pool once it has the kernel.  Returns false if none.
	 */
	newWorker(adopted = null) {
		const slot = this.workers.length;
		if (slot >= sh.MAX_WORKERS) {
			this.finish('fault', `more than ${sh.MAX_WORKERS} kernel threads`);
			return false;
		}
		const w = adopted ?? this.opt.createWorker();
		this.workers.push(w);
		this.starting++;
		w.counted = !adopted;
		if (w.counted)
			this.loading++;
		w.loaded = false;
		w.slot = slot;
		w.createdAt = performance.now();
		w.onmessage = (e) => this.onWorkerMessage(w, e.data);
		w.onerror = (e) => {
			const msg = e && (e.message ?? e.error?.message ?? String(e));
			this.finish('fault', `a worker failed: ${msg}`);
		};
		// What a worker started elsewhere said before it was taken.
		w.adopted = true;
		for (const m of w.backlog?.splice(0) ?? [])
			this.onWorkerMessage(w, m);
		if (this.init && !this.ended)
			this.sendInit(w);
		return true;
	}

	/** The kernel command line for this machine's console and devices,
	 *  then `append`. */
	commandLine(append = '') {
		return kernelCmdline(this.consoleKind, append);
	}

	sendInit(w) {
		w.inited = true;
		w.postMessage({ ...this.init, slot: w.slot, ...this.snapshot() });
	}

	/** Every process memory and compiled module, after event `gen`. */
	snapshot() {
		return { gen: this.gen, mms: [...this.mms.values()], modules: [...this.modules.values()] };
	}

	/** Brings a worker that missed events up to date. */
	sendSync(w) {
		w.behind = false;
		w.postMessage({ t: 'sync', ...this.snapshot() });
	}

	/**
	 * Boots: `kernel` is the module's bytes (ArrayBuffer or Uint8Array),
	 * `initrd` the initramfs bytes or null, `cmdline` a string,
	 * `memoryBytes` the guest RAM, `cpus` how many CPUs to start.
	 * Resolves when the boot CPU has been started; throws (with a message
	 * for the user) if the kernel cannot be booted.
	 */
	async boot(options) {
		const { kernel, initrd, cmdline, memoryBytes, cpus } = options;
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
		const module = await (options.module ?? WebAssembly.compile(bytes));
		const { min, max } = check.memory;
		const pages = Math.ceil(memoryBytes / abi.PAGE_SIZE);
		if (max === null)
			throw new Error("the kernel's env.memory has no maximum");
		if (pages < min || pages > max)
			throw new Error(`guest memory must be between ${(min * abi.PAGE_SIZE) >> 10} KiB ` +
				`and ${(max * abi.PAGE_SIZE) >> 20} MiB for this kernel`);
		if (/\0/.test(cmdline))
			throw new Error('the command line contains a NUL byte');
		const cmd = new TextEncoder().encode(cmdline + '\0');
		const initrdBytes = initrd ? new Uint8Array(initrd) : new Uint8Array(0);
		const memory = new WebAssembly.Memory({ initial: pages, maximum: max, shared: true });
		const p = abi.place(pages * abi.PAGE_SIZE, min * abi.PAGE_SIZE, cmd.length, initrdBytes.length);
		const mem8 = new Uint8Array(memory.buffer);
		mem8.set(cmd, p.cmdline);
		mem8.set(initrdBytes, p.initrdStart);
		this.memory = memory;
		this.kernelI32 = new Int32Array(memory.buffer);
		// The page only reads the devices' state: it never takes their
		// locks, nor calls their registers.
		this.devices = new Devices(this.shared.devices, {
			memory, irq: this.v.irq, input: this.v,
			output: () => {}, warn: () => {},
		});
		// The guest's monotonic clock starts now.  Workers that have
		// loaded get the kernel at once; the boot entry goes to the first
		// idle one, and later entries wait for workers still starting
		// (replenish() keeps enough of them coming).
		const bootOrigin = performance.timeOrigin + performance.now();
		this.init = {
			t: 'init', module, memory, shared: this.shared, bootOrigin,
			trace: !!this.opt.trace,
		};
		for (const w of this.workers)
			this.sendInit(w);
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
		if (this.waiting.length ||
		    sh.tryHandOffOrQueue(this.v, entry, this.stamp()) === -2) {
			this.waiting.push(entry);
			this.waitStart.push(performance.now());
			this.stats.waited++;
		}
		this.replenish();
	}

	/** Now on the machine's clock, in 0.1 ms (worker.js stamp()). */
	stamp() {
		return Math.round((performance.timeOrigin + performance.now() - this.init.bootOrigin) * 10);
	}

	/**
	 * Starts workers, at most `concurrency` loading at once, until there
	 * are `workers` of them and `spares` more than the waiting entries are
	 * idle or starting.
	 */
	replenish() {
		if (this.ended)
			return;
		const idle = sh.idleWorkers(this.v, this.workers.length);
		const waiting = this.waiting.length + sh.queued(this.v);
		const short = Math.max(this.initialWorkers - this.workers.length,
			this.spares + waiting - idle - this.starting);
		let n = 0;
		for (let w; n < short && (w = this.opt.adoptWorker?.()); n++)
			if (!this.newWorker(w))
				return;
		for (; n < short && this.loading < this.concurrency; n++)
			if (!this.newWorker())
				return;
	}

	/** How many workers wait in the pool for an entry. */
	idleWorkers() {
		return sh.idleWorkers(this.v, this.workers.length);
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
			case 'mm_fork':
				this.mms.set(e.id, { id: e.id, memory: e.memory, max: e.max, tableSize: e.tableSize,
					fork: e.fork, image: (this.mms.get(e.parent)?.image ?? []).slice() });
				break;
			case 'mm_module': {
				if (!this.modules.has(e.key))
					this.modules.set(e.key, { key: e.key, hash: e.hash, bytes: e.bytes,
						memory: e.memory, module: e.module, iface: e.iface });
				const mm = this.mms.get(e.id);
				if (mm)
					mm.image.push({ key: e.key, module: e.module, iface: e.iface,
						memoryBase: e.memoryBase, tableBase: e.tableBase });
				break;
			}
			case 'mm_free':
				this.mms.delete(e.id);
				this.forks.delete(e.id);
				break;
			default:
				break;
			}
			// Not to the workers that run an entry: they could only take
			// it when done, and then get a snapshot instead (a busy
			// machine has thousands of events and tens of workers).
			for (const w of this.workers) {
				if (!w.inited || w.behind)
					continue;
				if (sh.slotState(this.v, w.slot) === sh.SLOT_RUNNING)
					w.behind = true;
				else
					w.postMessage(e);
			}
		}
	}

	/**
	 * A fork child's image from its parent's worker (fork_image), or the
	 * child's worker asking for it (fork_wait): whichever comes second
	 * sends the image to the child's worker.
	 */
	fork(w, m) {
		const f = this.forks.get(m.child);
		if (m.t === 'fork_image') {
			if (f?.waiter) {
				this.forks.delete(m.child);
				f.waiter.postMessage({ t: 'fork_image', child: m.child, image: m.image });
			} else if (!sh.isFreed(this.v, m.child)) {
				// (A child freed already never asks.)
				this.forks.set(m.child, { image: m.image });
			}
		} else if (f && 'image' in f) {
			this.forks.delete(m.child);
			w.postMessage({ t: 'fork_image', child: m.child, image: f.image });
		} else {
			this.forks.set(m.child, { waiter: w });
		}
	}

	onWorkerMessage(w, m) {
		if (this.ended && m.t !== 'out')
			return;
		switch (m.t) {
		case 'loaded':
			if (!w.loaded) {
				if (this.opt.trace)
					this.opt.onTrace?.(`worker ${w.slot} loaded in ${(performance.now() - w.createdAt).toFixed(1)} ms`);
				w.loaded = true;
				if (w.counted)
					this.loading--;
				this.replenish();
			}
			break;
		case 'idle':
			if (!w.ready) {
				w.ready = true;
				this.starting--;
			}
			if (w.behind)
				this.sendSync(w);
			if (m.took) {
				// It took a queued entry.
				this.stats.waitMs += m.waited;
				this.replenish();
				break;
			}
			while (this.waiting.length && sh.handOff(this.v, this.waiting[0], w.slot) >= 0) {
				this.waiting.shift();
				this.stats.waitMs += performance.now() - this.waitStart.shift();
			}
			break;
		case 'behind':
			// Handed an entry before the page sent it a snapshot.
			if (w.behind)
				this.sendSync(w);
			break;
		case 'out':
			this.output(m.bytes);
			break;
		case 'spawn':
			this.start(m.entry);
			break;
		case 'queued':
			if (this.opt.trace)
				this.opt.onTrace?.(`queued ${JSON.stringify(m.entry)}`);
			this.stats.waited++;
			this.replenish();
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
		case 'fork_image':
		case 'fork_wait':
			this.fork(w, m);
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
		case 'warn':
			(this.opt.onWarn ?? console.warn)(`web-host: ${m.text}`);
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

	/** Console input: queued, put into the ring, and the console's
	 *  interrupt raised: the virtio console's line, or line 2 on CPU 0
	 *  for the host console (console_input.rs). */
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
			this.raiseConsole();
		// The ring is full: try again when the kernel has read some.
		if (this.pendingInput.length && !this.retry)
			this.retry = setTimeout(() => {
				this.retry = null;
				this.flushInput();
			}, 10);
	}

	/** The terminal is now `cols` by `rows`: the virtio console's size
	 *  (if it offers one) and, once its driver is up, a configuration
	 *  interrupt.  Nothing for the host console. */
	resizeConsole(cols, rows) {
		if (this.consoleKind !== 'virtio' || this.ended)
			return;
		// Before boot the page has no view with memory: a view of the
		// device words alone can store the size, and nobody is listening.
		const dev = this.devices?.console() ?? new Devices(this.shared.devices, {
			memory: new SharedArrayBuffer(0), irq: this.v.irq, input: this.v,
			output: () => {}, warn: () => {},
		}).console();
		if (dev)
			resizeConsole(dev, cols, rows);
	}

	/** Tells the console that input is in the ring.  The virtio console
	 *  takes it in its interrupt handler, once the driver is ready for it;
	 *  until then the device takes it by itself when it gets ready. */
	raiseConsole() {
		const dev = this.devices?.console();
		if (!dev) {
			sh.raiseIrq(this.kernelI32, this.irqPending, abi.CONSOLE_CPU, abi.LINE_CONSOLE);
			return;
		}
		if (consoleTakesInput(dev))
			raiseDevice(this.v.irq, dev.memory.refresh().i32, dev.line, dev.notifyCpu());
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
