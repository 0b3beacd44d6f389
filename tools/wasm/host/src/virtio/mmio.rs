// SPDX-License-Identifier: GPL-2.0

//! The virtio-mmio transport (virtio 1.x, section 4.2, "modern" layout,
//! Version 2): the register file of one device window, its status and
//! feature negotiation, its queues and its interrupt.
//!
//! The register state is behind one lock; each queue's walker state is
//! behind a lock of its own, held while the queue is processed (so a
//! reset waits for a block request in flight to finish).  Lock order:
//! registers, then a queue.  Status, interrupt status and "broken" are
//! atomics, so that processing can mark the device broken without the
//! register lock.

use super::queue::{Queue, QueueError};
use crate::irq::Interrupts;
use crate::memory::GuestMemory;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, mpsc};

pub const MAGIC: u32 = 0x000;
pub const VERSION: u32 = 0x004;
pub const DEVICE_ID: u32 = 0x008;
pub const VENDOR_ID: u32 = 0x00c;
pub const DEVICE_FEATURES: u32 = 0x010;
pub const DEVICE_FEATURES_SEL: u32 = 0x014;
pub const DRIVER_FEATURES: u32 = 0x020;
pub const DRIVER_FEATURES_SEL: u32 = 0x024;
pub const QUEUE_SEL: u32 = 0x030;
pub const QUEUE_NUM_MAX: u32 = 0x034;
pub const QUEUE_NUM: u32 = 0x038;
pub const QUEUE_READY: u32 = 0x044;
pub const QUEUE_NOTIFY: u32 = 0x050;
pub const INTERRUPT_STATUS: u32 = 0x060;
pub const INTERRUPT_ACK: u32 = 0x064;
pub const STATUS: u32 = 0x070;
pub const QUEUE_DESC_LOW: u32 = 0x080;
pub const QUEUE_DESC_HIGH: u32 = 0x084;
pub const QUEUE_DRIVER_LOW: u32 = 0x090;
pub const QUEUE_DRIVER_HIGH: u32 = 0x094;
pub const QUEUE_DEVICE_LOW: u32 = 0x0a0;
pub const QUEUE_DEVICE_HIGH: u32 = 0x0a4;
pub const CONFIG_GENERATION: u32 = 0x0fc;
/// Device-specific configuration starts here.
pub const CONFIG: u32 = 0x100;

/// "virt", little-endian.
pub const MAGIC_VALUE: u32 = 0x7472_6976;
/// "QEMU", as most virtio-mmio devices say.
pub const VENDOR_VALUE: u32 = 0x554d_4551;

/// Device status bits.
pub const STATUS_FEATURES_OK: u32 = 8;
pub const STATUS_DRIVER_OK: u32 = 4;
pub const STATUS_NEEDS_RESET: u32 = 0x40;
/// Interrupt status bits: a used buffer, a configuration change.
pub const INT_VRING: u32 = 1;
pub const INT_CONFIG: u32 = 2;
/// Feature bit every modern device offers.
pub const F_VERSION_1: u64 = 1 << 32;

/// What a device type adds to the transport.
pub trait Backend: Send + Sync + Sized + 'static {
    /// The virtio device type.
    const DEVICE_ID: u32;
    /// Whether notifications are handled on a worker thread of the device
    /// (started by [`Transport::start_worker`]) instead of synchronously
    /// on the notifying CPU.
    const WORKER: bool = false;
    /// Device-specific feature bits (the transport adds VERSION_1).
    fn features(&self) -> u64;
    /// The maximum size of each queue; its length is the number of queues.
    fn queue_max(&self) -> &[u16];
    /// The device configuration space (a copy: it may change).
    fn config(&self) -> Vec<u8>;
    /// Handles a notification of `queue` (or DRIVER_OK: every queue).
    fn process(&self, dev: &Transport<Self>, queue: usize);
}

/// The registers the driver sets up for one queue.
#[derive(Debug, Clone, Copy, Default)]
struct QueueRegs {
    num: u32,
    ready: bool,
    desc: u64,
    driver: u64,
    device: u64,
}

/// The register state behind the lock.
#[derive(Debug, Default)]
struct Regs {
    device_features_sel: u32,
    driver_features_sel: u32,
    driver_features: u64,
    queue_sel: u32,
    queues: Vec<QueueRegs>,
}

/// One virtio-mmio device.
pub struct Transport<B: Backend> {
    /// For messages: "virtio-blk vda".
    name: String,
    line: u32,
    memory: GuestMemory,
    irq: Arc<Interrupts>,
    backend: B,
    regs: Mutex<Regs>,
    queues: Vec<Mutex<Queue>>,
    status: AtomicU32,
    interrupt_status: AtomicU32,
    broken: AtomicBool,
    /// The CPU of the last QueueNotify write (interrupts go there unless
    /// the kernel's affinity says otherwise).
    notify_cpu: AtomicU32,
    /// Notifications for the worker thread: (queue, cpu).
    kick: OnceLock<mpsc::Sender<(usize, u32)>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// All ones of an access of `size` bytes (1, 2, 4 or 8).
pub fn all_ones(size: u32) -> u64 {
    if size >= 8 {
        u64::MAX
    } else {
        (1u64 << (8 * size)) - 1
    }
}

impl<B: Backend> Transport<B> {
    pub fn new(
        name: String,
        line: u32,
        memory: GuestMemory,
        irq: Arc<Interrupts>,
        backend: B,
    ) -> Transport<B> {
        let n = backend.queue_max().len();
        Transport {
            name,
            line,
            memory,
            irq,
            regs: Mutex::new(Regs {
                queues: vec![QueueRegs::default(); n],
                ..Regs::default()
            }),
            queues: (0..n).map(|_| Mutex::new(Queue::default())).collect(),
            backend,
            status: AtomicU32::new(0),
            interrupt_status: AtomicU32::new(0),
            broken: AtomicBool::new(false),
            notify_cpu: AtomicU32::new(0),
            kick: OnceLock::new(),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn backend(&self) -> &B {
        &self.backend
    }

    #[cfg(test)]
    pub fn irq(&self) -> &Interrupts {
        &self.irq
    }

    #[cfg(test)]
    pub fn memory(&self) -> &GuestMemory {
        &self.memory
    }

    /// Starts the thread that handles notifications of a [`Backend::WORKER`]
    /// device.  The thread name is `thread` (at most 15 bytes).
    pub fn start_worker(dev: &Arc<Self>, thread: String) -> std::io::Result<()> {
        let (tx, rx) = mpsc::channel::<(usize, u32)>();
        let worker = dev.clone();
        std::thread::Builder::new().name(thread).spawn(move || {
            while let Ok((queue, _cpu)) = rx.recv() {
                worker.backend.process(&worker, queue);
            }
        })?;
        let _ = dev.kick.set(tx);
        Ok(())
    }

    /// The all-features word the device offers.
    fn offered(&self) -> u64 {
        self.backend.features() | F_VERSION_1
    }

    /// The Status register.
    pub fn status(&self) -> u32 {
        self.status.load(Ordering::SeqCst)
    }

    /// The InterruptStatus register.
    pub fn interrupt_status(&self) -> u32 {
        self.interrupt_status.load(Ordering::SeqCst)
    }

    /// Whether the driver made the device live and it is not broken.
    fn live(&self) -> bool {
        self.status() & STATUS_DRIVER_OK != 0 && !self.broken.load(Ordering::SeqCst)
    }

    /// Sets `bits` in InterruptStatus and raises the device's line.
    fn interrupt(&self, bits: u32) {
        self.interrupt_status.fetch_or(bits, Ordering::SeqCst);
        self.irq
            .raise_device(self.line, self.notify_cpu.load(Ordering::SeqCst));
    }

    /// Tells the driver that the configuration space changed (a config
    /// interrupt), if the device is live.
    pub fn config_changed(&self) {
        if self.live() {
            self.interrupt(INT_CONFIG);
        }
    }

    /// Marks the device as needing a reset (once): it stops processing,
    /// says why on stderr and tells the driver with a config interrupt.
    pub fn mark_broken(&self, err: &QueueError) {
        if self.broken.swap(true, Ordering::SeqCst) {
            return;
        }
        self.status.fetch_or(STATUS_NEEDS_RESET, Ordering::SeqCst);
        eprintln!("wasm-linux: {}: {err}; device needs reset", self.name);
        self.interrupt(INT_CONFIG);
    }

    /// Runs `f` on queue `queue` if the device is live and the queue
    /// ready; then interrupts the driver if buffers were used (and it
    /// wants to hear), and marks the device broken if `f` failed.
    pub fn service<F>(&self, queue: usize, f: F)
    where
        F: FnOnce(&mut Queue, &GuestMemory) -> Result<(), QueueError>,
    {
        let Some(q) = self.queues.get(queue) else {
            return;
        };
        let mut q = lock(q);
        if !q.ready || !self.live() {
            return;
        }
        let result = f(&mut q, &self.memory);
        if q.take_used() && q.interrupt_wanted(&self.memory) {
            self.interrupt(INT_VRING);
        }
        if let Err(e) = result {
            self.mark_broken(&e);
        }
    }

    /// Reads `size` bytes of the register file at `offset`: all ones for
    /// no register, a write-only one or a bad access.
    pub fn read(&self, offset: u32, size: u32) -> u64 {
        if offset >= CONFIG {
            return self.read_config(offset - CONFIG, size);
        }
        if size != 4 || !offset.is_multiple_of(4) {
            return all_ones(size);
        }
        // The interrupt handler's registers need no lock.
        match offset {
            INTERRUPT_STATUS => return self.interrupt_status().into(),
            STATUS => return self.status().into(),
            _ => {}
        }
        let regs = lock(&self.regs);
        let queue = regs.queues.get(regs.queue_sel as usize);
        let value = match offset {
            MAGIC => MAGIC_VALUE,
            VERSION => 2,
            DEVICE_ID => B::DEVICE_ID,
            VENDOR_ID => VENDOR_VALUE,
            DEVICE_FEATURES => match regs.device_features_sel {
                0 => self.offered() as u32,
                1 => (self.offered() >> 32) as u32,
                _ => 0,
            },
            QUEUE_NUM_MAX => {
                let max = self.backend.queue_max();
                max.get(regs.queue_sel as usize).map_or(0, |&m| m.into())
            }
            QUEUE_READY => queue.map_or(0, |q| q.ready.into()),
            CONFIG_GENERATION => 0,
            _ => return all_ones(size),
        };
        value.into()
    }

    fn read_config(&self, offset: u32, size: u32) -> u64 {
        let config = self.backend.config();
        let (start, end) = (offset as usize, offset as usize + size as usize);
        match config.get(start..end) {
            Some(bytes) => {
                let mut le = [0u8; 8];
                le[..bytes.len()].copy_from_slice(bytes);
                u64::from_le_bytes(le)
            }
            None => all_ones(size),
        }
    }

    /// Writes `size` bytes to the register file at `offset`, from a kernel
    /// thread on CPU `cpu`.  Bad accesses and read-only registers are
    /// ignored; the configuration is read-only.
    pub fn write(&self, offset: u32, size: u32, value: u64, cpu: u32) {
        if size != 4 || !offset.is_multiple_of(4) || offset >= CONFIG {
            return;
        }
        let v = value as u32;
        match offset {
            QUEUE_NOTIFY => return self.notify(v as usize, cpu),
            INTERRUPT_ACK => {
                self.interrupt_status.fetch_and(!v, Ordering::SeqCst);
                return;
            }
            STATUS => return self.set_status(v, cpu),
            _ => {}
        }
        let mut regs = lock(&self.regs);
        let sel = regs.queue_sel as usize;
        match offset {
            DEVICE_FEATURES_SEL => regs.device_features_sel = v,
            DRIVER_FEATURES_SEL => regs.driver_features_sel = v,
            DRIVER_FEATURES => match regs.driver_features_sel {
                0 => regs.driver_features = (regs.driver_features & !0xffff_ffff) | u64::from(v),
                1 => {
                    regs.driver_features = (regs.driver_features & 0xffff_ffff) | u64::from(v) << 32
                }
                _ => {}
            },
            QUEUE_SEL => regs.queue_sel = v,
            QUEUE_READY => {
                if sel < regs.queues.len() {
                    drop(regs);
                    self.set_ready(sel, v == 1);
                }
            }
            _ => {
                if let Some(q) = regs.queues.get_mut(sel)
                    && !q.ready
                {
                    let low = |old: u64| (old & !0xffff_ffff) | u64::from(v);
                    let high = |old: u64| (old & 0xffff_ffff) | u64::from(v) << 32;
                    match offset {
                        QUEUE_NUM => q.num = v,
                        QUEUE_DESC_LOW => q.desc = low(q.desc),
                        QUEUE_DESC_HIGH => q.desc = high(q.desc),
                        QUEUE_DRIVER_LOW => q.driver = low(q.driver),
                        QUEUE_DRIVER_HIGH => q.driver = high(q.driver),
                        QUEUE_DEVICE_LOW => q.device = low(q.device),
                        QUEUE_DEVICE_HIGH => q.device = high(q.device),
                        _ => {}
                    }
                }
            }
        }
    }

    /// QueueReady: starts queue `sel` as its registers say, or stops it.
    fn set_ready(&self, sel: usize, ready: bool) {
        let mut regs = lock(&self.regs);
        let q = regs.queues[sel];
        let mut walker = lock(&self.queues[sel]);
        if !ready {
            regs.queues[sel].ready = false;
            *walker = Queue::default();
            return;
        }
        if q.ready {
            return;
        }
        let max = self.backend.queue_max()[sel];
        let size = match u16::try_from(q.num) {
            Ok(n) if n != 0 && n <= max && n.is_power_of_two() => n,
            _ => {
                drop(walker);
                drop(regs);
                let n = u16::try_from(q.num).unwrap_or(u16::MAX);
                return self.mark_broken(&QueueError::BadSize(n));
            }
        };
        regs.queues[sel].ready = true;
        *walker = Queue::new(size, q.desc, q.driver, q.device);
    }

    /// Status: 0 resets; FEATURES_OK sticks only if the driver accepted a
    /// subset of the offer including VERSION_1; DRIVER_OK processes every
    /// queue (buffers the driver added before it).
    fn set_status(&self, v: u32, cpu: u32) {
        if v == 0 {
            return self.reset();
        }
        let mut v = v & 0xff & !STATUS_NEEDS_RESET;
        {
            let regs = lock(&self.regs);
            let accepted = regs.driver_features;
            if v & STATUS_FEATURES_OK != 0
                && (accepted & !self.offered() != 0 || accepted & F_VERSION_1 == 0)
            {
                v &= !STATUS_FEATURES_OK;
            }
        }
        if self.broken.load(Ordering::SeqCst) {
            v |= STATUS_NEEDS_RESET;
        }
        let old = self.status.swap(v, Ordering::SeqCst);
        if v & STATUS_DRIVER_OK != 0 && old & STATUS_DRIVER_OK == 0 {
            for queue in 0..self.queues.len() {
                self.dispatch(queue, cpu);
            }
        }
    }

    /// Returns the device to its initial state (after any processing in
    /// flight has finished).
    pub fn reset(&self) {
        let mut regs = lock(&self.regs);
        let n = regs.queues.len();
        *regs = Regs {
            queues: vec![QueueRegs::default(); n],
            ..Regs::default()
        };
        let walkers: Vec<_> = self.queues.iter().map(lock).collect();
        for mut w in walkers {
            *w = Queue::default();
        }
        self.interrupt_status.store(0, Ordering::SeqCst);
        self.broken.store(false, Ordering::SeqCst);
        self.status.store(0, Ordering::SeqCst);
    }

    /// QueueNotify from `cpu`.
    fn notify(&self, queue: usize, cpu: u32) {
        if queue >= self.queues.len() {
            return;
        }
        self.notify_cpu.store(cpu, Ordering::SeqCst);
        self.dispatch(queue, cpu);
    }

    /// Has `queue` processed: now, or by the worker.
    fn dispatch(&self, queue: usize, cpu: u32) {
        if self.broken.load(Ordering::SeqCst) {
            return;
        }
        match self.kick.get() {
            Some(tx) if B::WORKER => {
                let _ = tx.send((queue, cpu));
            }
            _ => self.backend.process(self, queue),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::virtio::testing::*;

    /// A device that uses every chain with length 7.
    struct Echo {
        config: Vec<u8>,
    }

    impl Backend for Echo {
        const DEVICE_ID: u32 = 42;
        fn features(&self) -> u64 {
            1 << 5
        }
        fn queue_max(&self) -> &[u16] {
            &[8, 16]
        }
        fn config(&self) -> Vec<u8> {
            self.config.clone()
        }
        fn process(&self, dev: &Transport<Self>, queue: usize) {
            dev.service(queue, |q, m| {
                while let Some(c) = q.pop(m)? {
                    q.push_used(m, c.head, 7)?;
                }
                Ok(())
            });
        }
    }

    fn echo() -> Transport<Echo> {
        device(Echo {
            config: (1..=12).collect(),
        })
    }

    #[test]
    fn identity_and_features() {
        let dev = echo();
        assert_eq!(r(&dev, MAGIC), 0x7472_6976);
        assert_eq!(r(&dev, VERSION), 2);
        assert_eq!(r(&dev, DEVICE_ID), 42);
        assert_eq!(r(&dev, VENDOR_ID), u64::from(VENDOR_VALUE));
        assert_eq!(r(&dev, DEVICE_FEATURES), 1 << 5);
        w(&dev, DEVICE_FEATURES_SEL, 1);
        assert_eq!(r(&dev, DEVICE_FEATURES), 1, "VERSION_1");
        w(&dev, DEVICE_FEATURES_SEL, 2);
        assert_eq!(r(&dev, DEVICE_FEATURES), 0);
        assert_eq!(r(&dev, CONFIG_GENERATION), 0);
        w(&dev, QUEUE_SEL, 1);
        assert_eq!(r(&dev, QUEUE_NUM_MAX), 16);
        w(&dev, QUEUE_SEL, 2);
        assert_eq!(r(&dev, QUEUE_NUM_MAX), 0);
        assert_eq!(r(&dev, QUEUE_READY), 0);
        // Write-only, unknown, misaligned and narrow accesses: all ones.
        for off in [
            DRIVER_FEATURES,
            QUEUE_NOTIFY,
            INTERRUPT_ACK,
            QUEUE_DESC_LOW,
            0x0c0,
            0x0f8,
        ] {
            assert_eq!(r(&dev, off), 0xffff_ffff, "{off:#x}");
        }
        assert_eq!(dev.read(MAGIC, 2), 0xffff);
        assert_eq!(dev.read(MAGIC + 1, 4), 0xffff_ffff);
        assert_eq!(dev.read(MAGIC, 8), u64::MAX);
        // Read-only registers ignore writes.
        w(&dev, MAGIC, 0);
        w(&dev, INTERRUPT_STATUS, 3);
        assert_eq!(r(&dev, MAGIC), 0x7472_6976);
        assert_eq!(r(&dev, INTERRUPT_STATUS), 0);
    }

    #[test]
    fn config_space_any_width() {
        let dev = echo();
        assert_eq!(dev.read(CONFIG, 1), 1);
        assert_eq!(dev.read(CONFIG + 1, 2), 0x0302);
        assert_eq!(dev.read(CONFIG + 4, 4), 0x0807_0605);
        assert_eq!(dev.read(CONFIG + 4, 8), 0x0c0b_0a09_0807_0605);
        assert_eq!(dev.read(CONFIG + 11, 1), 12);
        assert_eq!(dev.read(CONFIG + 11, 2), 0xffff);
        assert_eq!(dev.read(CONFIG + 12, 1), 0xff);
        assert_eq!(dev.read(0xffc, 4), 0xffff_ffff);
        dev.write(CONFIG, 1, 0xaa, 0);
        assert_eq!(dev.read(CONFIG, 1), 1);
    }

    #[test]
    fn features_must_include_version_1_and_be_offered() {
        let dev = echo();
        w(&dev, STATUS, 3);
        w(&dev, STATUS, 0xb);
        assert_eq!(r(&dev, STATUS), 3, "no VERSION_1");
        w(&dev, DRIVER_FEATURES_SEL, 1);
        w(&dev, DRIVER_FEATURES, 1);
        w(&dev, DRIVER_FEATURES_SEL, 0);
        w(&dev, DRIVER_FEATURES, 1 << 6);
        w(&dev, STATUS, 0xb);
        assert_eq!(r(&dev, STATUS), 3, "bit 6 was not offered");
        w(&dev, DRIVER_FEATURES, 1 << 5);
        w(&dev, STATUS, 0xb);
        assert_eq!(r(&dev, STATUS), 0xb);
    }

    #[test]
    fn used_buffers_interrupt_the_notifying_cpu() {
        let dev = echo();
        dev.irq.cpu_started(1);
        let mut d = activate(&dev, 0, 8);
        d[1].set_desc(0, 0x100, 4, false, None);
        d[1].offer(0);
        dev.write(QUEUE_NOTIFY, 4, 1, 1);
        assert_eq!(d[1].used_idx(), 1);
        assert_eq!(d[1].used_elem(0), (0, 7));
        assert_eq!(r(&dev, INTERRUPT_STATUS), 1);
        assert_eq!(pending(&dev, 1), 1 << 3);
        assert_eq!(pending(&dev, 0), 0);
        w(&dev, INTERRUPT_ACK, 1);
        assert_eq!(r(&dev, INTERRUPT_STATUS), 0);
        // No interrupt when the driver says so.
        clear_pending(&dev);
        d[1].set_avail_flags(1);
        d[1].offer(0);
        dev.write(QUEUE_NOTIFY, 4, 1, 1);
        assert_eq!(d[1].used_idx(), 2);
        assert_eq!((r(&dev, INTERRUPT_STATUS), pending(&dev, 1)), (0, 0));
        // A queue that does not exist.
        dev.write(QUEUE_NOTIFY, 4, 9, 1);
    }

    #[test]
    fn buffers_before_driver_ok_wait_for_it() {
        let dev = echo();
        let mut d = activate(&dev, 0, 8);
        w(&dev, STATUS, 0xb);
        d[0].set_desc(0, 0x100, 4, false, None);
        d[0].offer(0);
        w(&dev, QUEUE_NOTIFY, 0);
        assert_eq!(d[0].used_idx(), 0);
        w(&dev, STATUS, 0xf);
        assert_eq!(d[0].used_idx(), 1);
    }

    #[test]
    fn queue_registers_and_bad_sizes() {
        let dev = echo();
        w(&dev, STATUS, 3);
        w(&dev, QUEUE_SEL, 0);
        w(&dev, QUEUE_NUM, 16);
        w(&dev, QUEUE_READY, 1);
        assert_eq!(r(&dev, QUEUE_READY), 0, "16 > max 8");
        assert_ne!(r(&dev, STATUS) as u32 & STATUS_NEEDS_RESET, 0);
        w(&dev, STATUS, 0);
        assert_eq!(r(&dev, STATUS), 0);
        let d = activate(&dev, 0, 4);
        assert_eq!(dev.queues[0].lock().unwrap().desc, d[0].desc);
        // Changing the rings of a ready queue is ignored; stopping works.
        w(&dev, QUEUE_SEL, 0);
        w(&dev, QUEUE_DESC_LOW, 0x9000);
        assert_eq!(dev.queues[0].lock().unwrap().desc, d[0].desc);
        w(&dev, QUEUE_READY, 0);
        assert_eq!(r(&dev, QUEUE_READY), 0);
        assert!(!dev.queues[0].lock().unwrap().ready);
    }

    fn corrupt(setup: impl Fn(&mut [crate::virtio::testing::Driver])) {
        let dev = echo();
        let mut d = activate(&dev, 0, 4);
        setup(&mut d);
        w(&dev, QUEUE_NOTIFY, 0);
        assert_broken_until_reset(&dev, &d);
        // It works again after the driver sets it up again.
        let mut d = activate(&dev, 0, 4);
        d[0].set_desc(0, 0x100, 4, false, None);
        d[0].offer(0);
        w(&dev, QUEUE_NOTIFY, 0);
        assert_eq!(d[0].used_idx(), 1);
    }

    #[test]
    fn corrupt_queues_break_the_device_until_reset() {
        corrupt(|d| {
            d[0].set_desc(0, 0x3_fff0, 0x100, false, None);
            d[0].offer(0);
        });
        corrupt(|d| {
            d[0].set_desc(0, 0x100, 4, false, Some(1));
            d[0].set_desc(1, 0x100, 4, false, Some(0));
            d[0].offer(0);
        });
        corrupt(|d| {
            d[0].set_desc(0, 0x100, 4, false, Some(4));
            d[0].offer(0);
        });
        corrupt(|d| d[0].set_avail_idx(100));
        corrupt(|d| {
            d[0].set_desc(0, 0x100, u32::MAX, true, None);
            d[0].offer(0);
        });
    }

    #[test]
    fn rings_past_the_end_of_memory() {
        let dev = echo();
        w(&dev, STATUS, 3);
        w(&dev, QUEUE_SEL, 0);
        w(&dev, QUEUE_NUM, 8);
        w(&dev, QUEUE_DESC_LOW, 0x3_ffc0);
        w(&dev, QUEUE_DRIVER_LOW, 0x1000);
        w(&dev, QUEUE_DEVICE_LOW, 0x2000);
        w(&dev, QUEUE_READY, 1);
        w(&dev, STATUS, 0xf);
        assert_ne!(r(&dev, STATUS) as u32 & STATUS_NEEDS_RESET, 0);
        // High halves put a ring far beyond 4 GiB.
        w(&dev, STATUS, 0);
        let d = activate(&dev, 0, 4);
        assert_eq!(d[0].used_idx(), 0);
        w(&dev, STATUS, 0);
        w(&dev, STATUS, 3);
        w(&dev, QUEUE_SEL, 0);
        w(&dev, QUEUE_NUM, 4);
        w(&dev, QUEUE_DEVICE_HIGH, 1);
        w(&dev, QUEUE_READY, 1);
        w(&dev, STATUS, 0xf);
        assert_ne!(r(&dev, STATUS) as u32 & STATUS_NEEDS_RESET, 0);
    }
}
