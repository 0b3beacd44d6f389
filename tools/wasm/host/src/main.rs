// SPDX-License-Identifier: GPL-2.0

//! wasm-linux: the native host of Linux on WebAssembly.
//!
//! Boots `vmlinux.wasm` on wasmtime following the host ABI of
//! Documentation/arch/wasm/host-abi.rst.  See `wasm-linux --help`.

mod abi;
#[cfg(test)]
mod abi_tests;
mod boot;
mod cli;
mod clock;
mod console;
mod console_input;
mod imports;
mod irq;
mod machine;
mod memory;
mod module_cache;
mod outcome;
mod perfmap;
mod random;
mod stats;
mod threads;
mod uaccess;
mod unwind;
mod user;
mod virtio;

use boot::BootError;
use cli::Command;
use outcome::{EXIT_USAGE, Outcome};
use std::process::ExitCode;

fn main() -> ExitCode {
    let opts = match cli::parse(std::env::args_os().skip(1)) {
        Ok(Command::Help) => {
            print!("{}", cli::HELP);
            return ExitCode::SUCCESS;
        }
        Ok(Command::Run(opts)) => cli::RunOptions {
            module_cache: module_cache::directory(),
            ..opts
        },
        Err(msg) => {
            eprintln!("wasm-linux: {msg}");
            return ExitCode::from(EXIT_USAGE as u8);
        }
    };

    // Restores the terminal when the run ends, before the `exit` below,
    // which runs no destructors; console_input::raw_mode lists the other
    // ways the process ends and what restores the terminal on each.
    let terminal = console_input::TerminalGuard;
    let status = match boot::run_interactive(&opts) {
        Ok(outcome) => {
            console::flush();
            if outcome != Outcome::PowerOff {
                eprintln!("wasm-linux: {outcome}");
            }
            outcome.exit_status()
        }
        Err(err) => {
            eprintln!("wasm-linux: {err}");
            match err {
                BootError::Usage(_) => EXIT_USAGE,
                BootError::Host(msg) => Outcome::HostFault(msg).exit_status(),
            }
        }
    };
    // Kernel threads still run or sleep in the guest: end the process
    // without waiting for them.
    console::flush();
    drop(terminal);
    std::process::exit(status)
}
