#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make bench's report, from the raw outputs that bench.sh keeps.

Usage: bench_report.py [--out DIR] BENCH_OUT

Reads, in BENCH_OUT (tools/wasm/scripts/bench.sh writes them):

  meta.txt       "KEY VALUE" lines: what the run was (date, cpu, cores,
                 host_kernel, wasmtime, clang, cc, load, runs, idle_runs,
                 target_ms; hz, the clock ticks per second of the idle
                 figure; dd_mb, the megabytes each dd copies)
  native.log     tools/wasm/bench/run.sh run natively
  guest.log      the guest boot that ran run.sh, with its "UNAME" and
                 "BUILD" lines
  boot.log       the console boots: each one "@@ BOOT NAME", its output with
                 the "@@ MARK NS TICKS" lines of its reader, "@@ START NS";
                 boot0, boot1, ... for the boot time, idle for the idle CPU
  dd-guest.log   dd in the guest, dd-native.log natively: each dd's output
                 after a "DD-WRITE" or "DD-READ" line
  web.log        the web host's tests (only with BENCH_WEB)

Writes raw.txt (one "SIDE NAME VALUE" line per run of a figure), prints the
table and writes it to results.txt, and writes results.csv and results.json,
in --out DIR (default BENCH_OUT).  A figure is the median of its runs.
"""

import argparse
import csv
import json
import math
import os
import re
import statistics
import sys
from dataclasses import dataclass, field

GUEST_CPUS = 2  # bench.sh's guest run and boots: --cpus 2


@dataclass(frozen=True)
class Benchmark:
    name: str
    description: str
    unit: str
    higher_better: bool = False  # MB/s: the ratio is native / guest


BENCHMARKS = (
    Benchmark("null_syscall", "null syscall (getpid)", "ns/op"),
    Benchmark("read_devzero", "read 1 B from /dev/zero", "ns/op"),
    Benchmark("write_devnull", "write 1 B to /dev/null", "ns/op"),
    Benchmark("pipe_rtt", "pipe round trip, 2 processes", "us"),
    Benchmark("fork_exit", "fork+exit+wait", "us/op"),
    Benchmark("fork_exec", "fork+execve+exit+wait", "us/op"),
    Benchmark("vfork_exec", "vfork+execve+exit+wait", "us/op"),
    Benchmark("spawn", "posix_spawn+exit+wait", "us/op"),
    Benchmark("thread", "pthread create+join", "us/op"),
    Benchmark("crc32", "CRC-32 bitwise, 64 KiB", "MB/s", True),
    Benchmark("matmul", "matmul 128x128 double", "ms"),
    Benchmark("calls", "qsort + calls through pointers", "ms"),
    Benchmark("crc32_nofork", "CRC-32, built -mno-fork", "MB/s", True),
    Benchmark("matmul_nofork", "matmul, built -mno-fork", "ms"),
    Benchmark("calls_nofork", "calls, built -mno-fork", "ms"),
    Benchmark("gzip9", "gzip -9 of 64 MiB of text (ports)", "MB/s", True),
    Benchmark("disk_write", "dd 256 MB write, virtio-blk", "MB/s", True),
    Benchmark("disk_read", "dd 256 MB read, virtio-blk", "MB/s", True),
    Benchmark("boot_init", "boot to init (--stats)", "ms"),
    Benchmark("boot_prompt", "boot to shell prompt", "ms"),
    Benchmark("web_prompt", "web: page start to prompt", "ms"),
    Benchmark("idle_cpu", "idle host CPU per 10 s, 4 CPUs", "s"),
)

RATIO = "guest time / native time (native/guest for MB/s): higher is slower"


@dataclass(frozen=True)
class Sample:
    """One run's value of one figure, as raw.txt and the CSV show it."""
    side: str  # "guest" or "native"
    name: str
    text: str

    @property
    def value(self):
        return float(self.text)


@dataclass
class Row:
    bench: Benchmark
    guest_runs: list = field(default_factory=list)  # of Sample
    native_runs: list = field(default_factory=list)

    @staticmethod
    def _median(runs):
        return statistics.median(s.value for s in runs) if runs else None

    @property
    def guest(self):
        return self._median(self.guest_runs)

    @property
    def native(self):
        return self._median(self.native_runs)

    @property
    def ratio(self):
        """How many times slower the guest is, or None."""
        g, n = self.guest, self.native
        if g is None or n is None or g <= 0 or n <= 0:
            return None
        return n / g if self.bench.higher_better else g / n


# --- parsing the raw outputs ------------------------------------------------

def read_lines(path):
    """PATH's lines, split at "\\n" only, or None if there is no PATH."""
    try:
        with open(path, encoding="utf-8", errors="replace",
                  newline="") as f:
            text = f.read()
    except FileNotFoundError:
        return None
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines


def is_number(text):
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def number_text(x):
    """X as awk's print writes a number: an integer, or %.6g."""
    return "%d" % x if x == int(x) else "%.6g" % x


def parse_meta(lines):
    """"KEY VALUE" lines as a dict, the value's blanks squeezed."""
    meta = {}
    for line in lines:
        words = line.split()
        if words:
            meta[words[0]] = " ".join(words[1:])
    return meta


def parse_results(side, lines):
    """run.sh's "RESULT NAME VALUE UNIT" lines."""
    samples = []
    for line in lines:
        words = line.split()
        if len(words) >= 3 and words[0] == "RESULT" and is_number(words[2]):
            samples.append(Sample(side, words[1], words[2]))
    return samples


def parse_uname(lines, tag):
    """The rest of the first "TAG ..." line of the guest's log, or None."""
    for line in lines:
        if line.startswith(tag + " "):
            return line[len(tag) + 1:]
    return None


def split_boots(lines):
    """boot.log as a list of (NAME, lines) in the order of the boots."""
    boots = []
    for line in lines:
        words = line.split()
        if words[:2] == ["@@", "BOOT"] and len(words) == 3:
            boots.append((words[2], []))
        elif boots:
            boots[-1][1].append(line)
    return boots


def marks(lines):
    """The reader's "@@ MARK NS [TICKS]" lines as (MARK, NS, TICKS)."""
    for line in lines:
        words = line.split()
        if len(words) >= 3 and words[0] == "@@":
            try:
                ns = int(words[2])
                ticks = int(words[3]) if len(words) > 3 else None
            except ValueError:
                continue
            yield words[1], ns, ticks


def parse_boot(lines):
    """boot_prompt (host start to the first command's output, ms) and
    boot_init (the host's --stats "wasm-linux: boot: N ms to init") of
    one boot."""
    t0 = prompt = init = None
    for mark, ns, _ in marks(lines):
        if mark == "START":
            t0 = ns
        elif mark == "BENCH-PROMPT":
            prompt = ns
    for line in lines:
        words = line.split()
        if line.startswith("wasm-linux: boot: ") and len(words) > 2:
            init = words[2]
    samples = []
    if t0 and prompt:
        samples.append(Sample("guest", "boot_prompt",
                              "%.1f" % ((prompt - t0) / 1e6)))
    if init is not None and is_number(init):
        samples.append(Sample("guest", "boot_init", init))
    return samples


def parse_idle(lines, hz):
    """The host's CPU seconds per 10 s of wall time, for each period
    between an IDLE-BEGIN and an IDLE-END mark."""
    samples = []
    begin = None
    for mark, ns, ticks in marks(lines):
        if mark == "IDLE-BEGIN":
            begin = (ns, ticks)
        elif mark == "IDLE-END" and begin and begin[0] and ticks is not None:
            t, c = begin
            if c is not None and c >= 0 and ticks >= 0 and ns != t:
                cpu = (ticks - c) / hz * 10e9 / (ns - t)
                samples.append(Sample("guest", "idle_cpu", "%.3f" % cpu))
    return samples


def parse_dd(side, lines, mb):
    """disk_write and disk_read in MB/s (10^6 bytes) from dd's line after
    a DD-WRITE or DD-READ one: BusyBox's "268435456 bytes (256.0MB)
    copied, 0.58 seconds, 443MB/s" or GNU's "268435456 bytes (268 MB,
    256 MiB) copied, 0.22 s, 1.2 GB/s"."""
    samples = []
    what = None
    for line in lines:
        if line in ("DD-WRITE", "DD-READ"):
            what = line
            continue
        if what and " copied, " in line:
            seconds = line.rsplit(" copied, ", 1)[1].split(" ", 1)[0]
            if is_number(seconds) and float(seconds) > 0:
                name = "disk_write" if what == "DD-WRITE" else "disk_read"
                rate = mb * 1.048576 / float(seconds)
                samples.append(Sample(side, name, number_text(rate)))
            what = None
    return samples


def parse_web(lines):
    """web.sh test's "web: boot to prompt N ms" lines."""
    samples = []
    for line in lines:
        m = re.fullmatch(r"web: boot to prompt ([0-9]+) ms", line)
        if m:
            samples.append(Sample("guest", "web_prompt", m.group(1)))
    return samples


@dataclass
class Run:
    meta: dict
    samples: list  # of Sample, in the order of raw.txt


def read_run(bdir):
    """The meta data and every sample of the run kept in BDIR."""
    def lines(name, optional=False):
        got = read_lines(os.path.join(bdir, name))
        if got is None:
            if not optional:
                print("bench_report: no %s in %s" % (name, bdir),
                      file=sys.stderr)
            return []
        return got

    meta = parse_meta(lines("meta.txt"))
    guest_log = lines("guest.log")
    for key, tag in (("guest_kernel", "UNAME"), ("guest_build", "BUILD")):
        value = parse_uname(guest_log, tag) or "unknown"
        meta[key] = " ".join(value.split())
    mb = float(meta.get("dd_mb", 256))

    samples = parse_results("native", lines("native.log"))
    samples += parse_results("guest", guest_log)
    for name, boot in split_boots(lines("boot.log")):
        if name == "idle":
            samples += parse_idle(boot, float(meta.get("hz", 100)))
        else:
            samples += parse_boot(boot)
    samples += parse_dd("guest", lines("dd-guest.log"), mb)
    samples += parse_dd("native", lines("dd-native.log"), mb)
    samples += parse_web(lines("web.log", optional=True))
    return Run(meta, samples)


def rows(samples):
    """The report's rows, the runs of each in the order of SAMPLES."""
    table = {b.name: Row(b) for b in BENCHMARKS}
    for s in samples:
        row = table.get(s.name)
        if row is not None:
            runs = row.guest_runs if s.side == "guest" else row.native_runs
            runs.append(s)
    return list(table.values())


# --- writing the report -----------------------------------------------------

def fmt(x):
    """A figure for the table: three or four significant digits."""
    if x is None:
        return "-"
    if x >= 100:
        return "%.0f" % x
    if x >= 10:
        return "%.1f" % x
    if x >= 1:
        return "%.2f" % x
    return "%.3f" % x


def g6(x):
    return "" if x is None else "%.6g" % x


def json_number(x):
    """X rounded to 6 significant digits, an int when %.6g shows none."""
    if x is None:
        return None
    text = "%.6g" % x
    return int(text) if text.lstrip("-").isdigit() else float(text)


def as_int(text):
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


def table(meta, report):
    def m(key):
        return meta.get(key, "")

    out = [
        "wasm-linux benchmarks, %s" % m("date"),
        "machine:   %s, %s cores, %s" % (m("cpu"), m("cores"),
                                         m("host_kernel")),
        "guest:     Linux %s %s" % (m("guest_kernel"), m("guest_build")),
        "host:      wasm-linux (wasmtime %s), --cpus %d; "
        "load average at start %s" % (m("wasmtime"), GUEST_CPUS, m("load")),
        "compilers: %s; native: %s" % (m("clang"), m("cc")),
        "medians of %s runs (idle: %s periods); "
        "ratio = how many times slower the guest is" % (m("runs"),
                                                        m("idle_runs")),
        "",
    ]
    line = "%-32s %-6s %10s %10s %8s"
    out.append(line % ("benchmark", "unit", "guest", "native", "ratio"))
    out.append(line % ("---------", "----", "-----", "------", "-----"))
    for r in report:
        ratio = "-" if r.ratio is None else "%.2f" % r.ratio
        out.append(line % (r.bench.description, r.bench.unit,
                           fmt(r.guest), fmt(r.native), ratio))
    return "".join(s + "\n" for s in out)


def write_csv(f, meta, report):
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["date", "benchmark", "unit", "guest", "native", "ratio",
                "guest_runs", "native_runs"])
    for r in report:
        w.writerow([meta.get("date", ""), r.bench.name, r.bench.unit,
                    g6(r.guest), g6(r.native),
                    "" if r.ratio is None else "%.4g" % r.ratio,
                    " ".join(s.text for s in r.guest_runs),
                    " ".join(s.text for s in r.native_runs)])


def json_doc(meta, report):
    def m(key):
        return meta.get(key, "")

    return {
        "date": m("date"),
        "machine": {"cpu": m("cpu"), "cores": as_int(m("cores")),
                    "kernel": m("host_kernel")},
        "versions": {k: m(k) for k in ("wasmtime", "clang", "cc",
                                       "guest_kernel", "guest_build")},
        "load_average": m("load"),
        "runs": as_int(m("runs")),
        "target_ms": as_int(m("target_ms")),
        "guest_cpus": GUEST_CPUS,
        "ratio": RATIO,
        "results": [{
            "name": r.bench.name,
            "description": r.bench.description,
            "unit": r.bench.unit,
            "guest": json_number(r.guest),
            "native": json_number(r.native),
            "ratio": json_number(r.ratio),
            "guest_runs": [json_number(s.value) for s in r.guest_runs],
            "native_runs": [json_number(s.value) for s in r.native_runs],
        } for r in report],
    }


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="make bench's table, results.csv and results.json "
        "from the raw outputs of a run")
    ap.add_argument("bdir", metavar="BENCH_OUT",
                    help="the run's directory (build/bench)")
    ap.add_argument("--out", metavar="DIR",
                    help="where to write raw.txt and results.* "
                    "(default BENCH_OUT)")
    args = ap.parse_args(argv)
    out = args.out or args.bdir
    os.makedirs(out, exist_ok=True)

    run = read_run(args.bdir)
    report = rows(run.samples)
    with open(os.path.join(out, "raw.txt"), "w", encoding="utf-8") as f:
        f.writelines("%s %s %s\n" % (s.side, s.name, s.text)
                     for s in run.samples)
    text = table(run.meta, report)
    sys.stdout.write(text)
    with open(os.path.join(out, "results.txt"), "w", encoding="utf-8") as f:
        f.write(text)
    with open(os.path.join(out, "results.csv"), "w", encoding="utf-8",
              newline="") as f:
        write_csv(f, run.meta, report)
    with open(os.path.join(out, "results.json"), "w",
              encoding="utf-8") as f:
        json.dump(json_doc(run.meta, report), f, indent=2,
                  ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
