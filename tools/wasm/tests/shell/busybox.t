#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The BusyBox shell driven through the console's standard input, as a
# user would: printf '...' | make run.

. "$(dirname "$0")/../lib/tap.sh"

needs "$mod" "$out/initramfs.cpio" "$out/busybox/busybox"
printf '%s\n' 'uname -a' 'cat /proc/cpuinfo' 'echo hi | wc -c' \
	'ls /bin | wc -l' 'for i in 1 2 3; do echo n$i; done' \
	'sleep 1; echo slept' \
	'echo redir-$((6*7)) >/tmp/r; cat </tmp/r 2>/dev/null' \
	'sleep 10 & kill -KILL $!; wait $!; echo waited-$?' \
	'poweroff' >"$logs/sh.in"
boot sh 120 "$logs/sh.in" --cpus 2 --initramfs "$out/initramfs.cpio" \
	--append quiet
same "shell: poweroff ends the host with status 0" 0 $status
has "shell: uname -a names Linux on wasm32" "$logs/sh" \
	'^Linux [^ ]+ [0-9]+\.[0-9]+\.[0-9]+ .* wasm32'
has "shell: /proc/cpuinfo shows a WebAssembly CPU" "$logs/sh" \
	'^model name.*WebAssembly'
has "shell: a pipeline (echo hi | wc -c gives 3)" "$logs/sh" '^3$'
applets=$(grep -Ex '[0-9]+' "$logs/sh" | sort -n | tail -n 1)
t "shell: over 100 applets in /bin (${applets:-none})" \
	test "${applets:-0}" -gt 100
has "shell: a for loop (n1)" "$logs/sh" '^n1$'
has "shell: a for loop (n3)" "$logs/sh" '^n3$'
has "shell: sleep 1" "$logs/sh" '^slept$'
has "shell: redirections (> file, < file)" "$logs/sh" '^redir-42$'
has "shell: a background job, kill -KILL \$!, wait gives 137" "$logs/sh" \
	'^waited-137$'

done_testing
