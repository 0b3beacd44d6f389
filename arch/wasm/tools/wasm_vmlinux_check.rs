// SPDX-License-Identifier: GPL-2.0
//! Host-side consistency checks for the WebAssembly vmlinux.
//!
//! `abi`:    compare the import/export interface of the linked module with
//!           the list documented in a reStructuredText file.
//! `tables`: check, from a wasm-ld link map, that the zero-size marker
//!           symbols bracketing linker-built tables (initcalls, ...) really
//!           sit at the edges of their output segments.
//! `constants`: write the documented numbers of the ABI as a C header, which
//!           the kernel's compile-time checks of its own numbers include.

mod abi;
mod constants;
mod link_map;
mod tables;
mod wasm_module;

use std::process::ExitCode;

const PROG: &str = "wasm_vmlinux_check";

const USAGE: &str = "\
usage: wasm_vmlinux_check abi MODULE.wasm DOC.rst
       wasm_vmlinux_check tables MAP SPEC
       wasm_vmlinux_check constants DOC.rst HEADER.h
       wasm_vmlinux_check --help

abi     Compare the imports and exports of MODULE.wasm with the entries listed
        between '.. wasm-abi-list-begin' and '.. wasm-abi-list-end' in DOC.rst.
tables  Check the table marker symbols of a wasm-ld -Map file against SPEC
        (lines 'head SUFFIX', 'tail SUFFIX', 'range START END'; '#' comments).
constants
        Write the rows 'NAME VALUE' between '.. wasm-abi-constants-begin' and
        '.. wasm-abi-constants-end' in DOC.rst to HEADER.h as C macros
        WASM_ABI_DOC_NAME.

Exit status: 0 all checks passed, 1 a check failed, 2 usage, I/O or parse error.
";

/// Result of a subcommand that ran to completion.
pub enum Outcome {
    /// Everything checked out; one-line summary.
    Pass(String),
    /// Every problem found, one message each.
    Fail(Vec<String>),
}

fn read_text(path: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))
}

fn run(args: &[String]) -> Result<Outcome, String> {
    match args {
        [cmd, module, doc] if cmd == "abi" => {
            let bytes = std::fs::read(module).map_err(|e| format!("cannot read {module}: {e}"))?;
            let interface = wasm_module::interface(&bytes).map_err(|e| format!("{module}: {e}"))?;
            let documented =
                abi::documented_entries(&read_text(doc)?).map_err(|e| format!("{doc}: {e}"))?;
            Ok(abi::compare(&interface, &documented))
        }
        [cmd, map, spec] if cmd == "tables" => {
            let segments = link_map::parse(&read_text(map)?).map_err(|e| format!("{map}: {e}"))?;
            let spec = tables::parse_spec(&read_text(spec)?).map_err(|e| format!("{spec}: {e}"))?;
            Ok(tables::check(&segments, &spec))
        }
        [cmd, doc, header] if cmd == "constants" => {
            let rows = constants::documented_constants(&read_text(doc)?)
                .map_err(|e| format!("{doc}: {e}"))?;
            std::fs::write(header, constants::c_header(&rows, doc))
                .map_err(|e| format!("cannot write {header}: {e}"))?;
            Ok(Outcome::Pass(format!(
                "constants: {} numbers of {doc} in {header}",
                rows.len()
            )))
        }
        _ => Err(format!("invalid arguments (try '{PROG} --help')")),
    }
}

fn main() -> ExitCode {
    let args: Result<Vec<String>, _> = std::env::args_os()
        .skip(1)
        .map(std::ffi::OsString::into_string)
        .collect();
    let Ok(args) = args else {
        eprintln!("{PROG}: arguments must be valid UTF-8");
        return ExitCode::from(2);
    };
    if args.iter().any(|a| a == "--help" || a == "-h") {
        print!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    match run(&args) {
        Ok(Outcome::Pass(summary)) => {
            println!("{PROG}: {summary}");
            ExitCode::SUCCESS
        }
        Ok(Outcome::Fail(problems)) => {
            for problem in problems {
                eprintln!("{PROG}: {problem}");
            }
            ExitCode::from(1)
        }
        Err(err) => {
            eprintln!("{PROG}: {err}");
            ExitCode::from(2)
        }
    }
}
