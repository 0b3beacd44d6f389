// SPDX-License-Identifier: GPL-2.0

//! Device register access for WebAssembly.
//!
//! A wasm load or store can only reach linear memory, so device registers
//! are a window of addresses that are never memory, from
//! `WASM_MMIO_BASE` (`asm/io.h`) to the end of the 32-bit space, and the
//! raw accessors behind `readl()`, `writel()`, `ioread32()` and friends
//! send an access to that window to the host's device models through the
//! imports `mmio_read` and `mmio_write`.  Every other address is memory
//! and gets a volatile load or store, as on other architectures.
//!
//! A write carries the number of the CPU that makes it: a device that
//! completes the request later interrupts that CPU unless the line's
//! affinity says otherwise (see "Devices" in
//! Documentation/arch/wasm/host-abi.rst).

use core::ffi::c_void;
use core::ptr::{read_volatile, write_volatile};
use kernel::bindings;

/// First address of the device window.
const MMIO_BASE: usize = bindings::WASM_MMIO_BASE as usize;

#[link(wasm_import_module = "host")]
extern "C" {
    /// Reads a `size`-byte register of a host device (all ones if there
    /// is none at `addr`).
    #[link_name = "mmio_read"]
    fn host_mmio_read(addr: u32, size: u32) -> u64;

    /// Writes a `size`-byte register of a host device from CPU `cpu`.
    #[link_name = "mmio_write"]
    fn host_mmio_write(addr: u32, size: u32, value: u64, cpu: u32);
}

extern "C" {
    /// The CPU the calling thread runs on (`irq.c`).
    fn wasm_irq_this_cpu() -> u32;
}

/// Whether `addr` is a device register rather than memory.
fn is_device(addr: usize) -> bool {
    addr >= MMIO_BASE
}

/// Reads a register of `size` bytes from the host.
fn device_read(addr: usize, size: u32) -> u64 {
    // SAFETY: the host checks the address and size; a read has no effect
    // on kernel memory.
    unsafe { host_mmio_read(addr as u32, size) }
}

/// Writes a register of `size` bytes in the host.
fn device_write(addr: usize, size: u32, value: u64) {
    // SAFETY: `wasm_irq_this_cpu` only reads the current thread's CPU
    // number.  The host checks the address and size, and a device writes
    // kernel memory only where the driver's rings and buffers tell it to.
    unsafe { host_mmio_write(addr as u32, size, value, wasm_irq_this_cpu()) }
}

macro_rules! accessors {
    ($read:ident, $write:ident, $ty:ty) => {
        /// Raw register read (`asm/io.h`).
        ///
        /// # Safety
        ///
        /// Outside the device window, `addr` must be valid for a volatile
        /// read of this width, as for any other architecture's accessor.
        #[no_mangle]
        pub unsafe extern "C" fn $read(addr: *const c_void) -> $ty {
            if is_device(addr as usize) {
                return device_read(addr as usize, core::mem::size_of::<$ty>() as u32) as $ty;
            }
            // SAFETY: memory, valid for this read by the caller's contract.
            unsafe { read_volatile(addr.cast::<$ty>()) }
        }

        /// Raw register write (`asm/io.h`).
        ///
        /// # Safety
        ///
        /// Outside the device window, `addr` must be valid for a volatile
        /// write of this width, as for any other architecture's accessor.
        #[no_mangle]
        pub unsafe extern "C" fn $write(value: $ty, addr: *mut c_void) {
            if is_device(addr as usize) {
                device_write(
                    addr as usize,
                    core::mem::size_of::<$ty>() as u32,
                    value.into(),
                );
                return;
            }
            // SAFETY: memory, valid for this write by the caller's contract.
            unsafe { write_volatile(addr.cast::<$ty>(), value) }
        }
    };
}

accessors!(__raw_readb, __raw_writeb, u8);
accessors!(__raw_readw, __raw_writew, u16);
accessors!(__raw_readl, __raw_writel, u32);
