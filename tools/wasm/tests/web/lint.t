#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The web host's JavaScript: TypeScript's checker over src/ (// @ts-check,
# tsconfig.json: tsc --noEmit with allowJs and checkJs), node --check of
# every module, and the workers' modules joined into one by bundle.js.
# The npm packages (typescript among them) are installed first by
# web.sh setup: npm ci when node_modules is missing or older than
# package-lock.json.

. "$(dirname "$0")/../lib/tap.sh"

web=$repo/tools/wasm/web

t "web host: the npm packages are installed (web.sh setup)" \
	"$repo/tools/wasm/scripts/web.sh" setup "$repo"
t "web host: tsc --noEmit --allowJs --checkJs over src/ (tsconfig.json)" \
	"$web/node_modules/.bin/tsc" -p "$web"
for f in "$web"/src/*.js "$web"/serve.mjs "$web"/test/*.mjs; do
	t "web host: node --check ${f#"$web"/}" node --check "$f"
done
t "web host: bundle.js joins worker.js and its imports into one module" \
	node "$web/test/bundle-check.mjs"

done_testing
