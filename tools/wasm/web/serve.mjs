#!/usr/bin/env node
// SPDX-License-Identifier: GPL-2.0
//
// A static file server for the web host, with no dependencies.
//
//   /                tools/wasm/web/ (the page and its modules)
//   /build/          the build output directory: vmlinux.wasm, initramfs.cpio
//   /node_modules/   tools/wasm/web/node_modules (xterm.js)
//
// Every response carries Cross-Origin-Opener-Policy: same-origin,
// Cross-Origin-Embedder-Policy: require-corp and
// Cross-Origin-Resource-Policy: same-origin, which make the page
// cross-origin isolated: SharedArrayBuffer, and so a shared
// WebAssembly.Memory, exist only then.  --no-isolation leaves them out (the
// page must then explain what is missing).
//
// Usage: node serve.mjs [--port N] [--host ADDR] [--out DIR] [--root DIR]
//                       [--no-isolation] [--quiet]
//
//   --port N        port (default $WEB_PORT or 8080; 0 picks a free one)
//   --host ADDR     address to bind (default 127.0.0.1)
//   --out DIR       what /build/ serves (default $O, else the repository's
//                   build/)
//   --root DIR      what / serves (default this directory)
//   --no-isolation  no COOP/COEP/CORP headers (also WEB_NO_ISOLATION=1)
//   --quiet         no request log on standard error
//
// Prints "web: serving http://ADDR:PORT/" on standard output once it
// listens, then serves until SIGINT or SIGTERM.

import { createReadStream, promises as fs } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const webDir = path.dirname(fileURLToPath(import.meta.url));
const repoDir = path.resolve(webDir, '../../..');

const MIME = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.mjs': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.json': 'application/json; charset=utf-8',
	'.map': 'application/json; charset=utf-8',
	'.wasm': 'application/wasm',
	'.cpio': 'application/octet-stream',
	'.img': 'application/octet-stream',
	'.bin': 'application/octet-stream',
	'.png': 'image/png',
	'.svg': 'image/svg+xml',
	'.ico': 'image/x-icon',
	'.txt': 'text/plain; charset=utf-8',
	'.md': 'text/plain; charset=utf-8',
	'.log': 'text/plain; charset=utf-8',
};

function usage(msg)
{
	if (msg)
		process.stderr.write(`serve.mjs: ${msg}\n`);
	process.stderr.write('usage: node serve.mjs [--port N] [--host ADDR] ' +
		'[--out DIR] [--root DIR] [--no-isolation] [--quiet]\n');
	process.exit(2);
}

function parseArgs(argv)
{
	const env = process.env;
	const opts = {
		port: env.WEB_PORT ?? '8080',
		host: '127.0.0.1',
		out: env.O ? path.resolve(env.O) : path.join(repoDir, 'build'),
		root: webDir,
		isolation: !['1', 'yes', 'true'].includes(env.WEB_NO_ISOLATION ?? ''),
		quiet: false,
	};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const [flag, inline] = a.startsWith('--') && a.includes('=') ?
			[a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] :
			[a, undefined];
		const value = () => {
			if (inline !== undefined)
				return inline;
			if (i + 1 >= argv.length)
				usage(`${flag} needs a value`);
			return argv[++i];
		};
		switch (flag) {
		case '--port': opts.port = value(); break;
		case '--host': opts.host = value(); break;
		case '--out': opts.out = path.resolve(value()); break;
		case '--root': opts.root = path.resolve(value()); break;
		case '--no-isolation': opts.isolation = false; break;
		case '--quiet': opts.quiet = true; break;
		case '-h': case '--help': usage();
		// fall through (usage exits)
		default: usage(`unknown argument ${a}`);
		}
	}
	if (!/^\d+$/.test(String(opts.port)) || Number(opts.port) > 65535)
		usage(`bad port ${opts.port}`);
	opts.port = Number(opts.port);
	return opts;
}

const opts = parseArgs(process.argv.slice(2));

// URL path prefix -> directory; the longest prefix wins.
const mounts = [
	['/build/', opts.out],
	['/node_modules/', path.join(webDir, 'node_modules')],
	['/', opts.root],
];

function headers(extra)
{
	const h = {
		'Cache-Control': 'no-cache',
		'X-Content-Type-Options': 'nosniff',
		...extra,
	};
	if (opts.isolation) {
		h['Cross-Origin-Opener-Policy'] = 'same-origin';
		h['Cross-Origin-Embedder-Policy'] = 'require-corp';
		h['Cross-Origin-Resource-Policy'] = 'same-origin';
	}
	return h;
}

function plain(res, status, text, extra)
{
	const body = Buffer.from(text + '\n');
	res.writeHead(status, headers({
		'Content-Type': 'text/plain; charset=utf-8',
		'Content-Length': body.length,
		...extra,
	}));
	res.end(res.req.method === 'HEAD' ? undefined : body);
}

// The file for a URL path, or null if it is outside every mount.
function resolve(urlPath)
{
	for (const [prefix, dir] of mounts) {
		if (!urlPath.startsWith(prefix))
			continue;
		const rel = urlPath.slice(prefix.length);
		const file = path.resolve(dir, '.' + path.posix.sep + rel);
		if (file !== dir && !file.startsWith(dir + path.sep))
			return null;
		return file;
	}
	return null;
}

async function handle(req, res)
{
	if (req.method !== 'GET' && req.method !== 'HEAD')
		return plain(res, 405, 'method not allowed', { Allow: 'GET, HEAD' });

	let urlPath;
	try {
		urlPath = decodeURIComponent(new URL(req.url, 'http://x').pathname);
	} catch {
		return plain(res, 400, 'bad request');
	}
	if (urlPath.includes('\0'))
		return plain(res, 400, 'bad request');

	let file = resolve(urlPath);
	if (!file)
		return plain(res, 403, 'forbidden');

	let st = await fs.stat(file).catch(() => null);
	if (st?.isDirectory()) {
		if (!urlPath.endsWith('/'))
			return plain(res, 301, 'moved',
				{ Location: urlPath + '/' });
		file = path.join(file, 'index.html');
		st = await fs.stat(file).catch(() => null);
	}
	if (!st?.isFile()) {
		// Browsers ask for it unprompted: no error in the console.
		if (urlPath === '/favicon.ico') {
			res.writeHead(204, headers({}));
			return res.end();
		}
		if (!opts.quiet)
			process.stderr.write(`serve: 404 ${urlPath}\n`);
		return plain(res, 404, `not found: ${urlPath}`);
	}

	const etag = `W/"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`;
	const type = MIME[path.extname(file).toLowerCase()] ??
		'application/octet-stream';
	if (req.headers['if-none-match'] === etag) {
		res.writeHead(304, headers({ ETag: etag }));
		return res.end();
	}
	res.writeHead(200, headers({
		'Content-Type': type,
		'Content-Length': st.size,
		'Last-Modified': st.mtime.toUTCString(),
		ETag: etag,
	}));
	if (req.method === 'HEAD')
		return res.end();
	const stream = createReadStream(file);
	stream.on('error', () => res.destroy());
	stream.pipe(res);
}

const server = createServer((req, res) => {
	handle(req, res).catch((e) => {
		process.stderr.write(`serve: ${req.url}: ${e.message}\n`);
		if (!res.headersSent)
			plain(res, 500, 'internal error');
		else
			res.destroy();
	});
});

server.on('error', (e) => {
	if (e.code === 'EADDRINUSE')
		process.stderr.write(`serve.mjs: ${opts.host}:${opts.port} is in ` +
			'use; pick another port with --port N or WEB_PORT=N\n');
	else
		process.stderr.write(`serve.mjs: ${e.message}\n`);
	process.exit(1);
});

server.listen(opts.port, opts.host, () => {
	const { port } = server.address();
	const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
	process.stdout.write(`web: serving http://${host}:${port}/\n`);
	if (!opts.quiet) {
		process.stderr.write(`serve: / = ${opts.root}, /build/ = ${opts.out}` +
			(opts.isolation ? '' :
				', WITHOUT the COOP/COEP headers') + '\n');
	}
});

for (const sig of ['SIGINT', 'SIGTERM']) {
	process.on(sig, () => {
		server.close();
		server.closeAllConnections();
		process.exit(0);
	});
}
