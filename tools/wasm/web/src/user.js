// SPDX-License-Identifier: GPL-2.0
// @ts-check
//
// User mode (host-abi.rst "User mode"): instantiating the modules of a
// process image on the calling worker, over the process memory, linked as
// LLVM's dynamic-linking convention asks, with linux.syscall bound straight
// to the wasm_syscall export of the worker's kernel instance, and
// linux.setjmp, linux.longjmp and the unwind state to this thread's
// (unwind.js).

import * as abi from './abi.js';
import * as unwind from './unwind.js';

/**
 * Instantiates the modules of `mm` (a record with memory, tableSize and
 * image: [{module, iface, memoryBase, tableBase}]) in the order the kernel
 * added them.  Function imports bind to the most recently instantiated
 * module that exports the name; GOT entries are filled afterwards, the
 * program searched first.  Every module gets the same two unwind globals
 * (env.__asyncify_state, env.__asyncify_data) and the thread's setjmp and
 * longjmp.  Returns the thread's image (unwind.js UserThread).
 * @param {number} sp
 * @param {Function} syscall
 * @returns {import('./unwind.js').UserThread}
 */
export function instantiateImage(mm, sp, syscall) {
	if (mm.image.length === 0)
		throw new Error('the process image has no module');
	const table = new WebAssembly.Table({
		element: 'anyfunc',
		initial: Math.max(mm.tableSize, 1),
	});
	const stackPointer = new WebAssembly.Global({ value: 'i32', mutable: true }, sp | 0);
	/** @type {import('./unwind.js').UserThread} */
	const user = {
		instances: [],
		sp: stackPointer,
		memory: mm.memory,
		mm: mm.id,
		entry: { name: '_start', args: [sp | 0] },
		unwinder: unwind.newUnwinder(mm.image.every((m) => unwind.instrumented(m.iface))),
	};
	const linux = {
		syscall,
		setjmp: (env, area) => unwind.setjmp(user, env, area),
		longjmp: (env, val) => unwind.longjmp(user, env, val),
	};
	const instances = [];	// in instantiation order
	const got = [];
	for (const m of mm.image) {
		/** @type {WebAssembly.ModuleImports} */
		const env = {};
		/** @type {WebAssembly.ModuleImports} */
		const gotMem = {};
		/** @type {WebAssembly.ModuleImports} */
		const gotFunc = {};
		for (const imp of m.iface.imports) {
			if (imp.module === 'env') {
				switch (imp.name) {
				case 'memory': env.memory = mm.memory; continue;
				case '__indirect_function_table': env[imp.name] = table; continue;
				case '__stack_pointer': env[imp.name] = stackPointer; continue;
				case '__memory_base':
					env[imp.name] = new WebAssembly.Global({ value: 'i32' }, m.memoryBase | 0);
					continue;
				case '__table_base':
					env[imp.name] = new WebAssembly.Global({ value: 'i32' }, m.tableBase | 0);
					continue;
				case '__asyncify_state': env[imp.name] = user.unwinder.state; continue;
				case '__asyncify_data': env[imp.name] = user.unwinder.data; continue;
				default:
					break;
				}
				// A library's function or tag, from the most recent module
				// that has one of that kind.
				let found;
				for (let i = instances.length - 1; i >= 0 && found === undefined; i--) {
					const e = instances[i].exports[imp.name];
					if (imp.kind === 'tag' ? e instanceof WebAssembly.Tag : typeof e === 'function')
						found = e;
				}
				if (found === undefined)
					throw new Error(`unresolved import env.${imp.name}`);
				env[imp.name] = found;
			} else if (imp.module === 'GOT.mem' || imp.module === 'GOT.func') {
				const global = new WebAssembly.Global({ value: 'i32', mutable: true }, 0);
				got.push({ func: imp.module === 'GOT.func', name: imp.name, global });
				(imp.module === 'GOT.func' ? gotFunc : gotMem)[imp.name] = global;
			} else if (imp.module !== 'linux' || !(imp.name in linux)) {
				throw new Error(`unresolved import ${imp.module}.${imp.name}`);
			}
		}
		instances.push(new WebAssembly.Instance(m.module, {
			env,
			'GOT.mem': gotMem,
			'GOT.func': gotFunc,
			linux,
		}));
	}
	// The program first in every search from now on.
	const order = instances.slice().reverse();
	const bases = mm.image.map((m) => m.memoryBase).reverse();
	// One table slot per function, so that its address is one value.
	const slots = new Map();
	for (const entry of got) {
		let v = 0;
		if (entry.func) {
			if (slots.has(entry.name)) {
				v = slots.get(entry.name);
			} else {
				const f = exportFunc(order, entry.name);
				if (f) {
					v = table.grow(1, f);
					slots.set(entry.name, v);
				}
			}
		} else {
			v = resolveMem(order, bases, entry.name);
		}
		entry.global.value = v | 0;
	}
	user.instances = order;
	return user;
}

/** The function `name` exported by the first of `instances` with one. */
function exportFunc(instances, name) {
	for (const inst of instances) {
		const f = inst.exports[name];
		if (typeof f === 'function')
			return f;
	}
	return null;
}

/** The address of data symbol `name`: the __memory_base of the first
 *  module that exports it plus its value; 0 if none does. */
function resolveMem(instances, bases, name) {
	for (let i = 0; i < instances.length; i++) {
		const g = instances[i].exports[name];
		if (g instanceof WebAssembly.Global && typeof g.value === 'number')
			return (bases[i] + g.value) >>> 0;
	}
	return 0;
}

/**
 * The entry of user code for `kind`: for a new image (kind 1) each
 * module's __wasm_apply_data_relocs (libraries first) is called now, and
 * the entry is _start(sp); for a clone child (kind 2)
 * __wasm_clone_start(sp).  (A fork child, kind 3, rewinds its parent's
 * entry: unwind.js forkChild.)  Sets it as the image's level-0 entry and
 * returns it.
 * @param {import('./unwind.js').UserThread} user
 * @returns {import('./unwind.js').EntryCall}
 */
export function userEntry(user, kind, sp) {
	let name;
	if (kind === abi.USER_EXEC) {
		for (let i = user.instances.length - 1; i >= 0; i--) {
			const f = user.instances[i].exports.__wasm_apply_data_relocs;
			if (typeof f === 'function')
				f();
		}
		name = '_start';
	} else if (kind === abi.USER_CLONE) {
		name = '__wasm_clone_start';
	} else {
		throw new Error(`unknown user entry kind ${kind}`);
	}
	user.entry = { name, args: [sp | 0] };
	return user.entry;
}

/**
 * Calls `call` (an entry of level 0) through the unwind driver: returns
 * if the entry does.
 * @param {import('./unwind.js').UserThread} user
 * @param {import('./unwind.js').EntryCall} call
 */
export function callUserEntry(user, call) {
	const f = exportFunc(user.instances, call.name);
	if (!f)
		throw new Error(`the user image has no ${call.name} export`);
	unwind.drive(user, f, call.args);
}

/**
 * user_signal: runs the image's __wasm_signal(handler, sig, info, uctx,
 * has_siginfo) on stack `sp`, nested in the current system call, a
 * signal-handler level of its own (its setjmps and longjmps stay in it).
 * Returns 0, or -ENOSYS if the thread runs no image or the image has no
 * such export.  A trap in the handler propagates.
 * @param {import('./unwind.js').UserThread | null} user
 */
export function userSignal(user, args, sp) {
	if (!user)
		return abi.ENOSYS;
	const f = exportFunc(user.instances, '__wasm_signal');
	if (!f || f.length !== 5)
		return abi.ENOSYS;
	const old = user.sp.value;
	user.sp.value = sp | 0;
	unwind.driveNested(user, f, args.slice(0, 5));
	user.sp.value = old;
	return 0;
}
