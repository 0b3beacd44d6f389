#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The conformance tests built with the host's compiler and run natively:
# the reference the guest's results are compared with.  Each must pass on
# the host's Linux too.

. "$(dirname "$0")/../lib/tap.sh"

"$repo/tools/wasm/scripts/run-conformance-native.sh" \
	"$out" >"$logs/native" 2>"$logs/native.err"
for name in $(sed -n 's/^BEGIN //p' "$logs/native"); do
	section "$name" "$logs/native" >"$logs/$name.tap"
	import "native $name" "$logs/$name.tap"
	has "conformance $name passes natively (the reference)" \
		"$logs/$name.tap" "^END $name 0\$"
done
has "the native conformance run ran programs" "$logs/native" '^BEGIN '

done_testing
