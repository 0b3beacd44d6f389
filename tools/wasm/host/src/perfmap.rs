// SPDX-License-Identifier: GPL-2.0

//! Optional perf map of the compiled kernel: with `WASM_LINUX_PERFMAP=1`
//! in the environment, the host writes `/tmp/perf-PID.map` (the format
//! `perf` reads for JIT code: "START SIZE NAME" per line, hex), which names
//! the wasm function behind any native address in `perf report`, or in a
//! debugger's view of a stuck kernel thread.

use std::fmt::Write as _;
use std::io;
use wasmtime::Module;

/// The environment variable that asks for the map.
pub const ENV: &str = "WASM_LINUX_PERFMAP";

/// Formats one map line.
fn line(out: &mut String, start: usize, len: usize, name: &str) {
    // Names come from the module's name section: keep them on one line.
    let name: String = name
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    let _ = writeln!(out, "{start:x} {len:x} {name}");
}

/// The map of `module`'s compiled functions.
pub fn render(module: &Module) -> String {
    let base = module.text().as_ptr() as usize;
    let mut out = String::new();
    for f in module.functions() {
        let name = match &f.name {
            Some(n) => format!("wasm[{}]::{n}", f.index.as_u32()),
            None => format!("wasm[{}]", f.index.as_u32()),
        };
        line(&mut out, base + f.offset, f.len, &name);
    }
    out
}

/// Writes the map if the environment asks for it; returns its path.
pub fn write_if_requested(module: &Module) -> io::Result<Option<String>> {
    if std::env::var_os(ENV).is_none_or(|v| v.is_empty() || v == "0") {
        return Ok(None);
    }
    let path = format!("/tmp/perf-{}.map", std::process::id());
    std::fs::write(&path, render(module))?;
    Ok(Some(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_hex_and_single_line() {
        let mut s = String::new();
        line(&mut s, 0x1000, 0x20, "start_kernel");
        line(&mut s, 0xabc, 1, "bad\nname");
        assert_eq!(s, "1000 20 start_kernel\nabc 1 bad?name\n");
    }
}
