// SPDX-License-Identifier: GPL-2.0
//
// fork, and setjmp/longjmp across it, through the real kernel and the web
// host's workers, in Node (src/node-run.js): an initramfs whose /init is
// test/fork-init.wat (assembled by wat2wasm, given a dylink.0 section,
// instrumented by binaryen's Asyncify) forks a child, which forks a
// grandchild and then longjmps to a jmp_buf its parent saved before the
// fork; the parent waits for the child and powers off.  Exits 0 if every
// step printed its OK, 1 if not, 77 (skipped) without a kernel, wat2wasm
// or wasm-opt.
//
//   node test/fork-node.mjs [VMLINUX]     (default: build/vmlinux.wasm)

import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findWasmOpt, haveWat2wasm, inTemp, wasmOpt, watWithDylink, withFile } from './wasm-tools.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../../../..');
const vmlinux = process.argv[2] ?? path.join(repo, 'build/vmlinux.wasm');

function skip(why) {
	console.log(`ok - # SKIP fork through the kernel in Node: ${why}`);
	process.exit(77);
}

/** A newc cpio archive of `entries`: {name, mode, data?, rdev?}. */
function cpio(entries) {
	const parts = [];
	const pad = (n) => Buffer.alloc((4 - (n % 4)) % 4);
	let ino = 1;
	for (const e of [...entries, { name: 'TRAILER!!!', mode: 0 }]) {
		const data = e.data ?? Buffer.alloc(0);
		const name = Buffer.from(`${e.name}\0`);
		const [maj, min] = e.rdev ?? [0, 0];
		const fields = [ino++, e.mode, 0, 0, 1, 0, data.length, 0, 0, maj, min, name.length, 0];
		const head = Buffer.from(`070701${fields.map((f) => f.toString(16).padStart(8, '0')).join('')}`);
		parts.push(head, name, pad(head.length + name.length), data, pad(data.length));
	}
	return Buffer.concat(parts);
}

if (!existsSync(vmlinux))
	skip(`no kernel at ${vmlinux}`);
const wasmOptPath = findWasmOpt();
if (!wasmOptPath)
	skip('no binaryen wasm-opt');
if (!haveWat2wasm())
	skip('no wat2wasm');

const init = withFile(watWithDylink(path.join(here, 'fork-init.wat'), 16),
	(f) => wasmOpt(wasmOptPath, f, true));
const archive = cpio([
	{ name: 'dev', mode: 0o40755 },
	{ name: 'dev/console', mode: 0o20600, rdev: [5, 1] },
	{ name: 'init', mode: 0o100755, data: init },
]);
const run = inTemp((dir) => {
	const initramfs = path.join(dir, 'initramfs.cpio');
	writeFileSync(initramfs, archive);
	return spawnSync(process.execPath, [path.join(here, '../src/node-run.js'),
		'--vmlinux', vmlinux, '--initramfs', initramfs, '--timeout', '60'],
	{ encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120000 });
});
const out = `${run.stdout ?? ''}`;
const want = { OKF: 'the parent got the pid', OKG: 'the child forked a grandchild',
	OKC: 'the child longjmped to its parent\'s jmp_buf', OKP: 'the child exited 0' };
let failed = run.status !== 0;
for (const [word, what] of Object.entries(want)) {
	// Anywhere in the output: the console may put two processes' lines
	// out of order ("OKCOKP" then the child's newline).
	const ok = out.includes(word);
	console.log(`${ok ? 'ok' : 'not ok'} - fork in Node: ${what} (${word})`);
	failed ||= !ok;
}
if (failed) {
	console.log(`# node-run exited ${run.status}${run.signal ? ` (${run.signal})` : ''}; its output:`);
	for (const l of `${out}${run.stderr ?? ''}`.split('\n').slice(-40))
		console.log(`# ${l}`);
	process.exit(1);
}
