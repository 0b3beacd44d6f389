#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Booting the kernel alone: through start_kernel on 1, 2 and 4 CPUs to
# the no-init panic (host status 1), panic=-1 as a reboot, --stats and
# the compiled-module cache, and an idle kernel's host CPU time.

. "$(dirname "$0")/../lib/tap.sh"

needs "$mod" "$out/usr/gen_init_cpio"
# An /init that is no program: with no initramfs at all the kernel would
# look for a root disk instead.
printf 'dir /dev 755 0 0\nnod /dev/console 600 0 0 c 5 1\nfile /init %s 644 0 0\n' \
	"$repo/README.md" >"$logs/noinit.list"
"$out/usr/gen_init_cpio" "$logs/noinit.list" >"$logs/noinit.cpio"

for cpus in 1 2 4; do
	boot boot$cpus 120 /dev/null --cpus $cpus --initramfs "$logs/noinit.cpio"
	same "boot with --cpus $cpus: host status 1 (the no-init panic)" 1 $status
	has "boot with --cpus $cpus: the kernel finds no init" "$logs/boot$cpus" \
		'No working init found'
	has "boot with --cpus $cpus brings up $cpus CPUs" "$logs/boot$cpus" \
		"smp: Brought up 1 node, $cpus CPU"
done
head -n 1 "$logs/boot2" >"$logs/first-line"
has "the host console shows the kernel log from its first line" \
	"$logs/first-line" 'Linux version [0-9]'
figure "boot to the no-init panic (--cpus 2): $(sed -n \
	's/^\[ *\([0-9.]*\)\] Kernel panic.*/\1 s kernel time/p' "$logs/boot2")"

boot reboot 120 /dev/null --append "panic=-1"
same "panic=-1 makes the panic a reboot: host status 4" 4 $status
boot stats 120 /dev/null --stats --initramfs "$logs/noinit.cpio"
has "--stats prints the boot time to init" "$logs/stats" \
	'^wasm-linux: boot: [0-9.]* ms to init'
has "a second boot maps the compiled kernel from the cache" "$logs/stats" \
	'^wasm-linux: boot: .*\(loading the module'
figure "$(grep -h '^wasm-linux: boot:' "$logs/stats")"

# 3 s asleep in rootdelay (then no root disk: a panic).  An idle kernel
# takes some 20 ms of host CPU there; a polling idle loop would take
# 6000 ms on 2 CPUs, so the bound is far from both.
boot idle 120 /dev/null --stats --append "rootdelay=3"
cpu_ms=$(sed -n 's/^wasm-linux: ran .*; host CPU \([0-9]*\)\..*/\1/p' \
	"$logs/idle")
figure "host CPU of an idle kernel over 3 s: ${cpu_ms:-?} ms"
t "an idle kernel uses little host CPU (${cpu_ms:-?} ms in 3 s, bound 300)" \
	test "${cpu_ms:-99999}" -lt 300

done_testing
