// SPDX-License-Identifier: GPL-2.0
// @ts-check
//
// The host ABI this host implements (Documentation/arch/wasm/host-abi.rst)
// and the checks on the modules it runs: the kernel's imports and exports
// against the documented list, and user modules against the user ABI
// (Documentation/arch/wasm/user-abi.rst).

import { readInterface } from './wasm-parse.js';

// The numbers of the host ABI, each under the name of its row in the
// table "Numbers" of host-abi.rst, which test/abi-numbers.mjs compares
// them with; the errno values are negated, as the imports return them.

/** The host ABI version this host implements. */
export const HOST_ABI_VERSION = 4;

/** Size of a WebAssembly page; limits of mm_new() (4 GiB of pages). */
export const PAGE_SIZE = 65536;
export const MAX_PAGES = 65536;
/** Largest function table of one process (user.rs). */
export const MAX_TABLE = 1 << 20;

/** Alignment of the initramfs and of the command line (boot.rs). */
export const INITRD_ALIGN = 4096;
export const CMDLINE_ALIGN = 16;

/** Errnos the imports return. */
export const EAGAIN = -11;
export const ENOEXEC = -8;
export const ENOMEM = -12;
export const EFAULT = -14;
export const ENOSYS = -38;

/** Kinds of user_enter: a new image (_start), a clone child
 *  (__wasm_clone_start), a fork child (rewound from its parent's unwind). */
export const USER_EXEC = 1;
export const USER_CLONE = 2;
export const USER_FORK = 3;

/** Interrupt lines: 32 a CPU, the host's from 2; console input is line
 *  2, taken by CPU 0. */
export const NR_LINES = 32;
export const LINE_FIRST_DEVICE = 2;
export const LINE_CONSOLE = 2;
export const CONSOLE_CPU = 0;

/** Device registers from MMIO_BASE; virtio device i has the registers
 *  from MMIO_BASE + i * VIRTIO_WINDOW and line VIRTIO_FIRST_LINE + i. */
export const MMIO_BASE = 0xf0000000;
export const VIRTIO_WINDOW = 0x1000;
export const VIRTIO_FIRST_LINE = 3;

/** halt() reasons. */
export const HALT_POWEROFF = 0;
export const HALT_REBOOT = 1;
export const HALT_PANIC = 2;

/** Signals a user trap stands for; SIGKILL: a fork child whose parent
 *  never made its copy. */
export const SIGKILL = 9;
export const SIGILL = 4;
export const SIGBUS = 7;
export const SIGFPE = 8;
export const SIGSEGV = 11;

/** The generic syscall number of exit. */
export const NR_EXIT = 93;

/**
 * The machine-checked list at the end of host-abi.rst, as
 * "import|export module.name kind signature" lines.
 */
export const ABI_LIST = `
import env.memory memory shared
import host.console_write func (i32, i32) -> ()
import host.console_read func (i32, i32) -> (i32)
import host.clock_monotonic func () -> (i64)
import host.clock_realtime func () -> (i64)
import host.cpu_start func (i32, i32) -> (i32)
import host.task_spawn func (i32) -> (i32)
import host.task_exit func () -> ()
import host.halt func (i32, i32) -> ()
import host.random_fill func (i32, i32) -> ()
import host.mmio_read func (i32, i32) -> (i64)
import host.mmio_write func (i32, i32, i64, i32) -> ()
import host.mm_new func (i32, i32, i32) -> (i32)
import host.mm_grow func (i32, i32) -> (i32)
import host.mm_free func (i32) -> ()
import host.mm_add_module func (i32, i32, i32, i32, i32) -> (i32)
import host.user_copy_from func (i32, i32, i32, i32) -> (i32)
import host.user_copy_to func (i32, i32, i32, i32) -> (i32)
import host.user_clear func (i32, i32, i32) -> (i32)
import host.user_cmpxchg32 func (i32, i32, i32, i32, i32) -> (i32)
import host.user_enter func (i32, i32, i32) -> ()
import host.user_sp func () -> (i32)
import host.user_signal func (i32, i32, i32, i32, i32, i32) -> (i32)
import host.mm_fork func (i32) -> (i32)
import host.user_fork func (i32, i32, i32, i32) -> ()
import host.user_rewound func () -> ()
export wasm_abi_version func () -> (i32)
export wasm_boot func (i32, i32, i32, i32) -> ()
export wasm_secondary_start func (i32, i32) -> ()
export wasm_task_start func (i32) -> ()
export wasm_irq_pending global i32
export wasm_irq_affinity global i32
export wasm_syscall func (i32, i32, i32, i32, i32, i32, i32) -> (i32)
export wasm_kernel_interrupt func () -> ()
export wasm_user_preempt func () -> ()
export wasm_user_trap func (i32) -> ()
`.trim().split('\n');

function sigText(t) {
	return `(${t.params.join(', ')}) -> (${t.results.join(', ')})`;
}

/**
 * The kernel module's interface as lines in the format of ABI_LIST
 * (sorted as the documented list is not: compare as sets).
 */
export function describeKernel(iface) {
	const lines = [];
	for (const i of iface.imports) {
		let what;
		if (i.kind === 'memory')
			what = `memory${i.type.shared ? ' shared' : ''}`;
		else if (i.kind === 'function')
			what = `func ${sigText(i.type)}`;
		else if (i.kind === 'global')
			what = `global ${i.type.mutable ? 'mut ' : ''}${i.type.type}`;
		else
			what = i.kind;
		lines.push(`import ${i.module}.${i.name} ${what}`);
	}
	for (const [name, e] of iface.exports) {
		let what;
		if (e.kind === 'function')
			what = `func ${sigText(e.type)}`;
		else if (e.kind === 'global')
			what = `global ${e.type.mutable ? 'mut ' : ''}${e.type.type}`;
		else
			what = e.kind;
		lines.push(`export ${name} ${what}`);
	}
	return lines;
}

/** Exports the host calls: a kernel without them cannot run here.  (It
 *  calls no other export: wasm_user_preempt and wasm_kernel_interrupt
 *  need a way to interrupt running wasm, which browsers do not have.) */
const CALLED_EXPORTS = ['wasm_abi_version', 'wasm_boot', 'wasm_secondary_start',
	'wasm_task_start', 'wasm_irq_pending', 'wasm_syscall', 'wasm_user_trap'];

/**
 * Checks a kernel module against the documented ABI.  Returns
 * { ok, exact, missing, extra, memory: {min, max, shared} } where missing
 * are documented lines the module lacks and extra are lines of the module
 * that are not documented.  ok: the host can run it (every import is one
 * it provides, every export it calls is there with its type); exact: the
 * module's interface is the documented list.
 */
export function checkKernel(bytes) {
	const iface = readInterface(bytes);
	const have = new Set(describeKernel(iface));
	const want = new Set(ABI_LIST);
	const missing = [...want].filter((l) => !have.has(l));
	const extra = [...have].filter((l) => !want.has(l));
	const mem = iface.imports.find((i) => i.module === 'env' && i.name === 'memory');
	const fatal = [...missing, ...extra].filter((l) => l.startsWith('import ') ||
		CALLED_EXPORTS.includes(l.split(' ')[1]));
	return {
		ok: fatal.length === 0,
		exact: missing.length === 0 && extra.length === 0,
		fatal,
		missing,
		extra,
		memory: mem && mem.kind === 'memory' ? mem.type : null,
	};
}

/**
 * Whether the host can link a user module (user.rs check_module): every
 * import is one the user ABI defines, with the right type, and the entry
 * points the host calls have the types it calls them with.  Returns null
 * or a message.
 */
export function checkUserModule(iface) {
	for (const i of iface.imports) {
		const t = i.type;
		let ok = false;
		if (i.module === 'env' && i.name === 'memory')
			ok = i.kind === 'memory' && t.shared;
		else if (i.module === 'env' && i.name === '__indirect_function_table')
			ok = i.kind === 'table' && t.elem === 'funcref';
		else if (i.module === 'env' && i.name === '__stack_pointer')
			ok = i.kind === 'global' && t.type === 'i32' && t.mutable;
		else if (i.module === 'env' && (i.name === '__memory_base' || i.name === '__table_base'))
			ok = i.kind === 'global' && t.type === 'i32' && !t.mutable;
		else if (i.module === 'env' && (i.name === '__asyncify_state' || i.name === '__asyncify_data'))
			ok = i.kind === 'global' && t.type === 'i32' && t.mutable;
		else if (i.module === 'GOT.mem' || i.module === 'GOT.func')
			ok = i.kind === 'global' && t.type === 'i32' && t.mutable;
		else if (i.module === 'env')
			ok = i.kind === 'function' || i.kind === 'tag';
		else if (i.module === 'linux' && i.name === 'syscall')
			ok = i.kind === 'function' &&
				t.sig === '(i32,i32,i32,i32,i32,i32,i32)->(i32)';
		else if (i.module === 'linux' && i.name === 'setjmp')
			ok = i.kind === 'function' && t.sig === '(i32,i32)->(i32)';
		else if (i.module === 'linux' && i.name === 'longjmp')
			ok = i.kind === 'function' && t.sig === '(i32,i32)->()';
		if (!ok)
			return `unsupported import ${i.module}.${i.name}`;
	}
	for (const [name, params] of [['_start', 1], ['__wasm_clone_start', 1],
		['__wasm_signal', 5], ['__wasm_apply_data_relocs', 0]]) {
		const e = iface.exports.get(name);
		if (!e)
			continue;
		if (e.kind !== 'function' || e.type.results.length !== 0 ||
		    e.type.params.length !== params ||
		    !e.type.params.every((p) => p === 'i32'))
			return `export ${name} has the wrong type`;
	}
	return null;
}

/**
 * Whether every function and tag the module imports from env is exported,
 * with the same type, by one of the modules added before it (user.rs
 * check_links).  `before` are interfaces.  Returns null or a message.
 */
export function checkUserLinks(iface, before) {
	for (const i of iface.imports) {
		if (i.module !== 'env' || (i.kind !== 'function' && i.kind !== 'tag'))
			continue;
		const found = before.some((b) => {
			const e = b.exports.get(i.name);
			return e && e.kind === i.kind && e.type.sig === i.type.sig;
		});
		if (!found)
			return `undefined symbol env.${i.name}`;
	}
	return null;
}

/**
 * Where the boot data goes (boot.rs place()): the initramfs page-aligned
 * at the end of a memory of memSize bytes, the NUL-terminated command line
 * below it, both above imageEnd.  Throws if they do not fit.
 */
export function place(memSize, imageEnd, cmdlineLen, initrdSize) {
	const tooSmall = () => new Error(
		`guest memory of ${memSize >> 10} KiB is too small for the kernel image ` +
		`(${Math.ceil(imageEnd / 1024)} KiB), a ${cmdlineLen}-byte command line ` +
		`and a ${initrdSize}-byte initramfs`);
	let top = memSize;
	let initrdStart = 0;
	if (initrdSize > 0) {
		if (initrdSize > top)
			throw tooSmall();
		initrdStart = top - initrdSize;
		initrdStart -= initrdStart % INITRD_ALIGN;
		top = initrdStart;
	}
	if (cmdlineLen > top)
		throw tooSmall();
	let cmdline = top - cmdlineLen;
	cmdline -= cmdline % CMDLINE_ALIGN;
	if (cmdline < imageEnd)
		throw tooSmall();
	return { cmdline, initrdStart, initrdSize };
}
