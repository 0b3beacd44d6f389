// SPDX-License-Identifier: GPL-2.0

//! virtio-console (device type 3), one port, no multiport: queue 0 is
//! receiveq (host to guest), queue 1 transmitq (guest to host).
//!
//! Transmitted bytes go to the machine's console output as soon as the
//! driver notifies, on the notifying CPU, and their buffers come back at
//! once, so a writer never waits for the host.  Received bytes (standard
//! input, from console_input.rs) fill the buffers the driver has made
//! available; what finds none waits in a bounded buffer here until the
//! driver adds buffers.
//!
//! Input is held back until the driver has transmitted once.  Without
//! multiport the driver never says when its port is ready, and Linux's
//! virtio_console throws away data that arrives while it is still setting
//! the port up (its receive buffers are queued before the port is hooked
//! up to hvc).  The first transmission (the console's first output)
//! comes from a port that is hooked up.

use super::mmio::{Backend, Transport};
use super::queue::QueueError;
use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

pub const RECEIVEQ: usize = 0;
pub const TRANSMITQ: usize = 1;
/// Bytes of a transmitted buffer copied out at a time.
const CHUNK: u32 = 64 << 10;
/// Most received bytes held for the guest (the input thread waits above).
pub const MAX_PENDING: usize = 64 << 10;

/// Where transmitted bytes go.
pub type Output = Box<dyn Fn(&[u8]) + Send + Sync>;

pub struct Console {
    output: Output,
    pending: Mutex<VecDeque<u8>>,
    /// Whether the driver has transmitted, so that input may go in.
    ready: AtomicBool,
    /// Whether the device offers VIRTIO_CONSOLE_F_SIZE (the host's
    /// standard input is a terminal whose size it can pass on).
    sized: bool,
    /// `struct virtio_console_config`: cols, rows (with F_SIZE),
    /// max_nr_ports (meaningful only with MULTIPORT), emerg_wr.
    config: Mutex<[u8; 12]>,
}

/// `VIRTIO_CONSOLE_F_SIZE`: cols and rows in the configuration space.
pub const F_SIZE: u64 = 1 << 0;

impl Console {
    /// A console; with `size` (columns, rows) it offers F_SIZE and
    /// starts with that terminal size.
    pub fn new(output: Output, size: Option<(u16, u16)>) -> Console {
        let mut config = [0u8; 12];
        config[4..8].copy_from_slice(&1u32.to_le_bytes());
        if let Some((cols, rows)) = size {
            config[0..2].copy_from_slice(&cols.to_le_bytes());
            config[2..4].copy_from_slice(&rows.to_le_bytes());
        }
        Console {
            output,
            pending: Mutex::new(VecDeque::new()),
            ready: AtomicBool::new(false),
            sized: size.is_some(),
            config: Mutex::new(config),
        }
    }

    /// Whether the console offers F_SIZE (it was made with a size).
    pub fn sized(&self) -> bool {
        self.sized
    }

    /// The host's terminal changed size: new cols and rows, and a config
    /// interrupt once the driver's port is up (before, the first output
    /// sends the size).
    pub fn resize(dev: &Transport<Console>, cols: u16, rows: u16) {
        let console = dev.backend();
        if !console.sized {
            return;
        }
        {
            let mut config = console.config.lock().unwrap_or_else(|e| e.into_inner());
            config[0..2].copy_from_slice(&cols.to_le_bytes());
            config[2..4].copy_from_slice(&rows.to_le_bytes());
        }
        if console.ready.load(Ordering::SeqCst) {
            dev.config_changed();
        }
    }

    /// Received bytes still waiting for a guest buffer.
    pub fn pending_len(&self) -> usize {
        self.pending.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Takes `bytes` of input for the guest and delivers what it can.
    pub fn receive(dev: &Transport<Console>, bytes: &[u8]) {
        dev.backend()
            .pending
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend(bytes);
        dev.backend().deliver(dev);
    }

    /// Moves waiting input into the receive buffers the driver offers.
    fn deliver(&self, dev: &Transport<Console>) {
        if !self.ready.load(Ordering::SeqCst) {
            return;
        }
        dev.service(RECEIVEQ, |q, memory| {
            loop {
                if self.pending_len() == 0 {
                    return Ok(());
                }
                let Some(chain) = q.pop(memory)? else {
                    return Ok(());
                };
                let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
                let mut written = 0u32;
                for seg in &chain.writable {
                    let n = (seg.len as usize).min(pending.len());
                    let bytes: Vec<u8> = pending.drain(..n).collect();
                    memory.write(seg.addr, &bytes)?;
                    written += n as u32;
                }
                drop(pending);
                q.push_used(memory, chain.head, written)?;
            }
        });
    }

    /// Sends what the driver transmits to the output, in order.
    fn transmit(&self, dev: &Transport<Console>) {
        let mut sent = false;
        dev.service(TRANSMITQ, |q, memory| {
            while let Some(chain) = q.pop(memory)? {
                sent = true;
                for seg in &chain.readable {
                    let mut off = 0;
                    while off < seg.len {
                        let n = (seg.len - off).min(CHUNK);
                        let bytes = memory.read(seg.addr + u64::from(off), n.into())?;
                        (self.output)(&bytes);
                        off += n;
                    }
                }
                q.push_used(memory, chain.head, 0)?;
            }
            Ok::<(), QueueError>(())
        });
        if sent && !self.ready.swap(true, Ordering::SeqCst) {
            // Without multiport, the driver learns the size only from a
            // config interrupt, and one before its port is up is lost.
            if self.sized {
                dev.config_changed();
            }
            self.deliver(dev);
        }
    }
}

impl Backend for Console {
    const DEVICE_ID: u32 = 3;

    fn features(&self) -> u64 {
        if self.sized { F_SIZE } else { 0 }
    }

    fn queue_max(&self) -> &[u16] {
        &[64, 64]
    }

    fn config(&self) -> Vec<u8> {
        self.config
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .to_vec()
    }

    fn process(&self, dev: &Transport<Self>, queue: usize) {
        match queue {
            RECEIVEQ => self.deliver(dev),
            TRANSMITQ => self.transmit(dev),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::virtio::mmio::{DEVICE_ID, QUEUE_NOTIFY};
    use crate::virtio::testing::Driver;
    use crate::virtio::testing::*;
    use std::sync::Arc;

    fn console_sized(size: Option<(u16, u16)>) -> (Transport<Console>, Arc<Mutex<Vec<u8>>>) {
        let sink = Arc::new(Mutex::new(Vec::new()));
        let out = sink.clone();
        let dev = device(Console::new(
            Box::new(move |b| out.lock().unwrap().extend_from_slice(b)),
            size,
        ));
        (dev, sink)
    }

    fn console() -> (Transport<Console>, Arc<Mutex<Vec<u8>>>) {
        console_sized(None)
    }

    #[test]
    fn terminal_size() {
        use crate::virtio::mmio::{CONFIG, DEVICE_FEATURES, INTERRUPT_STATUS};
        let (plain, _) = console();
        assert_eq!(plain.read(DEVICE_FEATURES, 4) & F_SIZE, 0);
        assert_eq!(plain.read(CONFIG, 4), 0);

        let (dev, _) = console_sized(Some((132, 43)));
        assert_eq!(dev.read(DEVICE_FEATURES, 4) & F_SIZE, F_SIZE);
        assert_eq!(dev.read(CONFIG, 2), 132);
        assert_eq!(dev.read(CONFIG + 2, 2), 43);
        let mut d = activate(&dev, 0, 8);
        // No config interrupt before the port is up: it would be lost.
        Console::resize(&dev, 100, 30);
        assert_eq!(dev.read(INTERRUPT_STATUS, 4) & 2, 0);
        assert_eq!(dev.read(CONFIG, 4), (30 << 16) | 100);
        // The first output: the driver is told to read the size.
        let tx: &mut Driver = &mut d[TRANSMITQ];
        tx.memory.write(0x5000, b"$ ").unwrap();
        tx.set_desc(0, 0x5000, 2, false, None);
        tx.offer(0);
        dev.write(QUEUE_NOTIFY, 4, TRANSMITQ as u64, 0);
        assert_ne!(dev.read(INTERRUPT_STATUS, 4) & 2, 0);
        dev.write(crate::virtio::mmio::INTERRUPT_ACK, 4, 3, 0);
        clear_pending(&dev);
        Console::resize(&dev, 80, 24);
        assert_ne!(dev.read(INTERRUPT_STATUS, 4) & 2, 0);
        assert_ne!(pending(&dev, 0) & (1 << 3), 0);
        assert_eq!(dev.read(CONFIG, 4), (24 << 16) | 80);
    }

    #[test]
    fn registers() {
        let (dev, _) = console();
        assert_eq!(r(&dev, DEVICE_ID), 3);
        assert_eq!(dev.read(0x104, 4), 1, "max_nr_ports");
        assert_eq!(dev.read(0x10c, 4), 0xffff_ffff);
    }

    #[test]
    fn transmit_reaches_the_sink_in_order() {
        let (dev, sink) = console();
        let mut d = activate(&dev, 0, 8);
        let tx = &mut d[TRANSMITQ];
        tx.memory.write(0x1000, b"hello, ").unwrap();
        tx.memory.write(0x2000, b"world").unwrap();
        tx.memory.write(0x3000, b"!\n").unwrap();
        tx.set_desc(0, 0x1000, 7, false, Some(1));
        tx.set_desc(1, 0x2000, 5, false, None);
        tx.set_desc(2, 0x3000, 2, false, None);
        tx.offer(0);
        tx.offer(2);
        dev.write(QUEUE_NOTIFY, 4, TRANSMITQ as u64, 0);
        assert_eq!(&*sink.lock().unwrap(), b"hello, world!\n");
        assert_eq!(tx.used_idx(), 2);
        assert_eq!(tx.used_elem(1), (2, 0));
        assert_ne!(pending(&dev, 0) & (1 << 3), 0);
    }

    #[test]
    fn input_waits_for_buffers() {
        let (dev, _) = console();
        Console::receive(&dev, b"early ");
        let mut d = activate(&dev, 0, 8);
        assert_eq!(dev.backend().pending_len(), 6, "no buffer yet");
        {
            let rx: &mut Driver = &mut d[RECEIVEQ];
            rx.set_desc(0, 0x1000, 4, true, None);
            rx.set_desc(1, 0x2000, 100, true, None);
            rx.offer(0);
        }
        dev.write(QUEUE_NOTIFY, 4, RECEIVEQ as u64, 0);
        assert_eq!(
            d[RECEIVEQ].used_idx(),
            0,
            "held back until the first output"
        );
        let tx: &mut Driver = &mut d[TRANSMITQ];
        tx.memory.write(0x5000, b"$ ").unwrap();
        tx.set_desc(0, 0x5000, 2, false, None);
        tx.offer(0);
        dev.write(QUEUE_NOTIFY, 4, TRANSMITQ as u64, 0);
        let rx: &mut Driver = &mut d[RECEIVEQ];
        assert_eq!(rx.used_elem(0), (0, 4));
        assert_eq!(rx.memory.read(0x1000, 4).unwrap(), b"earl");
        assert_eq!(dev.backend().pending_len(), 2);
        rx.offer(1);
        clear_pending(&dev);
        Console::receive(&dev, b"input");
        assert_eq!(rx.used_idx(), 2);
        assert_eq!(rx.used_elem(1), (1, 7));
        assert_eq!(rx.memory.read(0x2000, 7).unwrap(), b"y input");
        assert_eq!(dev.backend().pending_len(), 0);
        assert_ne!(pending(&dev, 0) & (1 << 3), 0);
        // Nothing waiting: buffers stay with the device.
        rx.offer(0);
        dev.write(QUEUE_NOTIFY, 4, RECEIVEQ as u64, 0);
        assert_eq!(rx.used_idx(), 2);
    }

    #[test]
    fn corrupt_queues() {
        for queue in [RECEIVEQ, TRANSMITQ] {
            let cases: [&dyn Fn(&mut Driver); 4] = [
                &|d| {
                    d.set_desc(0, 0x7fff_0000, 16, queue == RECEIVEQ, None);
                    d.offer(0);
                },
                &|d| {
                    d.set_desc(0, 0x100, 4, queue == RECEIVEQ, Some(1));
                    d.set_desc(1, 0x100, 4, queue == RECEIVEQ, Some(0));
                    d.offer(0);
                },
                &|d| {
                    d.set_desc(0, 0x100, 4, queue == RECEIVEQ, Some(8));
                    d.offer(0);
                },
                &|d| d.set_avail_idx(0x8000),
            ];
            for setup in cases {
                let (dev, sink) = console();
                let mut d = activate(&dev, 0, 8);
                // As if the driver had written its first output.
                dev.backend().ready.store(true, Ordering::SeqCst);
                setup(&mut d[queue]);
                Console::receive(&dev, b"x");
                dev.write(QUEUE_NOTIFY, 4, queue as u64, 0);
                assert_broken_until_reset(&dev, &d);
                assert!(sink.lock().unwrap().is_empty());
            }
        }
    }
}
