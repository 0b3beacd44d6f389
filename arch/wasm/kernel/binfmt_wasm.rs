// SPDX-License-Identifier: GPL-2.0

//! The WebAssembly executable format: reading a user module.
//!
//! User executables and libraries are WebAssembly modules that follow
//! LLVM's dynamic-linking convention: a `dylink.0` custom section first,
//! then the standard sections.  This file validates such a module, which
//! comes from an untrusted file, and extracts what the loader needs: the
//! memory and table the module wants (MEM_INFO), the libraries it needs
//! (NEEDED), its imports of memory and table, and its `_start` export.
//!
//! Every length, count and LEB128 number is checked against the bytes
//! that remain and against fixed limits before it is used; any violation
//! makes the module invalid (`-ENOEXEC`), and nothing here can read out
//! of bounds, overflow or loop without consuming input.
//!
//! C reaches the parser through `wasm_exec_parse()` (see
//! `binfmt_wasm.h`).

use kernel::bindings;

/// At most this many NEEDED libraries.
pub const MAX_NEEDED: usize = 8;
/// Longest name (import, export, library) accepted.
const MAX_NAME: u32 = 255;
/// Largest memory a module may ask for in MEM_INFO (1 GiB).
const MAX_MEM_SIZE: u32 = 1 << 30;
/// Largest table a module may ask for in MEM_INFO, and the host gives a
/// process.
const MAX_TABLE_SIZE: u32 = bindings::WASM_MAX_TABLE;
/// Largest alignment, as log2, in MEM_INFO (one 64 KiB page).
const MAX_ALIGN_LOG2: u32 = 16;
/// Largest entry count in any vector this parser walks.
const MAX_COUNT: u32 = 1 << 20;
/// Memory pages of a 32-bit module: 4 GiB / 64 KiB.
const MAX_PAGES: u32 = bindings::WASM_MAX_PAGES;

const SECTION_CUSTOM: u8 = 0;
const SECTION_TYPE: u8 = 1;
const SECTION_IMPORT: u8 = 2;
const SECTION_EXPORT: u8 = 7;
const SECTION_DATACOUNT: u8 = 12;
const SECTION_TAG: u8 = 13;

const DYLINK_MEM_INFO: u8 = 1;
const DYLINK_NEEDED: u8 = 2;
const DYLINK_EXPORT_INFO: u8 = 3;
const DYLINK_IMPORT_INFO: u8 = 4;

const EXTERN_FUNC: u8 = 0;
const EXTERN_TABLE: u8 = 1;
const EXTERN_MEMORY: u8 = 2;
const EXTERN_GLOBAL: u8 = 3;
const EXTERN_TAG: u8 = 4;

/// What the loader learns from a module.  Mirrored by
/// `struct wasm_exec_info` in `binfmt_wasm.h`: only `u32` fields, so the
/// layout is the same in both languages, and both assert it (below).
#[repr(C)]
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct WasmExecInfo {
    /// Bytes of memory the module's data needs (MEM_INFO).
    pub mem_size: u32,
    /// log2 of the alignment of that memory.
    pub mem_align: u32,
    /// Table slots the module needs.
    pub table_size: u32,
    /// log2 of the alignment of those slots.
    pub table_align: u32,
    /// Number of NEEDED libraries; their names are `needed_off`/`needed_len`
    /// byte ranges of the module.
    pub nr_needed: u32,
    pub needed_off: [u32; MAX_NEEDED],
    pub needed_len: [u32; MAX_NEEDED],
    /// Function index of the `_start` export, or `u32::MAX` if none.
    pub start_func: u32,
    /// The imported memory's limits in 64 KiB pages, and whether it is
    /// shared (1) or not (0); `has_memory` is 0 when there is none.
    pub has_memory: u32,
    pub mem_min_pages: u32,
    pub mem_max_pages: u32,
    pub mem_shared: u32,
    /// Whether the module imports a function table (1) or not (0).
    pub has_table: u32,
    /// Number of imported functions (the `syscall` entry among them).
    pub nr_func_imports: u32,
}

// The size and offsets `binfmt_wasm.h` asserts for its twin.
const _: () = {
    use core::mem::{offset_of, size_of};
    assert!(size_of::<WasmExecInfo>() == 112);
    assert!(offset_of!(WasmExecInfo, mem_size) == 0);
    assert!(offset_of!(WasmExecInfo, mem_align) == 4);
    assert!(offset_of!(WasmExecInfo, table_size) == 8);
    assert!(offset_of!(WasmExecInfo, table_align) == 12);
    assert!(offset_of!(WasmExecInfo, nr_needed) == 16);
    assert!(offset_of!(WasmExecInfo, needed_off) == 20);
    assert!(offset_of!(WasmExecInfo, needed_len) == 52);
    assert!(offset_of!(WasmExecInfo, start_func) == 84);
    assert!(offset_of!(WasmExecInfo, has_memory) == 88);
    assert!(offset_of!(WasmExecInfo, mem_min_pages) == 92);
    assert!(offset_of!(WasmExecInfo, mem_max_pages) == 96);
    assert!(offset_of!(WasmExecInfo, mem_shared) == 100);
    assert!(offset_of!(WasmExecInfo, has_table) == 104);
    assert!(offset_of!(WasmExecInfo, nr_func_imports) == 108);
};

/// Why a module is rejected; all map to `-ENOEXEC`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Error {
    /// Input ended early, or a length points past the end.
    Truncated,
    /// A LEB128 number is too long or too large.
    BadLeb,
    /// Not a wasm module of version 1, or no `dylink.0` first.
    BadHeader,
    /// Sections out of order or repeated, or an unknown section.
    BadOrder,
    /// A value outside the limits of this loader.
    Limit,
    /// A malformed entry.
    Malformed,
}

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    fn at_end(&self) -> bool {
        self.pos >= self.buf.len()
    }

    fn byte(&mut self) -> Result<u8, Error> {
        let b = *self.buf.get(self.pos).ok_or(Error::Truncated)?;
        self.pos += 1;
        Ok(b)
    }

    fn bytes(&mut self, n: u32) -> Result<&'a [u8], Error> {
        let end = self.pos.checked_add(n as usize).ok_or(Error::Truncated)?;
        let s = self.buf.get(self.pos..end).ok_or(Error::Truncated)?;
        self.pos = end;
        Ok(s)
    }

    /// An unsigned LEB128 number of at most 32 bits (5 bytes).
    fn u32(&mut self) -> Result<u32, Error> {
        let mut value: u32 = 0;
        for i in 0..5 {
            let b = self.byte()?;
            let low = u32::from(b & 0x7f);
            if i == 4 && low > 0x0f {
                return Err(Error::BadLeb);
            }
            value |= low << (7 * i);
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(Error::BadLeb)
    }

    /// A count of entries, each at least `min_size` bytes long.
    fn count(&mut self, min_size: usize) -> Result<u32, Error> {
        let n = self.u32()?;
        if n > MAX_COUNT {
            return Err(Error::Limit);
        }
        let left = self.buf.len() - self.pos.min(self.buf.len());
        if (n as usize).saturating_mul(min_size) > left {
            return Err(Error::Truncated);
        }
        Ok(n)
    }

    /// A name: its byte range in the whole module and its bytes.
    fn name(&mut self, base: usize) -> Result<(u32, &'a [u8]), Error> {
        let len = self.u32()?;
        if len > MAX_NAME {
            return Err(Error::Limit);
        }
        let off = base + self.pos;
        let s = self.bytes(len)?;
        if core::str::from_utf8(s).is_err() {
            return Err(Error::Malformed);
        }
        Ok((off as u32, s))
    }

    /// Limits of a memory or table: (flags, min, max or `None`).
    fn limits(&mut self) -> Result<(u8, u32, Option<u32>), Error> {
        let flags = self.byte()?;
        // Bit 0: has max; bit 1: shared; bit 2: 64-bit (refused).
        if flags & !0x03 != 0 {
            return Err(Error::Malformed);
        }
        let min = self.u32()?;
        let max = if flags & 1 != 0 {
            Some(self.u32()?)
        } else {
            None
        };
        if max.is_some_and(|max| max < min) {
            return Err(Error::Malformed);
        }
        Ok((flags, min, max))
    }
}

/// Order of a non-custom section id in a module, or `None` if unknown.
fn section_rank(id: u8) -> Option<u8> {
    // type import func table memory tag global export start elem
    // datacount code data
    const ORDER: [u8; 13] = [1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11];
    ORDER.iter().position(|&x| x == id).map(|p| p as u8 + 1)
}

fn parse_dylink(r: &mut Reader<'_>, base: usize, info: &mut WasmExecInfo) -> Result<(), Error> {
    let mut last = 0u8;
    let mut seen_mem_info = false;
    while !r.at_end() {
        let kind = r.byte()?;
        let len = r.u32()?;
        let payload = r.bytes(len)?;
        if kind <= last {
            return Err(Error::BadOrder);
        }
        last = kind;
        let sub_base = base + r.pos - payload.len();
        let mut s = Reader::new(payload);
        match kind {
            DYLINK_MEM_INFO => {
                info.mem_size = s.u32()?;
                info.mem_align = s.u32()?;
                info.table_size = s.u32()?;
                info.table_align = s.u32()?;
                if info.mem_size > MAX_MEM_SIZE
                    || info.table_size > MAX_TABLE_SIZE
                    || info.mem_align > MAX_ALIGN_LOG2
                    || info.table_align > MAX_ALIGN_LOG2
                {
                    return Err(Error::Limit);
                }
                seen_mem_info = true;
            }
            DYLINK_NEEDED => {
                let n = s.count(1)?;
                if n as usize > MAX_NEEDED {
                    return Err(Error::Limit);
                }
                for i in 0..n as usize {
                    let (off, name) = s.name(sub_base)?;
                    if name.is_empty() || name.contains(&b'/') {
                        return Err(Error::Malformed);
                    }
                    info.needed_off[i] = off;
                    info.needed_len[i] = name.len() as u32;
                }
                info.nr_needed = n;
            }
            DYLINK_EXPORT_INFO => {
                let n = s.count(2)?;
                for _ in 0..n {
                    s.name(sub_base)?;
                    s.u32()?;
                }
            }
            DYLINK_IMPORT_INFO => {
                let n = s.count(3)?;
                for _ in 0..n {
                    s.name(sub_base)?;
                    s.name(sub_base)?;
                    s.u32()?;
                }
            }
            // Later subsections are skipped, as the convention asks.
            _ => continue,
        }
        if !s.at_end() {
            return Err(Error::Malformed);
        }
    }
    if !seen_mem_info {
        return Err(Error::Malformed);
    }
    Ok(())
}

/// Skips a value type, or a reference type when `reftype`.
fn valtype(r: &mut Reader<'_>, reftype: bool) -> Result<u8, Error> {
    let t = r.byte()?;
    let ok = match t {
        0x70 | 0x6f | 0x69 => true, // funcref, externref, exnref
        0x7f | 0x7e | 0x7d | 0x7c | 0x7b => !reftype, // i32 i64 f32 f64 v128
        _ => false,
    };
    if ok {
        Ok(t)
    } else {
        Err(Error::Malformed)
    }
}

fn parse_types(r: &mut Reader<'_>) -> Result<(), Error> {
    let n = r.count(3)?;
    for _ in 0..n {
        if r.byte()? != 0x60 {
            return Err(Error::Malformed);
        }
        for _ in 0..2 {
            let m = r.count(1)?;
            for _ in 0..m {
                valtype(r, false)?;
            }
        }
    }
    Ok(())
}

fn parse_imports(r: &mut Reader<'_>, base: usize, info: &mut WasmExecInfo) -> Result<(), Error> {
    let n = r.count(4)?;
    for _ in 0..n {
        let (_, module) = r.name(base)?;
        let (_, field) = r.name(base)?;
        match r.byte()? {
            EXTERN_FUNC => {
                r.u32()?;
                info.nr_func_imports += 1;
            }
            EXTERN_TABLE => {
                valtype(r, true)?;
                r.limits()?;
                if module != b"env" || field != b"__indirect_function_table" || info.has_table != 0
                {
                    return Err(Error::Malformed);
                }
                info.has_table = 1;
            }
            EXTERN_MEMORY => {
                let (flags, min, max) = r.limits()?;
                if module != b"env" || field != b"memory" || info.has_memory != 0 {
                    return Err(Error::Malformed);
                }
                let max = max.unwrap_or(MAX_PAGES);
                if min > MAX_PAGES || max > MAX_PAGES {
                    return Err(Error::Limit);
                }
                info.has_memory = 1;
                info.mem_min_pages = min;
                info.mem_max_pages = max;
                info.mem_shared = u32::from(flags & 2 != 0);
            }
            EXTERN_GLOBAL => {
                valtype(r, false)?;
                if r.byte()? > 1 {
                    return Err(Error::Malformed);
                }
            }
            EXTERN_TAG => {
                if r.byte()? != 0 {
                    return Err(Error::Malformed);
                }
                r.u32()?;
            }
            _ => return Err(Error::Malformed),
        }
    }
    Ok(())
}

fn parse_exports(r: &mut Reader<'_>, base: usize, info: &mut WasmExecInfo) -> Result<(), Error> {
    let n = r.count(3)?;
    for _ in 0..n {
        let (_, name) = r.name(base)?;
        let kind = r.byte()?;
        let index = r.u32()?;
        if kind > EXTERN_TAG {
            return Err(Error::Malformed);
        }
        if kind == EXTERN_FUNC && name == b"_start" {
            if info.start_func != u32::MAX {
                return Err(Error::Malformed);
            }
            info.start_func = index;
        }
    }
    Ok(())
}

/// Validates `module` and returns what the loader needs.
pub fn parse(module: &[u8]) -> Result<WasmExecInfo, Error> {
    let mut info = WasmExecInfo {
        start_func: u32::MAX,
        ..Default::default()
    };
    let mut r = Reader::new(module);
    if r.bytes(8).map_err(|_| Error::BadHeader)? != b"\0asm\x01\0\0\0" {
        return Err(Error::BadHeader);
    }

    let mut first = true;
    let mut last_rank = 0u8;
    while !r.at_end() {
        let id = r.byte()?;
        let len = r.u32()?;
        let body = r.bytes(len)?;
        let base = r.pos - body.len();
        let mut s = Reader::new(body);

        if id == SECTION_CUSTOM {
            let (_, name) = s.name(base)?;
            if first {
                if name != b"dylink.0" {
                    return Err(Error::BadHeader);
                }
                let rest = &body[s.pos..];
                let mut d = Reader::new(rest);
                parse_dylink(&mut d, base + s.pos, &mut info)?;
            } else if name == b"dylink.0" {
                return Err(Error::BadOrder);
            }
            first = false;
            continue;
        }
        if first {
            return Err(Error::BadHeader);
        }
        let rank = section_rank(id).ok_or(Error::BadOrder)?;
        if rank <= last_rank {
            return Err(Error::BadOrder);
        }
        last_rank = rank;
        match id {
            SECTION_TYPE => parse_types(&mut s)?,
            SECTION_IMPORT => parse_imports(&mut s, base, &mut info)?,
            SECTION_EXPORT => parse_exports(&mut s, base, &mut info)?,
            SECTION_DATACOUNT | SECTION_TAG => {
                s.u32()?;
                s.pos = body.len();
            }
            // Function bodies, data and the rest are validated by the
            // host's compiler when it instantiates the module.
            _ => s.pos = body.len(),
        }
        if !s.at_end() {
            return Err(Error::Malformed);
        }
    }
    if first {
        return Err(Error::BadHeader);
    }
    Ok(info)
}

/// C entry: parses the `len` bytes at `buf` into `*info`.  Returns 0, or
/// `-ENOEXEC` for a module this kernel cannot load.
///
/// # Safety
///
/// `buf` must point to `len` readable bytes and `info` to a writable
/// `struct wasm_exec_info`.
#[no_mangle]
pub unsafe extern "C" fn wasm_exec_parse(
    buf: *const u8,
    len: usize,
    info: *mut WasmExecInfo,
) -> i32 {
    if buf.is_null() || info.is_null() {
        return -(bindings::EINVAL as i32);
    }
    // SAFETY: the caller guarantees `len` readable bytes at `buf`.
    let module = unsafe { core::slice::from_raw_parts(buf, len) };
    match parse(module) {
        Ok(parsed) => {
            // SAFETY: the caller guarantees `info` is writable.
            unsafe { info.write(parsed) };
            0
        }
        Err(_) => -(bindings::ENOEXEC as i32),
    }
}

/// The size of `struct wasm_exec_info` as Rust lays it out, for the C
/// side to check its mirror.
#[no_mangle]
pub extern "C" fn wasm_exec_info_size() -> usize {
    core::mem::size_of::<WasmExecInfo>()
}

/// At most this many modules in one image: the program and its libraries.
pub const MAX_MODULES: usize = 1 + MAX_NEEDED;
/// The first bytes of every process memory stay unused, so that a null
/// pointer never points at data.
const NULL_GUARD: u32 = 4096;
/// Room left after each module's data: wasm-ld keeps the once-only flag of
/// `__wasm_init_memory` just past the MEM_INFO size.
const DATA_SLACK: u32 = 16;
/// Bytes in a wasm memory page.
const WASM_PAGE: u64 = bindings::WASM_PAGE_SIZE as u64;
/// Bytes in a kernel page: the stack and mappings are page-aligned.
const PAGE: u32 = 4096;

/// Where the loader puts each module and the stack in a new process
/// memory.  Mirrored by `struct wasm_exec_layout` in `binfmt_wasm.h`.
#[repr(C)]
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct WasmExecLayout {
    /// `__memory_base` of each module, in the order given.
    pub memory_base: [u32; MAX_MODULES],
    /// `__table_base` of each module.
    pub table_base: [u32; MAX_MODULES],
    /// Slots the function table needs in all.
    pub table_size: u32,
    /// Lowest and highest (exclusive) address of the stack.
    pub stack_low: u32,
    pub stack_top: u32,
    /// First byte after the stack: the break and mappings start here.
    pub map_start: u32,
    /// Initial size of the memory, in 64 KiB pages.
    pub pages: u32,
}

// The size and offsets `binfmt_wasm.h` asserts for its twin.
const _: () = {
    use core::mem::{offset_of, size_of};
    assert!(size_of::<WasmExecLayout>() == 92);
    assert!(offset_of!(WasmExecLayout, memory_base) == 0);
    assert!(offset_of!(WasmExecLayout, table_base) == 36);
    assert!(offset_of!(WasmExecLayout, table_size) == 72);
    assert!(offset_of!(WasmExecLayout, stack_low) == 76);
    assert!(offset_of!(WasmExecLayout, stack_top) == 80);
    assert!(offset_of!(WasmExecLayout, map_start) == 84);
    assert!(offset_of!(WasmExecLayout, pages) == 88);
};

fn align_up(v: u32, log2: u32) -> Option<u32> {
    let mask = (1u32 << log2) - 1;
    v.checked_add(mask).map(|v| v & !mask)
}

/// Lays out modules with the MEM_INFO of `infos` and a stack of
/// `stack_size` bytes in one process memory: a null guard, the data of
/// each module at its alignment, then the stack.  Table slot 0 stays empty
/// (a null function pointer).  Fails if it does not fit in 32 bits.
pub fn layout(infos: &[WasmExecInfo], stack_size: u32) -> Option<WasmExecLayout> {
    if infos.is_empty() || infos.len() > MAX_MODULES {
        return None;
    }
    let mut out = WasmExecLayout::default();
    let mut mem = NULL_GUARD;
    let mut table = 1u32;
    for (i, info) in infos.iter().enumerate() {
        if info.mem_align > MAX_ALIGN_LOG2 || info.table_align > 31 {
            return None;
        }
        mem = align_up(mem, info.mem_align)?;
        out.memory_base[i] = mem;
        mem = mem.checked_add(info.mem_size)?.checked_add(DATA_SLACK)?;
        table = align_up(table, info.table_align)?;
        out.table_base[i] = table;
        table = table.checked_add(info.table_size)?;
    }
    if table > MAX_TABLE_SIZE {
        return None;
    }
    out.table_size = table;
    out.stack_low = align_up(mem, 12)?;
    out.stack_top = out.stack_low.checked_add(stack_size & !(PAGE - 1))?;
    out.map_start = out.stack_top;
    let pages = (u64::from(out.map_start) + WASM_PAGE - 1) / WASM_PAGE;
    if pages > u64::from(MAX_PAGES) {
        return None;
    }
    out.pages = pages as u32;
    Some(out)
}

/// C entry: lays out `n` modules described by `infos` with a stack of
/// `stack_size` bytes.  Returns 0, or `-ENOMEM` if they do not fit.
///
/// # Safety
///
/// `infos` must point to `n` readable `struct wasm_exec_info` and `out` to
/// a writable `struct wasm_exec_layout`.
#[no_mangle]
pub unsafe extern "C" fn wasm_exec_layout(
    infos: *const WasmExecInfo,
    n: u32,
    stack_size: u32,
    out: *mut WasmExecLayout,
) -> i32 {
    if infos.is_null() || out.is_null() || n as usize > MAX_MODULES {
        return -(bindings::EINVAL as i32);
    }
    // SAFETY: the caller guarantees `n` readable entries at `infos`.
    let infos = unsafe { core::slice::from_raw_parts(infos, n as usize) };
    match layout(infos, stack_size) {
        Some(l) => {
            // SAFETY: the caller guarantees `out` is writable.
            unsafe { out.write(l) };
            0
        }
        None => -(bindings::ENOMEM as i32),
    }
}

/// The size of `struct wasm_exec_layout` as Rust lays it out.
#[no_mangle]
pub extern "C" fn wasm_exec_layout_size() -> usize {
    core::mem::size_of::<WasmExecLayout>()
}
