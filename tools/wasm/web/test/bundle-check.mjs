// SPDX-License-Identifier: GPL-2.0
//
// The workers start from one module that bundle.js joins from worker.js
// and its imports; if it cannot, they fall back to the graph of modules,
// which costs each worker about twice as much to start, and say so only
// in the browser's console.  This joins them as the page does, from the
// files, and checks that the result is one module that parses.  Usage:
// node test/bundle-check.mjs

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundle } from '../src/bundle.js';

const src = new URL('../src/', import.meta.url);
const names = [];
const text = await bundle('worker.js', async (name) => {
	names.push(name);
	return readFileSync(new URL(name, src), 'utf8');
});
const dir = mkdtempSync(join(tmpdir(), 'bundle-'));
try {
	const file = join(dir, 'worker.mjs');
	writeFileSync(file, text);
	const r = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' });
	if (r.status !== 0) {
		console.log(`not ok - the bundle of worker.js does not parse:\n${r.stderr}`);
		process.exit(1);
	}
} finally {
	rmSync(dir, { recursive: true, force: true });
}
console.log(`ok - bundle.js joins worker.js and its ${names.length - 1} imports ` +
	`into one module of ${text.length} characters`);
