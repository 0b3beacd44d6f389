// SPDX-License-Identifier: GPL-2.0

//! The virtio-mmio devices of the machine and the `mmio_read` /
//! `mmio_write` imports' dispatch to them.
//!
//! Device `i` (in this order: the console unless `--console host`, the
//! entropy source, then each `--disk`) has the 4 KiB register window at
//! `0xf000_0000 + i * 0x1000` and interrupt line `3 + i`; the kernel learns
//! both from `virtio_mmio.device=4K@BASE:LINE` on its command line.

pub mod block;
pub mod console;
pub mod mmio;
pub mod queue;
pub mod rng;
#[cfg(test)]
mod testing;

use crate::abi::{LINE_CONSOLE, LINE_FIRST_DEVICE, MMIO_BASE, NR_LINES};
use crate::abi::{VIRTIO_FIRST_LINE, VIRTIO_WINDOW};
use crate::irq::Interrupts;
use crate::memory::GuestMemory;
use block::Block;
use console::Console;
pub use mmio::all_ones;
use mmio::{Backend, Transport};
use rng::Rng;
use std::sync::Arc;

/// Devices that fit the interrupt lines.
pub const MAX_DEVICES: usize = (NR_LINES - VIRTIO_FIRST_LINE) as usize;
// The devices' lines are the host's and not the console's.
const _: () = assert!(VIRTIO_FIRST_LINE > LINE_CONSOLE && LINE_CONSOLE >= LINE_FIRST_DEVICE);

/// The window base and interrupt line of device `index`.
pub fn window(index: usize) -> (u32, u32) {
    let i = index as u32;
    (MMIO_BASE + i * VIRTIO_WINDOW, VIRTIO_FIRST_LINE + i)
}

/// The kernel parameter that declares device `index`.
pub fn cmdline_param(index: usize) -> String {
    let (base, line) = window(index);
    format!("virtio_mmio.device=4K@{base:#x}:{line}")
}

/// The number of devices: the console if `virtio_console`, the entropy
/// source, and `disks` disks.
pub fn device_count(virtio_console: bool, disks: usize) -> usize {
    usize::from(virtio_console) + 1 + disks
}

/// The kernel's name of disk `index`: vda ... vdz, vdaa ...
pub fn disk_name(index: usize) -> String {
    let letter = |i: usize| char::from(b'a' + (i % 26) as u8);
    if index < 26 {
        format!("vd{}", letter(index))
    } else {
        format!("vd{}{}", letter(index / 26 - 1), letter(index))
    }
}

/// Checks the `size` argument of `mmio_read`/`mmio_write`: 1, 2, 4 or 8.
pub fn access_size(size: i32) -> wasmtime::Result<u32> {
    match size {
        1 | 2 | 4 | 8 => Ok(size as u32),
        _ => wasmtime::bail!("bad MMIO access size {size}"),
    }
}

/// The register file of one device, whatever its type.
trait Window: Send + Sync {
    fn read(&self, offset: u32, size: u32) -> u64;
    fn write(&self, offset: u32, size: u32, value: u64, cpu: u32);
}

impl<B: Backend> Window for Transport<B> {
    fn read(&self, offset: u32, size: u32) -> u64 {
        Transport::read(self, offset, size)
    }
    fn write(&self, offset: u32, size: u32, value: u64, cpu: u32) {
        Transport::write(self, offset, size, value, cpu)
    }
}

/// Every device of the machine, by window.
pub struct Devices {
    windows: Vec<Arc<dyn Window>>,
    console: Option<Arc<Transport<Console>>>,
}

impl Devices {
    /// Makes the devices over `memory`: a virtio console writing to
    /// `console`'s output if given (with the terminal size, columns and
    /// rows, if known), the entropy source, and the opened `disks` (whose
    /// workers start here).
    pub fn new(
        memory: &GuestMemory,
        irq: &Arc<Interrupts>,
        console: Option<(console::Output, Option<(u16, u16)>)>,
        disks: Vec<Block>,
    ) -> std::io::Result<Devices> {
        let mut windows: Vec<Arc<dyn Window>> = Vec::new();
        let line = |windows: &Vec<Arc<dyn Window>>| window(windows.len()).1;
        let console = console.map(|(out, size)| {
            let dev = Transport::new(
                "virtio-console".into(),
                line(&windows),
                memory.clone(),
                irq.clone(),
                Console::new(out, size),
            );
            let dev = Arc::new(dev);
            windows.push(dev.clone());
            dev
        });
        let rng = Transport::new(
            "virtio-rng".into(),
            line(&windows),
            memory.clone(),
            irq.clone(),
            Rng,
        );
        windows.push(Arc::new(rng));
        for (index, disk) in disks.into_iter().enumerate() {
            let name = disk_name(index);
            let dev = Transport::new(
                format!("virtio-blk {name}"),
                line(&windows),
                memory.clone(),
                irq.clone(),
                disk,
            );
            let dev = Arc::new(dev);
            Transport::start_worker(&dev, format!("{name}-io"))?;
            windows.push(dev);
        }
        assert!(
            windows.len() <= MAX_DEVICES,
            "the command line limits disks"
        );
        Ok(Devices { windows, console })
    }

    /// The virtio console, unless the console is the host's.
    pub fn console(&self) -> Option<&Arc<Transport<Console>>> {
        self.console.as_ref()
    }

    /// The device window holding `addr` and the offset in it, if an
    /// access of `size` bytes there stays inside the window.
    fn find(&self, addr: u32, size: u32) -> Option<(&Arc<dyn Window>, u32)> {
        let rel = addr.checked_sub(MMIO_BASE)?;
        let dev = self.windows.get((rel / VIRTIO_WINDOW) as usize)?;
        let offset = rel % VIRTIO_WINDOW;
        (offset + size <= VIRTIO_WINDOW).then_some((dev, offset))
    }

    /// `mmio_read`: the little-endian value, zero-extended; all ones
    /// where no register is.
    pub fn read(&self, addr: u32, size: u32) -> u64 {
        match self.find(addr, size) {
            Some((dev, offset)) => dev.read(offset, size),
            None => all_ones(size),
        }
    }

    /// `mmio_write` from CPU `cpu`; dropped where no register is.
    pub fn write(&self, addr: u32, size: u32, value: u64, cpu: u32) {
        if let Some((dev, offset)) = self.find(addr, size) {
            dev.write(offset, size, value, cpu);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::tests::test_memory;
    use std::sync::Mutex;

    #[test]
    fn windows_lines_and_names() {
        assert_eq!(window(0), (0xf000_0000, 3));
        assert_eq!(window(28), (0xf001_c000, 31));
        assert_eq!(MAX_DEVICES, 29);
        assert_eq!(cmdline_param(0), "virtio_mmio.device=4K@0xf0000000:3");
        assert_eq!(cmdline_param(2), "virtio_mmio.device=4K@0xf0002000:5");
        assert_eq!(device_count(true, 2), 4);
        assert_eq!(device_count(false, 0), 1);
        assert_eq!(disk_name(0), "vda");
        assert_eq!(disk_name(25), "vdz");
        assert_eq!(disk_name(26), "vdaa");
        assert_eq!(disk_name(27), "vdab");
        for size in [1, 2, 4, 8] {
            assert_eq!(access_size(size).unwrap(), size as u32);
        }
        for size in [0, 3, 5, 16, -4] {
            assert!(access_size(size).is_err());
        }
    }

    #[test]
    fn dispatch_by_address() {
        let memory = test_memory(1);
        let irq = Arc::new(Interrupts::new(memory.clone()));
        let out: Arc<Mutex<Vec<u8>>> = Arc::default();
        let sink = out.clone();
        let console: console::Output = Box::new(move |b| sink.lock().unwrap().extend(b));
        let devices = Devices::new(&memory, &irq, Some((console, None)), Vec::new()).unwrap();
        assert!(devices.console().is_some());
        assert_eq!(devices.read(0xf000_0000, 4), 0x7472_6976);
        assert_eq!(devices.read(0xf000_0008, 4), 3);
        assert_eq!(devices.read(0xf000_1008, 4), 4);
        // Unknown addresses: all ones of the size.
        assert_eq!(devices.read(0xf000_2000, 4), 0xffff_ffff);
        assert_eq!(devices.read(0xefff_fffc, 4), 0xffff_ffff);
        assert_eq!(devices.read(0, 1), 0xff);
        assert_eq!(devices.read(0, 2), 0xffff);
        assert_eq!(devices.read(0xffff_fffc, 8), u64::MAX);
        assert_eq!(devices.read(0xf000_0ffc, 8), u64::MAX, "crosses the window");
        devices.write(0xf000_5070, 4, 0, 0);
        devices.write(0xf000_0070, 4, 3, 0);
        assert_eq!(devices.read(0xf000_0070, 4), 3);

        let host = Devices::new(&memory, &irq, None, Vec::new()).unwrap();
        assert!(host.console().is_none());
        assert_eq!(host.read(0xf000_0008, 4), 4, "the rng comes first");
        assert_eq!(host.read(0xf000_1000, 4), 0xffff_ffff);
    }
}
