// SPDX-License-Identifier: GPL-2.0

//! virtio-rng (device type 4): one queue of device-writable buffers,
//! filled with the host's randomness as soon as the driver notifies.

use super::mmio::{Backend, Transport};
use super::queue::QueueError;
use crate::random;

/// Most bytes given for one buffer (the driver asks for far fewer).
const MAX_FILL: u32 = 64 << 10;

pub struct Rng;

impl Backend for Rng {
    const DEVICE_ID: u32 = 4;

    fn features(&self) -> u64 {
        0
    }

    fn queue_max(&self) -> &[u16] {
        &[256]
    }

    fn config(&self) -> Vec<u8> {
        Vec::new()
    }

    fn process(&self, dev: &Transport<Self>, queue: usize) {
        dev.service(queue, |q, memory| {
            while let Some(chain) = q.pop(memory)? {
                let mut left = MAX_FILL;
                for seg in &chain.writable {
                    let n = seg.len.min(left);
                    let mut bytes = vec![0u8; n as usize];
                    if let Err(e) = random::fill(&mut bytes) {
                        eprintln!("wasm-linux: {}: no host randomness: {e}", dev.name());
                        return Err(QueueError::Malformed {
                            head: chain.head,
                            what: "host randomness failed",
                        });
                    }
                    memory.write(seg.addr, &bytes)?;
                    left -= n;
                }
                q.push_used(memory, chain.head, MAX_FILL - left)?;
            }
            Ok(())
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::virtio::mmio::{DEVICE_FEATURES, DEVICE_ID, QUEUE_NUM_MAX, QUEUE_SEL};
    use crate::virtio::testing::*;

    #[test]
    fn registers() {
        let dev = device(Rng);
        assert_eq!(r(&dev, DEVICE_ID), 4);
        assert_eq!(r(&dev, DEVICE_FEATURES), 0);
        w(&dev, QUEUE_SEL, 0);
        assert_eq!(r(&dev, QUEUE_NUM_MAX), 256);
        assert_eq!(dev.read(0x100, 1), 0xff, "no configuration");
    }

    #[test]
    fn fills_buffers() {
        let dev = device(Rng);
        let mut d = activate(&dev, 0, 8);
        d[0].set_desc(0, 0x1000, 64, true, Some(1));
        d[0].set_desc(1, 0x2000, 0, true, None);
        d[0].offer(0);
        dev.write(0x50, 4, 0, 0);
        assert_eq!(d[0].used_idx(), 1);
        assert_eq!(d[0].used_elem(0), (0, 64));
        let bytes = d[0].memory.read(0x1000, 64).unwrap();
        assert!(bytes.iter().any(|&b| b != 0));
        assert_ne!(pending(&dev, 0) & (1 << 3), 0);
        // A huge buffer gets at most MAX_FILL bytes.
        d[0].set_desc(2, 0, 0x3_0000, true, None);
        d[0].offer(2);
        dev.write(0x50, 4, 0, 0);
        assert_eq!(d[0].used_elem(1), (2, MAX_FILL));
    }

    #[test]
    fn corrupt_queues() {
        let cases: [&dyn Fn(&mut crate::virtio::testing::Driver); 4] = [
            &|d| {
                d.set_desc(0, 0x4_0000, 1, true, None);
                d.offer(0);
            },
            &|d| {
                d.set_desc(0, 0x100, 4, true, Some(1));
                d.set_desc(1, 0x100, 4, true, Some(0));
                d.offer(0);
            },
            &|d| {
                d.set_desc(0, 0x3_ffff, 2, true, None);
                d.offer(0);
            },
            &|d| d.set_avail_idx(9),
        ];
        for setup in cases {
            let dev = device(Rng);
            let mut d = activate(&dev, 0, 8);
            setup(&mut d[0]);
            dev.write(0x50, 4, 0, 0);
            assert_broken_until_reset(&dev, &d);
        }
    }
}
