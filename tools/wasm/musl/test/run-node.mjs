// SPDX-License-Identifier: MIT
//
// A stand-in host for smoke-testing musl-linked modules under node (>= 20),
// without the kernel: it instantiates a PIE module as the wasm32 user ABI
// says (env.memory, __indirect_function_table, __stack_pointer,
// __memory_base, __table_base, linux.syscall), builds the initial stack
// block, calls __wasm_apply_data_relocs and _start(p), and emulates the
// few syscalls a simple single-threaded program makes.  Threads (clone)
// are not emulated; build such tests with -DNO_THREADS, and with
// WASM_SJLJ=0 -DNO_SJLJ for a node without exnref.
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
const memory = new WebAssembly.Memory({ initial: 64, maximum: 65536, shared: true });
const memoryBase = 1024;
const tableBase = 1;
const table = new WebAssembly.Table({ initial: tableBase + dl.tableSize, element: 'anyfunc' });
const stackSize = 1 << 20;
let brk = (memoryBase + dl.memorySize + 15) & ~15;
const stackLow = (brk + 4095) & ~4095;
const stackTop = stackLow + stackSize;
let mmapTop = stackTop;	// anonymous mappings go up from here
const stackPointer = new WebAssembly.Global({ value: 'i32', mutable: true }, stackTop);

const u8 = () => new Uint8Array(memory.buffer);
const dv = () => new DataView(memory.buffer);
const ENOSYS = 38, ENOMEM = 12, ENOTTY = 25, EBADF = 9;

class Exit { constructor(code) { this.code = code; } }

const trace = process.env.TRACE_SYSCALLS;
function syscall(nr, a, b, c, d, e, f) {
	if (trace) console.error(`syscall ${nr}(${a}, ${b}, ${c}, ${d}, ${e}, ${f})`);
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
	case 93: case 94: throw new Exit(a);	// exit, exit_group
	case 96: return 1;			// set_tid_address
	case 172: case 178: return 1;		// getpid, gettid
	case 214: return brk;			// brk: always fails
	case 222: {				// mmap2
		if (!(d & 0x20)) return -ENOSYS;	// MAP_ANONYMOUS only
		const len = ((b >>> 0) + 4095) & ~4095;
		const addr = mmapTop;
		mmapTop += len;
		const need = Math.ceil(mmapTop / PAGE) - memory.buffer.byteLength / PAGE;
		if (need > 0) memory.grow(need);
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

const instance = new WebAssembly.Instance(module, {
	env: {
		memory,
		__indirect_function_table: table,
		__stack_pointer: stackPointer,
		__memory_base: new WebAssembly.Global({ value: 'i32', mutable: false }, memoryBase),
		__table_base: new WebAssembly.Global({ value: 'i32', mutable: false }, tableBase),
	},
	linux: { syscall },
});

// The initial stack block: argc, argv, NULL, envp, NULL, auxv, AT_NULL.
const strings = [file, ...args];
const env = ['PATH=/bin'];
let sp = stackTop;
const put = (s) => {
	const bytes = new TextEncoder().encode(s + '\0');
	sp -= bytes.length;
	u8().set(bytes, sp);
	return sp;
};
const argvPtrs = strings.map(put), envPtrs = env.map(put);
const auxv = [[6, 4096], [11, 0], [12, 0], [13, 0], [14, 0], [0, 0]];	// AT_PAGESZ, uids
const words = [strings.length, ...argvPtrs, 0, ...envPtrs, 0, ...auxv.flat()];
sp = (sp - 4 * words.length) & ~15;
words.forEach((w, k) => dv().setUint32(sp + 4 * k, w, true));
stackPointer.value = sp;

const ex = instance.exports;
try {
	if (ex.__wasm_apply_data_relocs) ex.__wasm_apply_data_relocs();
	ex._start(sp);
	console.error('run-node: _start returned');
	process.exitCode = 1;
} catch (e) {
	if (!(e instanceof Exit)) throw e;
	process.exitCode = e.code;
}
