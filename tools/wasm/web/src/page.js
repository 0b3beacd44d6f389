// SPDX-License-Identifier: GPL-2.0
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
//                  (default 8)
//   concurrency=N  workers loading their scripts at once (default 3)
//   term=pre       use the plain console instead of xterm.js
//   trace=1        thread events in the browser's console
//
// window.wasmLinux = { state, output, send(text), timings, detail } for
// tests: state is 'loading', 'unsupported', 'booting', 'init', 'poweroff',
// 'reboot', 'panic', 'fault' or 'error'.

import { detectFeatures } from './features.js';
import { Machine } from './machine.js';

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
	send: (text) => { pending.push(text); },
};
window.wasmLinux = hook;
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

async function makeTerminal() {
	if (cfg.term !== 'pre') {
		try {
			const { Terminal } = await import('/node_modules/@xterm/xterm/lib/xterm.mjs');
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
			};
		} catch (e) {
			console.warn('xterm.js did not load, using a plain console:', e);
		}
	}
	const pre = new PreTerminal(termEl);
	return { write: (b) => pre.write(b), onData: (cb) => pre.onData(cb), focus: () => pre.focus(), kind: 'pre' };
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

async function fetchBytes(url, what) {
	let res;
	try {
		res = await fetch(url);
	} catch (e) {
		throw new Error(`cannot fetch the ${what} (${url}): ${e.message}`);
	}
	if (!res.ok)
		throw new Error(`cannot fetch the ${what} (${url}): HTTP ${res.status} ${res.statusText}`);
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

/** A static import of a sibling module: `from './name.js'`. */
const IMPORT_RE = /\bfrom\s+'\.\/([\w.-]+\.js)'/g;
/**
 * The URL to start workers from: worker.js and its imports as blob:
 * modules importing each other by their blob: URLs, fetched once, so that
 * each of the many workers does not request (and revalidate) every file
 * again; else the plain URL.
 */
async function workerUrl() {
	const base = new URL('./', import.meta.url);
	const plain = new URL('worker.js', base);
	const texts = new Map();
	const order = [];	// dependencies first
	const loading = new Map();	// name -> Promise, once loaded with its imports
	const load = (name, depth) => {
		if (!loading.has(name))
			loading.set(name, (async () => {
				if (depth > 16)
					throw new Error('import cycle');
				const res = await fetch(new URL(name, base), { cache: 'force-cache' });
				if (!res.ok)
					throw new Error(`${name}: HTTP ${res.status}`);
				const text = await res.text();
				texts.set(name, text);
				const deps = [...new Set([...text.matchAll(IMPORT_RE)].map((m) => m[1]))];
				await Promise.all(deps.map((d) => load(d, depth + 1)));
				order.push(name);
			})());
		return loading.get(name);
	};
	try {
		await load('worker.js', 0);
	} catch (e) {
		console.warn('starting workers from their URL:', e);
		return { url: plain.href, type: 'module' };
	}
	const urls = new Map();
	for (const name of order) {
		const text = texts.get(name).replace(IMPORT_RE, (_, d) => `from '${urls.get(d)}'`);
		urls.set(name, URL.createObjectURL(new Blob([text], { type: 'text/javascript' })));
	}
	return { url: urls.get('worker.js'), type: 'module' };
}

/**
 * Fetches the kernel: its bytes (for the interface check) and, from the
 * same response, its compilation, which streams alongside the download.
 */
async function fetchKernel(url) {
	let res;
	try {
		res = await fetch(url);
	} catch (e) {
		throw new Error(`cannot fetch the kernel (${url}): ${e.message}`);
	}
	if (!res.ok)
		throw new Error(`cannot fetch the kernel (${url}): HTTP ${res.status} ${res.statusText}`);
	let module = null;
	if (WebAssembly.compileStreaming &&
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
		showUnsupported(missing);
		return;
	}
	// Everything that takes time starts now and runs side by side: the
	// workers (their start is the slowest part of a boot), the downloads
	// and the kernel's compilation, and the terminal.
	setStatus(`Fetching ${cfg.kernel}…`);
	const initrdUrl = cfg.initrd === 'none' ? null : cfg.initrd;
	const loads = Promise.all([
		fetchKernel(cfg.kernel),
		initrdUrl ? fetchBytes(initrdUrl, 'initramfs') : Promise.resolve(null),
	]);
	// Not left unhandled while the rest starts; awaited below.
	loads.catch(() => {});
	const termReady = makeTerminal();
	const workerSrc = await workerUrl();

	let term = null;
	const early = [];	// console output before the terminal exists
	const decoder = new TextDecoder();
	let promptSeen = false;

	const machine = new Machine({
		createWorker: () => new Worker(workerSrc.url, { type: workerSrc.type }),
		console: cfg.console,
		workers: cfg.workers,
		concurrency: cfg.concurrency,
		spares: cfg.spares,
		trace: cfg.trace,
		onTrace: (text) => console.debug(`[web-host ${ms(performance.now())}] ${text}`),
		onOutput: (bytes) => {
			if (term)
				term.write(bytes);
			else
				early.push(bytes);
			hook.output += decoder.decode(bytes, { stream: true });
			if (!promptSeen && hook.state === 'init' && /[#$] $/.test(hook.output)) {
				promptSeen = true;
				hook.timings.prompt = performance.now();
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
	hook.send = (text) => machine.send(text);
	hook.machine = machine;
	for (const text of pending.splice(0))
		machine.send(text);

	term = await termReady;
	hook.terminal = term.kind;
	for (const bytes of early.splice(0))
		term.write(bytes);
	term.onData((data) => machine.send(data));

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
	term.focus();
}

main().catch((e) => {
	console.error(e);
	showError(e.message ?? String(e));
});
