// SPDX-License-Identifier: GPL-2.0
//
// The tools the unwind tests build their modules with: binaryen's wasm-opt
// (Asyncify, as tools/wasm/scripts/wasm-asyncify runs it) and wabt's
// wat2wasm.  wasm-opt is $WASM_OPT, else binaryen's in ${WASM_CACHE:-~/
// .cache/linux-wasm}/binaryen (setup-toolchain.sh installs it there), else
// wasm-opt on PATH; null if none.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, homedir } from 'node:os';
import path from 'node:path';

function runs(cmd) {
	try {
		execFileSync(cmd, ['--version'], { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
}

export function findWasmOpt() {
	if (process.env.WASM_OPT)
		return process.env.WASM_OPT;
	const cache = process.env.WASM_CACHE ?? path.join(homedir(), '.cache/linux-wasm');
	const npm = path.join(cache, 'binaryen/node_modules/binaryen/bin/wasm-opt');
	if (existsSync(npm))
		return npm;
	return runs('wasm-opt') ? 'wasm-opt' : null;
}

export function haveWat2wasm() {
	return runs('wat2wasm');
}

/** Runs `fn(dir)` in a new temporary directory, removed after. */
export function inTemp(fn) {
	const dir = mkdtempSync(path.join(tmpdir(), 'web-unwind-'));
	try {
		return fn(dir);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

/**
 * The module `input` (a .wat or .wasm file) through wasm-opt: with
 * Asyncify over linux.syscall and linux.setjmp (relocatable: the state
 * and area are env globals), or without (the module as it is).
 */
export function wasmOpt(wasmOptPath, input, asyncify) {
	return inTemp((dir) => {
		const out = path.join(dir, 'out.wasm');
		const args = [input, '--enable-threads', '--enable-bulk-memory',
			'--enable-mutable-globals'];
		if (asyncify)
			args.push('--asyncify', '--pass-arg=asyncify-relocatable',
				'--pass-arg=asyncify-imports@linux.syscall,linux.setjmp', '-O2');
		execFileSync(wasmOptPath, [...args, '-o', out], { stdio: ['ignore', 'ignore', 'pipe'] });
		return readFileSync(out);
	});
}

/** wat2wasm of `wat`, with a dylink.0 section (MEM_INFO of `memSize`
 *  bytes, nothing else) put first, as the kernel's loader wants. */
export function watWithDylink(wat, memSize) {
	const plain = inTemp((dir) => {
		const out = path.join(dir, 'plain.wasm');
		execFileSync('wat2wasm', ['--enable-threads', wat, '-o', out], { stdio: ['ignore', 'ignore', 'pipe'] });
		return readFileSync(out);
	});
	const leb = (n) => {
		const o = [];
		do {
			let b = n & 0x7f;
			n >>>= 7;
			if (n)
				b |= 0x80;
			o.push(b);
		} while (n);
		return o;
	};
	const memInfo = [memSize, 4, 0, 0].flatMap(leb);
	const body = [8, ...Buffer.from('dylink.0'), 1, ...leb(memInfo.length), ...memInfo];
	return Buffer.concat([plain.subarray(0, 8), Buffer.from([0, ...leb(body.length), ...body]),
		plain.subarray(8)]);
}

/** Writes `bytes` to a temporary file for `fn(file)`. */
export function withFile(bytes, fn) {
	return inTemp((dir) => {
		const f = path.join(dir, 'f.wasm');
		writeFileSync(f, bytes);
		return fn(f);
	});
}
