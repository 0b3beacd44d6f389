// SPDX-License-Identifier: GPL-2.0

//! Split virtqueues (virtio 1.x, section 2.7): taking the descriptor
//! chains the driver makes available and giving them back through the
//! used ring.
//!
//! Everything in a ring comes from the guest, which may be buggy or
//! hostile, and runs on other threads at the same time.  So every ring
//! and every buffer is checked against the kernel memory before use, the
//! walk of a chain is bounded by the queue size, and the indices shared
//! with the driver are accessed atomically: `avail.idx` with acquire
//! ordering (the ring entries and descriptors it publishes are read after
//! it), `used.idx` with release ordering (the used elements are written
//! before it).  Any inconsistency is a [`QueueError`]; the transport then
//! marks the device as needing a reset.  Indirect descriptors, event
//! indices and packed rings are not offered, so not handled.

use crate::memory::{GuestMemory, MemoryError, check_range};
use std::fmt;
use std::sync::atomic::{Ordering, fence};

/// Bytes of one descriptor: addr u64, len u32, flags u16, next u16.
const DESC_SIZE: u64 = 16;
/// The descriptor continues in `next`.
const DESC_F_NEXT: u16 = 1;
/// The buffer is written by the device.
const DESC_F_WRITE: u16 = 2;
/// The buffer holds a table of descriptors (not negotiated).
const DESC_F_INDIRECT: u16 = 4;
/// `avail.flags`: the driver does not want used-buffer interrupts.
const AVAIL_F_NO_INTERRUPT: u16 = 1;
/// The largest queue size of a split virtqueue.
pub const MAX_QUEUE_SIZE: u16 = 32768;

/// Why a queue cannot be processed.  The device needs a reset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueueError {
    /// The size is zero, not a power of two, or above the maximum.
    BadSize(u16),
    /// A ring does not lie in kernel memory (or is misaligned).
    Ring { ring: &'static str, addr: u64 },
    /// `avail.idx` ran more than a queue size ahead of the device.
    AvailAhead { idx: u16, seen: u16 },
    /// A descriptor index at or above the queue size.
    BadIndex { index: u16 },
    /// A chain longer than the queue: it loops.
    Loop { head: u16 },
    /// A descriptor whose buffer is not in kernel memory.
    Buffer { desc: u16, addr: u64, len: u32 },
    /// A device-readable descriptor after a device-writable one.
    ReadAfterWrite { desc: u16 },
    /// An indirect descriptor (the feature was not offered).
    Indirect { desc: u16 },
    /// A chain the device cannot make sense of (no request header...).
    Malformed { head: u16, what: &'static str },
    /// A guest memory access failed after the checks (cannot happen
    /// while memory only grows).
    Memory(MemoryError),
}

impl fmt::Display for QueueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueueError::BadSize(n) => write!(f, "invalid queue size {n}"),
            QueueError::Ring { ring, addr } => {
                write!(f, "{ring} ring at {addr:#x} outside memory or misaligned")
            }
            QueueError::AvailAhead { idx, seen } => {
                write!(f, "available index {idx} too far ahead of {seen}")
            }
            QueueError::BadIndex { index } => write!(f, "descriptor index {index} out of range"),
            QueueError::Loop { head } => write!(f, "descriptor chain {head} loops"),
            QueueError::Buffer { desc, addr, len } => {
                write!(f, "descriptor {desc} outside memory ({addr:#x}+{len:#x})")
            }
            QueueError::ReadAfterWrite { desc } => {
                write!(f, "descriptor {desc} is readable after a writable one")
            }
            QueueError::Indirect { desc } => write!(f, "descriptor {desc} is indirect"),
            QueueError::Malformed { head, what } => write!(f, "request {head}: {what}"),
            QueueError::Memory(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for QueueError {}

impl From<MemoryError> for QueueError {
    fn from(e: MemoryError) -> QueueError {
        QueueError::Memory(e)
    }
}

/// One buffer of a chain, inside kernel memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    pub addr: u64,
    pub len: u32,
}

/// A descriptor chain: the device-readable buffers, then the writable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chain {
    pub head: u16,
    pub readable: Vec<Segment>,
    pub writable: Vec<Segment>,
}

impl Chain {
    /// Total bytes of the writable buffers.
    pub fn writable_len(&self) -> u64 {
        self.writable.iter().map(|s| u64::from(s.len)).sum()
    }

    /// Total bytes of the readable buffers.
    pub fn readable_len(&self) -> u64 {
        self.readable.iter().map(|s| u64::from(s.len)).sum()
    }
}

/// The device side of one split virtqueue.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Queue {
    /// Entries (a power of two).
    pub size: u16,
    /// Guest addresses of the descriptor table and the avail ("driver")
    /// and used ("device") rings.
    pub desc: u64,
    pub avail: u64,
    pub used: u64,
    /// The driver set QueueReady; a queue that is not ready is ignored.
    pub ready: bool,
    /// The next available entry the device will take.
    next_avail: u16,
    /// The next used entry the device will fill.
    next_used: u16,
    /// Buffers were used since the last [`Queue::take_used`].
    used_since: bool,
}

impl Queue {
    /// A ready queue of `size` entries at the given addresses.
    pub fn new(size: u16, desc: u64, avail: u64, used: u64) -> Queue {
        Queue {
            size,
            desc,
            avail,
            used,
            ready: true,
            ..Queue::default()
        }
    }

    /// Checks the size and that the three rings lie, aligned, in memory.
    fn check(&self, memory: &GuestMemory) -> Result<(), QueueError> {
        let n = self.size;
        if n == 0 || !n.is_power_of_two() || n > MAX_QUEUE_SIZE {
            return Err(QueueError::BadSize(n));
        }
        let n = u64::from(n);
        let rings = [
            ("descriptor", self.desc, DESC_SIZE * n, 16),
            ("available", self.avail, 6 + 2 * n, 2),
            ("used", self.used, 6 + 8 * n, 4),
        ];
        for (ring, addr, len, align) in rings {
            if !addr.is_multiple_of(align) || check_range(memory.size(), addr, len).is_err() {
                return Err(QueueError::Ring { ring, addr });
            }
        }
        Ok(())
    }

    /// Takes the next available chain, or `None` if the driver has made
    /// none available since.
    pub fn pop(&mut self, memory: &GuestMemory) -> Result<Option<Chain>, QueueError> {
        self.check(memory)?;
        let idx = memory.atomic_u16(self.avail + 2)?.load(Ordering::Acquire);
        if idx == self.next_avail {
            return Ok(None);
        }
        if idx.wrapping_sub(self.next_avail) > self.size {
            return Err(QueueError::AvailAhead {
                idx,
                seen: self.next_avail,
            });
        }
        let slot = u64::from(self.next_avail % self.size);
        let head = read_u16(memory, self.avail + 4 + 2 * slot)?;
        let chain = self.walk(memory, head)?;
        self.next_avail = self.next_avail.wrapping_add(1);
        Ok(Some(chain))
    }

    /// Follows the chain starting at descriptor `head`.
    fn walk(&self, memory: &GuestMemory, head: u16) -> Result<Chain, QueueError> {
        let mut chain = Chain {
            head,
            readable: Vec::new(),
            writable: Vec::new(),
        };
        let mut index = head;
        for _ in 0..self.size {
            if index >= self.size {
                return Err(QueueError::BadIndex { index });
            }
            let raw = memory.read(self.desc + DESC_SIZE * u64::from(index), DESC_SIZE)?;
            let addr = u64::from_le_bytes(raw[0..8].try_into().unwrap_or_default());
            let len = u32::from_le_bytes(raw[8..12].try_into().unwrap_or_default());
            let flags = u16::from_le_bytes([raw[12], raw[13]]);
            let next = u16::from_le_bytes([raw[14], raw[15]]);
            if flags & DESC_F_INDIRECT != 0 {
                return Err(QueueError::Indirect { desc: index });
            }
            if check_range(memory.size(), addr, len.into()).is_err() {
                return Err(QueueError::Buffer {
                    desc: index,
                    addr,
                    len,
                });
            }
            let segment = Segment { addr, len };
            if flags & DESC_F_WRITE != 0 {
                chain.writable.push(segment);
            } else if !chain.writable.is_empty() {
                return Err(QueueError::ReadAfterWrite { desc: index });
            } else {
                chain.readable.push(segment);
            }
            if flags & DESC_F_NEXT == 0 {
                return Ok(chain);
            }
            index = next;
        }
        Err(QueueError::Loop { head })
    }

    /// Returns chain `head` to the driver with `len` bytes written.
    pub fn push_used(
        &mut self,
        memory: &GuestMemory,
        head: u16,
        len: u32,
    ) -> Result<(), QueueError> {
        self.check(memory)?;
        let slot = u64::from(self.next_used % self.size);
        let mut elem = [0u8; 8];
        elem[..4].copy_from_slice(&u32::from(head).to_le_bytes());
        elem[4..].copy_from_slice(&len.to_le_bytes());
        memory.write(self.used + 4 + 8 * slot, &elem)?;
        self.next_used = self.next_used.wrapping_add(1);
        memory
            .atomic_u16(self.used + 2)?
            .store(self.next_used, Ordering::Release);
        self.used_since = true;
        Ok(())
    }

    /// Whether buffers were used since the last call; resets the flag.
    pub fn take_used(&mut self) -> bool {
        std::mem::take(&mut self.used_since)
    }

    /// Whether the driver wants an interrupt for used buffers (it did not
    /// set `VIRTQ_AVAIL_F_NO_INTERRUPT`).  In doubt, it does.
    pub fn interrupt_wanted(&self, memory: &GuestMemory) -> bool {
        // The used index must be visible before the flag is looked at, or
        // a driver re-enabling interrupts could miss this completion.
        fence(Ordering::SeqCst);
        match read_u16(memory, self.avail) {
            Ok(flags) => flags & AVAIL_F_NO_INTERRUPT == 0,
            Err(_) => true,
        }
    }
}

/// A little-endian `u16` of guest memory.
fn read_u16(memory: &GuestMemory, addr: u64) -> Result<u16, MemoryError> {
    let b = memory.read(addr, 2)?;
    Ok(u16::from_le_bytes([b[0], b[1]]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::abi::PAGE_SIZE;
    use crate::memory::tests::test_memory;
    use crate::virtio::testing::Driver;

    fn setup(size: u16) -> (Driver, Queue) {
        let mem = test_memory(1);
        let d = Driver::new(&mem, 0x4000, size);
        let q = d.queue();
        (d, q)
    }

    #[test]
    fn chains_in_order_and_used_ring() {
        let (mut d, mut q) = setup(4);
        let m = d.memory.clone();
        assert_eq!(q.pop(&m), Ok(None));
        d.set_desc(0, 0x100, 16, false, Some(2));
        d.set_desc(2, 0x200, 512, true, Some(3));
        d.set_desc(3, 0x400, 1, true, None);
        d.set_desc(1, 0x500, 8, false, None);
        d.offer(0);
        d.offer(1);
        let c = q.pop(&m).unwrap().unwrap();
        assert_eq!(c.head, 0);
        assert_eq!(
            c.readable,
            [Segment {
                addr: 0x100,
                len: 16
            }]
        );
        assert_eq!(c.writable.len(), 2);
        assert_eq!((c.readable_len(), c.writable_len()), (16, 513));
        let c2 = q.pop(&m).unwrap().unwrap();
        assert_eq!((c2.head, c2.writable.len()), (1, 0));
        assert_eq!(q.pop(&m), Ok(None));
        assert!(!q.take_used());
        q.push_used(&m, 1, 0).unwrap();
        q.push_used(&m, 0, 513).unwrap();
        assert!(q.take_used());
        assert!(!q.take_used());
        assert_eq!(d.used_idx(), 2);
        assert_eq!(d.used_elem(0), (1, 0));
        assert_eq!(d.used_elem(1), (0, 513));
        assert!(q.interrupt_wanted(&m));
        d.set_avail_flags(AVAIL_F_NO_INTERRUPT);
        assert!(!q.interrupt_wanted(&m));
    }

    #[test]
    fn indices_wrap() {
        let (mut d, mut q) = setup(2);
        let m = d.memory.clone();
        d.set_desc(0, 0x100, 4, false, None);
        for i in 0..70000u32 {
            d.offer(0);
            let c = q.pop(&m).unwrap().expect("a chain");
            q.push_used(&m, c.head, i).unwrap();
        }
        assert_eq!(d.used_idx(), (70000 % 65536) as u16);
    }

    fn first_error(d: &Driver, mut q: Queue) -> QueueError {
        q.pop(&d.memory).expect_err("corrupt queue must fail")
    }

    #[test]
    fn corrupt_descriptors() {
        let (mut d, q) = setup(4);
        // Buffer outside memory.
        d.set_desc(0, PAGE_SIZE - 8, 16, false, None);
        d.offer(0);
        assert_eq!(
            first_error(&d, q.clone()),
            QueueError::Buffer {
                desc: 0,
                addr: PAGE_SIZE - 8,
                len: 16
            }
        );
        d.set_desc(0, u64::MAX - 4, 16, true, None);
        assert!(matches!(
            first_error(&d, q.clone()),
            QueueError::Buffer { .. }
        ));
        // A loop 0 -> 1 -> 0.
        d.set_desc(0, 0x100, 4, false, Some(1));
        d.set_desc(1, 0x100, 4, false, Some(0));
        assert_eq!(first_error(&d, q.clone()), QueueError::Loop { head: 0 });
        // Next index beyond the queue.
        d.set_desc(1, 0x100, 4, false, Some(4));
        assert_eq!(
            first_error(&d, q.clone()),
            QueueError::BadIndex { index: 4 }
        );
        // Readable after writable.
        d.set_desc(0, 0x100, 4, true, Some(1));
        d.set_desc(1, 0x100, 4, false, None);
        assert_eq!(
            first_error(&d, q.clone()),
            QueueError::ReadAfterWrite { desc: 1 }
        );
        // A head index beyond the queue.
        d.memory.write(d.avail + 4, &9u16.to_le_bytes()).unwrap();
        assert_eq!(
            first_error(&d, q.clone()),
            QueueError::BadIndex { index: 9 }
        );
        // Indirect.
        d.memory.write(d.avail + 4, &0u16.to_le_bytes()).unwrap();
        d.memory
            .write(d.desc + 12, &DESC_F_INDIRECT.to_le_bytes())
            .unwrap();
        assert_eq!(first_error(&d, q), QueueError::Indirect { desc: 0 });
    }

    #[test]
    fn avail_index_far_ahead() {
        let (d, q) = setup(4);
        d.set_avail_idx(5);
        assert_eq!(
            first_error(&d, q.clone()),
            QueueError::AvailAhead { idx: 5, seen: 0 }
        );
        d.set_avail_idx(0xffff);
        assert!(matches!(first_error(&d, q), QueueError::AvailAhead { .. }));
    }

    #[test]
    fn rings_outside_memory_or_bad_sizes() {
        let m = test_memory(1);
        let bad = [
            Queue::new(4, PAGE_SIZE - 32, 0x1000, 0x2000),
            Queue::new(4, 0, PAGE_SIZE - 8, 0x2000),
            Queue::new(4, 0, 0x1000, PAGE_SIZE - 16),
            Queue::new(4, u64::MAX - 15, 0x1000, 0x2000),
            Queue::new(4, 8, 0x1000, 0x2000),
            Queue::new(4, 0, 0x1001, 0x2000),
            Queue::new(4, 0, 0x1000, 0x2002),
        ];
        for mut q in bad {
            assert!(matches!(q.pop(&m), Err(QueueError::Ring { .. })), "{q:?}");
            assert!(q.push_used(&m, 0, 0).is_err());
        }
        for size in [0, 3, 65535] {
            let mut q = Queue::new(size, 0, 0x1000, 0x2000);
            assert_eq!(q.pop(&m), Err(QueueError::BadSize(size)));
        }
        assert_eq!(
            QueueError::Buffer {
                desc: 7,
                addr: 0x1000,
                len: 2
            }
            .to_string(),
            "descriptor 7 outside memory (0x1000+0x2)"
        );
    }
}
