// SPDX-License-Identifier: GPL-2.0

//! virtio-blk (device type 2) over a raw image file: one request queue,
//! served by a worker thread of the disk so that file I/O never runs on a
//! virtual CPU.
//!
//! A request is a chain: a device-readable header {type u32, reserved
//! u32, sector u64}, the data (readable for writes, writable for reads)
//! and a device-writable status byte at the very end.

use super::mmio::{Backend, Transport};
use super::queue::{Chain, QueueError, Segment};
use crate::memory::GuestMemory;
use std::fs::{File, OpenOptions};
use std::io::{Seek, SeekFrom};
use std::os::unix::fs::FileExt;
use std::path::Path;

pub const SECTOR: u64 = 512;
/// Feature bits.
pub const F_SEG_MAX: u64 = 1 << 2;
pub const F_RO: u64 = 1 << 5;
pub const F_BLK_SIZE: u64 = 1 << 6;
pub const F_FLUSH: u64 = 1 << 9;
/// Request types.
pub const T_IN: u32 = 0;
pub const T_OUT: u32 = 1;
pub const T_FLUSH: u32 = 4;
pub const T_GET_ID: u32 = 8;
/// Request status.
pub const S_OK: u8 = 0;
pub const S_IOERR: u8 = 1;
pub const S_UNSUPP: u8 = 2;
/// Entries of the request queue.
pub const QUEUE_SIZE: u16 = 256;
/// Data segments per request: two largest requests fit in the queue with
/// their header and status descriptors.
pub const SEG_MAX: u32 = 126;
/// Bytes of the request header.
const HEADER: u64 = 16;
/// Bytes of the answer to GET_ID.
const ID_LEN: usize = 20;
/// Bytes copied between the file and guest memory at a time.
const CHUNK: u64 = 1 << 20;
/// Requests completed before the driver is interrupted, at most: a driver
/// that keeps the queue full still hears about completions.
const BATCH: usize = 32;

pub struct Block {
    file: File,
    read_only: bool,
    /// Size in 512-byte sectors.
    sectors: u64,
    id: [u8; ID_LEN],
    config: [u8; 24],
}

impl Block {
    /// Opens the raw image at `path` for the disk `name` ("vda").  The
    /// error is one line for the user.
    pub fn open(path: &Path, read_only: bool, name: &str) -> Result<Block, String> {
        let shown = path.display();
        let mut file = OpenOptions::new()
            .read(true)
            .write(!read_only)
            .open(path)
            .map_err(|e| format!("--disk {shown}: {e}"))?;
        if file.metadata().is_ok_and(|m| m.is_dir()) {
            return Err(format!("--disk {shown}: is a directory"));
        }
        let bytes = file
            .seek(SeekFrom::End(0))
            .map_err(|e| format!("--disk {shown}: {e}"))?;
        if !bytes.is_multiple_of(SECTOR) {
            return Err(format!(
                "--disk {shown}: size {bytes} is not a multiple of 512 bytes"
            ));
        }
        Ok(Block::new(file, read_only, bytes / SECTOR, name))
    }

    fn new(file: File, read_only: bool, sectors: u64, name: &str) -> Block {
        let mut id = [0u8; ID_LEN];
        let text = format!("wasm-linux-{name}");
        let n = text.len().min(ID_LEN);
        id[..n].copy_from_slice(&text.as_bytes()[..n]);
        let mut config = [0u8; 24];
        config[0..8].copy_from_slice(&sectors.to_le_bytes());
        config[12..16].copy_from_slice(&SEG_MAX.to_le_bytes());
        config[20..24].copy_from_slice(&(SECTOR as u32).to_le_bytes());
        Block {
            file,
            read_only,
            sectors,
            id,
            config,
        }
    }

    /// Carries out one request; returns the bytes written to the chain's
    /// writable buffers (the status byte included).
    fn handle(&self, chain: &Chain, memory: &GuestMemory) -> Result<u32, QueueError> {
        let malformed = |what| QueueError::Malformed {
            head: chain.head,
            what,
        };
        let (readable, writable) = (chain.readable_len(), chain.writable_len());
        if readable < HEADER {
            return Err(malformed("no request header"));
        }
        if writable < 1 {
            return Err(malformed("no status byte"));
        }
        let mut header = Vec::new();
        for seg in range(&chain.readable, 0, HEADER) {
            header.extend(memory.read(seg.addr, seg.len.into())?);
        }
        let kind = u32::from_le_bytes(header[0..4].try_into().unwrap_or_default());
        let sector = u64::from_le_bytes(header[8..16].try_into().unwrap_or_default());
        let data_out = range(&chain.readable, HEADER, readable - HEADER);
        let data_in = range(&chain.writable, 0, writable - 1);
        let status_at = range(&chain.writable, writable - 1, 1)[0].addr;

        let (status, written) = match kind {
            T_IN => self.transfer(sector, &data_in, memory, false)?,
            T_OUT if self.read_only => (S_IOERR, 0),
            T_OUT => (self.transfer(sector, &data_out, memory, true)?.0, 0),
            T_FLUSH => match self.file.sync_data() {
                Ok(()) => (S_OK, 0),
                Err(_) => (S_IOERR, 0),
            },
            T_GET_ID => {
                let mut done = 0;
                for seg in range(&data_in, 0, ID_LEN as u64) {
                    let end = done + seg.len as usize;
                    memory.write(seg.addr, &self.id[done..end])?;
                    done = end;
                }
                (S_OK, done as u32)
            }
            _ => (S_UNSUPP, 0),
        };
        memory.write(status_at, &[status])?;
        Ok(written + 1)
    }

    /// Reads (`out` false) or writes the image at `sector` to or from the
    /// guest buffers `segs`; returns the status and the bytes read.
    fn transfer(
        &self,
        sector: u64,
        segs: &[Segment],
        memory: &GuestMemory,
        out: bool,
    ) -> Result<(u8, u32), QueueError> {
        let total: u64 = segs.iter().map(|s| u64::from(s.len)).sum();
        let start = sector.checked_mul(SECTOR);
        let end = start.and_then(|s| s.checked_add(total));
        let (Some(mut pos), Some(end)) = (start, end) else {
            return Ok((S_IOERR, 0));
        };
        if end > self.sectors * SECTOR {
            return Ok((S_IOERR, 0));
        }
        let mut done = 0u32;
        for seg in segs {
            let mut off = 0u64;
            while off < u64::from(seg.len) {
                let n = (u64::from(seg.len) - off).min(CHUNK);
                let addr = seg.addr + off;
                let ok = if out {
                    let bytes = memory.read(addr, n)?;
                    self.file.write_all_at(&bytes, pos).is_ok()
                } else {
                    let mut bytes = vec![0u8; n as usize];
                    let ok = self.file.read_exact_at(&mut bytes, pos).is_ok();
                    if ok {
                        memory.write(addr, &bytes)?;
                    }
                    ok
                };
                if !ok {
                    return Ok((S_IOERR, done));
                }
                off += n;
                pos += n;
                if !out {
                    done += n as u32;
                }
            }
        }
        Ok((S_OK, done))
    }
}

/// The part of the buffers `segs` from byte `skip`, `len` bytes long.
fn range(segs: &[Segment], skip: u64, len: u64) -> Vec<Segment> {
    let mut out = Vec::new();
    let (mut skip, mut len) = (skip, len);
    for seg in segs {
        if len == 0 {
            break;
        }
        let seg_len = u64::from(seg.len);
        if skip >= seg_len {
            skip -= seg_len;
            continue;
        }
        let n = (seg_len - skip).min(len);
        out.push(Segment {
            addr: seg.addr + skip,
            len: n as u32,
        });
        len -= n;
        skip = 0;
    }
    out
}

impl Backend for Block {
    const DEVICE_ID: u32 = 2;
    const WORKER: bool = true;

    fn features(&self) -> u64 {
        let ro = if self.read_only { F_RO } else { 0 };
        F_SEG_MAX | F_BLK_SIZE | F_FLUSH | ro
    }

    fn queue_max(&self) -> &[u16] {
        &[QUEUE_SIZE]
    }

    fn config(&self) -> Vec<u8> {
        self.config.to_vec()
    }

    fn process(&self, dev: &Transport<Self>, queue: usize) {
        loop {
            let mut more = false;
            dev.service(queue, |q, memory| {
                for _ in 0..BATCH {
                    let Some(chain) = q.pop(memory)? else {
                        return Ok(());
                    };
                    let written = self.handle(&chain, memory)?;
                    q.push_used(memory, chain.head, written)?;
                }
                more = true;
                Ok(())
            });
            if !more {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::virtio::mmio::{DEVICE_FEATURES, DEVICE_ID, QUEUE_NOTIFY, STATUS};
    use crate::virtio::testing::Driver;
    use crate::virtio::testing::*;
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    /// A temporary image of `sectors` sectors, each filled with its
    /// number's low byte.
    fn image(name: &str, sectors: u64) -> std::path::PathBuf {
        let path =
            std::env::temp_dir().join(format!("wasm-linux-test-{}-{name}.img", std::process::id()));
        let bytes: Vec<u8> = (0..sectors * SECTOR).map(|i| (i / SECTOR) as u8).collect();
        std::fs::write(&path, bytes).unwrap();
        path
    }

    fn disk(name: &str, read_only: bool) -> (Transport<Block>, Vec<Driver>, std::path::PathBuf) {
        let path = image(name, 8);
        let dev = device(Block::open(&path, read_only, "vda").unwrap());
        let features = F_SEG_MAX | F_FLUSH | if read_only { F_RO } else { 0 };
        let d = activate(&dev, features, 16);
        (dev, d, path)
    }

    /// Puts a request in descriptors `first` to `first + 2`: header at
    /// `base + 0x1000`, `len` bytes of data (readable for OUT) at `base +
    /// 0x2000`, status at `base + 0x3000`, where `base` is `0x1000 *
    /// first`.  Returns the head.
    fn request(d: &mut Driver, first: u16, kind: u32, sector: u64, len: u32) -> u16 {
        let base = 0x3000 * u64::from(first / 3);
        let mut header = [0u8; 16];
        header[..4].copy_from_slice(&kind.to_le_bytes());
        header[8..].copy_from_slice(&sector.to_le_bytes());
        d.memory.write(base + 0x1000, &header).unwrap();
        d.memory.write(base + 0x3000, &[0xee]).unwrap();
        let write = kind != T_OUT;
        d.set_desc(first, base + 0x1000, 16, false, Some(first + 1));
        d.set_desc(first + 1, base + 0x2000, len, write, Some(first + 2));
        d.set_desc(first + 2, base + 0x3000, 1, true, None);
        d.offer(first);
        first
    }

    fn status(d: &Driver, first: u16) -> u8 {
        let base = 0x3000 * u64::from(first / 3);
        d.memory.read(base + 0x3000, 1).unwrap()[0]
    }

    #[test]
    fn registers() {
        let path = image("regs", 8);
        let dev = device(Block::open(&path, true, "vdb").unwrap());
        assert_eq!(r(&dev, DEVICE_ID), 2);
        assert_eq!(
            r(&dev, DEVICE_FEATURES),
            F_SEG_MAX | F_RO | F_BLK_SIZE | F_FLUSH
        );
        assert_eq!(dev.read(0x100, 8), 8, "capacity");
        assert_eq!(dev.read(0x100, 4), 8);
        assert_eq!(dev.read(0x10c, 4), u64::from(SEG_MAX));
        assert_eq!(dev.read(0x114, 4), 512);
        assert_eq!(dev.read(0x118, 1), 0xff);
        let rw = device(Block::open(&path, false, "vdb").unwrap());
        assert_eq!(r(&rw, DEVICE_FEATURES) & F_RO, 0);
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn open_errors_are_one_line() {
        let missing = Path::new("/nonexistent/disk.img");
        assert!(Block::open(missing, false, "vda").is_err());
        let odd = std::env::temp_dir().join(format!("wasm-linux-test-{}-odd", std::process::id()));
        std::fs::write(&odd, [0u8; 1000]).unwrap();
        let err = Block::open(&odd, true, "vda").err().unwrap();
        assert!(
            err.contains("multiple of 512") && !err.contains('\n'),
            "{err}"
        );
        std::fs::remove_file(odd).unwrap();
        assert!(Block::open(&std::env::temp_dir(), true, "vda").is_err());
    }

    #[test]
    fn read_write_flush_round_trip() {
        let (dev, mut d, path) = disk("rw", false);
        let q = &mut d[0];
        request(q, 0, T_IN, 3, 1024);
        dev.backend().process(&dev, 0);
        assert_eq!(status(q, 0), S_OK);
        let data = q.memory.read(0x2000, 1024).unwrap();
        assert!(data[..512].iter().all(|&b| b == 3) && data[512..].iter().all(|&b| b == 4));
        assert_eq!(q.used_elem(0), (0, 1025));

        q.memory.write(0x5000, &[0x5a; 512]).unwrap();
        request(q, 3, T_OUT, 7, 512);
        request(q, 6, T_FLUSH, 0, 0);
        dev.backend().process(&dev, 0);
        assert_eq!((status(q, 3), status(q, 6)), (S_OK, S_OK));
        assert_eq!(q.used_elem(1), (3, 1));
        let file = std::fs::read(&path).unwrap();
        assert!(file[7 * 512..].iter().all(|&b| b == 0x5a));
        assert!(file[6 * 512..7 * 512].iter().all(|&b| b == 6));

        request(q, 9, T_GET_ID, 0, 20);
        request(q, 12, 99, 0, 4);
        request(q, 0, T_IN, 7, 1024);
        dev.backend().process(&dev, 0);
        assert_eq!(status(q, 9), S_OK);
        let id = q.memory.read(0xb000, 20).unwrap();
        assert_eq!(&id[..], b"wasm-linux-vda\0\0\0\0\0\0");
        assert_eq!(q.used_elem(3), (9, 21));
        assert_eq!(status(q, 12), S_UNSUPP);
        assert_eq!(status(q, 0), S_IOERR, "past the end");
        request(q, 0, T_IN, u64::MAX / 256, 512);
        dev.backend().process(&dev, 0);
        assert_eq!(status(q, 0), S_IOERR, "overflowing sector");
        assert_eq!(q.used_idx(), 7);
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn read_only_disk_refuses_writes() {
        let (dev, mut d, path) = disk("ro", true);
        request(&mut d[0], 0, T_OUT, 0, 512);
        dev.backend().process(&dev, 0);
        assert_eq!(status(&d[0], 0), S_IOERR);
        assert!(std::fs::read(&path).unwrap()[..512].iter().all(|&b| b == 0));
        request(&mut d[0], 0, T_IN, 1, 512);
        dev.backend().process(&dev, 0);
        assert_eq!(status(&d[0], 0), S_OK);
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn the_worker_completes_on_the_submitting_cpu() {
        let path = image("worker", 8);
        let dev = Arc::new(device(Block::open(&path, false, "vda").unwrap()));
        Transport::start_worker(&dev, "vda-test".into()).unwrap();
        dev.irq().cpu_started(2);
        let mut d = activate(&dev, F_FLUSH, 16);
        request(&mut d[0], 0, T_IN, 2, 512);
        dev.write(QUEUE_NOTIFY, 4, 0, 2);
        let deadline = Instant::now() + Duration::from_secs(10);
        while d[0].used_idx() != 1 {
            assert!(Instant::now() < deadline, "the worker did not complete");
            std::thread::sleep(Duration::from_millis(1));
        }
        assert_eq!(status(&d[0], 0), S_OK);
        while pending(&dev, 2) == 0 {
            assert!(Instant::now() < deadline, "no interrupt");
            std::thread::sleep(Duration::from_millis(1));
        }
        assert_eq!(pending(&dev, 2), 1 << 3);
        assert_eq!(pending(&dev, 0), 0);
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn corrupt_requests_and_queues() {
        let cases: [&dyn Fn(&mut Driver); 7] = [
            // No header.
            &|d| {
                d.set_desc(0, 0x1000, 8, false, Some(1));
                d.set_desc(1, 0x3000, 1, true, None);
                d.offer(0);
            },
            // No status byte.
            &|d| {
                d.set_desc(0, 0x1000, 16, false, None);
                d.offer(0);
            },
            // Data outside memory.
            &|d| {
                request(d, 0, T_IN, 0, 512);
                d.set_desc(1, 0x3_ff00, 512, true, Some(2));
            },
            // A loop.
            &|d| {
                request(d, 0, T_IN, 0, 512);
                d.set_desc(2, 0x3000, 1, true, Some(0));
            },
            // Next beyond the queue.
            &|d| {
                request(d, 0, T_IN, 0, 512);
                d.set_desc(2, 0x3000, 1, true, Some(16));
            },
            // Header after the data.
            &|d| {
                request(d, 0, T_IN, 0, 512);
                d.set_desc(2, 0x1000, 16, false, None);
            },
            &|d| d.set_avail_idx(17),
        ];
        for setup in cases {
            let (dev, mut d, path) = disk("corrupt", false);
            setup(&mut d[0]);
            dev.backend().process(&dev, 0);
            assert_eq!(d[0].used_idx(), 0);
            assert_broken_until_reset(&dev, &d);
            std::fs::remove_file(path).unwrap();
        }
        // Rings past the end of memory.
        let (dev, _, path) = disk("rings", false);
        w(&dev, STATUS, 0);
        w(&dev, STATUS, 3);
        w(&dev, 0x038, 16);
        w(&dev, 0x0a0, 0x3_ff80);
        w(&dev, 0x044, 1);
        w(&dev, STATUS, 0xf);
        dev.backend().process(&dev, 0);
        assert_ne!(r(&dev, STATUS) as u32 & 0x40, 0);
        std::fs::remove_file(path).unwrap();
    }
}
