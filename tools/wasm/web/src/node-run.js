// SPDX-License-Identifier: GPL-2.0
// @ts-check
//
// Runs the web host's machine in Node, for a smoke test without a browser:
// Node's worker threads stand in for Web Workers (a small shim), standard
// input is the console input, output goes to standard output.
//
//   node src/node-run.js [--vmlinux F] [--initramfs F] [--append ARGS]
//                        [--memory MIB] [--cpus N] [--timeout S] [--trace]
//                        [--console virtio|host]
//
// --console virtio (the default) makes the console a virtio console, host
// the kernel's own hvc0 over console_write/console_read.
//
// Exits 0 on power off, 1 on a panic or a host fault, 2 on a timeout.
// One CPU by default: under Node 20 a second CPU hangs the boot at
// "smp: Bringing up secondary CPUs" (it boots in Chromium).
// Node 20 cannot compile user modules that use exnref (BusyBox does); it
// then boots to the init hand-over, whose exec fails.

import { Worker } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { Machine } from './machine.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../../../..');

function parseArgs(argv) {
	const o = {
		vmlinux: path.join(repo, 'build/vmlinux.wasm'),
		initramfs: path.join(repo, 'build/initramfs.cpio'),
		append: '',
		memory: 256,
		cpus: 1,
		timeout: 60,
		trace: false,
		console: 'virtio',
	};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const val = () => argv[++i];
		switch (a) {
		case '--vmlinux': o.vmlinux = val(); break;
		case '--initramfs': o.initramfs = val(); break;
		case '--no-initramfs': o.initramfs = null; break;
		case '--append': o.append = val(); break;
		case '--memory': o.memory = Number(val()); break;
		case '--cpus': o.cpus = Number(val()); break;
		case '--timeout': o.timeout = Number(val()); break;
		case '--trace': o.trace = true; break;
		case '--console':
			o.console = val();
			if (o.console !== 'virtio' && o.console !== 'host') {
				process.stderr.write(`node-run: --console is virtio or host, not ${o.console}\n`);
				process.exit(64);
			}
			break;
		default:
			process.stderr.write(`node-run: unknown argument ${a}\n`);
			process.exit(64);
		}
	}
	return o;
}

/** A Node worker thread with the Web Worker interface the machine uses. */
class NodeWorker {
	constructor(url) {
		this.w = new Worker(url);
		this.onmessage = null;
		this.onerror = null;
		this.w.on('message', (data) => this.onmessage?.({ data }));
		this.w.on('error', (e) => this.onerror?.(e));
	}

	postMessage(msg, transfer) {
		this.w.postMessage(msg, transfer);
	}

	terminate() {
		this.w.terminate();
	}
}

const o = parseArgs(process.argv.slice(2));
const workerUrl = new URL('./worker.js', import.meta.url);
const t0 = performance.now();
let exitCode = 2;
const machine = new Machine({
	createWorker: () => new NodeWorker(workerUrl),
	console: o.console,
	onWarn: (text) => process.stderr.write(`${text}\n`),
	onOutput: (bytes) => process.stdout.write(bytes),
	onTrace: (text) => process.stderr.write(`web-host[trace ${((performance.now() - t0) / 1e3).toFixed(6)}]: ${text}\n`),
	trace: o.trace,
	spares: process.env.WEB_SPARES ? Number(process.env.WEB_SPARES) : undefined,
	onState: (state, detail) => {
		if (state === 'init')
			process.stderr.write(`node-run: init started ${(performance.now() - t0).toFixed(0)} ms after start\n`);
		if (['poweroff', 'reboot', 'panic', 'fault'].includes(state)) {
			process.stderr.write(`node-run: ${state}${detail ? `: ${detail}` : ''}\n`);
			exitCode = state === 'poweroff' || state === 'reboot' ? 0 : 1;
			setTimeout(() => process.exit(exitCode), 200);
		}
	},
});

process.stdin.on('data', (d) => machine.send(d));
setTimeout(() => {
	process.stderr.write(`node-run: timeout after ${o.timeout} s\n`);
	process.exit(2);
}, o.timeout * 1000).unref();

try {
	await machine.boot({
		kernel: readFileSync(o.vmlinux),
		initrd: o.initramfs ? readFileSync(o.initramfs) : null,
		cmdline: machine.commandLine(o.append),
		memoryBytes: o.memory * 1024 * 1024,
		cpus: o.cpus,
	});
} catch (e) {
	process.stderr.write(`node-run: ${e.message}\n`);
	process.exit(1);
}
