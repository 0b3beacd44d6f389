// SPDX-License-Identifier: GPL-2.0
//
// What the type check (tsconfig.json, test/lint.sh) needs to know beyond
// TypeScript's DOM and Node types: the page's globals and the browser
// features its lib files do not have yet.  Only for tsc; nothing loads it.

/** Set by index.html's first script (the early start), read by page.js. */
interface Window {
	wasmLinuxEarly: any;
	/** The page's state for tests (README.md "Running it"). */
	wasmLinux: any;
	/** What a bare worker received before its code ran (worker-messages.js). */
	wasmLinuxQueued?: any[];
}

/** The global scope of a worker (the type check uses the DOM's). */
declare var WorkerGlobalScope: any;

declare namespace WebAssembly {
	/** Exception handling's tags (wasm-parse.js, user.js). */
	class Tag {
		constructor(type: { parameters: string[] });
	}
}

