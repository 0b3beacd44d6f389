// SPDX-License-Identifier: GPL-2.0

//! End-to-end tests of the host against a mock kernel: a small module with
//! the imports and exports of vmlinux.wasm whose `wasm_boot` does one thing
//! chosen by `--append` (one character, the last of the command line).

use crate::abi::HOST_ABI_VERSION;
use crate::boot::{self, BootError};
use crate::cli::{ConsoleKind, Disk, RunOptions};
use crate::console::Sink;
use crate::outcome::Outcome;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// The mock kernel.  Scenarios (the last character of the command line):
///   p  print a line, power off          r  reboot
///   k  print a panic line, halt(2)      m  print the end-of-panic marker, park
///   t  trap (unreachable)               b  console_write out of bounds
///   h  halt with an unknown reason      s  start a task that exits, power off
///   c  start CPU 1, which powers off    u  user access faults, power off
///   x  random bytes, power off          y  random_fill out of bounds
///   i  initramfs and cmdline placement  n  nr_cpus is 3
///   q  clocks are sane                  z  return from wasm_boot
///   v  virtio registers (console first) g  registers with --console host
///   d  a disk of 4 sectors is device 2  o  virtio console output
///   w  mmio_read of 3 bytes             e  mmio_write of 16 bytes
const MOCK: &str = r#"
(module
  (import "env" "memory" (memory 1 16 shared))
  (import "host" "console_write" (func $console_write (param i32 i32)))
  (import "host" "clock_monotonic" (func $mono (result i64)))
  (import "host" "clock_realtime" (func $real (result i64)))
  (import "host" "cpu_start" (func $cpu_start (param i32 i32) (result i32)))
  (import "host" "task_spawn" (func $task_spawn (param i32) (result i32)))
  (import "host" "task_exit" (func $task_exit))
  (import "host" "halt" (func $halt (param i32 i32)))
  (import "host" "random_fill" (func $random_fill (param i32 i32)))
  (import "host" "user_copy_from" (func $ucf (param i32 i32 i32 i32) (result i32)))
  (import "host" "user_copy_to" (func $uct (param i32 i32 i32 i32) (result i32)))
  (import "host" "user_clear" (func $ucl (param i32 i32 i32) (result i32)))
  (import "host" "user_cmpxchg32" (func $ucx (param i32 i32 i32 i32 i32) (result i32)))
  (import "host" "mmio_read" (func $mr (param i32 i32) (result i64)))
  (import "host" "mmio_write" (func $mw (param i32 i32 i64 i32)))
  (global (export "wasm_irq_pending") i32 (i32.const 256))
  (global (export "wasm_irq_affinity") i32 (i32.const 8192))
  (data (i32.const 1024) "hello from the mock kernel\n")
  (data (i32.const 1100) "Kernel panic - not syncing: mock reason\n")
  (data (i32.const 1200) "---[ end Kernel panic - not syncing: spin ]---\n")

  (func (export "wasm_abi_version") (result i32) (i32.const VERSION))

  ;; Sleeps forever without using the CPU.
  (func $park
    (loop (drop (memory.atomic.wait32 (i32.const 512) (i32.const 0) (i64.const -1))) (br 0)))

  ;; The last byte of the NUL-terminated string at $p (not empty).
  (func $last (param $p i32) (result i32)
    (loop $next
      (if (i32.load8_u (i32.add (local.get $p) (i32.const 1)))
        (then (local.set $p (i32.add (local.get $p) (i32.const 1))) (br $next))))
    (i32.load8_u (local.get $p)))

  ;; A 32-bit MMIO read; a 32-bit write to register $off of device 0.
  (func $rd (param $addr i32) (result i64) (call $mr (local.get $addr) (i32.const 4)))
  (func $reg (param $off i32) (param $v i32)
    (call $mw (i32.add (i32.const 0xf0000000) (local.get $off)) (i32.const 4)
              (i64.extend_i32_u (local.get $v)) (i32.const 0)))

  ;; Powers off if $ok, else reports a panic.
  (func $check (param $ok i32)
    (if (local.get $ok)
      (then (call $halt (i32.const 0) (i32.const 0)))
      (else (call $halt (i32.const 2) (i32.const 0))))
    (call $park))

  (func (export "wasm_boot") (param $cmd i32) (param $initrd i32) (param $size i32) (param $cpus i32)
    (local $s i32) (local $t i64) (local $i i32) (local $acc i32)
    (local.set $s (call $last (local.get $cmd)))
    (if (i32.eq (local.get $s) (i32.const 112)) ;; p
      (then (call $console_write (i32.const 1024) (i32.const 27))
            (call $halt (i32.const 0) (i32.const 0))))
    (if (i32.eq (local.get $s) (i32.const 114)) ;; r
      (then (call $halt (i32.const 1) (i32.const 0))))
    (if (i32.eq (local.get $s) (i32.const 107)) ;; k
      (then (call $console_write (i32.const 1100) (i32.const 40))
            (call $halt (i32.const 2) (i32.const 0))))
    (if (i32.eq (local.get $s) (i32.const 109)) ;; m
      (then (call $console_write (i32.const 1200) (i32.const 47))
            (call $park)))
    (if (i32.eq (local.get $s) (i32.const 116)) ;; t
      (then unreachable))
    (if (i32.eq (local.get $s) (i32.const 98)) ;; b
      (then (call $console_write (i32.const -16) (i32.const 100))))
    (if (i32.eq (local.get $s) (i32.const 104)) ;; h
      (then (call $halt (i32.const 9) (i32.const 0))))
    (if (i32.eq (local.get $s) (i32.const 115)) ;; s
      (then
        (if (call $task_spawn (i32.const 42)) (then (call $check (i32.const 0))))
        (loop $wait
          (if (i32.eqz (i32.atomic.load (i32.const 600)))
            (then (drop (memory.atomic.wait32 (i32.const 600) (i32.const 0) (i64.const -1)))
                  (br $wait))))
        ;; Give the task time to call task_exit (which must not be a fault).
        (drop (memory.atomic.wait32 (i32.const 512) (i32.const 0) (i64.const 50000000)))
        (call $check (i32.eq (i32.atomic.load (i32.const 600)) (i32.const 42)))))
    (if (i32.eq (local.get $s) (i32.const 99)) ;; c
      (then
        (if (call $cpu_start (i32.const 1) (i32.const 77)) (then (call $check (i32.const 0))))
        (call $park)))
    (if (i32.eq (local.get $s) (i32.const 117)) ;; u
      (then (call $check
        (i32.and
          (i32.and (i32.eq (call $ucf (i32.const 0) (i32.const 2048) (i32.const 0) (i32.const 5))
                           (i32.const 5))
                   (i32.eq (call $uct (i32.const 7) (i32.const 0) (i32.const 2048) (i32.const 7))
                           (i32.const 7)))
          (i32.and (i32.eq (call $ucl (i32.const 0) (i32.const 0) (i32.const 9)) (i32.const 9))
                   (i32.eq (call $ucx (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 1)
                                      (i32.const 2048))
                           (i32.const -14)))))))
    (if (i32.eq (local.get $s) (i32.const 120)) ;; x
      (then
        (call $random_fill (i32.const 2048) (i32.const 64))
        (loop $or
          (local.set $acc (i32.or (local.get $acc)
            (i32.load (i32.add (i32.const 2048) (local.get $i)))))
          (local.set $i (i32.add (local.get $i) (i32.const 4)))
          (br_if $or (i32.lt_u (local.get $i) (i32.const 64))))
        (call $check (i32.ne (local.get $acc) (i32.const 0)))))
    (if (i32.eq (local.get $s) (i32.const 121)) ;; y
      (then (call $random_fill (i32.const -256) (i32.const 4096))))
    (if (i32.eq (local.get $s) (i32.const 105)) ;; i
      (then (call $check
        (i32.and
          (i32.and
            ;; "070701" starts the image; it ends at the end of memory
            ;; (1 MiB) less under a page, page-aligned.
            (i32.eq (i32.load8_u (local.get $initrd)) (i32.const 48))
            (i32.eqz (i32.and (local.get $initrd) (i32.const 4095))))
          (i32.and
            (i32.eq (local.get $size) (i32.const 5000))
            (i32.and
              (i32.lt_u (local.get $cmd) (local.get $initrd))
              ;; "console=hvc0 ..."
              (i32.eq (i32.load8_u (local.get $cmd)) (i32.const 99))))))))
    (if (i32.eq (local.get $s) (i32.const 110)) ;; n
      (then (call $check (i32.eq (local.get $cpus) (i32.const 3)))))
    (if (i32.eq (local.get $s) (i32.const 113)) ;; q
      (then
        (local.set $t (call $mono))
        (call $check
          (i32.and
            (i64.ge_s (call $mono) (local.get $t))
            (i64.gt_s (call $real) (i64.const 1704067200000000000))))))
    (if (i32.eq (local.get $s) (i32.const 118)) ;; v
      (then
        (call $mw (i32.const 0x1234) (i32.const 4) (i64.const 5) (i32.const 0))
        (call $check (i32.and (i32.and
          (i32.and (i64.eq (call $rd (i32.const 0xf0000000)) (i64.const 0x74726976))
                   (i64.eq (call $rd (i32.const 0xf0000004)) (i64.const 2)))
          (i32.and (i64.eq (call $rd (i32.const 0xf0000008)) (i64.const 3))
                   (i64.eq (call $rd (i32.const 0xf0001008)) (i64.const 4))))
          (i32.and
            (i32.and (i64.eq (call $rd (i32.const 0xe0000000)) (i64.const 0xffffffff))
                     (i64.eq (call $mr (i32.const 0xf0002000) (i32.const 1)) (i64.const 0xff)))
            (i64.eq (call $mr (i32.const 0) (i32.const 8)) (i64.const -1)))))))
    (if (i32.eq (local.get $s) (i32.const 103)) ;; g
      (then (call $check
        (i32.and (i64.eq (call $rd (i32.const 0xf0000008)) (i64.const 4))
                 (i64.eq (call $rd (i32.const 0xf0001000)) (i64.const 0xffffffff))))))
    (if (i32.eq (local.get $s) (i32.const 100)) ;; d
      (then (call $check
        (i32.and (i64.eq (call $rd (i32.const 0xf0002008)) (i64.const 2))
                 (i64.eq (call $mr (i32.const 0xf0002100) (i32.const 8)) (i64.const 4))))))
    (if (i32.eq (local.get $s) (i32.const 119)) ;; w
      (then (drop (call $mr (i32.const 0xf0000000) (i32.const 3)))))
    (if (i32.eq (local.get $s) (i32.const 101)) ;; e
      (then (call $mw (i32.const 0xf0000000) (i32.const 16) (i64.const 0) (i32.const 0))))
    (if (i32.eq (local.get $s) (i32.const 111)) ;; o
      (then
        ;; ACKNOWLEDGE | DRIVER, VERSION_1, FEATURES_OK.
        (call $reg (i32.const 0x70) (i32.const 3))
        (call $reg (i32.const 0x24) (i32.const 1))
        (call $reg (i32.const 0x20) (i32.const 1))
        (call $reg (i32.const 0x70) (i32.const 11))
        ;; transmitq: 4 entries, rings at 0x3000, 0x3100, 0x3200.
        (call $reg (i32.const 0x30) (i32.const 1))
        (call $reg (i32.const 0x38) (i32.const 4))
        (call $reg (i32.const 0x80) (i32.const 0x3000))
        (call $reg (i32.const 0x90) (i32.const 0x3100))
        (call $reg (i32.const 0xa0) (i32.const 0x3200))
        (call $reg (i32.const 0x44) (i32.const 1))
        (call $reg (i32.const 0x70) (i32.const 15))
        ;; One buffer: the hello line.
        (i64.store (i32.const 0x3000) (i64.const 1024))
        (i32.store (i32.const 0x3008) (i32.const 27))
        (i32.store (i32.const 0x300c) (i32.const 0))
        (i32.store16 (i32.const 0x3104) (i32.const 0))
        (i32.atomic.store16 (i32.const 0x3102) (i32.const 1))
        (call $reg (i32.const 0x50) (i32.const 1))
        ;; Used at once, interrupt status 1, line 3 pending on CPU 0.
        (call $check (i32.and
          (i32.and (i32.eq (i32.atomic.load16_u (i32.const 0x3202)) (i32.const 1))
                   (i64.eq (call $rd (i32.const 0xf0000060)) (i64.const 1)))
          (i32.and (i64.eq (call $rd (i32.const 0xf0000070)) (i64.const 15))
                   (i32.eq (i32.and (i32.atomic.load (i32.const 256)) (i32.const 8))
                           (i32.const 8)))))))
    ;; Unknown scenario: give the thread up.
  )

  (func (export "wasm_secondary_start") (param $cpu i32) (param $idle i32)
    (call $check (i32.and (i32.eq (local.get $cpu) (i32.const 1))
                          (i32.eq (local.get $idle) (i32.const 77)))))

  (func (export "wasm_task_start") (param $task i32)
    (i32.atomic.store (i32.const 600) (local.get $task))
    (drop (memory.atomic.notify (i32.const 600) (i32.const 1)))
    (call $task_exit)
    unreachable)
)
"#;

/// Writes the mock (with ABI version `version`) to a file of its own.
fn mock_file(name: &str, version: i32) -> PathBuf {
    let text = MOCK.replace("VERSION", &version.to_string());
    let wasm = wat::parse_str(&text).expect("mock kernel assembles");
    let path = std::env::temp_dir().join(format!(
        "wasm-linux-test-{}-{name}.wasm",
        std::process::id()
    ));
    std::fs::write(&path, wasm).expect("write mock kernel");
    path
}

fn options(vmlinux: PathBuf, append: &str) -> RunOptions {
    RunOptions {
        vmlinux,
        initramfs: None,
        append: Some(append.to_string()),
        memory: 1 << 20,
        cpus: 2,
        stats: false,
        disks: Vec::new(),
        console: ConsoleKind::Virtio,
        module_cache: None,
    }
}

/// Boots the mock with `opts`; returns the outcome and the console text.
fn boot_opts(opts: RunOptions) -> (Result<Outcome, BootError>, String) {
    let buf = Arc::new(Mutex::new(Vec::new()));
    let result = boot::run_with_console(&opts, Sink::Buffer(buf.clone()));
    let text = String::from_utf8_lossy(&buf.lock().unwrap()).into_owned();
    (result, text)
}

fn boot(scenario: &str) -> (Result<Outcome, BootError>, String) {
    boot_opts(options(mock_file(scenario, HOST_ABI_VERSION), scenario))
}

fn fault(result: Result<Outcome, BootError>) -> bool {
    matches!(result, Ok(Outcome::HostFault(_)))
}

#[test]
fn power_off_with_console_output() {
    let (result, console) = boot("p");
    assert_eq!(result, Ok(Outcome::PowerOff));
    assert_eq!(console, "hello from the mock kernel\n");
}

#[test]
fn reboot() {
    assert_eq!(boot("r").0, Ok(Outcome::Reboot));
}

#[test]
fn panic_through_halt_names_the_reason() {
    let (result, _) = boot("k");
    assert_eq!(result, Ok(Outcome::Panic(Some("mock reason".into()))));
}

#[test]
fn panic_end_marker_ends_the_run() {
    assert_eq!(boot("m").0, Ok(Outcome::Panic(Some("spin".into()))));
}

#[test]
fn traps_and_bad_calls_are_host_faults() {
    for scenario in ["t", "b", "h", "y", "w", "e"] {
        let (result, _) = boot(scenario);
        assert!(fault(result.clone()), "{scenario}: {result:?}");
        assert_eq!(result.unwrap().exit_status(), 3);
    }
}

#[test]
fn no_thread_left_is_a_host_fault() {
    assert!(fault(boot("z").0));
}

#[test]
fn task_runs_and_exits_quietly() {
    assert_eq!(boot("s").0, Ok(Outcome::PowerOff));
}

#[test]
fn secondary_cpu_gets_its_arguments() {
    assert_eq!(boot("c").0, Ok(Outcome::PowerOff));
}

#[test]
fn user_access_faults_without_a_process() {
    assert_eq!(boot("u").0, Ok(Outcome::PowerOff));
}

#[test]
fn random_fill_fills() {
    assert_eq!(boot("x").0, Ok(Outcome::PowerOff));
}

#[test]
fn clocks() {
    assert_eq!(boot("q").0, Ok(Outcome::PowerOff));
}

#[test]
fn nr_cpus_is_passed() {
    let mut opts = options(mock_file("n", HOST_ABI_VERSION), "n");
    opts.cpus = 3;
    assert_eq!(boot_opts(opts).0, Ok(Outcome::PowerOff));
}

#[test]
fn initramfs_and_cmdline_at_the_top() {
    let initrd = std::env::temp_dir().join(format!("wasm-linux-test-{}.cpio", std::process::id()));
    let mut image = b"070701".to_vec();
    image.resize(5000, 0xaa);
    std::fs::write(&initrd, image).unwrap();
    let mut opts = options(mock_file("i", HOST_ABI_VERSION), "i");
    opts.initramfs = Some(initrd);
    assert_eq!(boot_opts(opts).0, Ok(Outcome::PowerOff));
}

#[test]
fn wrong_abi_version_is_refused() {
    let (result, console) = boot_opts(options(mock_file("v1", HOST_ABI_VERSION - 1), "p"));
    assert!(fault(result.clone()), "{result:?}");
    assert_eq!(console, "", "the kernel must not have run");
}

#[test]
fn usage_errors() {
    let vmlinux = mock_file("usage", HOST_ABI_VERSION);
    let mut opts = options(vmlinux.clone(), "p");
    opts.memory = 32 << 20; // above the mock's 1 MiB maximum
    assert!(matches!(boot_opts(opts).0, Err(BootError::Usage(_))));
    let mut opts = options(vmlinux.clone(), "p");
    opts.memory = 32 << 10; // one page: no room above the image
    assert!(matches!(boot_opts(opts).0, Err(BootError::Usage(_))));
    let mut opts = options(vmlinux, "p");
    opts.initramfs = Some(PathBuf::from("/nonexistent/initramfs.cpio"));
    assert!(matches!(boot_opts(opts).0, Err(BootError::Usage(_))));
    let opts = options(PathBuf::from("/nonexistent/vmlinux.wasm"), "p");
    assert!(matches!(boot_opts(opts).0, Err(BootError::Usage(_))));
}

#[test]
fn not_a_module_is_a_host_fault() {
    let path = std::env::temp_dir().join(format!("wasm-linux-test-{}-junk", std::process::id()));
    std::fs::write(&path, b"not wasm").unwrap();
    assert!(matches!(
        boot_opts(options(path, "p")).0,
        Err(BootError::Host(_))
    ));
}

#[test]
fn virtio_registers() {
    assert_eq!(boot("v").0, Ok(Outcome::PowerOff));
    let mut opts = options(mock_file("g", HOST_ABI_VERSION), "g");
    opts.console = ConsoleKind::Host;
    assert_eq!(boot_opts(opts).0, Ok(Outcome::PowerOff));
}

#[test]
fn virtio_console_output() {
    let (result, console) = boot("o");
    assert_eq!(result, Ok(Outcome::PowerOff));
    assert_eq!(console, "hello from the mock kernel\n");
}

/// A temporary disk image of `len` bytes.
fn image(name: &str, len: usize) -> PathBuf {
    let path =
        std::env::temp_dir().join(format!("wasm-linux-test-{}-{name}.img", std::process::id()));
    std::fs::write(&path, vec![0u8; len]).unwrap();
    path
}

#[test]
fn disks() {
    let mut opts = options(mock_file("d", HOST_ABI_VERSION), "d");
    opts.disks.push(Disk {
        path: image("d", 2048),
        read_only: true,
    });
    assert_eq!(boot_opts(opts).0, Ok(Outcome::PowerOff));

    let vmlinux = mock_file("bad-disk", HOST_ABI_VERSION);
    for path in [image("odd", 1000), PathBuf::from("/nonexistent/disk.img")] {
        let mut opts = options(vmlinux.clone(), "p");
        opts.disks.push(Disk {
            path,
            read_only: false,
        });
        let (result, console) = boot_opts(opts);
        assert!(matches!(result, Err(BootError::Usage(_))), "{result:?}");
        assert_eq!(console, "");
    }
}
