// SPDX-License-Identifier: GPL-2.0

//! Raising interrupts in the guest.
//!
//! The export `wasm_irq_pending` is the address of one 32-bit word per CPU.
//! To raise line `n` on a CPU the host ORs `1 << n` into that CPU's word
//! and notifies the word, which wakes the CPU if it idles in `wait32`.
//! Lines 0 (timer) and 1 (IPI) belong to the kernel; devices use 2 to 31.
//!
//! Nothing raises host interrupts yet: the kernel drives its own timer and
//! IPIs.  Host devices (block, network, input) will use [`raise`].
#![cfg_attr(not(test), allow(dead_code))]

use crate::memory::GuestMemory;
use std::fmt;
use std::sync::atomic::Ordering;

/// Interrupt lines per CPU (bits of a pending word).
pub const NR_LINES: u32 = 32;
/// The first line a host device may use.
pub const FIRST_DEVICE_LINE: u32 = 2;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IrqError {
    BadLine(u32),
    BadCpu { cpu: u32, addr: u64 },
}

impl fmt::Display for IrqError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IrqError::BadLine(line) => write!(f, "interrupt line {line} out of range"),
            IrqError::BadCpu { cpu, addr } => {
                write!(f, "pending word of CPU {cpu} at {addr:#x} is not in memory")
            }
        }
    }
}

impl std::error::Error for IrqError {}

/// The address of the pending word of `cpu`, given the value of the
/// `wasm_irq_pending` export.
pub fn pending_word_addr(pending_base: u32, cpu: u32) -> u64 {
    u64::from(pending_base) + 4 * u64::from(cpu)
}

/// The bit of `line` in a pending word.
pub fn line_bit(line: u32) -> Result<u32, IrqError> {
    if line >= NR_LINES {
        return Err(IrqError::BadLine(line));
    }
    Ok(1 << line)
}

/// Raises `line` on `cpu` and wakes the CPU.  The caller must pass a `cpu`
/// below the kernel's `CONFIG_NR_CPUS` (the host starts no more CPUs).
pub fn raise(memory: &GuestMemory, pending_base: u32, cpu: u32, line: u32) -> Result<(), IrqError> {
    let bit = line_bit(line)?;
    let addr = pending_word_addr(pending_base, cpu);
    let word = memory
        .atomic_u32(addr)
        .map_err(|_| IrqError::BadCpu { cpu, addr })?;
    word.fetch_or(bit, Ordering::SeqCst);
    memory
        .shared()
        .atomic_notify(addr, u32::MAX)
        .map_err(|_| IrqError::BadCpu { cpu, addr })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::tests::test_memory;

    #[test]
    fn address_arithmetic() {
        assert_eq!(pending_word_addr(491_584, 0), 491_584);
        assert_eq!(pending_word_addr(491_584, 1), 491_588);
        assert_eq!(pending_word_addr(0x1000, 7), 0x101c);
        assert_eq!(pending_word_addr(u32::MAX - 3, 1), 0x1_0000_0000);
    }

    #[test]
    fn line_bits() {
        assert_eq!(line_bit(0), Ok(1));
        assert_eq!(line_bit(FIRST_DEVICE_LINE), Ok(4));
        assert_eq!(line_bit(31), Ok(0x8000_0000));
        assert_eq!(line_bit(32), Err(IrqError::BadLine(32)));
    }

    #[test]
    fn raise_sets_bits_of_the_right_cpu() {
        let mem = test_memory(1);
        let base = 0x100;
        raise(&mem, base, 1, 3).unwrap();
        raise(&mem, base, 1, 5).unwrap();
        raise(&mem, base, 2, 31).unwrap();
        assert_eq!(mem.read(0x100, 4).unwrap(), [0, 0, 0, 0]);
        assert_eq!(mem.read(0x104, 4).unwrap(), 0x28u32.to_le_bytes());
        assert_eq!(mem.read(0x108, 4).unwrap(), 0x8000_0000u32.to_le_bytes());
        assert!(raise(&mem, 0xfffc, 1, 2).is_err());
        assert!(raise(&mem, base, 0, 40).is_err());
    }
}
