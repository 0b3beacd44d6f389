// SPDX-License-Identifier: GPL-2.0
//
// The numbers of src/abi.js against the table "Numbers" of
// Documentation/arch/wasm/host-abi.rst: every row is an export of abi.js
// with the row's value (the errno values negated, as the imports return
// them), and every number abi.js exports is a row or one of HOST_ONLY.
// Prints each difference, the table's value against abi.js's, and exits
// 1 if there is one.  Usage: node test/abi-numbers.mjs

import { readFileSync } from 'node:fs';
import * as abi from '../src/abi.js';

const DOC = new URL('../../../../Documentation/arch/wasm/host-abi.rst', import.meta.url);
const BEGIN = '.. wasm-abi-constants-begin';
const END = '.. wasm-abi-constants-end';
/** Numbers of abi.js that are this host's choice, not the ABI's. */
const HOST_ONLY = ['INITRD_ALIGN', 'CMDLINE_ALIGN'];

/** The rows NAME VALUE [comment] of the table, as a Map. */
function documented(text) {
	const start = text.indexOf(BEGIN);
	const end = text.indexOf(END, start);
	if (start < 0 || end < 0)
		throw new Error(`no '${BEGIN}' ... '${END}' block in host-abi.rst`);
	const rows = new Map();
	for (const line of text.slice(start + BEGIN.length, end).split('\n')) {
		const words = line.trim().split(/\s+/);
		if (words[0] === '' || words[0].startsWith('..'))
			continue;
		const value = Number(words[1]);
		if (!Number.isInteger(value) || rows.has(words[0]))
			throw new Error(`host-abi.rst: bad or repeated row '${line.trim()}'`);
		rows.set(words[0], value);
	}
	return rows;
}

/** A value as the table would write it: addresses in hexadecimal. */
const show = (v) => (v >= 0x10000000 ? `0x${v.toString(16)}` : `${v}`);

const rows = documented(readFileSync(DOC, 'utf8'));
const problems = [];
for (const [name, value] of rows) {
	const want = /^E[A-Z]+$/.test(name) ? -value : value;
	if (!(name in abi))
		problems.push(`${name}: host-abi.rst has ${show(want)}, abi.js nothing`);
	else if (abi[name] !== want)
		problems.push(`${name}: host-abi.rst has ${show(want)}, abi.js ${show(abi[name])}`);
}
for (const [name, value] of Object.entries(abi)) {
	if (typeof value === 'number' && !rows.has(name) && !HOST_ONLY.includes(name))
		problems.push(`${name}: abi.js has ${show(value)}, host-abi.rst no row`);
}
for (const p of problems)
	console.log(`not ok - ${p}`);
if (problems.length)
	process.exit(1);
console.log(`ok - the ${rows.size} numbers of host-abi.rst are abi.js's`);
