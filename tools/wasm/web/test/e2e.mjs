#!/usr/bin/env node
// SPDX-License-Identifier: GPL-2.0
//
// End-to-end test of the web host in headless Chromium, driven by
// playwright-core.
//
// 1. serve.mjs on a free port with the cross-origin isolation headers; the
//    page boots the kernel, the test waits for the shell prompt in
//    window.wasmLinux.output (a line sent while the kernel boots must run
//    then: the console keeps input until the shell reads it), types
//    "uname -a", "echo $((6*7))" and a line that forks (a subshell, a
//    pipe, $(...)) into the terminal and reads "Linux ...", "42" and
//    "forked-2-PID" back, both from the console
//    output and from the terminal's screen, checks the devices (the console
//    is hvc0 of the virtio console, unless the query says console=host,
//    and /dev/hwrng gives bytes of the virtio entropy device), checks that
//    "stty size" is the terminal's size (window.wasmLinux.size: the virtio
//    console offers it), also after the viewport shrinks and the terminal
//    refits, then takes a screenshot.
// 2. serve.mjs without those headers: the page must say why it cannot run
//    (a readable explanation, not a blank page).
//
// Prints one TAP-style line per check ("ok - ..." or "not ok - ..."), then
// "web: boot to prompt N ms" (from the start of navigation to the prompt, as
// the page's performance.now() sees it) and "web: N passed, N failed".
// Writes into OUT/web/: screenshot.png, no-isolation.png, terminal.txt (the
// console output), browser-console.log and result.json.  Exits 0 if every
// check passed, 1 otherwise, 2 on bad usage.
//
// Usage: node test/e2e.mjs [--out DIR] [--root DIR] [--query STRING]
//                          [--input keyboard|send] [--only isolated|no-isolation]
//                          [--boot-timeout S] [--timeout S]
//
//   --out DIR        build directory served at /build/ (default $O, else
//                    the repository's build/); results go to DIR/web/
//   --root DIR       the page directory served at / (default: this host)
//   --query STRING   appended to the page's URL, e.g. "cpus=2"
//   --input MODE     keyboard (into the terminal, the default when the page
//                    has an xterm.js terminal) or send (wasmLinux.send)
//   --only WHICH     run only one of the two page loads
//   --boot-timeout S how long to wait for the prompt (default 120, or
//                    $WEB_BOOT_TIMEOUT)
//   --timeout S      the whole test (default 300, or $WEB_TEST_TIMEOUT)
//
// Environment: CHROMIUM (default /usr/bin/chromium), WEB_PROMPT (a regular
// expression the console output ends with at the prompt; default: a line
// ending in "# " or "$ ").

import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repoDir = path.resolve(webDir, '../../..');

function usage(msg)
{
	process.stderr.write(`e2e.mjs: ${msg}\n` +
		'usage: node test/e2e.mjs [--out DIR] [--root DIR] [--query STRING] ' +
		'[--input keyboard|send] [--only isolated|no-isolation] ' +
		'[--boot-timeout S] [--timeout S]\n');
	process.exit(2);
}

function parseArgs(argv)
{
	const env = process.env;
	const opts = {
		out: env.O ? path.resolve(env.O) : path.join(repoDir, 'build'),
		root: null,
		query: env.WEB_QUERY ?? '',
		input: null,
		only: null,
		bootTimeout: Number(env.WEB_BOOT_TIMEOUT ?? 120),
		timeout: Number(env.WEB_TEST_TIMEOUT ?? 300),
		chromium: env.CHROMIUM ?? '/usr/bin/chromium',
		prompt: new RegExp(env.WEB_PROMPT ?? '(^|\\n)[^\\n]*[#$] ?$'),
	};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const eq = a.startsWith('--') ? a.indexOf('=') : -1;
		const flag = eq > 0 ? a.slice(0, eq) : a;
		const value = () => {
			if (eq > 0)
				return a.slice(eq + 1);
			if (i + 1 >= argv.length)
				usage(`${flag} needs a value`);
			return argv[++i];
		};
		switch (flag) {
		case '--out': opts.out = path.resolve(value()); break;
		case '--root': opts.root = path.resolve(value()); break;
		case '--query': opts.query = value().replace(/^\?/, ''); break;
		case '--input': opts.input = value(); break;
		case '--only': opts.only = value(); break;
		case '--boot-timeout': opts.bootTimeout = Number(value()); break;
		case '--timeout': opts.timeout = Number(value()); break;
		default: usage(`unknown argument ${a}`);
		}
	}
	if (opts.input && !['keyboard', 'send'].includes(opts.input))
		usage(`--input is keyboard or send, not ${opts.input}`);
	if (opts.only && !['isolated', 'no-isolation'].includes(opts.only))
		usage(`--only is isolated or no-isolation, not ${opts.only}`);
	if (!(opts.bootTimeout > 0) || !(opts.timeout > 0))
		usage('timeouts are positive numbers of seconds');
	return opts;
}

const opts = parseArgs(process.argv.slice(2));
const resultDir = path.join(opts.out, 'web');
mkdirSync(resultDir, { recursive: true });

let passed = 0;
let failed = 0;
const result = { checks: [] };
const consoleLog = [];
const servers = [];
let browser = null;
let timedOut = false;

function log(msg) { process.stdout.write(msg + '\n'); }

function check(ok, name, detail)
{
	if (ok)
		passed++;
	else
		failed++;
	result.checks.push({ name, ok: !!ok });
	log(`${ok ? 'ok' : 'not ok'} - ${name}`);
	if (!ok && detail)
		log(String(detail).replace(/^/gm, '#   '));
	return !!ok;
}

// Terminal output as lines of text: no escape sequences, no CR.
function plainText(s)
{
	return String(s)
		.replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, '')
		.replace(/\x1b\][^\x07\x1b]*(\x07|\x1b\\)/g, '')
		.replace(/\x1b[@-Z\\-_]/g, '')
		.replace(/\r\n?/g, '\n');
}

function tail(text, n)
{
	return plainText(text).split('\n').slice(-n).join('\n');
}

async function cleanup()
{
	if (browser)
		await browser.close().catch(() => {});
	browser = null;
	for (const s of servers)
		s.kill('SIGTERM');
}

function finish(code)
{
	result.passed = passed;
	result.failed = failed;
	writeFileSync(path.join(resultDir, 'result.json'),
		JSON.stringify(result, null, '\t') + '\n');
	writeFileSync(path.join(resultDir, 'browser-console.log'),
		consoleLog.join('\n') + '\n');
	log(`web: ${passed} passed, ${failed} failed`);
	process.exit(code ?? (failed ? 1 : 0));
}

const overall = setTimeout(async () => {
	timedOut = true;
	check(false, `the whole test ends within ${opts.timeout} s`);
	await cleanup();
	finish(1);
}, opts.timeout * 1000);
overall.unref();

// serve.mjs on a free port; resolves to its URL.
function startServer(extraArgs)
{
	const args = [path.join(webDir, 'serve.mjs'), '--port', '0',
		'--out', opts.out, '--quiet', ...extraArgs];
	if (opts.root)
		args.push('--root', opts.root);
	const child = spawn(process.execPath, args,
		{ stdio: ['ignore', 'pipe', 'pipe'] });
	servers.push(child);
	let stderr = '';
	child.stderr.on('data', (d) => { stderr += d; });
	return new Promise((resolve, reject) => {
		let stdout = '';
		const timer = setTimeout(() =>
			reject(new Error(`serve.mjs did not start: ${stderr}`)), 15000);
		child.stdout.on('data', (d) => {
			stdout += d;
			const m = stdout.match(/^web: serving (http:\/\/\S+)/m);
			if (m) {
				clearTimeout(timer);
				resolve(m[1]);
			}
		});
		child.on('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`serve.mjs exited with ${code}: ${stderr}`));
		});
	});
}

async function newPage(name)
{
	const context = await browser.newContext({
		viewport: { width: 1024, height: 768 },
	});
	const page = await context.newPage();
	const errors = [];
	const seen = new WeakSet();
	const record = (where, msg) => {
		if (seen.has(msg))
			return;
		seen.add(msg);
		consoleLog.push(`[${name}] ${where}${msg.type()}: ${msg.text()}`);
	};
	page.on('console', (msg) => record(msg.worker?.() ? 'worker ' : '', msg));
	page.on('worker', (w) => w.on('console', (msg) => record('worker ', msg)));
	page.on('pageerror', (e) => {
		errors.push(e);
		consoleLog.push(`[${name}] uncaught: ${e.stack ?? e.message}`);
	});
	page.on('crash', () => {
		errors.push(new Error('the page crashed'));
		consoleLog.push(`[${name}] the page crashed`);
	});
	return { page, context, errors };
}

function consoleTail(name, n)
{
	const lines = consoleLog.filter((l) => l.startsWith(`[${name}]`));
	return lines.slice(-n).join('\n') || '(no browser console output)';
}

// window.wasmLinux's state and output, whatever their shape.
async function hostState(page)
{
	return page.evaluate(() => {
		const w = window.wasmLinux;
		if (!w)
			return null;
		let out = typeof w.output === 'function' ? w.output() : w.output;
		if (Array.isArray(out))
			out = out.join('');
		return { state: String(w.state), output: String(out ?? '') };
	}).catch((e) => ({ state: `(evaluate failed: ${e.message})`, output: '' }));
}

async function diagnose(page, name)
{
	const h = await hostState(page);
	return [
		`window.wasmLinux.state: ${h ? h.state : '(no window.wasmLinux)'}`,
		'console output, last lines:',
		h ? tail(h.output, 25) : '',
		'browser console, last lines:',
		consoleTail(name, 25),
	].join('\n');
}

// Waits until the console output, from character FROM on, matches RE
// (given as source and flags); resolves to the page's performance.now() at
// that point, or null on timeout.
async function waitOutput(page, from, re, timeoutMs)
{
	try {
		const handle = await page.waitForFunction(([from, src, flags]) => {
			const w = window.wasmLinux;
			if (!w)
				return false;
			let out = typeof w.output === 'function' ? w.output() : w.output;
			if (Array.isArray(out))
				out = out.join('');
			const text = String(out ?? '').slice(from)
				.replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, '')
				.replace(/\r\n?/g, '\n');
			if (new RegExp(src, flags).test(text))
				return performance.now();
			// A machine that stopped will not print it.
			return /^(unsupported|error|panic|fault|poweroff|reboot)$/
				.test(String(w.state)) ? -1 : false;
		}, [from, re.source, re.flags], { polling: 10, timeout: timeoutMs });
		const t = await handle.jsonValue();
		return t >= 0 ? t : null;
	} catch (e) {
		if (e.name === 'TimeoutError' || /Timeout/.test(e.message))
			return null;
		throw e;
	}
}

async function outputLength(page)
{
	return (await hostState(page))?.output.length ?? 0;
}

// The text on the terminal's screen (xterm.js's DOM renderer), or null.
async function screenText(page)
{
	return page.evaluate(() => {
		const rows = document.querySelector('.xterm-rows');
		return rows ? rows.innerText : null;
	});
}

async function typeLine(page, mode, line)
{
	if (mode === 'keyboard') {
		await page.keyboard.type(line, { delay: 5 });
		await page.keyboard.press('Enter');
	} else {
		await page.evaluate((t) => window.wasmLinux.send(t), line + '\r');
	}
}

// Types `line` and waits for its output (from the console output after
// it) to match `re`, then for the next prompt; resolves to that output or
// null.
async function runLine(page, mode, line, re)
{
	const from = await outputLength(page);
	await typeLine(page, mode, line);
	const seen = await waitOutput(page, from, re, 20000);
	await waitOutput(page, from, opts.prompt, 10000);
	if (seen === null)
		return null;
	return plainText((await hostState(page))?.output.slice(from) ?? '');
}

// The console and the entropy device: virtio ones (devices.js), unless
// the page runs the host console (console=host in the query).
async function checkDevices(page, mode)
{
	const host = new URLSearchParams(opts.query).get('console') === 'host';
	const text = await runLine(page, mode,
		'echo CONSOLE $(cat /sys/class/tty/console/active); ' +
		'echo DRV $(ls /sys/bus/virtio/drivers/virtio_console | grep virtio)',
		/(^|\n)DRV[^\n]*\n/);
	check(text !== null && /(^|\n)CONSOLE hvc0\n/.test(text),
		'the console is hvc0', await diagnose(page, 'isolated'));
	if (host)
		check(text !== null && /(^|\n)DRV\n/.test(text),
			'console=host: no virtio console device', text ?? '');
	else
		check(text !== null && /(^|\n)DRV virtio0\n/.test(text),
			'the virtio console driver binds virtio0', text ?? '');
	const rng = await runLine(page, mode, 'head -c 16 /dev/hwrng | od',
		/(^|\n)0000020\n/);
	const words = rng?.match(/(^|\n)0000000((?: [0-7]{6}){8})\n0000020\n/);
	check(words && !/^( 000000)+$/.test(words[2]),
		'head -c 16 /dev/hwrng | od prints 16 random bytes (virtio-rng)',
		rng ?? await diagnose(page, 'isolated'));
}

// The terminal's size as the page reports it (window.wasmLinux.size), or
// null.
async function pageSize(page)
{
	return page.evaluate(() => {
		const s = window.wasmLinux?.size;
		return s && typeof s.cols === 'number' ? { cols: s.cols, rows: s.rows } : null;
	});
}

// Runs "stty size" until it says `size` (the kernel takes a new size in a
// work item after the config interrupt); resolves to what it said last.
async function sttySize(page, mode, size)
{
	let said = null;
	for (let i = 0; i < 10; i++) {
		const text = await runLine(page, mode, 'echo size-$(stty size)',
			/(^|\n)size-[^\n]*\n/);
		said = text?.match(/(^|\n)(size-[^\n]*)\n/)?.[2] ?? null;
		if (said === `size-${size.rows} ${size.cols}`) {
			if (i > 0)
				log(`# stty size caught up after ${i + 1} tries`);
			break;
		}
		await page.waitForTimeout(300);
	}
	return said;
}

// The virtio console's size (VIRTIO_CONSOLE_F_SIZE) is the terminal's,
// and follows it when the viewport changes.
async function checkSize(page, mode)
{
	if (new URLSearchParams(opts.query).get('console') === 'host') {
		log('# console=host: the terminal size is not checked');
		return;
	}
	const size = await pageSize(page);
	if (size === null && await page.evaluate(() => window.wasmLinux.terminal === 'pre')) {
		log('# term=pre: no terminal size to check');
		return;
	}
	if (!check(size !== null, 'the page reports the terminal size (wasmLinux.size)',
		await diagnose(page, 'isolated')))
		return;
	let said = await sttySize(page, mode, size);
	check(said === `size-${size.rows} ${size.cols}`,
		`stty size is the terminal's (${size.rows} ${size.cols})`,
		`stty said: ${said}\n${await diagnose(page, 'isolated')}`);
	await page.setViewportSize({ width: 760, height: 520 });
	let fitted = null;
	for (let i = 0; i < 50; i++) {
		await page.waitForTimeout(100);
		fitted = await pageSize(page);
		if (fitted && (fitted.cols !== size.cols || fitted.rows !== size.rows))
			break;
	}
	if (!fitted || (fitted.cols === size.cols && fitted.rows === size.rows)) {
		log('# the terminal did not refit to a smaller viewport: resize not checked');
		return;
	}
	if (mode === 'keyboard')
		await page.focus('.xterm-helper-textarea');
	said = await sttySize(page, mode, fitted);
	check(said === `size-${fitted.rows} ${fitted.cols}`,
		`after a resize, stty size is the terminal's (${fitted.rows} ${fitted.cols})`,
		`stty said: ${said}\n${await diagnose(page, 'isolated')}`);
	await page.setViewportSize({ width: 1024, height: 768 });
	await page.waitForTimeout(200);
}

// The page served with the isolation headers: boot, shell, screenshot.
async function testIsolated()
{
	log('# the page with COOP/COEP: boot to a shell');
	const url = await startServer([]);
	const { page, errors } = await newPage('isolated');
	const pageUrl = url + (opts.query ? `?${opts.query}` : '');
	const response = await page.goto(pageUrl, { waitUntil: 'load' });
	const h = response?.headers() ?? {};
	check(response?.ok() && h['cross-origin-opener-policy'] === 'same-origin' &&
		h['cross-origin-embedder-policy'] === 'require-corp',
	'the page is served with COOP same-origin and COEP require-corp',
	`status ${response?.status()}, headers ${JSON.stringify(h)}`);
	check(await page.evaluate(() => self.crossOriginIsolated === true &&
		typeof SharedArrayBuffer === 'function'),
	'the page is cross-origin isolated (SharedArrayBuffer exists)');

	const hasHost = await page.waitForFunction(() => !!window.wasmLinux,
		null, { timeout: 10000 }).then(() => true, () => false);
	if (!check(hasHost, 'the page sets window.wasmLinux',
		await diagnose(page, 'isolated')))
		return;

	// Input that arrives while the kernel boots, before the console's
	// driver is there, waits for the shell.
	await page.evaluate(() => window.wasmLinux.send('echo EARLY-$((1+2))\r'));
	const bootMs = Math.max(opts.bootTimeout * 1000 -
		await page.evaluate(() => performance.now()), 1000);
	const firstOut = await waitOutput(page, 0, /\S/, bootMs);
	const prompt = await waitOutput(page, 0, opts.prompt, bootMs);
	if (!check(prompt !== null,
		`the shell prompt appears within ${opts.bootTimeout} s`,
		await diagnose(page, 'isolated'))) {
		await page.screenshot({ path: path.join(resultDir, 'screenshot.png') })
			.catch(() => {});
		const h = await hostState(page);
		writeFileSync(path.join(resultDir, 'terminal.txt'),
			plainText(h?.output ?? ''));
		return;
	}
	// The host's own time stamps (performance.now(), from the start of
	// navigation) are exact; the polled ones are within 10 ms.
	const timings = await page.evaluate(() => {
		const t = window.wasmLinux.timings;
		return t && typeof t === 'object' ? { ...t } : {};
	});
	result.host_timings = timings;
	result.first_output_ms = Math.round(typeof timings.output === 'number' ?
		timings.output : firstOut ?? prompt);
	result.boot_to_prompt_ms = Math.round(
		typeof timings.prompt === 'number' && timings.prompt <= prompt ?
			timings.prompt : prompt);

	const early = await waitOutput(page, 0, /(^|\n)EARLY-3\n[^\n]*[#$] ?$/, 20000);
	check(early !== null, 'a line sent during the boot runs in the shell',
		await diagnose(page, 'isolated'));

	const terminal = await page.$('.xterm-helper-textarea');
	const mode = opts.input ?? (terminal ? 'keyboard' : 'send');
	result.input = mode;
	if (mode === 'keyboard') {
		check(terminal !== null, 'the page has an xterm.js terminal to type into');
		if (!terminal)
			return;
		await page.click('.xterm');
		await terminal.focus();
	}
	log(`# typing into the ${mode === 'keyboard' ? 'terminal' : 'host with wasmLinux.send'}`);

	let from = await outputLength(page);
	await typeLine(page, mode, 'uname -a');
	const uname = await waitOutput(page, from,
		/(^|\n)Linux \S+ \d+\.\d+\S* .*\n/, 20000);
	check(uname !== null, 'uname -a prints "Linux ..."',
		await diagnose(page, 'isolated'));
	await waitOutput(page, from, opts.prompt, 10000);

	from = await outputLength(page);
	await typeLine(page, mode, 'echo $((6*7))');
	const answer = await waitOutput(page, from, /(^|\n)42\n/, 20000);
	check(answer !== null, 'echo $((6*7)) prints 42',
		await diagnose(page, 'isolated'));
	await waitOutput(page, from, opts.prompt, 10000);

	// The shell forks for a pipeline in a subshell and a command
	// substitution: fork, in Web Workers.
	from = await outputLength(page);
	await typeLine(page, mode, 'echo "forked-$( (echo 4; echo 5) | wc -l)-$$"');
	const forked = await waitOutput(page, from, /(^|\n)forked-2-\d+\n/, 20000);
	check(forked !== null, 'a subshell, a pipe and $(...) fork in the browser',
		await diagnose(page, 'isolated'));
	await waitOutput(page, from, opts.prompt, 10000);

	// xterm.js draws on the next animation frame.
	await page.waitForTimeout(200);
	const screen = await screenText(page);
	await checkDevices(page, mode);
	await checkSize(page, mode);
	if (screen !== null) {
		check(/(^|\n)Linux \S+/.test(screen) && /(^|\n)42\s*(\n|$)/.test(screen),
			'the terminal screen shows the uname line and 42',
			`screen:\n${screen.trimEnd().split('\n').slice(-12).join('\n')}`);
	} else {
		log('# no .xterm-rows (not the DOM renderer): screen text not checked');
	}
	const shot = path.join(resultDir, 'screenshot.png');
	await page.screenshot({ path: shot });
	log(`# screenshot: ${shot}`);
	const last = await hostState(page);
	writeFileSync(path.join(resultDir, 'terminal.txt'), plainText(last.output));
	check(errors.length === 0, 'no uncaught exception on the page',
		errors.map((e) => e.message).join('\n'));
	log(`web: boot to prompt ${result.boot_to_prompt_ms} ms`);
	const t = result.host_timings;
	const at = (k) => (typeof t[k] === 'number' ? `${Math.round(t[k])} ms` : '?');
	log(`# from the start of navigation: ` +
		(t.early !== undefined ? `early start ${at('early')}, ` : '') +
		(t.pageStart !== undefined ? `page script ${at('pageStart')}, ` : '') +
		(t.workerCode !== undefined ? `worker code ${at('workerCode')}, ` : '') +
		`first output ${result.first_output_ms} ms` +
		(t.fetched !== undefined ? `, fetched ${at('fetched')}, wasm_boot ` +
			`${at('boot')}, init ${at('init')}` : '') +
		`, prompt ${result.boot_to_prompt_ms} ms`);
	const stats = await page.evaluate(() => window.wasmLinux.stats ?? null);
	if (stats) {
		result.host_stats = stats;
		log(`# workers: ${stats.workers} started` +
			(stats.early ? ` (${stats.early.started} by the early script)` : '') +
			`, ${stats.idle} idle at the prompt; ${stats.waited} entries waited ` +
			`${Math.round(stats.waitMs)} ms in all for a worker`);
	}
}

// The page served without the isolation headers: an explanation.
async function testNoIsolation()
{
	log('# the page without COOP/COEP: a readable explanation');
	const url = await startServer(['--no-isolation']);
	const { page } = await newPage('no-isolation');
	const response = await page.goto(url, { waitUntil: 'load' });
	const h = response?.headers() ?? {};
	check(response?.ok() && !h['cross-origin-opener-policy'] &&
		!h['cross-origin-embedder-policy'],
	'the page is served without COOP/COEP', JSON.stringify(h));
	check(await page.evaluate(() => self.crossOriginIsolated === false),
		'the page is not cross-origin isolated');
	const explain = /cross-origin|COOP|COEP|SharedArrayBuffer|isolat/i;
	const shown = await page.waitForFunction((src) => {
		const text = document.body?.innerText ?? '';
		return new RegExp(src, 'i').test(text) && text.trim().length >= 40;
	}, explain.source, { timeout: 15000 }).then(() => true, () => false);
	const text = await page.evaluate(() => document.body?.innerText ?? '');
	check(shown, 'the page shows why it cannot run (visible text names ' +
		'cross-origin isolation / SharedArrayBuffer)',
	`visible text: ${JSON.stringify(text.trim().slice(0, 400))}\n` +
		consoleTail('no-isolation', 10));
	result.no_isolation_text = text.trim().slice(0, 1000);
	const shot = path.join(resultDir, 'no-isolation.png');
	await page.screenshot({ path: shot });
	log(`# screenshot: ${shot}`);
	const first = text.trim().split('\n').find((l) => explain.test(l));
	if (first)
		log(`# the page says: ${first.trim().slice(0, 200)}`);
}

try {
	browser = await chromium.launch({
		executablePath: opts.chromium,
		headless: true,
		// A freshly started Chromium also loads its omnibox popup (a
		// WebUI page in a renderer of its own), which takes about
		// 0.7 s of CPU time while the page boots: left out, so that
		// the boot time is the page's.
		args: ['--no-sandbox', '--disable-gpu',
			'--disable-background-networking',
			'--disable-component-update', '--disable-sync',
			'--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup'],
	});
	result.browser = `Chromium ${browser.version()}`;
	log(`# ${result.browser}, page results in ${resultDir}`);
	if (opts.only !== 'no-isolation')
		await testIsolated();
	if (opts.only !== 'isolated')
		await testNoIsolation();
} catch (e) {
	if (timedOut)
		await new Promise(() => {}); // the timer's finish() exits
	check(false, 'the test ran to the end', e.stack ?? e.message);
}
await cleanup();
finish();
