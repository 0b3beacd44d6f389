// SPDX-License-Identifier: GPL-2.0
// @ts-check
//
// Joins a module and the sibling modules it imports into one module, for
// starting many workers from it.  A worker that starts from a graph of
// modules loads each of them on its own (each a round trip through the
// browser's loader), which costs Chromium about as much as starting the
// worker's thread and engine: one module halves what a worker costs.
//
// Only what this directory's modules use is understood: static imports of
// siblings (`import * as ns from './x.js'`, `import { a, b as c } from
// './x.js'`) at the start of a line, and exports as `export const|let|
// function|async function|class NAME` at the start of a line.  Every
// module but the entry runs in a function of its own (its names stay its
// own) and returns its exports; the entry stays at the top level (it may
// use top-level await).  Anything else throws, and the caller starts its
// workers from the module graph instead.

const IMPORT_RE = /^import\s+(?:\*\s+as\s+(\w+)|\{([^}]*)\})\s+from\s+'\.\/([\w.-]+\.js)';?[ \t]*$/gm;
const EXPORT_RE = /^export\s+(?:(?:const|let|class|function)\s+(\w+)|async\s+function\s+(\w+))/gm;
const OTHER_RE = /^\s*(?:import\s*(?:[*{'"]|\w+\s*(?:,|from\b))|export\s+(?:default|var|\{|\*))/m;

/** The source of `name` with its imports made local names of the bundle:
 *  { body, deps, exports }. */
function rewrite(name, text) {
	const deps = [];
	let body = text.replace(IMPORT_RE, (_, ns, list, dep) => {
		deps.push(dep);
		const v = modVar(dep);
		if (ns)
			return `const ${ns} = ${v};`;
		const parts = list.split(',').map((s) => s.trim()).filter(Boolean).map((s) => {
			const m = s.match(/^(\w+)(?:\s+as\s+(\w+))?$/);
			if (!m)
				throw new Error(`${name}: cannot bundle the import of ${s}`);
			return m[2] ? `${m[1]}: ${m[2]}` : m[1];
		});
		return `const { ${parts.join(', ')} } = ${v};`;
	});
	const exports = [];
	body = body.replace(EXPORT_RE, (all, n1, n2) => {
		exports.push(n1 ?? n2);
		return all.replace(/^export\s+/, '');
	});
	if (OTHER_RE.test(body))
		throw new Error(`${name}: an import or export this bundler does not handle`);
	return { body, deps, exports };
}

function modVar(name) {
	return `__module_${name.replace(/\W/g, '_')}`;
}

/**
 * Bundles `entry` and its imports, whose sources `load(name)` resolves
 * to.  Resolves to the text of one module.
 */
export async function bundle(entry, load) {
	const mods = new Map();
	const order = [];	// dependencies first
	const visit = async (name, depth) => {
		if (mods.has(name))
			return mods.get(name).ready;
		if (depth > 32)
			throw new Error('import cycle');
		const m = { ready: null };
		mods.set(name, m);
		m.ready = (async () => {
			Object.assign(m, rewrite(name, await load(name)));
			await Promise.all(m.deps.map((d) => visit(d, depth + 1)));
			order.push(name);
		})();
		return m.ready;
	};
	await visit(entry, 0);
	const out = [];
	for (const name of order) {
		const m = mods.get(name);
		if (name === entry)
			out.push(`// ${name}\n${m.body}`);
		else
			out.push(`// ${name}\nconst ${modVar(name)} = (() => {\n${m.body}\n` +
				`return Object.freeze({ ${m.exports.join(', ')} });\n})();`);
	}
	return out.join('\n');
}

/**
 * The code to start workers from: `base`worker.js and its imports joined
 * into one module, as a blob: URL, so that each of the many workers loads
 * one module (which halves what a worker costs to start) and requests
 * nothing; else (it cannot be joined) the plain URL.  The page's
 * modulepreload links under `base` are fetched at once first (from the
 * cache they filled) rather than one import level after another.
 * Resolves to { url, type }.
 */
export async function workerCode(base) {
	const texts = new Map();
	const get = (name) => {
		if (!texts.has(name)) {
			const p = fetch(new URL(name, base), { cache: 'force-cache' }).then((res) => {
				if (!res.ok)
					throw new Error(`${name}: HTTP ${res.status}`);
				return res.text();
			});
			p.catch(() => {});
			texts.set(name, p);
		}
		return texts.get(name);
	};
	for (const link of globalThis.document?.querySelectorAll('link[rel=modulepreload]') ?? []) {
		const url = new URL(/** @type {HTMLLinkElement} */ (link).href, globalThis.location?.href);
		const name = url.href.slice(base.href.length);
		if (url.href.startsWith(base.href) && /^[\w.-]+\.js$/.test(name))
			get(name);
	}
	try {
		const text = await bundle('worker.js', get);
		return { url: URL.createObjectURL(new Blob([text], { type: 'text/javascript' })), type: 'module' };
	} catch (e) {
		console.warn('starting workers from their URL:', e);
		return { url: new URL('worker.js', base).href, type: 'module' };
	}
}
