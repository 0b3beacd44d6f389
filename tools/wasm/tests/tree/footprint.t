#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The footprint outside arch/wasm: no tracked file is a copy of a kernel
# file (by content; tiny files such as an SPDX line alone are not
# meaningful copies), and upstream-changes.rst counts the files the patch
# series touches.

. "$(dirname "$0")/../lib/tap.sh"

base=$(ls -d "$cache"/base/linux-* 2>/dev/null | sort -V | tail -n 1)
[ -n "$base" ] || bail "no pristine kernel tree in $cache/base (run: make setup)"
(cd "$base" && find . -type f -size +127c -print0 |
	xargs -0 sha1sum | cut -d' ' -f1 | sort -u) >"$logs/upstream.sha1"
(cd "$repo" && git ls-files -z | xargs -0 sha1sum) | sort >"$logs/ours.sha1"
join "$logs/upstream.sha1" "$logs/ours.sha1" >"$logs/copies"
same "no tracked file is a copy of a kernel source file" "" \
	"$(cut -d' ' -f2- "$logs/copies" | tr '\n' ' ')"
n=$(grep -v '^#' "$repo/tools/wasm/patches/series" |
	sed "s|^|$repo/tools/wasm/patches/|" | xargs cat |
	sed -n 's|^+++ b/||p' | sort -u | wc -l)
has "the patch series touches the $n upstream files documented" \
	"$repo/Documentation/arch/wasm/upstream-changes.rst" \
	"It touches \*\*$n files\*\*"
drop_if_passed "$logs/upstream.sha1"

done_testing
