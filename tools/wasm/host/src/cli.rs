// SPDX-License-Identifier: GPL-2.0

//! Command-line parsing: `wasm-linux run VMLINUX.wasm [options]`.
//!
//! Parsing is done by hand (the grammar is tiny) so that every error is a
//! single line and the program needs no dependency besides `wasmtime`.

use crate::virtio;
use std::ffi::OsString;
use std::path::PathBuf;

/// Guest RAM when `--memory` is not given.
pub const DEFAULT_MEMORY: u64 = 256 << 20;
/// Virtual CPUs when `--cpus` is not given.
pub const DEFAULT_CPUS: u32 = 2;
/// The largest `--cpus` accepted (the kernel's `CONFIG_NR_CPUS` can be at
/// most this; the kernel clamps the number to its own configuration).
pub const MAX_CPUS: u32 = 64;
/// Console arguments always passed to the kernel, before `--append`.
pub const BASE_CMDLINE: &str = "console=hvc0";
/// Added with the virtio console: the kernel's own hvc0 (console_write
/// and console_read) steps aside.
pub const VIRTIO_CONSOLE_CMDLINE: &str = "wasm_hvc=off";

pub const HELP: &str = "\
wasm-linux: boot a Linux kernel built for WebAssembly (vmlinux.wasm)

Usage:
    wasm-linux run VMLINUX.wasm [--initramfs FILE] [--append \"CMDLINE\"]
                                [--memory SIZE] [--cpus N] [--stats]
                                [--disk IMAGE[:ro]]... [--console virtio|host]
    wasm-linux --help

Options of `run`:
    --initramfs FILE   Load FILE (a cpio archive, optionally compressed) as
                       the initial RAM filesystem, at the top of guest memory.
    --append CMDLINE   Add CMDLINE to the kernel command line, after what the
                       host puts there (\"console=hvc0\", the virtio devices,
                       the root disk).
    --memory SIZE      Guest RAM, rounded up to 64 KiB pages (default 256M).
                       SIZE is a number with an optional suffix K, M or G
                       (powers of 1024; \"KiB\", \"MB\"... are accepted too);
                       a number without a suffix is in MiB.  At most the
                       maximum the module's memory import declares.
    --cpus N           Number of virtual CPUs to start, 1 to 64 (default 2);
                       the kernel uses at most its CONFIG_NR_CPUS of them.
    --disk IMAGE[:ro]  Attach the raw disk image IMAGE (a file whose size is
                       a multiple of 512 bytes) as a virtio block device:
                       /dev/vda, then /dev/vdb... in the order given; \":ro\"
                       makes it read-only.  With a disk the kernel gets
                       \"root=/dev/vda rw\" (\"ro\" if the first disk is :ro).
                       Repeatable (up to 27 disks, 28 with --console host).
    --console KIND     \"virtio\" (default): the console is a virtio console,
                       hvc0, reading standard input.  \"host\": the kernel's
                       own hvc0 over the console_write/console_read imports.
    --stats            Print on standard error how long the boot took, from
                       the host's start to the kernel's \"Run ... as init
                       process\" line (not shown with \"quiet\"), and at the
                       end the run time, the host CPU time used and the
                       number of kernel threads.
    -h, --help         Show this help.

Options also accept the form --option=VALUE.

The kernel console is written to standard output; messages of wasm-linux
itself go to standard error.  Besides the console (unless --console host)
and the disks, the guest always has a virtio entropy source.

Environment:
    WASM_LINUX_CACHE=DIR   keep compiled kernels in DIR (default
                           $XDG_CACHE_HOME/wasm-linux or ~/.cache/wasm-linux)
                           so that booting the same kernel again skips
                           compilation; \"off\" disables the cache
    WASM_LINUX_PERFMAP=1   write /tmp/perf-PID.map naming the compiled kernel
                           functions, for `perf` and debuggers
    WASM_LINUX_TRACE=1     log the start and end of every kernel thread on
                           standard error

Exit status:
    0   the guest powered off (or halted) cleanly: halt(0)
    1   the guest kernel panicked: halt(2), or the console showed the end
        of a panic (\"---[ end Kernel panic ...\") after which a kernel that
        does not call halt() would spin forever
    2   bad command-line arguments, or an input file (kernel, initramfs,
        disk image) that cannot be read or does not fit
    3   host-side fault: a trap in kernel code, a bad call of a host
        function (an address outside memory, an unknown halt reason, an
        MMIO access size other than 1, 2, 4 or 8), a module that does not
        compile, link or instantiate, a host ABI version other than 3, or
        every kernel thread gone without halt()
    4   the guest asked for a reboot: halt(1) (rebooting is not supported
        yet: the host exits with 4 and does not restart the guest)
";

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Help,
    Run(RunOptions),
}

/// A `--disk` option.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disk {
    pub path: PathBuf,
    pub read_only: bool,
}

/// What the guest console is (`--console`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ConsoleKind {
    /// A virtio console device (hvc0 of virtio_console).
    #[default]
    Virtio,
    /// The kernel's own hvc0 over console_write/console_read and line 2.
    Host,
}

/// The options of `wasm-linux run`.
#[derive(Debug, PartialEq, Eq)]
pub struct RunOptions {
    pub vmlinux: PathBuf,
    pub initramfs: Option<PathBuf>,
    pub append: Option<String>,
    /// Guest RAM in bytes, as given (not yet rounded to pages).
    pub memory: u64,
    pub cpus: u32,
    /// Print boot time and run statistics on standard error.
    pub stats: bool,
    /// Disk images, in order (vda, vdb...).
    pub disks: Vec<Disk>,
    pub console: ConsoleKind,
    /// Directory of the compiled-module cache (from the environment, not
    /// the command line), or `None` for no cache.
    pub module_cache: Option<PathBuf>,
}

impl RunOptions {
    /// The number of virtio devices (see virtio/mod.rs).
    pub fn device_count(&self) -> usize {
        virtio::device_count(self.console == ConsoleKind::Virtio, self.disks.len())
    }

    /// The kernel command line: the console, the virtio devices, the root
    /// disk, then whatever `--append` adds.
    pub fn cmdline(&self) -> String {
        let mut words = vec![BASE_CMDLINE.to_string()];
        if self.console == ConsoleKind::Virtio {
            words.push(VIRTIO_CONSOLE_CMDLINE.to_string());
        }
        words.extend((0..self.device_count()).map(virtio::cmdline_param));
        if let Some(first) = self.disks.first() {
            let mode = if first.read_only { "ro" } else { "rw" };
            words.push(format!("root=/dev/vda {mode}"));
        }
        if let Some(extra) = self.append.as_deref().map(str::trim)
            && !extra.is_empty()
        {
            words.push(extra.to_string());
        }
        words.join(" ")
    }
}

/// Parses the program's arguments (without the program name).  The error
/// is one line meant for standard error.
pub fn parse<I>(args: I) -> Result<Command, String>
where
    I: IntoIterator<Item = OsString>,
{
    let mut args = args.into_iter().map(|a| {
        a.into_string()
            .map_err(|a| format!("argument is not valid UTF-8: {}", a.to_string_lossy()))
    });

    let first = match args.next() {
        None => return Err("no command given (try 'wasm-linux --help')".into()),
        Some(a) => a?,
    };
    match first.as_str() {
        "-h" | "--help" | "help" => return Ok(Command::Help),
        "run" => {}
        other if other.starts_with('-') => return Err(format!("unknown option '{other}'")),
        other => {
            return Err(format!(
                "unknown command '{other}' (try 'wasm-linux --help')"
            ));
        }
    }

    let mut vmlinux = None;
    let mut initramfs = None;
    let mut append = None;
    let mut memory = None;
    let mut cpus = None;
    let mut stats = false;
    let mut disks = Vec::new();
    let mut console = None;
    let mut only_positional = false;

    while let Some(arg) = args.next() {
        let arg = arg?;
        if only_positional || !arg.starts_with('-') || arg == "-" {
            if vmlinux.is_some() {
                return Err(format!("unexpected argument '{arg}'"));
            }
            vmlinux = Some(PathBuf::from(arg));
            continue;
        }
        if arg == "--" {
            only_positional = true;
            continue;
        }
        if arg == "-h" || arg == "--help" {
            return Ok(Command::Help);
        }
        if arg == "--stats" {
            stats = true;
            continue;
        }

        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) => (n.to_string(), Some(v.to_string())),
            None => (arg.clone(), None),
        };
        if name == "--stats" {
            return Err(format!("option '{name}' takes no value"));
        }
        if !matches!(
            name.as_str(),
            "--initramfs" | "--append" | "--memory" | "--cpus" | "--disk" | "--console"
        ) {
            return Err(format!("unknown option '{name}'"));
        }
        let value = match inline {
            Some(v) => v,
            None => match args.next() {
                Some(v) => v?,
                None => return Err(format!("option '{name}' needs a value")),
            },
        };
        match name.as_str() {
            "--initramfs" => set_once(&mut initramfs, &name, PathBuf::from(value))?,
            "--append" => set_once(&mut append, &name, value)?,
            "--memory" => {
                let bytes = parse_size(&value).map_err(|e| format!("--memory: {e}"))?;
                set_once(&mut memory, &name, bytes)?
            }
            "--cpus" => {
                let n = parse_cpus(&value).map_err(|e| format!("--cpus: {e}"))?;
                set_once(&mut cpus, &name, n)?
            }
            "--disk" => disks.push(parse_disk(&value)?),
            "--console" => {
                let kind = match value.as_str() {
                    "virtio" => ConsoleKind::Virtio,
                    "host" => ConsoleKind::Host,
                    _ => return Err(format!("--console: '{value}' is not virtio or host")),
                };
                set_once(&mut console, &name, kind)?
            }
            _ => unreachable!("option names are checked above"),
        }
    }

    let vmlinux = vmlinux.ok_or("run: missing VMLINUX.wasm (try 'wasm-linux --help')")?;
    let opts = RunOptions {
        vmlinux,
        initramfs,
        append,
        memory: memory.unwrap_or(DEFAULT_MEMORY),
        cpus: cpus.unwrap_or(DEFAULT_CPUS),
        stats,
        disks,
        console: console.unwrap_or_default(),
        module_cache: None,
    };
    if opts.device_count() > virtio::MAX_DEVICES {
        let max = virtio::MAX_DEVICES - (opts.device_count() - opts.disks.len());
        return Err(format!(
            "--disk: {} disks given, at most {max} fit the interrupt lines",
            opts.disks.len()
        ));
    }
    Ok(Command::Run(opts))
}

/// Parses `IMAGE` or `IMAGE:ro`.  Whether the file is usable is checked
/// when it is opened, at boot.
fn parse_disk(value: &str) -> Result<Disk, String> {
    let (path, read_only) = match value.strip_suffix(":ro") {
        Some(path) => (path, true),
        None => (value, false),
    };
    if path.is_empty() {
        return Err("--disk: missing image file name".into());
    }
    Ok(Disk {
        path: PathBuf::from(path),
        read_only,
    })
}

fn set_once<T>(slot: &mut Option<T>, name: &str, value: T) -> Result<(), String> {
    if slot.is_some() {
        return Err(format!("option '{name}' given more than once"));
    }
    *slot = Some(value);
    Ok(())
}

/// Parses a size such as `256M`, `1G`, `65536K`, `512MiB` or `128` (MiB).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let digits_end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, suffix) = text.split_at(digits_end);
    if digits.is_empty() {
        return Err(format!("invalid size '{text}' (expected e.g. 256M or 1G)"));
    }
    let number: u64 = digits
        .parse()
        .map_err(|_| format!("size '{text}' is too large"))?;
    let shift = match suffix.to_ascii_lowercase().as_str() {
        "" | "m" | "mb" | "mib" => 20,
        "b" => 0,
        "k" | "kb" | "kib" => 10,
        "g" | "gb" | "gib" => 30,
        _ => return Err(format!("invalid size suffix in '{text}' (use K, M or G)")),
    };
    let bytes = number
        .checked_mul(1 << shift)
        .ok_or_else(|| format!("size '{text}' is too large"))?;
    if bytes == 0 {
        return Err("size must not be zero".into());
    }
    Ok(bytes)
}

fn parse_cpus(text: &str) -> Result<u32, String> {
    let n: u32 = text
        .trim()
        .parse()
        .map_err(|_| format!("invalid number '{text}'"))?;
    if !(1..=MAX_CPUS).contains(&n) {
        return Err(format!("{n} is out of range (1 to {MAX_CPUS})"));
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    fn run(list: &[&str]) -> RunOptions {
        match parse(args(list)) {
            Ok(Command::Run(opts)) => opts,
            other => panic!("expected run options, got {other:?}"),
        }
    }

    #[test]
    fn defaults() {
        let opts = run(&["run", "vmlinux.wasm"]);
        assert_eq!(opts.vmlinux, PathBuf::from("vmlinux.wasm"));
        assert_eq!(opts.initramfs, None);
        assert_eq!(opts.append, None);
        assert_eq!(opts.memory, 256 << 20);
        assert_eq!(opts.cpus, 2);
        assert!(!opts.stats);
        assert_eq!(opts.disks, []);
        assert_eq!(opts.console, ConsoleKind::Virtio);
        assert_eq!(
            opts.cmdline(),
            "console=hvc0 wasm_hvc=off virtio_mmio.device=4K@0xf0000000:3 \
             virtio_mmio.device=4K@0xf0001000:4"
        );
    }

    #[test]
    fn disks_and_console() {
        let opts = run(&[
            "run",
            "a.wasm",
            "--disk",
            "root.img",
            "--disk=data:ro",
            "--append",
            "init=/bin/sh",
        ]);
        assert_eq!(
            opts.disks,
            [
                Disk {
                    path: "root.img".into(),
                    read_only: false
                },
                Disk {
                    path: "data".into(),
                    read_only: true
                }
            ]
        );
        assert_eq!(
            opts.cmdline(),
            "console=hvc0 wasm_hvc=off virtio_mmio.device=4K@0xf0000000:3 \
             virtio_mmio.device=4K@0xf0001000:4 virtio_mmio.device=4K@0xf0002000:5 \
             virtio_mmio.device=4K@0xf0003000:6 root=/dev/vda rw init=/bin/sh"
        );
        let opts = run(&["run", "a.wasm", "--console=host", "--disk", "r:o:ro"]);
        assert_eq!(opts.console, ConsoleKind::Host);
        assert_eq!(opts.disks[0].path, PathBuf::from("r:o"));
        assert_eq!(
            opts.cmdline(),
            "console=hvc0 virtio_mmio.device=4K@0xf0000000:3 \
             virtio_mmio.device=4K@0xf0001000:4 root=/dev/vda ro"
        );
        let opts = run(&["run", "a.wasm", "--console", "host"]);
        assert_eq!(
            opts.cmdline(),
            "console=hvc0 virtio_mmio.device=4K@0xf0000000:3"
        );

        let mut many = vec!["run", "a.wasm"];
        many.extend(["--disk", "d.img"].repeat(27));
        let opts = run(&many);
        assert_eq!(opts.device_count(), 29);
        assert!(
            opts.cmdline()
                .contains("virtio_mmio.device=4K@0xf001c000:31 ")
        );
        many.extend(["--disk", "d.img"]);
        let err = parse(args(&many)).unwrap_err();
        assert_eq!(
            err,
            "--disk: 28 disks given, at most 27 fit the interrupt lines"
        );
        many.extend(["--console", "host"]);
        assert!(parse(args(&many)).is_ok());
    }

    #[test]
    fn all_options_both_forms() {
        let opts = run(&[
            "run",
            "--initramfs",
            "init.cpio",
            "--append=loglevel=8 init=/bin/sh",
            "--memory",
            "1G",
            "vm.wasm",
            "--cpus=4",
            "--stats",
        ]);
        assert!(opts.stats);
        assert_eq!(opts.vmlinux, PathBuf::from("vm.wasm"));
        assert_eq!(opts.initramfs, Some(PathBuf::from("init.cpio")));
        assert_eq!(opts.memory, 1 << 30);
        assert_eq!(opts.cpus, 4);
        assert!(
            opts.cmdline()
                .starts_with("console=hvc0 wasm_hvc=off virtio_mmio")
        );
        assert!(opts.cmdline().ends_with(":4 loglevel=8 init=/bin/sh"));
    }

    #[test]
    fn help() {
        assert_eq!(parse(args(&["--help"])), Ok(Command::Help));
        assert_eq!(parse(args(&["-h"])), Ok(Command::Help));
        assert_eq!(parse(args(&["run", "--help"])), Ok(Command::Help));
    }

    #[test]
    fn errors_are_one_line() {
        let bad: &[&[&str]] = &[
            &[],
            &["boot"],
            &["--frobnicate"],
            &["run"],
            &["run", "a.wasm", "b.wasm"],
            &["run", "a.wasm", "--memory"],
            &["run", "a.wasm", "--memory", "lots"],
            &["run", "a.wasm", "--memory", "12T"],
            &["run", "a.wasm", "--cpus", "0"],
            &["run", "a.wasm", "--cpus", "65"],
            &["run", "a.wasm", "--cpus", "two"],
            &["run", "a.wasm", "--cpus", "1", "--cpus", "2"],
            &["run", "a.wasm", "--bogus=1"],
            &["run", "a.wasm", "--stats=yes"],
            &["run", "a.wasm", "--disk"],
            &["run", "a.wasm", "--disk", ":ro"],
            &["run", "a.wasm", "--disk="],
            &["run", "a.wasm", "--console", "serial"],
            &["run", "a.wasm", "--console=host", "--console=virtio"],
        ];
        for list in bad {
            let err = parse(args(list)).expect_err(&format!("{list:?} must fail"));
            assert!(!err.is_empty() && !err.contains('\n'), "{list:?}: {err:?}");
        }
    }

    #[test]
    fn double_dash_ends_options() {
        let opts = run(&["run", "--", "--weird-name.wasm"]);
        assert_eq!(opts.vmlinux, PathBuf::from("--weird-name.wasm"));
    }

    #[test]
    fn empty_append_adds_nothing() {
        let opts = run(&["run", "a", "--append", "  ", "--console", "host"]);
        assert_eq!(
            opts.cmdline(),
            format!("{BASE_CMDLINE} {}", virtio::cmdline_param(0))
        );
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("256M"), Ok(256 << 20));
        assert_eq!(parse_size("256m"), Ok(256 << 20));
        assert_eq!(parse_size("256MiB"), Ok(256 << 20));
        assert_eq!(parse_size("1G"), Ok(1 << 30));
        assert_eq!(parse_size("1gb"), Ok(1 << 30));
        assert_eq!(parse_size("64K"), Ok(64 << 10));
        assert_eq!(parse_size("4096B"), Ok(4096));
        assert_eq!(parse_size("128"), Ok(128 << 20));
        assert!(parse_size("").is_err());
        assert!(parse_size("M").is_err());
        assert!(parse_size("0").is_err());
        assert!(parse_size("1.5G").is_err());
        assert!(parse_size("-1G").is_err());
        assert!(parse_size("99999999999999999999G").is_err());
        assert!(parse_size("17179869184G").is_err());
    }
}
