// SPDX-License-Identifier: GPL-2.0
//
// The bytes of EQ_WASM (src/module-cache.js) against src/eq.wat assembled
// by wabt's wat2wasm: prints the first difference and exits 1 if they
// differ.  Usage: node test/eq-wasm.mjs [WAT2WASM]

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EQ_WASM } from '../src/module-cache.js';

const wat = fileURLToPath(new URL('../src/eq.wat', import.meta.url));
const wat2wasm = process.argv[2] ?? 'wat2wasm';
const dir = mkdtempSync(join(tmpdir(), 'eq-wasm-'));
const out = join(dir, 'eq.wasm');
let made;
try {
	const r = spawnSync(wat2wasm, ['--enable-threads', '--enable-multi-memory', wat, '-o', out],
		{ encoding: 'utf8' });
	if (r.error || r.status !== 0) {
		console.log(`not ok - ${wat2wasm} cannot assemble src/eq.wat: ` +
			`${r.error ?? `exit status ${r.status}`}\n${r.stderr ?? ''}`);
		process.exit(1);
	}
	made = new Uint8Array(readFileSync(out));
} finally {
	rmSync(dir, { recursive: true, force: true });
}

const hex = (b) => (b === undefined ? 'nothing' : `0x${b.toString(16).padStart(2, '0')}`);
let at = -1;
for (let i = 0; i < Math.max(made.length, EQ_WASM.length); i++)
	if (made[i] !== EQ_WASM[i]) {
		at = i;
		break;
	}
if (at >= 0) {
	console.log(`not ok - EQ_WASM (${EQ_WASM.length} bytes) is not src/eq.wat assembled ` +
		`(${made.length} bytes): at byte ${at}, ${hex(EQ_WASM[at])} against ${hex(made[at])}`);
	process.exit(1);
}
console.log(`ok - EQ_WASM is src/eq.wat assembled (${made.length} bytes)`);
