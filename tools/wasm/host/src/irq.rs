// SPDX-License-Identifier: GPL-2.0

//! Raising interrupts in the guest.
//!
//! The export `wasm_irq_pending` is the address of one 32-bit word per CPU.
//! To raise line `n` on a CPU the host ORs `1 << n` into that CPU's word
//! and notifies the word, which wakes the CPU if it idles in `wait32`.
//! Lines 0 (timer) and 1 (IPI) belong to the kernel; devices use 2 to 31.
//!
//! Console input raises line 2 on CPU 0 with [`Interrupts::raise_on`].  The virtio
//! devices raise theirs through [`Interrupts::raise_device`], which picks
//! the CPU: the kernel's choice in the export `wasm_irq_affinity` (one
//! `s32` per line; -1 for none), else the CPU that last notified the
//! device, so that a completion goes to the CPU that submitted the work.

use crate::abi::NR_LINES;
use crate::memory::GuestMemory;
use std::fmt;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

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

/// The addresses the kernel exports for interrupts, and the CPUs started.
pub struct Interrupts {
    memory: GuestMemory,
    /// Value of the `wasm_irq_pending` export, read by the boot thread.
    pending: OnceLock<u32>,
    /// Value of the `wasm_irq_affinity` export: `s32[NR_LINES]`.
    affinity: OnceLock<u32>,
    /// Bit `n` is set once CPU `n` has been started (CPU 0 from the start).
    started: AtomicU64,
}

impl Interrupts {
    pub fn new(memory: GuestMemory) -> Interrupts {
        Interrupts {
            memory,
            pending: OnceLock::new(),
            affinity: OnceLock::new(),
            started: AtomicU64::new(1),
        }
    }

    /// Records the `wasm_irq_pending` export (the first value counts).
    pub fn set_pending(&self, addr: u32) {
        let _ = self.pending.set(addr);
    }

    /// The address of the per-CPU pending-interrupt words, once known.
    pub fn pending(&self) -> Option<u32> {
        self.pending.get().copied()
    }

    /// Records the `wasm_irq_affinity` export (the first value counts).
    pub fn set_affinity(&self, addr: u32) {
        let _ = self.affinity.set(addr);
    }

    /// Notes that the host started a thread for `cpu` (`cpu_start`).
    pub fn cpu_started(&self, cpu: u32) {
        if cpu < 64 {
            self.started.fetch_or(1 << cpu, Ordering::SeqCst);
        }
    }

    /// Whether CPU `cpu` has been started.
    pub fn is_started(&self, cpu: u32) -> bool {
        cpu < 64 && self.started.load(Ordering::SeqCst) & (1 << cpu) != 0
    }

    /// The CPU that takes `line`: the kernel's affinity entry if it names
    /// a started CPU, else `fallback` if started, else CPU 0.
    pub fn target(&self, line: u32, fallback: u32) -> u32 {
        if let Some(&base) = self.affinity.get()
            && line < NR_LINES
            && let Ok(word) = self
                .memory
                .atomic_u32(u64::from(base) + 4 * u64::from(line))
        {
            let v = word.load(Ordering::Acquire) as i32;
            if v >= 0 && self.is_started(v as u32) {
                return v as u32;
            }
        }
        if self.is_started(fallback) {
            fallback
        } else {
            0
        }
    }

    /// Raises `line` on `cpu`.  Before the kernel has told where its
    /// pending words are, there is nobody to interrupt and nothing
    /// happens.
    pub fn raise_on(&self, cpu: u32, line: u32) {
        if let Some(base) = self.pending() {
            let _ = raise(&self.memory, base, cpu, line);
        }
    }

    /// Raises device interrupt `line` on the CPU [`Interrupts::target`]
    /// picks.
    pub fn raise_device(&self, line: u32, fallback: u32) {
        self.raise_on(self.target(line, fallback), line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::abi::LINE_FIRST_DEVICE;
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
        assert_eq!(line_bit(LINE_FIRST_DEVICE), Ok(4));
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

    #[test]
    fn device_interrupts_follow_affinity_then_the_notifier() {
        let mem = test_memory(1);
        let irq = Interrupts::new(mem.clone());
        // Nothing known yet: nothing raised, no fault.
        irq.raise_device(3, 0);
        irq.set_pending(0x100);
        irq.set_pending(0x900);
        assert_eq!(irq.pending(), Some(0x100));
        irq.cpu_started(1);
        irq.cpu_started(99);
        assert!(irq.is_started(0) && irq.is_started(1) && !irq.is_started(2));
        // No affinity table: the notifier, if started.
        assert_eq!(irq.target(3, 1), 1);
        assert_eq!(irq.target(3, 2), 0);
        irq.set_affinity(0x200);
        let entry = |line: u64, v: i32| mem.write(0x200 + 4 * line, &v.to_le_bytes()).unwrap();
        entry(3, -1);
        entry(4, 1);
        entry(5, 2);
        assert_eq!(irq.target(3, 1), 1);
        assert_eq!(irq.target(4, 0), 1);
        assert_eq!(irq.target(5, 1), 1, "CPU 2 was never started");
        assert_eq!(irq.target(40, 1), 1);
        irq.raise_device(4, 0);
        assert_eq!(mem.read(0x104, 4).unwrap(), 0x10u32.to_le_bytes());
        // A table outside memory is ignored.
        let far = Interrupts::new(mem.clone());
        far.set_affinity(u32::MAX - 3);
        far.cpu_started(1);
        assert_eq!(far.target(3, 1), 1);
    }
}
