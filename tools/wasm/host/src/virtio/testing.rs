// SPDX-License-Identifier: GPL-2.0

//! Test helpers: a driver's side of a virtqueue in a test memory, and a
//! device set up the way the Linux driver sets it up.

use super::mmio::*;
use super::queue::Queue;
use crate::irq::Interrupts;
use crate::memory::GuestMemory;
use crate::memory::tests::test_memory;
use std::sync::Arc;

/// A descriptor the device writes.
const DESC_F_WRITE: u16 = 2;

/// A driver's view of a queue at `base`: descriptors, then the avail
/// ring, then the used ring (page-aligned regions).
pub struct Driver {
    pub memory: GuestMemory,
    pub size: u16,
    pub desc: u64,
    pub avail: u64,
    pub used: u64,
    avail_idx: u16,
}

impl Driver {
    /// Rings at `base` (zeroed, as a driver allocates them).
    pub fn new(memory: &GuestMemory, base: u64, size: u16) -> Driver {
        memory.fill(base, 0x3000, 0).unwrap();
        Driver {
            memory: memory.clone(),
            size,
            desc: base,
            avail: base + 0x1000,
            used: base + 0x2000,
            avail_idx: 0,
        }
    }

    /// The device's queue for these rings.
    pub fn queue(&self) -> Queue {
        Queue::new(self.size, self.desc, self.avail, self.used)
    }

    /// Writes descriptor `i`.
    pub fn set_desc(&self, i: u16, addr: u64, len: u32, write: bool, next: Option<u16>) {
        let mut raw = [0u8; 16];
        raw[..8].copy_from_slice(&addr.to_le_bytes());
        raw[8..12].copy_from_slice(&len.to_le_bytes());
        let flags = u16::from(next.is_some()) | if write { DESC_F_WRITE } else { 0 };
        raw[12..14].copy_from_slice(&flags.to_le_bytes());
        raw[14..].copy_from_slice(&next.unwrap_or(0).to_le_bytes());
        self.memory
            .write(self.desc + 16 * u64::from(i), &raw)
            .unwrap();
    }

    /// Makes chain `head` available.
    pub fn offer(&mut self, head: u16) {
        let slot = u64::from(self.avail_idx % self.size);
        self.memory
            .write(self.avail + 4 + 2 * slot, &head.to_le_bytes())
            .unwrap();
        self.avail_idx = self.avail_idx.wrapping_add(1);
        self.set_avail_idx(self.avail_idx);
    }

    /// Sets `avail.idx` directly (to corrupt it).
    pub fn set_avail_idx(&self, idx: u16) {
        self.memory
            .write(self.avail + 2, &idx.to_le_bytes())
            .unwrap();
    }

    pub fn set_avail_flags(&self, flags: u16) {
        self.memory.write(self.avail, &flags.to_le_bytes()).unwrap();
    }

    /// `used.idx`.
    pub fn used_idx(&self) -> u16 {
        let b = self.memory.read(self.used + 2, 2).unwrap();
        u16::from_le_bytes([b[0], b[1]])
    }

    /// Used element `i`: (id, len).
    pub fn used_elem(&self, i: u16) -> (u32, u32) {
        let slot = u64::from(i % self.size);
        let b = self.memory.read(self.used + 4 + 8 * slot, 8).unwrap();
        (
            u32::from_le_bytes(b[..4].try_into().unwrap()),
            u32::from_le_bytes(b[4..].try_into().unwrap()),
        )
    }
}

/// Address of the pending-interrupt words in test memories.
pub const PENDING: u32 = 0x100;

/// A device over a fresh 4-page test memory, line 3.
pub fn device<B: Backend>(backend: B) -> Transport<B> {
    let memory = test_memory(4);
    let irq = Arc::new(Interrupts::new(memory.clone()));
    irq.set_pending(PENDING);
    Transport::new("virtio-test".into(), 3, memory, irq, backend)
}

pub fn r(dev: &Transport<impl Backend>, offset: u32) -> u64 {
    dev.read(offset, 4)
}

pub fn w(dev: &Transport<impl Backend>, offset: u32, value: u32) {
    dev.write(offset, 4, value.into(), 0);
}

/// Negotiates VERSION_1 plus `features` and sets every queue up with
/// `size` entries: queue `i` has its rings at `0x10000 + i * 0x4000`.
pub fn activate<B: Backend>(dev: &Transport<B>, features: u64, size: u16) -> Vec<Driver> {
    w(dev, STATUS, 1 | 2);
    let f = features | F_VERSION_1;
    w(dev, DRIVER_FEATURES_SEL, 0);
    w(dev, DRIVER_FEATURES, f as u32);
    w(dev, DRIVER_FEATURES_SEL, 1);
    w(dev, DRIVER_FEATURES, (f >> 32) as u32);
    w(dev, STATUS, 1 | 2 | 8);
    assert_eq!(r(dev, STATUS), 0xb, "features accepted");
    let mut drivers = Vec::new();
    for i in 0..dev.backend().queue_max().len() {
        let d = Driver::new(dev.memory(), 0x10000 + 0x4000 * i as u64, size);
        w(dev, QUEUE_SEL, i as u32);
        w(dev, QUEUE_NUM, size.into());
        w(dev, QUEUE_DESC_LOW, d.desc as u32);
        w(dev, QUEUE_DESC_HIGH, 0);
        w(dev, QUEUE_DRIVER_LOW, d.avail as u32);
        w(dev, QUEUE_DEVICE_LOW, d.used as u32);
        w(dev, QUEUE_READY, 1);
        assert_eq!(r(dev, QUEUE_READY), 1);
        drivers.push(d);
    }
    w(dev, STATUS, 0xf);
    drivers
}

/// The pending word of CPU `cpu`.
pub fn pending(dev: &Transport<impl Backend>, cpu: u32) -> u32 {
    let b = dev.memory().read(u64::from(PENDING + 4 * cpu), 4).unwrap();
    u32::from_le_bytes(b.try_into().unwrap())
}

pub fn clear_pending(dev: &Transport<impl Backend>) {
    dev.memory().fill(u64::from(PENDING), 256, 0).unwrap();
}

/// Checks a device in the broken state, that it stays quiet when
/// notified, and that a reset revives it.
pub fn assert_broken_until_reset<B: Backend>(dev: &Transport<B>, drivers: &[Driver]) {
    assert_ne!(r(dev, STATUS) as u32 & STATUS_NEEDS_RESET, 0, "needs reset");
    assert_ne!(r(dev, INTERRUPT_STATUS) as u32 & INT_CONFIG, 0);
    assert_ne!(pending(dev, 0) & (1 << 3), 0, "config interrupt raised");
    clear_pending(dev);
    let used: Vec<u16> = drivers.iter().map(|d| d.used_idx()).collect();
    for q in 0..drivers.len() {
        dev.write(QUEUE_NOTIFY, 4, q as u64, 0);
        dev.backend().process(dev, q);
    }
    let after: Vec<u16> = drivers.iter().map(|d| d.used_idx()).collect();
    assert_eq!(used, after, "a broken device uses no buffers");
    assert_eq!(pending(dev, 0), 0, "and raises nothing more");
    // Writing the status keeps NEEDS_RESET; only a reset clears it.
    w(dev, STATUS, 0xf);
    assert_ne!(r(dev, STATUS) as u32 & STATUS_NEEDS_RESET, 0);
    w(dev, STATUS, 0);
    assert_eq!(r(dev, STATUS), 0);
    assert_eq!(r(dev, INTERRUPT_STATUS), 0);
    w(dev, QUEUE_SEL, 0);
    assert_eq!(r(dev, QUEUE_READY), 0);
}
