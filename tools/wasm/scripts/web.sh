#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The web host: serve the page, or test it in headless Chromium.
#
# Usage: web.sh serve|test|setup [REPO_DIR [OUT_DIR]] [-- ARGS...]
#
#   serve  tools/wasm/web/serve.mjs: the page on http://127.0.0.1:PORT/
#          with the COOP/COEP headers, OUT_DIR at /build/ (WEB_PORT=,
#          default 8080; ARGS go to serve.mjs, e.g. -- --no-isolation)
#   test   tools/wasm/web/test/e2e.mjs: boots the page in headless
#          Chromium, types into the shell, checks the page without the
#          headers; results in OUT_DIR/web/ (ARGS go to e2e.mjs)
#   setup  only install the npm packages (for the web host's other tests)
#
# REPO_DIR defaults to this script's repository, OUT_DIR to $O or
# REPO_DIR/build.  First installs what is missing: the npm packages of
# tools/wasm/web (npm ci, when node_modules is missing or older than
# package-lock.json) and, for test, Debian's chromium (apt-get, as root).
# Needs OUT_DIR/vmlinux.wasm and OUT_DIR/initramfs.cpio (make userspace).

set -eu

usage() { echo "usage: web.sh serve|test|setup [REPO_DIR [OUT_DIR]] [-- ARGS...]" >&2; exit 2; }
die() { echo "web: $*" >&2; exit 1; }

mode=${1:-}
case "$mode" in
serve|test|setup) shift ;;
*) usage ;;
esac
repo=$(cd "$(dirname "$0")/../../.." && pwd)
if [ $# -gt 0 ] && [ "$1" != -- ]; then repo=$1; shift; fi
out=${O:-$repo/build}
if [ $# -gt 0 ] && [ "$1" != -- ]; then out=$1; shift; fi
if [ $# -gt 0 ]; then
	[ "$1" = -- ] || usage
	shift
fi
case "$out" in
/*) ;;
*) out=$(pwd)/$out ;;
esac
web=$repo/tools/wasm/web
chromium=${CHROMIUM:-/usr/bin/chromium}

# Node.js 20 or newer (playwright-core needs it; so do the page's modules
# served by serve.mjs).
command -v node >/dev/null || die "node is needed (Node.js 20 or newer)"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] ||
	die "Node.js $(node --version) is too old: 20 or newer is needed"

# npm packages, exactly as package-lock.json pins them; node_modules/
# .package-lock.json is what npm ci writes last.
stamp=$web/node_modules/.package-lock.json
if ! [ -f "$stamp" ] || [ "$web/package-lock.json" -nt "$stamp" ]; then
	echo "  SETUP   npm ci (tools/wasm/web)" >&2
	command -v npm >/dev/null || die "npm is needed"
	(cd "$web" && npm ci --ignore-scripts --no-audit --no-fund \
		--loglevel=error >&2) || die "npm ci failed in $web"
fi
[ "$mode" != setup ] || exit 0

if [ "$mode" = test ] && ! [ -x "$chromium" ]; then
	echo "  SETUP   apt-get install chromium" >&2
	[ "$(id -u)" = 0 ] ||
		die "$chromium is missing (run as root or: apt-get install chromium)"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends chromium >/dev/null
	[ -x "$chromium" ] || die "apt-get install chromium gave no $chromium"
fi

for f in vmlinux.wasm initramfs.cpio; do
	[ -f "$out/$f" ] && continue
	[ "$mode" = test ] && die "no $out/$f (run: make userspace)"
	echo "web: warning: no $out/$f yet (run: make userspace)" >&2
done

case "$mode" in
serve)
	export O="$out"
	exec node "$web/serve.mjs" --out "$out" "$@"
	;;
test)
	export O="$out"
	exec node "$web/test/e2e.mjs" --out "$out" "$@"
	;;
esac
