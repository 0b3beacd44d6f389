#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make bench: lmbench-style figures for the wasm32 guest on the native host,
# next to the same programs run natively on this machine.
#
# Usage: bench.sh REPO_DIR OUT_DIR HOST_TARGET_DIR
#
# Builds the programs of tools/wasm/bench twice (wasm-linux-cc -O2 -static
# for the guest; clang-22 -O2 natively, so that both sides have the same
# compiler, and a fresh machine needs no gcc), packs them with the BusyBox initramfs
# into BENCH_OUT/initramfs.cpio (OUT_DIR/initramfs.cpio is left alone),
# runs tools/wasm/bench/run.sh natively and in one guest boot (--cpus 2),
# then boots BENCH_RUNS more times for the boot time, once with --cpus 4
# for the host CPU an idle guest uses, and once with a virtio disk for dd.
# Keeps the outputs in BENCH_OUT (the logs, and meta.txt: what the run was),
# from which bench_report.py prints a table and writes BENCH_OUT/results.csv,
# results.json and raw.txt (every run's figures).  To write the report
# again from the files of a run:
#
#   python3 tools/wasm/scripts/bench_report.py [--out DIR] BENCH_OUT
#
# Environment:
#   BENCH_OUT        where results go (default OUT_DIR/bench)
#   BENCH_RUNS       runs per figure, the median is reported (default 5)
#   BENCH_TARGET_MS  how long each program's measured loop runs (300)
#   BENCH_IDLE_RUNS  10 s idle periods measured (default 3)
#   BENCH_WEB=0      leave out the web host's boot in headless Chromium
#   WASM_LINUX_CACHE the host's cache of compiled modules (host default)
#
# Needs the kernel (OUT_DIR/vmlinux.wasm) and the host; musl, BusyBox and
# OUT_DIR/initramfs.list are built with the usual scripts if missing.

set -eu

repo=${1:?usage: bench.sh REPO_DIR OUT_DIR HOST_TARGET_DIR}
out=${2:?usage: bench.sh REPO_DIR OUT_DIR HOST_TARGET_DIR}
host_target=${3:?usage: bench.sh REPO_DIR OUT_DIR HOST_TARGET_DIR}
host=$host_target/release/wasm-linux
mod=$out/vmlinux.wasm
bdir=${BENCH_OUT:-$out/bench}
runs=${BENCH_RUNS:-5}
idle_runs=${BENCH_IDLE_RUNS:-3}
export BENCH_TARGET_MS=${BENCH_TARGET_MS:-300}
src=$repo/tools/wasm/bench
scripts=$repo/tools/wasm/scripts
sysroot=$out/musl/sysroot
gen=$out/usr/gen_init_cpio
progs="lat_syscall lat_pipe lat_proc lat_thread exit0 cpu run_prog"

die() { echo "bench: $*" >&2; exit 1; }
step() { echo "== $*" >&2; }

# --- what we need ---------------------------------------------------------

[ -x "$host" ] || die "no host at $host (run: make host)"
[ -f "$mod" ] || die "no kernel at $mod (run: make, or make userspace)"
[ -x "$gen" ] || die "no $gen, it comes with the kernel build (run: make)"
if [ ! -f "$sysroot/lib/libc.a" ]; then
	step "musl"
	"$scripts/build-musl.sh" "$out/musl" >&2 ||
		die "building musl failed (run: make userspace)"
fi
if [ ! -f "$out/busybox/_install/bin/busybox" ]; then
	step "BusyBox"
	"$scripts/build-busybox.sh" "$out" >&2 ||
		die "building BusyBox failed (run: make userspace)"
fi
if [ ! -s "$out/initramfs.list" ]; then
	step "initramfs"
	GEN_INIT_CPIO=$gen "$scripts/make-initramfs.sh" "$out" >&2 ||
		die "making the initramfs failed (run: make userspace)"
fi
command -v clang-22 >/dev/null || die "no clang-22 (run: make setup)"

mkdir -p "$bdir/guest" "$bdir/native"
bdir=$(cd "$bdir" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Every boot runs the same kernel, even if OUT_DIR/vmlinux.wasm is rebuilt
# meanwhile (the host's cache goes by content: the copy is not recompiled).
cp "$mod" "$bdir/vmlinux.wasm"
mod=$bdir/vmlinux.wasm
load=$(cut -d' ' -f1-3 /proc/loadavg)

# --- the programs ---------------------------------------------------------

step "building the benchmark programs"
export WASM_SYSROOT=$sysroot
warn="-Wall -Wextra"
for p in $progs; do
	"$scripts/wasm-linux-cc" -O2 -static $warn -o "$bdir/guest/$p" "$src/$p.c" ||
		die "wasm-linux-cc $p.c failed"
	case $p in
	exit0)	ncc="clang-22 -O2 -static" ;;
	*)	ncc="clang-22 -O2 -pthread" ;;
	esac
	# shellcheck disable=SC2086
	$ncc $warn -o "$bdir/native/$p" "$src/$p.c" || die "$ncc $p.c failed"
done
# The CPU rows once more without fork support (no Asyncify); natively the
# same program.
"$scripts/wasm-linux-cc" -O2 -static -mno-fork $warn -o "$bdir/guest/cpu-nofork" \
	"$src/cpu.c" || die "wasm-linux-cc -mno-fork cpu.c failed"
cp "$bdir/native/cpu" "$bdir/native/cpu-nofork"
progs="$progs cpu-nofork"

# A real program: the gzip of make ports (-O2 -msimd128) against the same
# source, fetched, checked and unpacked as build-ports.sh does it, and
# configured with its recipe's arguments (DEFS=NO_ASM: no x86 assembly),
# natively with clang-22 -O2.  Left out, with a message, without make
# ports.
guest_gzip=$out/ports/root/usr/bin/gzip
if [ -x "$guest_gzip" ]; then
	cp "$guest_gzip" "$bdir/guest/gzip"
	progs="$progs gzip"
	(
		here=$scripts
		# shellcheck source=tools/wasm/scripts/paths.sh
		. "$scripts/paths.sh"
		# shellcheck source=tools/wasm/scripts/ports-lib.sh
		. "$scripts/ports-lib.sh"
		recipe gzip
		nat=$bdir/native-gzip
		stamp="$sha256 $configure_args clang-22 -O2"
		if [ "$(cat "$nat/stamp" 2>/dev/null)" != "$stamp" ]; then
			step "native gzip $version"
			rm -rf "$nat"
			mkdir -p "$nat"
			fetch_source
			unpack_source "$nat/src" "$nat/build.log"
			cd "$nat/src"
			# shellcheck disable=SC2086 # the recipe's words
			./configure CC=clang-22 CFLAGS=-O2 $configure_args \
				>>"$nat/build.log" 2>&1 &&
				make -j2 >>"$nat/build.log" 2>&1 ||
				die "the native gzip build failed, see $nat/build.log"
			echo "$stamp" >"$nat/stamp"
		fi
	) || exit 1
	cp "$bdir/native-gzip/src/gzip" "$bdir/native/gzip"
else
	step "no $guest_gzip: the gzip row is left out (run: make ports)"
	rm -f "$bdir/guest/gzip" "$bdir/native/gzip"
fi

# The private initramfs: the BusyBox one plus /usr/lib/bench.
gdir=/usr/lib/bench
{
	cat "$out/initramfs.list"
	echo "# tools/wasm/scripts/bench.sh"
	echo "dir /usr 0755 0 0"
	echo "dir /usr/lib 0755 0 0"
	echo "dir $gdir 0755 0 0"
	for p in $progs; do
		echo "file $gdir/$p $bdir/guest/$p 0755 0 0"
	done
	echo "file $gdir/run.sh $src/run.sh 0644 0 0"
} >"$bdir/initramfs.list"
"$gen" -t 0 "$bdir/initramfs.list" >"$bdir/initramfs.cpio"
cpio=$bdir/initramfs.cpio

# --- native ---------------------------------------------------------------

step "native: $runs runs of each program"
sh "$src/run.sh" "$bdir/native" "$runs" >"$bdir/native.log" 2>&1 ||
	die "the native run failed, see $bdir/native.log"
grep -q '^BENCH-DONE 0$' "$bdir/native.log" ||
	die "a native benchmark failed, see $bdir/native.log"

# --- the guest: every program in one boot ---------------------------------

step "guest: $runs runs of each program, one boot (--cpus 2)"
{
	echo 'echo "UNAME $(uname -r)"; echo "BUILD $(uname -v)"'
	echo "BENCH_TARGET_MS=$BENCH_TARGET_MS sh $gdir/run.sh $gdir $runs"
	echo 'poweroff'
} >"$tmp/guest.in"
status=0
timeout 1200 "$host" run "$mod" --cpus 2 --initramfs "$cpio" --append quiet \
	<"$tmp/guest.in" >"$tmp/guest.raw" 2>&1 || status=$?
tr -d '\r' <"$tmp/guest.raw" >"$bdir/guest.log"
[ $status -eq 0 ] || die "the guest run ended with host status $status, see $bdir/guest.log"
grep -q '^BENCH-DONE 0$' "$bdir/guest.log" ||
	die "a guest benchmark failed, see $bdir/guest.log"

# --- boots driven through the console --------------------------------------

# mawk reads a pipe in blocks unless told otherwise.
awk_in=awk
if awk -W version 2>&1 | grep -q mawk; then
	awk_in="awk -W interactive"
fi

# boot NAME CPUS INPUT: boot with INPUT on the console and the host's
# output read line by line as it comes: "BENCH-PROMPT" marks the shell's
# first command, "IDLE-BEGIN"/"IDLE-END" an idle period; the reader adds
# "@@ <mark> <ns since the epoch> <host utime+stime in ticks>" lines to
# its log, which goes to BENCH_OUT/boot.log between "@@ BOOT NAME" and
# "@@ START <ns since the epoch at the host's start>".  Sets $status.
boot()
{
	name=$1 cpus=$2 input=$3
	fifo=$tmp/$name.fifo
	rm -f "$fifo" "$tmp/$name.pid"
	mkfifo "$fifo"
	# shellcheck disable=SC2016
	$awk_in -v pidfile="$tmp/$name.pid" '
	function mark(what,   cmd, t, f, l, rest, a, pid) {
		cmd = "date +%s%N"; cmd | getline t; close(cmd)
		ticks = -1
		if ((getline pid < pidfile) > 0) {
			close(pidfile)
			f = "/proc/" pid "/stat"
			if ((getline l < f) > 0) {
				rest = substr(l, index(l, ") ") + 2)
				split(rest, a, " ")
				ticks = a[12] + a[13]	# utime + stime
			}
			close(f)
		}
		print "@@ " what " " t " " ticks
		fflush()
	}
	{ gsub(/\r/, ""); print; fflush() }
	$0 == "BENCH-PROMPT" || $0 == "IDLE-BEGIN" || $0 == "IDLE-END" { mark($0) }
	' <"$fifo" >"$tmp/$name.log" &
	reader=$!
	t0=$(date +%s%N)
	"$host" run "$mod" --stats --cpus "$cpus" --initramfs "$cpio" \
		<"$input" >"$fifo" 2>&1 &
	hpid=$!
	echo "$hpid" >"$tmp/$name.pid"
	# A watchdog: no run may hang the benchmark.
	(
		sleep 300 &
		sp=$!
		trap 'kill $sp 2>/dev/null; exit 0' TERM
		wait $sp
		kill "$hpid" 2>/dev/null
	) &
	dog=$!
	status=0
	wait "$hpid" || status=$?
	kill "$dog" 2>/dev/null || :
	wait "$reader" || :
	wait "$dog" 2>/dev/null || :
	{
		echo "@@ BOOT $name"
		cat "$tmp/$name.log"
		echo "@@ START $t0"
	} >>"$bdir/boot.log"
}

step "boot to the shell prompt: $runs boots (--cpus 2)"
: >"$bdir/boot.log"
# The marker is quoted so that the echo of the typed line does not match.
printf '%s\n' 'echo BENCH"-"PROMPT' 'poweroff' >"$tmp/boot.in"
i=0
while [ $i -lt "$runs" ]; do
	boot boot$i 2 "$tmp/boot.in"
	[ $status -eq 0 ] || die "boot $i ended with host status $status, see $bdir/boot.log"
	i=$((i + 1))
done

step "idle: $idle_runs x sleep 10 in the guest shell (--cpus 4)"
{
	# Let the boot settle first.
	echo 'sleep 2'
	i=0
	while [ $i -lt "$idle_runs" ]; do
		echo 'echo IDLE"-"BEGIN; sleep 10; echo IDLE"-"END'
		i=$((i + 1))
	done
	echo 'poweroff'
} >"$tmp/idle.in"
boot idle 4 "$tmp/idle.in"
[ $status -eq 0 ] || die "the idle boot ended with host status $status, see $bdir/boot.log"

# --- the virtio disk --------------------------------------------------------

# 256 MB sequential write (conv=fsync: to the host file and fdatasync) and
# read (the guest's page cache dropped first, so every block crosses
# virtio; the host's cache stays warm) on a raw virtio-blk disk, next to
# the same dd on a file of this machine (read from its warm page cache).
# dd's "copied, T s" gives the time; the figure is MB/s (10^6 bytes).
ddmb=256
step "disk: $runs x dd of $ddmb MB, write and read, guest /dev/vda and native file"
disk=$bdir/disk.img
rm -f "$disk"
truncate -s $((ddmb + 16))M "$disk"
{
	i=0
	while [ $i -lt "$runs" ]; do
		# Short lines: the shell's line editor is on the console.
		echo "echo DD-WRITE; dd if=/dev/zero of=/dev/vda bs=1M count=$ddmb conv=fsync"
		echo 'echo 3 >/proc/sys/vm/drop_caches'
		echo "echo DD-READ; dd if=/dev/vda of=/dev/null bs=1M count=$ddmb"
		i=$((i + 1))
	done
	echo 'poweroff'
} >"$tmp/dd.in"
status=0
timeout 1200 "$host" run "$mod" --cpus 2 --initramfs "$cpio" --disk "$disk" \
	--append quiet <"$tmp/dd.in" >"$tmp/dd.raw" 2>&1 || status=$?
tr -d '\r' <"$tmp/dd.raw" >"$bdir/dd-guest.log"
rm -f "$disk"
[ $status -eq 0 ] || die "the disk boot ended with host status $status, see $bdir/dd-guest.log"
# dd's "copied, T s" after a DD-READ line (bench_report.py reads them all).
sed -n '/^DD-READ$/,$p' "$bdir/dd-guest.log" | grep -q ' copied, ' ||
	die "no dd figures from the guest, see $bdir/dd-guest.log"
nfile=$bdir/dd-native.img
i=0
while [ $i -lt "$runs" ]; do
	echo DD-WRITE
	dd if=/dev/zero of="$nfile" bs=1M count=$ddmb conv=fsync 2>&1
	echo DD-READ
	dd if="$nfile" of=/dev/null bs=1M count=$ddmb 2>&1
	i=$((i + 1))
done >"$bdir/dd-native.log"
rm -f "$nfile"

# --- the web host ---------------------------------------------------------

# Boot to the shell prompt in headless Chromium (tools/wasm/web), once per
# run, its "web: boot to prompt N ms" lines in BENCH_OUT/web.log;
# BENCH_WEB=0 leaves it out.
rm -f "$bdir/web.log"
if [ "${BENCH_WEB:-1}" != 0 ]; then
	step "web host: boot to the shell prompt in headless Chromium, $runs runs"
	i=1
	while [ $i -le "$runs" ]; do
		"$repo/tools/wasm/scripts/web.sh" test "$repo" "$out" -- \
			--only isolated >>"$bdir/web.log" 2>&1 ||
			die "the web test failed, see the end of $bdir/web.log"
		i=$((i + 1))
	done
fi

# --- the report -----------------------------------------------------------

cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
wasmtime=$(sed -n '/^name = "wasmtime"$/ { n; s/[^0-9.]//g; p; q; }' \
	"$repo/tools/wasm/host/Cargo.lock")
clang=$(clang-22 --version | head -n 1)

# What the run was, "KEY VALUE" lines for bench_report.py; the figures and
# the guest's uname come from the logs.
{
	echo "date $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "cpu ${cpu_model:-unknown}"
	echo "cores $(getconf _NPROCESSORS_ONLN)"
	echo "host_kernel $(uname -sr)"
	echo "wasmtime ${wasmtime:-unknown}"
	echo "clang $clang"
	echo "cc $clang"
	echo "load $load"
	echo "runs $runs"
	echo "idle_runs $idle_runs"
	echo "target_ms $BENCH_TARGET_MS"
	echo "hz $(getconf CLK_TCK)"
	echo "dd_mb $ddmb"
} >"$bdir/meta.txt"

python3 "$scripts/bench_report.py" "$bdir"

# Code size with and without fork support (the Asyncify instrumentation).
size() { wc -c <"$1" | tr -d ' '; }
echo
echo "code size, with and without fork support (wasm-linux-cc -mno-fork):"
for pair in "cpu $bdir/guest/cpu $bdir/guest/cpu-nofork" \
	    "busybox $out/busybox/busybox $out/busybox/busybox.nofork" \
	    "libc.so $sysroot/lib/libc.so $out/musl/musl-src/lib/libc.so.plain"; do
	# shellcheck disable=SC2086
	set -- $pair
	[ -f "$2" ] && [ -f "$3" ] || continue
	with=$(size "$2") without=$(size "$3")
	printf '   %-10s %10s B %10s B %6s\n' "$1" "$with" "$without" \
		"$(awk -v a="$with" -v b="$without" 'BEGIN { printf "%.2fx", a / b }')"
done
echo
echo "results: $bdir/results.csv, $bdir/results.json (logs and raw.txt there too)"
