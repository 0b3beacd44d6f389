// SPDX-License-Identifier: GPL-2.0

//! The numbers of the host ABI, each under the name of its row in the
//! table "Numbers" of Documentation/arch/wasm/host-abi.rst, which a unit
//! test below compares them with.  The errno values are negated, as the
//! imports return them.

/// The ABI version this host implements (`wasm_abi_version()`).
pub const HOST_ABI_VERSION: i32 = 4;

/// `halt()` reasons.
pub const HALT_POWEROFF: i32 = 0;
pub const HALT_REBOOT: i32 = 1;
pub const HALT_PANIC: i32 = 2;

/// `user_enter()` kinds: a new image (`_start`), a clone child
/// (`__wasm_clone_start`) and a fork child (rewound).
pub const USER_EXEC: u32 = 1;
pub const USER_CLONE: u32 = 2;
pub const USER_FORK: u32 = 3;

/// Interrupt lines per CPU (bits of a pending word).
pub const NR_LINES: u32 = 32;
/// The first line a host may raise; 0 and 1 are the kernel's.
pub const LINE_FIRST_DEVICE: u32 = 2;
/// Console input raises this line on this CPU.
pub const LINE_CONSOLE: u32 = 2;
pub const CONSOLE_CPU: u32 = 0;

/// Device registers: from here to the end of the 32-bit space.
pub const MMIO_BASE: u32 = 0xf000_0000;
/// This host's layout: virtio device `i` has the registers from
/// `MMIO_BASE + i * VIRTIO_WINDOW` and the line `VIRTIO_FIRST_LINE + i`.
pub const VIRTIO_WINDOW: u32 = 0x1000;
pub const VIRTIO_FIRST_LINE: u32 = 3;

/// Bytes in a page of a WebAssembly memory.
pub const PAGE_SIZE: u64 = 64 << 10;
/// Limits of `mm_new()`: pages of a process memory (4 GiB), table slots.
pub const MAX_PAGES: u32 = 1 << 16;
pub const MAX_TABLE: u32 = 1 << 20;

/// What the imports return on failure.
pub const EAGAIN: i32 = -11;
pub const ENOEXEC: i32 = -8;
pub const ENOMEM: i32 = -12;
pub const EFAULT: i32 = -14;
pub const ENOSYS: i32 = -38;

/// Signals a user trap stands for (`wasm_user_trap(sig)`).
pub const SIGILL: i32 = 4;
/// ... and a fork child whose parent never made its copy.
pub const SIGKILL: i32 = 9;
pub const SIGBUS: i32 = 7;
pub const SIGFPE: i32 = 8;
pub const SIGSEGV: i32 = 11;

/// The system call a clone child makes when its entry returns: `exit`.
pub const NR_EXIT: i32 = 93;

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    const DOC: &str = include_str!("../../../../Documentation/arch/wasm/host-abi.rst");
    const BEGIN: &str = ".. wasm-abi-constants-begin";
    const END: &str = ".. wasm-abi-constants-end";

    /// Every number above under its row's name, as the table writes it.
    fn ours() -> Vec<(&'static str, i64)> {
        let errno = |e: i32| -i64::from(e);
        vec![
            ("HOST_ABI_VERSION", HOST_ABI_VERSION.into()),
            ("HALT_POWEROFF", HALT_POWEROFF.into()),
            ("HALT_REBOOT", HALT_REBOOT.into()),
            ("HALT_PANIC", HALT_PANIC.into()),
            ("USER_EXEC", USER_EXEC.into()),
            ("USER_CLONE", USER_CLONE.into()),
            ("USER_FORK", USER_FORK.into()),
            ("NR_LINES", NR_LINES.into()),
            ("LINE_FIRST_DEVICE", LINE_FIRST_DEVICE.into()),
            ("LINE_CONSOLE", LINE_CONSOLE.into()),
            ("CONSOLE_CPU", CONSOLE_CPU.into()),
            ("MMIO_BASE", MMIO_BASE.into()),
            ("VIRTIO_WINDOW", VIRTIO_WINDOW.into()),
            ("VIRTIO_FIRST_LINE", VIRTIO_FIRST_LINE.into()),
            ("PAGE_SIZE", PAGE_SIZE as i64),
            ("MAX_PAGES", MAX_PAGES.into()),
            ("MAX_TABLE", MAX_TABLE.into()),
            ("EAGAIN", errno(EAGAIN)),
            ("ENOEXEC", errno(ENOEXEC)),
            ("ENOMEM", errno(ENOMEM)),
            ("EFAULT", errno(EFAULT)),
            ("ENOSYS", errno(ENOSYS)),
            ("SIGILL", SIGILL.into()),
            ("SIGKILL", SIGKILL.into()),
            ("SIGBUS", SIGBUS.into()),
            ("SIGFPE", SIGFPE.into()),
            ("SIGSEGV", SIGSEGV.into()),
            ("NR_EXIT", NR_EXIT.into()),
        ]
    }

    /// The rows `NAME VALUE [comment]` of the table.
    fn documented(text: &str) -> BTreeMap<String, i64> {
        let start = text
            .find(BEGIN)
            .expect("host-abi.rst has no table of numbers");
        let block = &text[start + BEGIN.len()..];
        let block = &block[..block.find(END).expect("the table of numbers has no end")];
        let mut rows = BTreeMap::new();
        for line in block.lines().map(str::trim) {
            if line.is_empty() || line.starts_with("..") {
                continue;
            }
            let mut words = line.split_whitespace();
            let (name, value) = (words.next().unwrap(), words.next().unwrap_or(""));
            let parsed = match value.strip_prefix("0x") {
                Some(hex) => i64::from_str_radix(hex, 16),
                None => value.parse(),
            };
            let value = parsed.unwrap_or_else(|_| panic!("row {name}: bad value '{value}'"));
            assert!(
                rows.insert(name.to_string(), value).is_none(),
                "row {name} twice"
            );
        }
        rows
    }

    /// A value as the table would write it: addresses in hexadecimal.
    fn show(v: i64) -> String {
        if v >= 0x1000_0000 {
            format!("{v:#x}")
        } else {
            v.to_string()
        }
    }

    #[test]
    fn numbers_are_the_documented_ones() {
        let mut doc = documented(DOC);
        let mut problems = Vec::new();
        for (name, value) in ours() {
            match doc.remove(name) {
                Some(d) if d == value => {}
                Some(d) => problems.push(format!(
                    "{name}: abi.rs has {}, host-abi.rst {}",
                    show(value),
                    show(d)
                )),
                None => problems.push(format!(
                    "{name}: abi.rs has {}, host-abi.rst no row",
                    show(value)
                )),
            }
        }
        for (name, d) in doc {
            problems.push(format!(
                "{name}: host-abi.rst has {}, abi.rs nothing",
                show(d)
            ));
        }
        assert!(problems.is_empty(), "\n{}", problems.join("\n"));
    }

    #[test]
    fn reads_the_table() {
        let text =
            format!("{BEGIN}\n\n.. code-block:: none\n\n   A  0x10  c\n   B -3\n{END}\n C 1");
        let rows = documented(&text);
        assert_eq!(rows, BTreeMap::from([("A".into(), 16), ("B".into(), -3)]));
    }
}
