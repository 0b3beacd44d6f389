#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tests of bench_report.py's parsers and outputs, on small sample logs.

  python3 -B -m unittest discover -s tools/wasm/scripts -p test_bench_report.py
"""

import contextlib
import csv
import io
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_report as br  # noqa: E402

NATIVE_LOG = """\
RESULT null_syscall 100.5 ns/op
RESULT null_syscall 120.0 ns/op
RESULT null_syscall 110.0 ns/op
RESULT crc32 200.0 MB/s
RESULT crc32 not-a-number MB/s
BENCH-DONE 0
"""

GUEST_LOG = """\
~ # echo "UNAME $(uname -r)"; echo "BUILD $(uname -v)"
UNAME 6.12.117
BUILD #2 SMP Tue Dec  1 23:23:29 UTC 2026
RESULT null_syscall 200.0 ns/op
RESULT null_syscall 260.0 ns/op
RESULT crc32 100.0 MB/s
BENCH-DONE 0
"""

# Two boots to the prompt and the idle boot, as bench.sh's boot() logs
# them: the idle boot's "boot: N ms to init" is not a boot figure.
BOOT_LOG = """\
@@ BOOT boot0
wasm-linux: boot: 70.5 ms to init
BENCH-PROMPT
@@ BENCH-PROMPT 1000000150000000 12
@@ START 1000000000000000
@@ BOOT boot1
wasm-linux: boot: 80.5 ms to init
@@ START 2000000000000000
@@ BOOT idle
wasm-linux: boot: 99.0 ms to init
IDLE-BEGIN
@@ IDLE-BEGIN 3000000000000000 100
IDLE-END
@@ IDLE-END 3000010000000000 105
IDLE-BEGIN
@@ IDLE-BEGIN 3000020000000000 -1
IDLE-END
@@ IDLE-END 3000030000000000 110
@@ START 2999999000000000
"""

DD_LOG = """\
DD-WRITE
268435456 bytes (256.0MB) copied, 0.5 seconds, 512.0MB/s
DD-READ
268435456 bytes (268 MB, 256 MiB) copied, 0.25 s, 1.1 GB/s
DD-READ
268435456 bytes (268 MB, 256 MiB) copied, 0 s, 1.1 GB/s
268435456 bytes (256.0MB) copied, 2 seconds, 134MB/s
"""

WEB_LOG = """\
web: starting Chromium
web: boot to prompt 1200 ms
ok - isolated
web: boot to prompt 1300 ms
"""

META = """\
date 2026-12-01 23:30 UTC
cpu Some  CPU
cores 2
host_kernel Linux 6.18.44
wasmtime 48.0.8
clang Debian clang version 22.1.8
cc Debian clang version 22.1.8
load 0.50 0.40 0.30
runs 3
idle_runs 2
target_ms 300
hz 100
dd_mb 256
"""


def texts(samples):
    return [(s.side, s.name, s.text) for s in samples]


class Parsers(unittest.TestCase):
    def test_results(self):
        got = br.parse_results("native", NATIVE_LOG.splitlines())
        self.assertEqual(texts(got), [
            ("native", "null_syscall", "100.5"),
            ("native", "null_syscall", "120.0"),
            ("native", "null_syscall", "110.0"),
            ("native", "crc32", "200.0"),
        ])

    def test_uname(self):
        lines = GUEST_LOG.splitlines()
        self.assertEqual(br.parse_uname(lines, "UNAME"), "6.12.117")
        self.assertEqual(br.parse_uname(lines, "BUILD"),
                         "#2 SMP Tue Dec  1 23:23:29 UTC 2026")
        self.assertIsNone(br.parse_uname(lines, "NONE"))

    def test_meta(self):
        meta = br.parse_meta(META.splitlines() + ["empty", "cpu  A \tB "])
        self.assertEqual(meta["cpu"], "A B")
        self.assertEqual(meta["empty"], "")
        self.assertEqual(meta["load"], "0.50 0.40 0.30")

    def test_boots(self):
        boots = br.split_boots(BOOT_LOG.splitlines())
        self.assertEqual([name for name, _ in boots],
                         ["boot0", "boot1", "idle"])
        self.assertEqual(texts(br.parse_boot(boots[0][1])), [
            ("guest", "boot_prompt", "150.0"),
            ("guest", "boot_init", "70.5"),
        ])
        # No prompt: only the time to init.
        self.assertEqual(texts(br.parse_boot(boots[1][1])),
                         [("guest", "boot_init", "80.5")])

    def test_idle(self):
        boots = dict(br.split_boots(BOOT_LOG.splitlines()))
        # 5 ticks of 10 ms in 10 s; the second period has no CPU time.
        self.assertEqual(texts(br.parse_idle(boots["idle"], 100.0)),
                         [("guest", "idle_cpu", "0.050")])

    def test_dd(self):
        got = br.parse_dd("guest", DD_LOG.splitlines(), 256)
        # 256 MiB in 0.5 s and 0.25 s, in 10^6 bytes per second; a time
        # of 0 and a line after no DD- mark are no figures.
        self.assertEqual(texts(got), [
            ("guest", "disk_write", "536.871"),
            ("guest", "disk_read", "1073.74"),
        ])

    def test_web(self):
        self.assertEqual(texts(br.parse_web(WEB_LOG.splitlines())), [
            ("guest", "web_prompt", "1200"),
            ("guest", "web_prompt", "1300"),
        ])

    def test_numbers(self):
        self.assertEqual(br.number_text(1000.0), "1000")
        self.assertEqual(br.number_text(1234.56789), "1234.57")
        self.assertEqual([br.fmt(x) for x in (None, 123.4, 12.34, 1.234,
                                              0.1234)],
                         ["-", "123", "12.3", "1.23", "0.123"])
        self.assertEqual(br.json_number(42.0), 42)
        self.assertEqual(br.json_number(1234567.0), 1.23457e6)
        self.assertIsNone(br.json_number(None))


class Report(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        d = self.dir.name
        for name, text in (("meta.txt", META), ("native.log", NATIVE_LOG),
                           ("guest.log", GUEST_LOG), ("boot.log", BOOT_LOG),
                           ("dd-guest.log", DD_LOG), ("dd-native.log", ""),
                           ("web.log", WEB_LOG)):
            with open(os.path.join(d, name), "w") as f:
                f.write(text)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            br.main([d])
        self.stdout = out.getvalue()

    def tearDown(self):
        self.dir.cleanup()

    def read(self, name):
        with open(os.path.join(self.dir.name, name)) as f:
            return f.read()

    def test_table(self):
        self.assertEqual(self.stdout, self.read("results.txt"))
        lines = self.stdout.splitlines()
        self.assertEqual(lines[2], "guest:     Linux 6.12.117 "
                         "#2 SMP Tue Dec 1 23:23:29 UTC 2026")
        self.assertIn("null syscall (getpid)            ns/op         "
                      "230        110     2.09", lines)
        # MB/s: the ratio is native over guest.
        self.assertIn("CRC-32 bitwise, 64 KiB           MB/s          "
                      "100        200     2.00", lines)
        self.assertIn("boot to init (--stats)           ms           "
                      "75.5          -        -", lines)

    def test_raw(self):
        raw = self.read("raw.txt").splitlines()
        self.assertEqual(raw[0], "native null_syscall 100.5")
        self.assertIn("guest idle_cpu 0.050", raw)
        self.assertEqual(len(raw), 4 + 3 + 3 + 1 + 2 + 2)

    def test_csv(self):
        with open(os.path.join(self.dir.name, "results.csv"),
                  newline="") as f:
            rows = list(csv.DictReader(f))
        self.assertEqual([r["benchmark"] for r in rows],
                         [b.name for b in br.BENCHMARKS])
        row = rows[0]
        self.assertEqual(row, {
            "date": "2026-12-01 23:30 UTC", "benchmark": "null_syscall",
            "unit": "ns/op", "guest": "230", "native": "110",
            "ratio": "2.091", "guest_runs": "200.0 260.0",
            "native_runs": "100.5 120.0 110.0"})
        self.assertEqual(rows[-1]["native"], "")

    def test_json(self):
        doc = json.loads(self.read("results.json"))
        self.assertEqual(doc["machine"], {"cpu": "Some CPU", "cores": 2,
                                          "kernel": "Linux 6.18.44"})
        self.assertEqual(doc["runs"], 3)
        self.assertEqual(doc["versions"]["guest_kernel"], "6.12.117")
        res = {r["name"]: r for r in doc["results"]}
        self.assertEqual(res["null_syscall"]["guest"], 230)
        self.assertEqual(res["null_syscall"]["ratio"], 2.09091)
        self.assertEqual(res["null_syscall"]["native_runs"],
                         [100.5, 120, 110])
        self.assertEqual(res["web_prompt"]["guest"], 1250)
        self.assertIsNone(res["idle_cpu"]["native"])
        self.assertIsNone(res["idle_cpu"]["ratio"])
        self.assertEqual(res["disk_read"]["guest_runs"], [1073.74])


if __name__ == "__main__":
    unittest.main()
