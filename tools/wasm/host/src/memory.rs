// SPDX-License-Identifier: GPL-2.0

//! Host access to the kernel's shared linear memory.
//!
//! Every address the guest hands to the host is checked here; a bad one
//! is an error (which becomes a trap and a host-fault exit), never a panic
//! or an access outside the memory.

use crate::abi::PAGE_SIZE;
use std::cell::UnsafeCell;
use std::fmt;
use std::ops::Range;
use std::sync::atomic::{AtomicU16, AtomicU32};
use wasmtime::SharedMemory;

/// A guest address range the host was asked to touch but may not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemoryError {
    pub addr: u64,
    pub len: u64,
    pub size: u64,
    pub misaligned: bool,
}

impl fmt::Display for MemoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.misaligned {
            write!(f, "misaligned {}-byte access at {:#x}", self.len, self.addr)
        } else {
            write!(
                f,
                "range {:#x}+{:#x} is outside guest memory (size {:#x})",
                self.addr, self.len, self.size
            )
        }
    }
}

impl std::error::Error for MemoryError {}

/// Checks that `addr .. addr + len` lies inside a memory of `size` bytes
/// and returns it as an index range.
pub fn check_range(size: u64, addr: u64, len: u64) -> Result<Range<usize>, MemoryError> {
    let err = || MemoryError {
        addr,
        len,
        size,
        misaligned: false,
    };
    let end = addr.checked_add(len).ok_or_else(err)?;
    if end > size {
        return Err(err());
    }
    let start = usize::try_from(addr).map_err(|_| err())?;
    let end = usize::try_from(end).map_err(|_| err())?;
    Ok(start..end)
}

/// Like [`check_range`] for a naturally aligned 32-bit word.
pub fn check_word(size: u64, addr: u64) -> Result<usize, MemoryError> {
    if !addr.is_multiple_of(4) {
        return Err(MemoryError {
            addr,
            len: 4,
            size,
            misaligned: true,
        });
    }
    Ok(check_range(size, addr, 4)?.start)
}

/// Rounds `bytes` up to whole wasm pages; returns the number of pages.
pub fn pages_for(bytes: u64) -> u64 {
    bytes.div_ceil(PAGE_SIZE)
}

/// The kernel memory, shared by every thread of the machine.
///
/// The guest may change any byte at any time from another thread, so the
/// host only ever copies bytes in and out (or uses atomics); it never
/// holds a Rust reference to guest bytes.
#[derive(Clone)]
pub struct GuestMemory {
    shared: SharedMemory,
}

impl GuestMemory {
    pub fn new(shared: SharedMemory) -> GuestMemory {
        GuestMemory { shared }
    }

    /// The wasmtime handle, to define the `env.memory` import.
    pub fn shared(&self) -> &SharedMemory {
        &self.shared
    }

    /// The current size in bytes.
    pub fn size(&self) -> u64 {
        self.cells().len() as u64
    }

    fn cells(&self) -> &[UnsafeCell<u8>] {
        self.shared.data()
    }

    /// Copies `len` bytes at `addr` out of guest memory.
    pub fn read(&self, addr: u64, len: u64) -> Result<Vec<u8>, MemoryError> {
        let cells = self.cells();
        let range = check_range(cells.len() as u64, addr, len)?;
        let mut out = vec![0u8; range.len()];
        let src = UnsafeCell::raw_get(cells[range].as_ptr());
        // SAFETY: `src .. src + out.len()` was bounds-checked against the
        // mapped memory above, and `out` is a distinct host allocation.
        // Guest threads may write concurrently: the copy then sees some mix
        // of old and new bytes, which is what a racing guest gets anyway.
        unsafe { std::ptr::copy_nonoverlapping(src, out.as_mut_ptr(), out.len()) };
        Ok(out)
    }

    /// Copies `bytes` into guest memory at `addr`.
    pub fn write(&self, addr: u64, bytes: &[u8]) -> Result<(), MemoryError> {
        let cells = self.cells();
        let range = check_range(cells.len() as u64, addr, bytes.len() as u64)?;
        let dst = UnsafeCell::raw_get(cells[range].as_ptr());
        // SAFETY: bounds-checked above; the memory is writable for its
        // whole size and does not overlap the host buffer.
        unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), dst, bytes.len()) };
        Ok(())
    }

    /// Checks that `len` bytes at `addr` are inside this memory.
    pub fn check(&self, addr: u64, len: u64) -> Result<(), MemoryError> {
        check_range(self.size(), addr, len).map(|_| ())
    }

    /// Copies `len` bytes at `src_addr` of `src` to `dst_addr` of this
    /// memory (the two may be the same memory).
    pub fn copy_from(
        &self,
        dst_addr: u64,
        src: &GuestMemory,
        src_addr: u64,
        len: u64,
    ) -> Result<(), MemoryError> {
        let dst_cells = self.cells();
        let src_cells = src.cells();
        let d = check_range(dst_cells.len() as u64, dst_addr, len)?;
        let s = check_range(src_cells.len() as u64, src_addr, len)?;
        if d.is_empty() {
            return Ok(());
        }
        let dst = UnsafeCell::raw_get(dst_cells[d].as_ptr());
        let from = UnsafeCell::raw_get(src_cells[s].as_ptr());
        // SAFETY: both ranges were bounds-checked against their mapped
        // memories, which stay mapped while `self` and `src` live; they
        // may overlap (one memory), which `copy` allows.
        unsafe { std::ptr::copy(from, dst, len as usize) };
        Ok(())
    }

    /// Sets `len` bytes at `addr` to `byte`.
    pub fn fill(&self, addr: u64, len: u64, byte: u8) -> Result<(), MemoryError> {
        let cells = self.cells();
        let range = check_range(cells.len() as u64, addr, len)?;
        if range.is_empty() {
            return Ok(());
        }
        let dst = UnsafeCell::raw_get(cells[range].as_ptr());
        // SAFETY: bounds-checked above; the memory is writable.
        unsafe { std::ptr::write_bytes(dst, byte, len as usize) };
        Ok(())
    }

    /// The aligned 32-bit word at `addr`, for atomic access.
    pub fn atomic_u32(&self, addr: u64) -> Result<&AtomicU32, MemoryError> {
        let cells = self.cells();
        let index = check_word(cells.len() as u64, addr)?;
        let ptr = UnsafeCell::raw_get(&cells[index]).cast::<u32>();
        // SAFETY: `ptr` is 4-byte aligned (the memory base is page-aligned
        // and `addr % 4 == 0`), in bounds for 4 bytes, and stays mapped as
        // long as `self.shared` lives; the guest accesses it atomically too.
        Ok(unsafe { AtomicU32::from_ptr(ptr) })
    }

    /// The aligned 16-bit word at `addr`, for atomic access (the index
    /// fields of virtqueue rings).
    pub fn atomic_u16(&self, addr: u64) -> Result<&AtomicU16, MemoryError> {
        let cells = self.cells();
        let err = |misaligned| MemoryError {
            addr,
            len: 2,
            size: cells.len() as u64,
            misaligned,
        };
        if !addr.is_multiple_of(2) {
            return Err(err(true));
        }
        let index = check_range(cells.len() as u64, addr, 2)
            .map_err(|_| err(false))?
            .start;
        let ptr = UnsafeCell::raw_get(&cells[index]).cast::<u16>();
        // SAFETY: as for `atomic_u32`, with 2-byte alignment and size.
        Ok(unsafe { AtomicU16::from_ptr(ptr) })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::sync::atomic::Ordering;
    use wasmtime::{Config, Engine, MemoryType};

    pub(crate) fn test_engine() -> Engine {
        let mut config = Config::new();
        config.wasm_threads(true).shared_memory(true);
        Engine::new(&config).expect("engine")
    }

    pub(crate) fn test_memory(pages: u32) -> GuestMemory {
        let engine = test_engine();
        let shared =
            SharedMemory::new(&engine, MemoryType::shared(pages, pages)).expect("shared memory");
        GuestMemory::new(shared)
    }

    #[test]
    fn ranges() {
        assert_eq!(check_range(100, 0, 100), Ok(0..100));
        assert_eq!(check_range(100, 100, 0), Ok(100..100));
        assert_eq!(check_range(100, 99, 1), Ok(99..100));
        assert!(check_range(100, 99, 2).is_err());
        assert!(check_range(100, 101, 0).is_err());
        assert!(check_range(100, u64::MAX, 2).is_err());
        assert!(check_range(100, 1, u64::MAX).is_err());
        let e = check_range(0x1000, 0xfff, 2).unwrap_err();
        assert_eq!(
            e.to_string(),
            "range 0xfff+0x2 is outside guest memory (size 0x1000)"
        );
    }

    #[test]
    fn words() {
        assert_eq!(check_word(16, 0), Ok(0));
        assert_eq!(check_word(16, 12), Ok(12));
        assert!(check_word(16, 16).is_err());
        assert!(check_word(16, 2).unwrap_err().misaligned);
        assert!(!check_word(16, 20).unwrap_err().misaligned);
    }

    #[test]
    fn page_rounding() {
        assert_eq!(pages_for(1), 1);
        assert_eq!(pages_for(PAGE_SIZE), 1);
        assert_eq!(pages_for(PAGE_SIZE + 1), 2);
        assert_eq!(pages_for(256 << 20), 4096);
    }

    #[test]
    fn read_write_round_trip() {
        let mem = test_memory(1);
        assert_eq!(mem.size(), PAGE_SIZE);
        mem.write(10, b"hello").unwrap();
        assert_eq!(mem.read(10, 5).unwrap(), b"hello");
        assert_eq!(mem.read(PAGE_SIZE - 1, 1).unwrap(), [0]);
        mem.write(PAGE_SIZE - 2, b"xy").unwrap();
        assert!(mem.write(PAGE_SIZE - 1, b"xy").is_err());
        assert!(mem.read(PAGE_SIZE, 1).is_err());
        assert!(mem.read(u32::MAX as u64, u32::MAX as u64).is_err());
    }

    #[test]
    fn atomics() {
        let mem = test_memory(1);
        mem.atomic_u32(8)
            .unwrap()
            .fetch_or(0x8000_0001, Ordering::SeqCst);
        assert_eq!(mem.read(8, 4).unwrap(), [1, 0, 0, 0x80]);
        assert!(mem.atomic_u32(9).is_err());
        assert!(mem.atomic_u32(PAGE_SIZE).is_err());
        mem.atomic_u16(10).unwrap().store(0xbeef, Ordering::SeqCst);
        assert_eq!(mem.read(10, 2).unwrap(), [0xef, 0xbe]);
        assert!(mem.atomic_u16(11).unwrap_err().misaligned);
        assert!(mem.atomic_u16(PAGE_SIZE - 2).is_ok());
        assert!(!mem.atomic_u16(PAGE_SIZE).unwrap_err().misaligned);
    }
}
