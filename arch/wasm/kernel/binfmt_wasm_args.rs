// SPDX-License-Identifier: GPL-2.0

//! The initial stack of a new image: `argc`, `argv[]`, `envp[]` and the
//! auxiliary vector, the table `_start` finds at its stack pointer as on
//! every Linux architecture.
//!
//! The argument and environment strings are already in the process memory,
//! where exec copied them from the caller, and so under the user's
//! control: `binfmt_wasm_load.c` copies them back into a kernel buffer,
//! and this builds the table from that buffer, checking that every string
//! ends inside it.  The C side then writes the table below the strings.

use kernel::bindings;

/// Where the argument and the environment strings end, as offsets into
/// the strings.  Mirrored by `struct wasm_exec_args` in `binfmt_wasm.h`,
/// which asserts the same layout.
#[repr(C)]
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct WasmExecArgs {
    /// Just past the last argument's NUL (the first environment string).
    pub arg_end: u32,
    /// Just past the last environment string's NUL.
    pub env_end: u32,
}

// The size and offsets `binfmt_wasm.h` asserts for its twin.
const _: () = {
    use core::mem::{offset_of, size_of};
    assert!(size_of::<WasmExecArgs>() == 8);
    assert!(offset_of!(WasmExecArgs, arg_end) == 0);
    assert!(offset_of!(WasmExecArgs, env_end) == 4);
};

/// Fills `table` with `argc`, the addresses of the `argc` argument strings
/// and a null, the addresses of the `envc` environment strings and a null,
/// then `aux` (type/value pairs ending with `AT_NULL`).  `strings` holds
/// the strings one after the other, each ending with a NUL, and is at
/// `addr` in the process memory.  Returns `None` if a string does not end
/// inside `strings`, an address does not fit in 32 bits, or `table` does
/// not have exactly the room the entries take.
pub fn build(
    strings: &[u8],
    addr: u32,
    argc: u32,
    envc: u32,
    aux: &[u32],
    table: &mut [u32],
) -> Option<WasmExecArgs> {
    let entries = (argc as usize)
        .checked_add(envc as usize)?
        .checked_add(3)?
        .checked_add(aux.len())?;
    if table.len() != entries || aux.len() % 2 != 0 {
        return None;
    }
    let mut args = WasmExecArgs::default();
    let mut at = 0usize;
    let mut slot = 1usize;
    table[0] = argc;
    for n in 0..argc.checked_add(envc)? {
        if n == argc {
            // The end of argv[].
            table[slot] = 0;
            slot += 1;
            args.arg_end = u32::try_from(at).ok()?;
        }
        let len = strings.get(at..)?.iter().position(|&b| b == 0)?;
        table[slot] = addr.checked_add(u32::try_from(at).ok()?)?;
        slot += 1;
        at += len + 1;
    }
    if envc == 0 {
        table[slot] = 0;
        slot += 1;
        args.arg_end = u32::try_from(at).ok()?;
    }
    table[slot] = 0;
    slot += 1;
    args.env_end = u32::try_from(at).ok()?;
    table[slot..].copy_from_slice(aux);
    Some(args)
}

/// C entry: [`build`] over C arrays.  Returns 0, or `-EINVAL`.
///
/// # Safety
///
/// `strings` must point to `len` readable bytes, `aux` to `naux` readable
/// words, `table` to `table_len` writable words, and `out` to a writable
/// `struct wasm_exec_args`; none may overlap `table`.
#[no_mangle]
pub unsafe extern "C" fn wasm_exec_args_table(
    strings: *const u8,
    len: usize,
    addr: u32,
    argc: u32,
    envc: u32,
    aux: *const u32,
    naux: usize,
    table: *mut u32,
    table_len: usize,
    out: *mut WasmExecArgs,
) -> i32 {
    let einval = -(bindings::EINVAL as i32);

    if strings.is_null() || aux.is_null() || table.is_null() || out.is_null() {
        return einval;
    }
    // SAFETY: the caller guarantees `len` readable bytes at `strings`.
    let strings = unsafe { core::slice::from_raw_parts(strings, len) };
    // SAFETY: the caller guarantees `naux` readable words at `aux`.
    let aux = unsafe { core::slice::from_raw_parts(aux, naux) };
    // SAFETY: the caller guarantees `table_len` writable words at `table`,
    // which nothing else here refers to.
    let table = unsafe { core::slice::from_raw_parts_mut(table, table_len) };
    match build(strings, addr, argc, envc, aux, table) {
        Some(args) => {
            // SAFETY: the caller guarantees `out` is writable.
            unsafe { out.write(args) };
            0
        }
        None => einval,
    }
}
