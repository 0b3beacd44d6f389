// SPDX-License-Identifier: GPL-2.0
// @ts-check
//
// A small reader of the WebAssembly binary format: just what the host needs
// and the JavaScript API does not give (browsers have no type reflection):
// the types of a module's imports and exports, and the limits of its
// memory imports.  Only the type, import, function, global, tag and export
// sections are read; code and data are skipped by their sizes.

/** A malformed or unsupported module. */
export class ParseError extends Error {}

const utf8 = new TextDecoder('utf-8', { fatal: true });

class Reader {
	constructor(bytes, pos = 0, end = bytes.length) {
		this.b = bytes;
		this.pos = pos;
		this.end = end;
	}

	byte() {
		if (this.pos >= this.end)
			throw new ParseError('unexpected end of module');
		return this.b[this.pos++];
	}

	// Unsigned LEB128 up to 32 bits.
	u32() {
		let result = 0;
		let shift = 0;
		for (;;) {
			const b = this.byte();
			if (shift === 28 && (b & 0x70))
				throw new ParseError('LEB128 number too large');
			result |= (b & 0x7f) << shift;
			if (!(b & 0x80))
				return result >>> 0;
			shift += 7;
			if (shift > 28)
				throw new ParseError('LEB128 number too long');
		}
	}

	// Signed LEB128 up to 33 bits (heap types), returned as a number.
	s33() {
		let result = 0;
		let mul = 1;
		let b;
		let n = 0;
		do {
			b = this.byte();
			result += (b & 0x7f) * mul;
			mul *= 128;
			if (++n > 5)
				throw new ParseError('LEB128 number too long');
		} while (b & 0x80);
		if (b & 0x40)
			result -= mul;
		return result;
	}

	name() {
		const len = this.u32();
		if (this.pos + len > this.end)
			throw new ParseError('name past the end of its section');
		// A copy: TextDecoder refuses views of shared memory.
		const s = utf8.decode(this.b.slice(this.pos, this.pos + len));
		this.pos += len;
		return s;
	}
}

const NUM_TYPES = {
	0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128',
	0x70: 'funcref', 0x6f: 'externref', 0x69: 'exnref', 0x74: 'noexn',
	0x73: 'nofunc', 0x72: 'noextern', 0x71: 'none', 0x6e: 'any',
	0x6d: 'eq', 0x6c: 'i31', 0x6b: 'struct', 0x6a: 'array',
};

// A value type as a string (types are compared as strings).
function valType(r) {
	const t = r.byte();
	if (t === 0x63 || t === 0x64) {
		const heap = r.s33();
		return `(ref${t === 0x63 ? ' null' : ''} ${heap})`;
	}
	const name = NUM_TYPES[t];
	if (!name)
		throw new ParseError(`unknown value type 0x${t.toString(16)}`);
	return name;
}

function limits(r) {
	const flags = r.byte();
	if (flags & ~0x07)
		throw new ParseError(`unknown limits flags 0x${flags.toString(16)}`);
	const is64 = !!(flags & 4);
	if (is64)
		throw new ParseError('64-bit limits are not supported');
	const min = r.u32();
	const max = flags & 1 ? r.u32() : null;
	return { min, max, shared: !!(flags & 2) };
}

function globalType(r) {
	const type = valType(r);
	const m = r.byte();
	if (m > 1)
		throw new ParseError('bad global mutability');
	return { type, mutable: m === 1 };
}

// A function type as { params: [...], results: [...], sig: "(..)->(..)" }.
function funcType(r) {
	const params = [];
	const results = [];
	for (let n = r.u32(); n > 0; n--)
		params.push(valType(r));
	for (let n = r.u32(); n > 0; n--)
		results.push(valType(r));
	return { params, results, sig: `(${params.join(',')})->(${results.join(',')})` };
}

function typeEntry(r, types) {
	const form = r.byte();
	if (form === 0x60) {
		types.push(funcType(r));
		return;
	}
	if (form === 0x4e) {		// rec group
		for (let n = r.u32(); n > 0; n--)
			typeEntry(r, types);
		return;
	}
	if (form === 0x50 || form === 0x4f) {	// sub / sub final
		for (let n = r.u32(); n > 0; n--)
			r.u32();
		typeEntry(r, types);
		return;
	}
	// Struct and array types: not used by the modules this host runs.
	throw new ParseError(`unsupported type form 0x${form.toString(16)}`);
}

const KINDS = ['function', 'table', 'memory', 'global', 'tag'];

/**
 * Reads the interface of a module: its imports and exports with their
 * types.  Throws ParseError for anything malformed.
 *
 * Returns { imports: [{module, name, kind, type}], exports: Map(name ->
 * {kind, type}) } where type is, by kind: function and tag {params,
 * results, sig}; memory {min, max, shared}; table {elem, min, max};
 * global {type, mutable}.
 */
export function readInterface(bytes) {
	if (!(bytes instanceof Uint8Array))
		bytes = new Uint8Array(bytes);
	const head = new Reader(bytes);
	const magic = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
	for (const m of magic)
		if (head.byte() !== m)
			throw new ParseError('not a WebAssembly module (version 1)');
	const types = [];
	const imports = [];
	const funcs = [];	// type of every function, imported ones first
	const tables = [];
	const memories = [];
	const globals = [];
	const tags = [];
	const exportList = [];
	let pos = 8;
	while (pos < bytes.length) {
		const r = new Reader(bytes, pos);
		const id = r.byte();
		const size = r.u32();
		const start = r.pos;
		const end = start + size;
		if (end > bytes.length)
			throw new ParseError(`section ${id} runs past the end`);
		const s = new Reader(bytes, start, end);
		switch (id) {
		case 1:
			for (let n = s.u32(); n > 0; n--)
				typeEntry(s, types);
			break;
		case 2:
			for (let n = s.u32(); n > 0; n--) {
				const module = s.name();
				const name = s.name();
				const k = s.byte();
				let type;
				if (k === 0) {
					type = types[s.u32()];
					funcs.push(type);
				} else if (k === 1) {
					type = { elem: valType(s), ...limits(s) };
					tables.push(type);
				} else if (k === 2) {
					type = limits(s);
					memories.push(type);
				} else if (k === 3) {
					type = globalType(s);
					globals.push(type);
				} else if (k === 4) {
					if (s.byte() !== 0)
						throw new ParseError('bad tag attribute');
					type = types[s.u32()];
					tags.push(type);
				} else {
					throw new ParseError(`unknown import kind ${k}`);
				}
				if (!type)
					throw new ParseError(`import ${module}.${name}: bad type index`);
				imports.push({ module, name, kind: KINDS[k], type });
			}
			break;
		case 3:
			for (let n = s.u32(); n > 0; n--)
				funcs.push(types[s.u32()]);
			break;
		case 4:
			for (let n = s.u32(); n > 0; n--) {
				if (s.b[s.pos] === 0x40)
					throw new ParseError('table initialisers are not supported');
				tables.push({ elem: valType(s), ...limits(s) });
			}
			break;
		case 5:
			for (let n = s.u32(); n > 0; n--)
				memories.push(limits(s));
			break;
		case 6:
			// Globals have initialiser expressions; only their types
			// matter here, and they come before the expression.
			for (let n = s.u32(); n > 0; n--) {
				globals.push(globalType(s));
				skipConstExpr(s);
			}
			break;
		case 7:
			for (let n = s.u32(); n > 0; n--) {
				const name = s.name();
				const k = s.byte();
				const index = s.u32();
				exportList.push({ name, k, index });
			}
			break;
		case 13:
			for (let n = s.u32(); n > 0; n--) {
				if (s.byte() !== 0)
					throw new ParseError('bad tag attribute');
				tags.push(types[s.u32()]);
			}
			break;
		default:
			break;
		}
		pos = end;
	}
	const spaces = [funcs, tables, memories, globals, tags];
	const exports = new Map();
	for (const { name, k, index } of exportList) {
		if (k >= spaces.length)
			throw new ParseError(`unknown export kind ${k}`);
		const type = spaces[k][index];
		if (!type)
			throw new ParseError(`export ${name}: bad index`);
		exports.set(name, { kind: KINDS[k], type });
	}
	return { imports, exports };
}

// Skips a constant expression (global initialisers): a few opcodes and
// their immediates, up to the final `end`.
function skipConstExpr(s) {
	for (;;) {
		const op = s.byte();
		switch (op) {
		case 0x0b: return;
		case 0x41: s.s33(); break;			// i32.const
		case 0x42: skipLeb(s); break;			// i64.const
		case 0x43: s.pos += 4; break;			// f32.const
		case 0x44: s.pos += 8; break;			// f64.const
		case 0x23: s.u32(); break;			// global.get
		case 0xd0: s.s33(); break;			// ref.null
		case 0xd2: s.u32(); break;			// ref.func
		case 0x6a: case 0x6b: case 0x6c:		// i32 add/sub/mul
		case 0x7c: case 0x7d: case 0x7e: break;	// i64 add/sub/mul
		case 0xfd: s.u32(); s.pos += 16; break;		// v128.const
		default:
			throw new ParseError(`unsupported constant opcode 0x${op.toString(16)}`);
		}
	}
}

function skipLeb(s) {
	while (s.byte() & 0x80)
		;
}
