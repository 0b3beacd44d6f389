// SPDX-License-Identifier: GPL-2.0
// @ts-check
//
// The page: checks what the browser supports, loads the kernel and the
// initramfs, boots them in Web Workers (machine.js) and connects the
// console to a terminal (xterm.js, or a plain <pre> when it cannot load).
//
// Query string (all optional):
//   kernel=URL     the kernel module (default /build/vmlinux.wasm)
//   initrd=URL     the initramfs (default /build/initramfs.cpio; "none": none)
//   append=ARGS    more kernel command line after the host's (console=hvc0,
//                  the virtio devices)
//   console=KIND   virtio (default): the console is a virtio console;
//                  host: the kernel's own hvc0 (console_write/read)
//   mem=MIB        guest RAM in MiB (default 256)
//   cpus=N         virtual CPUs (default 2)
//   workers=N      workers started with the page (default 40)
//   spares=N       workers kept idle or starting beyond those waited for
//                  (default 3)
//   concurrency=N  workers starting at once (default 3)
//   term=pre       use the plain console instead of xterm.js
//   trace=1        thread events in the browser's console
//
// window.wasmLinux = { state, output, send(text), timings, detail, size }
// for tests: state is 'loading', 'unsupported', 'booting', 'init',
// 'poweroff', 'reboot', 'panic', 'fault' or 'error'; size is the size the
// virtio console reports ({ cols, rows }, the terminal's), or null.
//
// With xterm.js the virtio console offers its size (VIRTIO_CONSOLE_F_SIZE):
// the kernel probes the device before the terminal exists, so it starts
// at xterm.js's default of 80x24, and the terminal's fitted size follows
// as a resize, as does every later one.

import { detectFeatures } from './features.js';
import { Machine } from './machine.js';
import { workerCode } from './bundle.js';

const params = new URLSearchParams(location.search);
const cfg = {
	kernel: params.get('kernel') ?? '/build/vmlinux.wasm',
	initrd: params.get('initrd') ?? '/build/initramfs.cpio',
	append: params.get('append') ?? '',
	console: params.get('console') === 'host' ? 'host' : 'virtio',
	mem: Number(params.get('mem') ?? 256),
	cpus: Number(params.get('cpus') ?? 2),
	workers: params.has('workers') ? Number(params.get('workers')) : undefined,
	concurrency: params.has('concurrency') ? Number(params.get('concurrency')) : undefined,
	spares: params.has('spares') ? Number(params.get('spares')) : undefined,
	term: params.get('term') ?? 'xterm',
	trace: params.get('trace') === '1',
};

const statusEl = document.getElementById('status');
const termEl = document.getElementById('terminal');
const t0 = performance.now();

const hook = {
	state: 'loading',
	detail: '',
	output: '',
	timings: { pageStart: t0 },
	size: null,
	send: (text) => { pending.push(text); },
};
window.wasmLinux = hook;
if (window.wasmLinuxEarly)
	hook.timings.early = window.wasmLinuxEarly.t0;
const pending = [];	// input typed before the machine exists

function setStatus(text, kind = '') {
	statusEl.textContent = text;
	statusEl.className = kind;
}

function setState(state, detail = '') {
	hook.state = state;
	hook.detail = detail;
	document.documentElement.dataset.state = state;
}

function ms(t) {
	return `${Math.round(t - t0)} ms`;
}

// -------------------------------------------------------------------------
// The terminal.

/** A console on a <pre> element, for when xterm.js cannot load. */
class PreTerminal {
	constructor(el) {
		this.pre = document.createElement('pre');
		this.pre.className = 'pre-console';
		this.pre.tabIndex = 0;
		el.appendChild(this.pre);
		this.decoder = new TextDecoder();
		this.onDataCb = null;
		this.pre.addEventListener('keydown', (e) => {
			let s = null;
			if (e.key === 'Enter')
				s = '\r';
			else if (e.key === 'Backspace')
				s = '\x7f';
			else if (e.key === 'Tab')
				s = '\t';
			else if (e.ctrlKey && e.key.length === 1)
				s = String.fromCharCode(e.key.toUpperCase().charCodeAt(0) - 64);
			else if (e.key.length === 1)
				s = e.key;
			if (s !== null) {
				e.preventDefault();
				this.onDataCb?.(s);
			}
		});
	}

	write(bytes) {
		// Drop carriage returns and terminal escapes: a plain log.
		const text = this.decoder.decode(bytes, { stream: true })
			.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
		let s = this.pre.textContent;
		for (const ch of text) {
			if (ch === '\b' || ch === '\x7f')
				s = s.slice(0, -1);
			else
				s += ch;
		}
		this.pre.textContent = s;
		this.pre.scrollTop = this.pre.scrollHeight;
	}

	onData(cb) { this.onDataCb = cb; }
	focus() { this.pre.focus(); }
}

/** xterm.js, as serve.mjs serves it (a URL the type check does not
 *  resolve, hence not a literal in the import). */
const XTERM_URL = '/node_modules/@xterm/xterm/lib/xterm.mjs';

async function makeTerminal() {
	if (cfg.term !== 'pre') {
		try {
			const { Terminal } = await import(XTERM_URL);
			const term = new Terminal({
				convertEol: true,
				cursorBlink: true,
				scrollback: 5000,
				fontSize: 14,
				lineHeight: 1.2,
				fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
				theme: { background: '#101214' },
			});
			term.open(termEl);
			fitTerminal(term);
			window.addEventListener('resize', () => fitTerminal(term));
			return {
				write: (bytes) => term.write(bytes),
				onData: (cb) => term.onData(cb),
				focus: () => term.focus(),
				kind: 'xterm',
				size: () => ({ cols: term.cols, rows: term.rows }),
				onResize: (cb) => term.onResize(({ cols, rows }) => cb({ cols, rows })),
			};
		} catch (e) {
			console.warn('xterm.js did not load, using a plain console:', e);
		}
	}
	const pre = new PreTerminal(termEl);
	return { write: (b) => pre.write(b), onData: (cb) => pre.onData(cb), focus: () => pre.focus(), kind: 'pre',
		size: () => null, onResize: () => {} };
}

/** Sizes the terminal to its element (no fit addon: one measure). */
function fitTerminal(term) {
	const core = term._core;
	const dims = core?._renderService?.dimensions?.css?.cell;
	if (!dims || !dims.width || !dims.height)
		return;
	const cols = Math.max(40, Math.floor(termEl.clientWidth / dims.width) - 1);
	const rows = Math.max(10, Math.floor(termEl.clientHeight / dims.height));
	term.resize(cols, rows);
}

// -------------------------------------------------------------------------
// Loading and booting.

/** The early start of index.html's inline script, if it ran and fetches
 *  what this page will use. */
const earlyStart = window.wasmLinuxEarly ?? null;

/** A fetch's response, checked; `started` is the early script's
 *  { res, error } for the same URL, if any. */
async function fetchChecked(url, what, started) {
	let res;
	try {
		const got = started ? await started : { res: await fetch(url) };
		if (got.error)
			throw got.error;
		res = got.res;
	} catch (e) {
		throw new Error(`cannot fetch the ${what} (${url}): ${e.message}`);
	}
	if (!res.ok)
		throw new Error(`cannot fetch the ${what} (${url}): HTTP ${res.status} ${res.statusText}`);
	return res;
}

async function fetchBytes(url, what, started) {
	const res = await fetchChecked(url, what, started);
	return new Uint8Array(await res.arrayBuffer());
}

function showUnsupported(missing) {
	setState('unsupported', missing.map((m) => m.feature).join('; '));
	setStatus('This browser cannot run the kernel here.', 'error');
	const box = document.getElementById('unsupported');
	const list = box.querySelector('ul');
	for (const m of missing) {
		const li = document.createElement('li');
		const b = document.createElement('strong');
		b.textContent = m.feature;
		li.appendChild(b);
		li.appendChild(document.createTextNode(`: ${m.help}`));
		list.appendChild(li);
	}
	box.hidden = false;
	termEl.hidden = true;
}

function showError(message) {
	setState('error', message);
	setStatus(message, 'error');
}

/**
 * Fetches the kernel: its bytes (for the interface check) and, from the
 * same response, its compilation, which streams alongside the download
 * (the early script starts both).
 */
async function fetchKernel(url) {
	const started = earlyStart?.kernelUrl === url ? earlyStart.kernel : null;
	const res = await fetchChecked(url, 'kernel', started);
	let module = started ? (await started).module : null;
	if (!started && WebAssembly.compileStreaming &&
	    /^application\/wasm\b/.test(res.headers.get('Content-Type') ?? '')) {
		module = WebAssembly.compileStreaming(res.clone());
		// A kernel that does not compile is reported by boot(), after
		// the interface check, which says more.
		module.catch(() => {});
	}
	const bytes = new Uint8Array(await res.arrayBuffer());
	return { bytes, module };
}

async function main() {
	const missing = detectFeatures().filter((f) => !f.ok);
	if (missing.length) {
		earlyStart?.cancel();
		showUnsupported(missing);
		return;
	}
	// Everything that takes time starts now, if the early script has not
	// started it, and runs side by side: the workers (their start is the
	// slowest part of a boot), the downloads and the kernel's compilation.
	// The machine boots as soon as it can; the terminal (a good part of a
	// core for a while) comes while the kernel boots, and shows what it
	// printed until then.
	setStatus(`Fetching ${cfg.kernel}…`);
	const initrdUrl = cfg.initrd === 'none' ? null : cfg.initrd;
	const loads = Promise.all([
		fetchKernel(cfg.kernel),
		initrdUrl ? fetchBytes(initrdUrl, 'initramfs',
			earlyStart?.initrdUrl === initrdUrl ? earlyStart.initrd : null) : Promise.resolve(null),
	]);
	// Not left unhandled while the rest starts; awaited below.
	loads.catch(() => {});
	// The early script has started making it, and its workers load it
	// as soon as it is there.
	const workerSrc = await (earlyStart?.code ?? workerCode(new URL('./', import.meta.url)));
	hook.timings.workerCode = performance.now();

	let term = null;
	// Console output goes to the terminal at most every WRITE_MS: each
	// write that scrolls makes xterm.js draw every row again on the next
	// frame, and a boot log scrolls in hundreds of small writes.  Output
	// after a quiet spell is written at once.
	const WRITE_MS = 50;
	const queued = [];	// output not written yet (all of it until the terminal exists)
	let writeTimer = null;
	let lastWrite = -Infinity;
	const flushOutput = () => {
		writeTimer = null;
		if (!term || !queued.length)
			return;
		lastWrite = performance.now();
		if (queued.length === 1) {
			term.write(queued.pop());
			return;
		}
		const all = new Uint8Array(queued.reduce((n, b) => n + b.length, 0));
		let at = 0;
		for (const b of queued.splice(0)) {
			all.set(b, at);
			at += b.length;
		}
		term.write(all);
	};
	const decoder = new TextDecoder();
	let promptSeen = false;
	// The size the virtio console starts with (xterm.js's default, which
	// the fitted terminal replaces); none for a <pre>.
	const consoleSize = cfg.console === 'virtio' && cfg.term !== 'pre' ? { cols: 80, rows: 24 } : null;
	hook.size = consoleSize && { ...consoleSize };

	const machine = new Machine({
		// The early script's workers (it hands them the code): those that
		// run first, then those still starting, then new ones.
		adoptWorker: () => earlyStart?.take(true) ?? null,
		createWorker: () => earlyStart?.take(false) ??
			new Worker(workerSrc.url, { type: workerSrc.type }),
		console: cfg.console,
		consoleSize,
		workers: cfg.workers,
		concurrency: cfg.concurrency,
		spares: cfg.spares,
		trace: cfg.trace,
		onTrace: (text) => console.debug(`[web-host ${ms(performance.now())}] ${text}`),
		onOutput: (bytes) => {
			hook.timings.output ??= performance.now();
			queued.push(bytes);
			if (term && writeTimer === null)
				writeTimer = setTimeout(flushOutput,
					Math.max(0, lastWrite + WRITE_MS - performance.now()));
			hook.output += decoder.decode(bytes, { stream: true });
			if (!promptSeen && hook.state === 'init' && /[#$] $/.test(hook.output)) {
				promptSeen = true;
				hook.timings.prompt = performance.now();
				hook.stats = { ...machine.stats, workers: machine.workers.length,
					idle: machine.idleWorkers(),
					early: earlyStart?.stats() ?? null };
				if (cfg.trace)
					console.debug(`[web-host] timings ${JSON.stringify(hook.timings)} ` +
						`stats ${JSON.stringify(hook.stats)}`);
				setStatus(`Shell ready: ${ms(hook.timings.prompt)} after page start, ` +
					`${Math.round(hook.timings.prompt - hook.timings.boot)} ms after wasm_boot.`, 'ok');
			}
		},
		onState: (state, detail) => {
			setState(state, detail ?? '');
			const now = performance.now();
			switch (state) {
			case 'booting':
				hook.timings.boot = now;
				setStatus('Booting…');
				break;
			case 'init':
				hook.timings.init = now;
				setStatus(`Starting init (${ms(now)})…`);
				break;
			case 'poweroff':
				setStatus('The machine powered off. Reload the page to boot again.');
				break;
			case 'reboot':
				setStatus('The machine rebooted: reload the page to boot again.');
				break;
			case 'panic':
				setStatus(`Kernel panic: ${detail}`, 'error');
				break;
			default:
				setStatus(`Host fault: ${detail}`, 'error');
				console.error('web host fault:', detail);
				break;
			}
		},
	});
	earlyStart?.stop();
	hook.send = (text) => machine.send(text);
	hook.machine = machine;
	for (const text of pending.splice(0))
		machine.send(text);

	const [kernel, initrd] = await loads;
	hook.timings.fetched = performance.now();
	setStatus(`Compiling the kernel (${(kernel.bytes.length / 1048576).toFixed(1)} MiB)…`);
	await machine.boot({
		kernel: kernel.bytes,
		module: kernel.module,
		initrd,
		cmdline: machine.commandLine(cfg.append),
		memoryBytes: cfg.mem * 1048576,
		cpus: cfg.cpus,
	});

	const t = await makeTerminal();
	hook.timings.terminal = performance.now();
	hook.terminal = t.kind;
	term = t;
	flushOutput();
	if (consoleSize) {
		const resize = (size) => {
			if (!size)
				return;
			machine.resizeConsole(size.cols, size.rows);
			hook.size = { cols: size.cols, rows: size.rows };
		};
		resize(term.size());
		term.onResize(resize);
	}
	term.onData((data) => machine.send(data));
	term.focus();
}

main().catch((e) => {
	earlyStart?.cancel();
	console.error(e);
	showError(e.message ?? String(e));
});
