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
# Prints a table and writes BENCH_OUT/results.csv and
# BENCH_OUT/results.json (and raw.txt, the logs).
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
progs="lat_syscall lat_pipe lat_proc lat_thread exit0 cpu"

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

raw=$bdir/raw.txt
: >"$raw"

# --- native ---------------------------------------------------------------

step "native: $runs runs of each program"
sh "$src/run.sh" "$bdir/native" "$runs" >"$bdir/native.log" 2>&1 ||
	die "the native run failed, see $bdir/native.log"
grep -q '^BENCH-DONE 0$' "$bdir/native.log" ||
	die "a native benchmark failed, see $bdir/native.log"
awk '$1 == "RESULT" { print "native", $2, $3 }' "$bdir/native.log" >>"$raw"

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
awk '$1 == "RESULT" { print "guest", $2, $3 }' "$bdir/guest.log" >>"$raw"
guest_kernel=$(sed -n 's/^UNAME //p' "$bdir/guest.log" | head -n 1)
guest_build=$(sed -n 's/^BUILD //p' "$bdir/guest.log" | head -n 1)

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
# the log $tmp/NAME.log.  Sets $status.
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
	echo "@@ START $t0" >>"$tmp/$name.log"
	cat "$tmp/$name.log" >>"$bdir/boot.log"
}

step "boot to the shell prompt: $runs boots (--cpus 2)"
: >"$bdir/boot.log"
# The marker is quoted so that the echo of the typed line does not match.
printf '%s\n' 'echo BENCH"-"PROMPT' 'poweroff' >"$tmp/boot.in"
i=0
while [ $i -lt "$runs" ]; do
	boot boot$i 2 "$tmp/boot.in"
	[ $status -eq 0 ] || die "boot $i ended with host status $status, see $bdir/boot.log"
	awk '
	$1 == "@@" && $2 == "START" { t0 = $3 }
	$1 == "@@" && $2 == "BENCH-PROMPT" { tp = $3 }
	/^wasm-linux: boot: / { init = $3 }
	END {
		if (tp && t0) printf "guest boot_prompt %.1f\n", (tp - t0) / 1e6
		if (init != "") print "guest boot_init", init
	}' "$tmp/boot$i.log" >>"$raw"
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
hz=$(getconf CLK_TCK)
awk -v hz="$hz" '
$1 == "@@" && $2 == "IDLE-BEGIN" { t = $3; c = $4 }
$1 == "@@" && $2 == "IDLE-END" && t && c >= 0 && $4 >= 0 {
	# CPU seconds per 10 s of wall time.
	printf "guest idle_cpu %.3f\n", ($4 - c) / hz * 10e9 / ($3 - t)
}' "$tmp/idle.log" >>"$raw"

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
# dd_rates SIDE LOG: "SIDE disk_write|disk_read MB/s" lines from LOG, where
# a DD-WRITE or DD-READ line comes before dd's own line: BusyBox's
# "268435456 bytes (256.0MB) copied, 0.58 seconds, 443MB/s" or GNU's
# "268435456 bytes (268 MB, 256 MiB) copied, 0.22 s, 1.2 GB/s".
dd_rates()
{
	awk -v side="$1" -v mb=$ddmb '
	$0 == "DD-WRITE" || $0 == "DD-READ" { what = $0; next }
	what != "" && / copied, / {
		t = $0; sub(/.* copied, /, "", t); sub(/ .*/, "", t)
		if (t > 0)
			print side, (what == "DD-WRITE" ? "disk_write" : "disk_read"), mb * 1.048576 / t
		what = ""
	}' "$2"
}
dd_rates guest "$bdir/dd-guest.log" >>"$raw"
grep -q '^guest disk_read' "$raw" || die "no dd figures from the guest, see $bdir/dd-guest.log"
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
dd_rates native "$bdir/dd-native.log" >>"$raw"

# --- the web host ---------------------------------------------------------

# Boot to the shell prompt in headless Chromium (tools/wasm/web), once per
# run; BENCH_WEB=0 leaves it out.
if [ "${BENCH_WEB:-1}" != 0 ]; then
	step "web host: boot to the shell prompt in headless Chromium, $runs runs"
	i=1
	while [ $i -le "$runs" ]; do
		"$repo/tools/wasm/scripts/web.sh" test "$repo" "$out" -- \
			--only isolated >"$tmp/web$i.log" 2>&1 ||
			die "the web test failed, see $tmp/web$i.log"
		sed -n 's/^web: boot to prompt \([0-9]*\) ms$/guest web_prompt \1/p' \
			"$tmp/web$i.log" >>"$raw"
		i=$((i + 1))
	done
fi

# --- the report -----------------------------------------------------------

cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
cores=$(getconf _NPROCESSORS_ONLN)
host_kernel=$(uname -sr)
wasmtime=$(awk '/^name = "wasmtime"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' \
	"$repo/tools/wasm/host/Cargo.lock")
clang=$(clang-22 --version | head -n 1)
ccv=$clang
date=$(date -u '+%Y-%m-%d %H:%M UTC')

{
	echo "meta date $date"
	echo "meta cpu ${cpu_model:-unknown}"
	echo "meta cores $cores"
	echo "meta host_kernel $host_kernel"
	echo "meta wasmtime ${wasmtime:-unknown}"
	echo "meta clang $clang"
	echo "meta cc $ccv"
	echo "meta guest_kernel ${guest_kernel:-unknown}"
	echo "meta guest_build ${guest_build:-unknown}"
	echo "meta load $load"
	echo "meta runs $runs"
	echo "meta idle_runs $idle_runs"
	echo "meta target_ms $BENCH_TARGET_MS"
} >"$tmp/meta"
cat "$tmp/meta" "$raw" >"$tmp/all"

awk -v csv="$bdir/results.csv" -v json="$bdir/results.json" '
function median(list,   v, n, i, j, x) {
	n = split(list, v, " ")
	for (i = 2; i <= n; i++) {	# insertion sort, numerically
		x = v[i] + 0
		for (j = i - 1; j >= 1 && v[j] + 0 > x; j--)
			v[j + 1] = v[j]
		v[j + 1] = x
	}
	if (n == 0)
		return ""
	return n % 2 ? v[(n + 1) / 2] + 0 : (v[n / 2] + v[n / 2 + 1]) / 2
}
function fmt(x) {
	if (x == "")
		return "-"
	return x >= 100 ? sprintf("%.0f", x) : x >= 10 ? sprintf("%.1f", x) : \
	       x >= 1 ? sprintf("%.2f", x) : sprintf("%.3f", x)
}
function jstr(s) {
	gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s)
	return "\"" s "\""
}
function jnum(x) { return x == "" ? "null" : sprintf("%.6g", x) }
function jlist(list,   v, n, i, s) {
	n = split(list, v, " ")
	s = ""
	for (i = 1; i <= n; i++)
		s = s (i > 1 ? ", " : "") sprintf("%.6g", v[i])
	return "[" s "]"
}
BEGIN {
	nrows = split("null_syscall read_devzero write_devnull pipe_rtt " \
		"vfork_exec spawn thread crc32 matmul disk_write disk_read boot_init boot_prompt " \
		"web_prompt idle_cpu", row, " ")
	desc["null_syscall"] = "null syscall (getpid)";	unit["null_syscall"] = "ns/op"
	desc["read_devzero"] = "read 1 B from /dev/zero";	unit["read_devzero"] = "ns/op"
	desc["write_devnull"] = "write 1 B to /dev/null";	unit["write_devnull"] = "ns/op"
	desc["pipe_rtt"] = "pipe round trip, 2 processes";	unit["pipe_rtt"] = "us"
	desc["vfork_exec"] = "vfork+execve+exit+wait";	unit["vfork_exec"] = "us/op"
	desc["spawn"] = "posix_spawn+exit+wait";		unit["spawn"] = "us/op"
	desc["thread"] = "pthread create+join";		unit["thread"] = "us/op"
	desc["crc32"] = "CRC-32 bitwise, 64 KiB";		unit["crc32"] = "MB/s"
	desc["matmul"] = "matmul 128x128 double";		unit["matmul"] = "ms"
	desc["disk_write"] = "dd 256 MB write, virtio-blk";	unit["disk_write"] = "MB/s"
	desc["disk_read"] = "dd 256 MB read, virtio-blk";	unit["disk_read"] = "MB/s"
	desc["boot_init"] = "boot to init (--stats)";		unit["boot_init"] = "ms"
	desc["boot_prompt"] = "boot to shell prompt";		unit["boot_prompt"] = "ms"
	desc["web_prompt"] = "web: page start to prompt";	unit["web_prompt"] = "ms"
	desc["idle_cpu"] = "idle host CPU per 10 s, 4 CPUs";	unit["idle_cpu"] = "s"
	higher_better["crc32"] = 1
	higher_better["disk_write"] = higher_better["disk_read"] = 1
}
$1 == "meta" { k = $2; $1 = $2 = ""; sub(/^ +/, ""); meta[k] = $0; next }
$1 == "guest" || $1 == "native" { vals[$1, $2] = vals[$1, $2] " " $3 }
END {
	printf "wasm-linux benchmarks, %s\n", meta["date"]
	printf "machine:   %s, %s cores, %s\n", meta["cpu"], meta["cores"], meta["host_kernel"]
	printf "guest:     Linux %s %s\n", meta["guest_kernel"], meta["guest_build"]
	printf "host:      wasm-linux (wasmtime %s), --cpus 2; load average at start %s\n", \
		meta["wasmtime"], meta["load"]
	printf "compilers: %s; native: %s\n", meta["clang"], meta["cc"]
	printf "medians of %s runs (idle: %s periods); ratio = how many times slower the guest is\n\n", \
		meta["runs"], meta["idle_runs"]
	printf "%-32s %-6s %10s %10s %8s\n", "benchmark", "unit", "guest", "native", "ratio"
	printf "%-32s %-6s %10s %10s %8s\n", "---------", "----", "-----", "------", "-----"
	print "date,benchmark,unit,guest,native,ratio,guest_runs,native_runs" > csv
	printf "{\n  \"date\": %s,\n", jstr(meta["date"]) > json
	printf "  \"machine\": {\"cpu\": %s, \"cores\": %s, \"kernel\": %s},\n", \
		jstr(meta["cpu"]), meta["cores"] + 0, jstr(meta["host_kernel"]) > json
	printf "  \"versions\": {\"wasmtime\": %s, \"clang\": %s, \"cc\": %s, \"guest_kernel\": %s, \"guest_build\": %s},\n", \
		jstr(meta["wasmtime"]), jstr(meta["clang"]), jstr(meta["cc"]), \
		jstr(meta["guest_kernel"]), jstr(meta["guest_build"]) > json
	printf "  \"load_average\": %s,\n", jstr(meta["load"]) > json
	printf "  \"runs\": %d, \"target_ms\": %d, \"guest_cpus\": 2,\n", \
		meta["runs"], meta["target_ms"] > json
	printf "  \"ratio\": \"guest time / native time (native/guest for MB/s): higher is slower\",\n" > json
	printf "  \"results\": [\n" > json
	for (i = 1; i <= nrows; i++) {
		r = row[i]
		g = median(vals["guest", r])
		n = median(vals["native", r])
		ratio = ""
		if (g != "" && n != "" && g > 0 && n > 0)
			ratio = higher_better[r] ? n / g : g / n
		printf "%-32s %-6s %10s %10s %8s\n", desc[r], unit[r], fmt(g), fmt(n), \
			ratio == "" ? "-" : sprintf("%.2f", ratio)
		gl = vals["guest", r]; sub(/^ /, "", gl)
		nl = vals["native", r]; sub(/^ /, "", nl)
		printf "%s,%s,%s,%s,%s,%s,%s,%s\n", meta["date"], r, unit[r], \
			g == "" ? "" : sprintf("%.6g", g), n == "" ? "" : sprintf("%.6g", n), \
			ratio == "" ? "" : sprintf("%.4g", ratio), gl, nl > csv
		printf "    {\"name\": %s, \"description\": %s, \"unit\": %s, \"guest\": %s, \"native\": %s, \"ratio\": %s, \"guest_runs\": %s, \"native_runs\": %s}%s\n", \
			jstr(r), jstr(desc[r]), jstr(unit[r]), jnum(g), jnum(n), jnum(ratio), \
			jlist(gl), jlist(nl), i < nrows ? "," : "" > json
	}
	printf "  ]\n}\n" > json
}' "$tmp/all" | tee "$bdir/results.txt"
echo
echo "results: $bdir/results.csv, $bdir/results.json (logs and raw.txt there too)"
