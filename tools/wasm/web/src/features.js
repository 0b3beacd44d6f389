// SPDX-License-Identifier: GPL-2.0
// @ts-check
//
// What the browser must support to run the kernel, tested without
// starting anything: cross-origin isolation (SharedArrayBuffer),
// WebAssembly threads (shared memory, atomics) and exception handling with
// exnref (try_table), which the user programs use for setjmp/longjmp.

// (module (memory 1 1 shared)
//   (func (result i32) i32.const 0 i32.const 0 i32.atomic.rmw.add))
const THREADS_MODULE = new Uint8Array([
	0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
	0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f,		// type () -> i32
	0x03, 0x02, 0x01, 0x00,					// func 0: type 0
	0x05, 0x04, 0x01, 0x03, 0x01, 0x01,			// memory 1 1 shared
	0x0a, 0x0c, 0x01, 0x0a, 0x00,				// code: 1 body, 10 bytes
	0x41, 0x00, 0x41, 0x00,					// i32.const 0 x2
	0xfe, 0x1e, 0x02, 0x00,					// i32.atomic.rmw.add
	0x0b,
]);

// (module (func (result exnref)
//   (block (result exnref) (try_table (catch_all_ref 0)) unreachable)))
const EXNREF_MODULE = new Uint8Array([
	0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
	0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x69,		// type () -> exnref
	0x03, 0x02, 0x01, 0x00,					// func 0: type 0
	0x0a, 0x0e, 0x01, 0x0c, 0x00,				// code: 1 body, 12 bytes
	0x02, 0x69,						// block (result exnref)
	0x1f, 0x40, 0x01, 0x03, 0x00,				// try_table (catch_all_ref 0)
	0x0b,							// end try_table
	0x00,							// unreachable
	0x0b,							// end block
	0x0b,							// end func
]);

/**
 * Whether probe() returns true, a throw counting as false.
 * @param {() => boolean} probe
 */
function passes(probe) {
	try {
		return probe();
	} catch {
		return false;
	}
}

/**
 * Returns a list of { feature, ok, help } for what the page needs.
 */
export function detectFeatures() {
	const out = [];
	const isolated = globalThis.crossOriginIsolated === true;
	const sab = typeof SharedArrayBuffer === 'function';
	out.push({
		feature: 'Cross-origin isolation (SharedArrayBuffer)',
		ok: isolated && sab,
		help: 'The page must be served with the headers ' +
			'"Cross-Origin-Opener-Policy: same-origin" and ' +
			'"Cross-Origin-Embedder-Policy: require-corp" (use `make web`), ' +
			'from http://localhost or over HTTPS. Without them the browser ' +
			'offers no SharedArrayBuffer, which the kernel\'s shared memory needs.',
	});
	const wasm = typeof WebAssembly === 'object';
	const threads = wasm && sab && passes(() => {
		const m = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
		return m.buffer instanceof SharedArrayBuffer &&
			WebAssembly.validate(THREADS_MODULE);
	});
	out.push({
		feature: 'WebAssembly threads (shared memory and atomics)',
		ok: threads,
		help: 'The browser must support WebAssembly shared memories and ' +
			'atomic instructions (Chrome 74+, Firefox 79+, Safari 14.1+) ' +
			'and allow them on this page (cross-origin isolation).',
	});
	const exnref = wasm && passes(() => WebAssembly.validate(EXNREF_MODULE));
	out.push({
		feature: 'WebAssembly exception handling with exnref (try_table)',
		ok: exnref,
		help: 'User programs use the exnref encoding of exception handling ' +
			'for setjmp/longjmp (Chrome 131+, Firefox 131+, Safari 18.4+).',
	});
	out.push({
		feature: 'Module workers',
		ok: typeof Worker === 'function',
		help: 'The kernel runs in Web Workers loaded as ES modules.',
	});
	return out;
}
