#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run every benchmark program RUNS times; the same script runs in the
# wasm32 guest (BusyBox ash, from the bench initramfs) and natively
# (tools/wasm/scripts/bench.sh).  No "#!" execution is assumed: the guest
# kernel has no BINFMT_SCRIPT, so start it as "sh run.sh BINDIR RUNS".
#
# Output: the programs' "RESULT <name> <value> <unit>" lines, then
# "BENCH-DONE <failures>".  Nothing here reads standard input (in the guest
# it is the console, with the next commands queued on it).

dir=${1:?usage: run.sh BINDIR [RUNS]}
runs=${2:-5}
fails=0

# bench ARGS...: run one program RUNS times.
bench()
{
	i=0
	while [ $i -lt "$runs" ]; do
		"$@" </dev/null || fails=$((fails + 1))
		i=$((i + 1))
	done
}

bench "$dir/lat_syscall" null
bench "$dir/lat_syscall" read
bench "$dir/lat_syscall" write
bench "$dir/lat_pipe"
bench "$dir/lat_proc" fork
bench "$dir/lat_proc" fork "$dir/exit0"
bench "$dir/lat_proc" vfork "$dir/exit0"
bench "$dir/lat_proc" spawn "$dir/exit0"
bench "$dir/lat_thread"
bench "$dir/cpu" crc32
bench "$dir/cpu" matmul
bench "$dir/cpu" calls
# The same without fork support (wasm-linux-cc -mno-fork; natively the
# same program): what the Asyncify instrumentation costs.
export BENCH_SUFFIX=_nofork
bench "$dir/cpu-nofork" crc32
bench "$dir/cpu-nofork" matmul
bench "$dir/cpu-nofork" calls
unset BENCH_SUFFIX
# gzip -9 of 64 MiB of text, if the ports' gzip is there (bench.sh).
if [ -x "$dir/gzip" ]; then
	text=${TMPDIR:-/tmp}/bench-text
	bench "$dir/run_prog" gzip9 64 "$text" "$dir/gzip" -9
	rm -f "$text"
fi
echo "BENCH-DONE $fails"
