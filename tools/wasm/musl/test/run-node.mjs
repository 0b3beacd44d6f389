// SPDX-License-Identifier: MIT
//
// A stand-in host for smoke-testing musl-linked modules under node (>= 20),
// without the kernel: it instantiates a static PIE module as the wasm32
// user ABI says (env.memory, __indirect_function_table, __stack_pointer,
// __memory_base, __table_base, linux.syscall, linux.setjmp and
// linux.longjmp, env.__asyncify_state and env.__asyncify_data), builds
// the initial stack block, calls __wasm_apply_data_relocs and _start(p),
// and emulates the few syscalls a simple single-threaded program makes.
// setjmp/longjmp, fork and vfork work as host-abi.rst's "Unwinding user
// code" says, in one thread: a fork child (a copy of the memory, a new
// instance) runs to its end before the parent goes on, and a vfork child
// can only exit.  Threads (clone with CLONE_VM and a stack) are not
// emulated: build such tests with -DNO_THREADS.
//
// Usage: node run-node.mjs prog.wasm [args...]

import { readFileSync, writeSync } from 'node:fs';

const [file, ...args] = process.argv.slice(2);
const module = new WebAssembly.Module(readFileSync(file));

function dylinkInfo(mod) {
	const sec = WebAssembly.Module.customSections(mod, 'dylink.0')[0];
	const b = new Uint8Array(sec);
	let i = 0;
	const leb = () => {
		let r = 0, s = 0, c;
		do { c = b[i++]; r |= (c & 0x7f) << s; s += 7; } while (c & 0x80);
		return r >>> 0;
	};
	while (i < b.length) {
		const type = b[i++], len = leb(), end = i + len;
		if (type === 1) {
			const memorySize = leb(), memoryAlign = leb();
			const tableSize = leb(), tableAlign = leb();
			return { memorySize, memoryAlign, tableSize, tableAlign };
		}
		i = end;
	}
	throw new Error('no dylink.0 mem info');
}

const PAGE = 65536;
const dl = dylinkInfo(module);
const memoryBase = 1024;
const tableBase = 1;
const stackSize = 1 << 20;
const ENOSYS = 38, ENOMEM = 12, ENOTTY = 25, EBADF = 9, ECHILD = 10, EINVAL = 22;
const SIGCHLD = 17, CLONE_VM = 0x100, CLONE_VFORK = 0x4000;
const VFORK_RESUME = -4095;
const trace = process.env.TRACE_SYSCALLS;
// Built with -mno-fork (no Asyncify): setjmp returns 0 once, fork fails.
const instrumented = WebAssembly.Module.imports(module)
	.some((i) => i.module === 'env' && i.name === '__asyncify_state');

class Exit { constructor(code) { this.code = code; } }
class Longjmp { constructor(env, val) { this.env = env; this.val = val; } }

let nextPid = 2;
const zombies = new Map();	// pid -> exit status, until waited for

// A process: its memory, its one instance, its thread's globals.
class Proc {
	constructor(pid, parent) {
		this.pid = pid;
		if (parent) {
			const pages = parent.memory.buffer.byteLength / PAGE;
			this.memory = new WebAssembly.Memory({ initial: pages, maximum: 65536, shared: true });
			this.u8().set(parent.u8());
			this.brk = parent.brk;
			this.mmapTop = parent.mmapTop;
			this.jmpbufs = new Map(parent.jmpbufs);
		} else {
			this.memory = new WebAssembly.Memory({ initial: 64, maximum: 65536, shared: true });
			this.brk = (memoryBase + dl.memorySize + 15) & ~15;
			this.jmpbufs = new Map();	// env -> { bytes, sp }
		}
		this.stackLow = (((memoryBase + dl.memorySize + 15) & ~15) + 4095) & ~4095;
		this.stackTop = this.stackLow + stackSize;
		if (!parent) this.mmapTop = this.stackTop;	// anonymous mappings go up from here
		this.sp = new WebAssembly.Global({ value: 'i32', mutable: true }, this.stackTop);
		this.state = new WebAssembly.Global({ value: 'i32', mutable: true }, 0);
		this.data = new WebAssembly.Global({ value: 'i32', mutable: true }, 0);
		this.table = new WebAssembly.Table({ initial: tableBase + dl.tableSize, element: 'anyfunc' });
		this.pending = null;	// what the unwind in progress is for
		this.result = 0;	// what the import returns when rewound to
		this.vforkChild = 0;
		const g = (v) => new WebAssembly.Global({ value: 'i32', mutable: false }, v);
		this.instance = new WebAssembly.Instance(module, {
			env: {
				memory: this.memory,
				__indirect_function_table: this.table,
				__stack_pointer: this.sp,
				__memory_base: g(memoryBase),
				__table_base: g(tableBase),
				__asyncify_state: this.state,
				__asyncify_data: this.data,
			},
			linux: {
				syscall: (...a) => this.syscall(...a),
				setjmp: (env, area) => this.setjmp(env, area),
				longjmp: (env, val) => { throw new Longjmp(env, val); },
			},
		});
	}

	u8() { return new Uint8Array(this.memory.buffer); }
	dv() { return new DataView(this.memory.buffer); }

	// An import that unwinds: the first time (state 0) start the unwind
	// for what; when rewound to (state 2), stop and return the result.
	unwind(area, what) {
		if (this.state.value === 2) {
			this.state.value = 0;
			return this.result;
		}
		if (!instrumented)
			return what.op === 'fork' ? -ENOSYS : 0;
		const a = this.dv();
		if (a.getUint32(area, true) !== area + 8 || a.getUint32(area + 4, true) <= area + 8)
			return -EINVAL;
		this.pending = { area, sp: this.sp.value, ...what };
		this.data.value = area;
		this.state.value = 1;
		return 0;
	}

	setjmp(env, area) {
		return this.unwind(area, { op: 'setjmp', env });
	}

	// Run the entry export until it is done (Exit), doing the unwinds.
	run(entry, rewind) {
		for (;;) {
			try {
				if (rewind) {
					this.sp.value = rewind.sp;
					this.data.value = rewind.area;
					this.state.value = 2;
					rewind = null;
				}
				entry();
				if (this.state.value !== 1) {
					console.error('run-node: _start returned');
					return 1;
				}
			} catch (e) {
				if (e instanceof Exit) return e.code;
				if (!(e instanceof Longjmp)) throw e;
				const saved = this.jmpbufs.get(e.env);
				if (!saved) {
					console.error(`run-node: longjmp to an unknown env ${e.env}`);
					return 128 + 11;
				}
				this.u8().set(saved.bytes, saved.area);
				this.result = e.val || 1;
				this.state.value = 0;
				rewind = saved;
				continue;
			}
			// Unwound for this.pending.
			const p = this.pending;
			this.pending = null;
			this.state.value = 0;
			const end = this.dv().getUint32(p.area, true);
			if (p.op === 'setjmp') {
				this.jmpbufs.set(p.env, { area: p.area, sp: p.sp,
					bytes: this.u8().slice(p.area, end) });
				this.result = 0;
			} else if (p.op === 'fork') {
				const pid = nextPid++;
				const child = new Proc(pid, this);
				child.result = 0;
				const status = child.run(() => child.instance.exports._start(argsp), p);
				zombies.set(pid, (status & 0xff) << 8);
				this.result = pid;
			}
			rewind = p;
		}
	}

	syscall(nr, a, b, c, d, e, f) {
		if (trace) console.error(`[${this.pid}] syscall ${nr}(${a}, ${b}, ${c}, ${d}, ${e}, ${f})`);
		const u8 = () => this.u8(), dv = () => this.dv();
		switch (nr) {
		case 64: {	// write
			if (a !== 1 && a !== 2) return -EBADF;
			return writeSync(a, u8().slice(b >>> 0, (b >>> 0) + (c >>> 0)));
		}
		case 66: {	// writev
			if (a !== 1 && a !== 2) return -EBADF;
			let n = 0;
			for (let k = 0; k < c; k++) {
				const base = dv().getUint32(b + 8 * k, true);
				const len = dv().getUint32(b + 8 * k + 4, true);
				if (len) n += writeSync(a, u8().slice(base, base + len));
			}
			return n;
		}
		case 93: case 94:			// exit, exit_group
			if (this.vforkChild) {
				zombies.set(this.vforkChild, (a & 0xff) << 8);
				this.vforkChild = 0;
				return VFORK_RESUME;
			}
			throw new Exit(a);
		case 96: return this.pid;		// set_tid_address
		case 172: case 178:			// getpid, gettid
			return this.vforkChild || this.pid;
		case 173: return 1;			// getppid
		case 220:				// clone
			if ((a & (CLONE_VM | CLONE_VFORK)) === (CLONE_VM | CLONE_VFORK) && !b) {
				if (this.vforkChild) return -11;
				this.vforkChild = nextPid++;
				return this.vforkChild;
			}
			if (a & CLONE_VM) return -ENOSYS;	// threads
			return this.unwind(f, { op: 'fork' });
		case 95: {				// waitid(type, id, info, options)
			let pid = 0;
			for (const k of zombies.keys())
				if (a === 0 || k === b) { pid = k; break; }
			if (!pid) return -ECHILD;
			const st = zombies.get(pid);
			zombies.delete(pid);
			u8().fill(0, c, c + 128);
			dv().setInt32(c, SIGCHLD, true);
			dv().setInt32(c + 8, 1, true);		// CLD_EXITED
			dv().setInt32(c + 12, pid, true);
			dv().setInt32(c + 20, st >> 8, true);
			return 0;
		}
		case 214: return this.brk;		// brk: always fails
		case 222: {				// mmap2
			if (!(d & 0x20)) return -ENOSYS;	// MAP_ANONYMOUS only
			const len = ((b >>> 0) + 4095) & ~4095;
			const addr = this.mmapTop;
			this.mmapTop += len;
			const need = Math.ceil(this.mmapTop / PAGE) - this.memory.buffer.byteLength / PAGE;
			if (need > 0) this.memory.grow(need);
			u8().fill(0, addr, addr + len);
			return addr;
		}
		case 215: return 0;			// munmap (memory is not reused)
		case 216: return -ENOMEM;		// mremap
		case 226: case 233: return 0;		// mprotect, madvise
		case 29: return -ENOTTY;		// ioctl
		case 134: case 135: return 0;		// rt_sigaction, rt_sigprocmask
		case 403: {				// clock_gettime64
			const ns = process.hrtime.bigint();
			dv().setBigInt64(b, ns / 1000000000n, true);
			dv().setBigInt64(b + 8, ns % 1000000000n, true);
			return 0;
		}
		default:
			if (!trace) console.error(`run-node: unhandled syscall ${nr}`);
			return -ENOSYS;
		}
	}
}

const init = new Proc(1, null);

// The initial stack block: argc, argv, NULL, envp, NULL, auxv, AT_NULL.
const strings = [file, ...args];
const env = ['PATH=/bin'];
let sp = init.stackTop;
const put = (s) => {
	const bytes = new TextEncoder().encode(s + '\0');
	sp -= bytes.length;
	init.u8().set(bytes, sp);
	return sp;
};
const argvPtrs = strings.map(put), envPtrs = env.map(put);
const auxv = [[6, 4096], [11, 0], [12, 0], [13, 0], [14, 0], [0, 0]];	// AT_PAGESZ, uids
const words = [strings.length, ...argvPtrs, 0, ...envPtrs, 0, ...auxv.flat()];
sp = (sp - 4 * words.length) & ~15;
words.forEach((w, k) => init.dv().setUint32(sp + 4 * k, w, true));
init.sp.value = sp;
const argsp = sp;

const ex = init.instance.exports;
if (ex.__wasm_apply_data_relocs) ex.__wasm_apply_data_relocs();
process.exitCode = init.run(() => ex._start(argsp), null);
