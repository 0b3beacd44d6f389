// SPDX-License-Identifier: GPL-2.0

//! The state shared by every thread of one booted guest: the compiled
//! module ready to instantiate, the kernel memory, the console, and how the
//! run ends.

use crate::console::{Console, ConsoleEvent, Sink};
use crate::irq::Interrupts;
use crate::memory::GuestMemory;
use crate::outcome::Outcome;
use crate::stats::Stats;
use crate::threads::ThreadCtx;
use crate::user::UserMms;
use crate::virtio::Devices;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use wasmtime::{Engine, InstancePre, Module};

pub struct Machine {
    engine: Engine,
    /// The module with every import resolved; set once right after the
    /// machine is made (defining the memory import needs a store whose
    /// data points back at the machine).
    pre: OnceLock<InstancePre<ThreadCtx>>,
    pub memory: GuestMemory,
    pub console: Console,
    pub stats: Stats,
    /// The user address spaces.
    pub users: UserMms,
    /// Where and on which CPU the host raises interrupts.
    pub irq: Arc<Interrupts>,
    /// The virtio-mmio devices, set once at boot.
    devices: OnceLock<Devices>,
    /// Kernel threads started and not yet ended.
    live_threads: AtomicUsize,
    outcome: Mutex<Option<Outcome>>,
    ended: Condvar,
}

impl Machine {
    pub fn new(engine: Engine, memory: GuestMemory, console: Sink, stats: Stats) -> Machine {
        Machine {
            users: UserMms::new(engine.clone(), None),
            engine,
            pre: OnceLock::new(),
            irq: Arc::new(Interrupts::new(memory.clone())),
            devices: OnceLock::new(),
            memory,
            console: Console::new(console),
            stats,
            live_threads: AtomicUsize::new(0),
            outcome: Mutex::new(None),
            ended: Condvar::new(),
        }
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    pub fn set_instance_pre(&self, pre: InstancePre<ThreadCtx>) {
        if self.pre.set(pre).is_err() {
            unreachable!("the module is prepared once per machine");
        }
    }

    pub fn instance_pre(&self) -> Option<&InstancePre<ThreadCtx>> {
        self.pre.get()
    }

    /// The kernel module (every thread's kernel instance is of it).
    pub fn kernel_module(&self) -> Option<Module> {
        self.pre.get().map(|p| p.module().clone())
    }

    /// Where compiled user modules are cached across runs.
    pub fn set_module_cache(&mut self, dir: Option<std::path::PathBuf>) {
        self.users = UserMms::new(self.engine.clone(), dir);
    }

    /// Installs the virtio devices (once, before the kernel boots).
    pub fn set_devices(&self, devices: Devices) {
        if self.devices.set(devices).is_err() {
            unreachable!("the devices are made once per machine");
        }
    }

    /// The virtio devices, once installed.
    pub fn devices(&self) -> Option<&Devices> {
        self.devices.get()
    }

    /// Console output, from `console_write` or the virtio console: writes
    /// it and acts on what it showed (the end of a panic ends the run).
    pub fn console_output(&self, bytes: &[u8]) {
        match self.console.write(bytes) {
            Some(ConsoleEvent::PanicEnded(reason)) => {
                // The kernel printed the last line of a panic and will now
                // spin forever: end the run as if it had called halt(2).
                self.finish(Outcome::Panic(Some(reason)));
            }
            Some(ConsoleEvent::InitStarted) => {
                if let Some(at) = self.stats.init_started()
                    && self.stats.enabled
                {
                    eprintln!("wasm-linux: {}", self.stats.boot_line(at));
                }
            }
            None => {}
        }
    }

    /// Counts a kernel thread about to start (called by its creator, so
    /// the count cannot drop to zero while a thread is being made).
    pub fn thread_starting(&self) {
        let live = self.live_threads.fetch_add(1, Ordering::SeqCst) + 1;
        self.stats.thread_started(live);
    }

    /// Counts a kernel thread that ended (or failed to start).  When none
    /// is left and nothing ended the run, nothing ever will: that is a
    /// host-side fault rather than a hang.
    pub fn thread_ended(&self) {
        if self.live_threads.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.finish(Outcome::HostFault(
                "every kernel thread ended without halt()".into(),
            ));
        }
    }

    /// Records how the run ends and wakes the main thread, which exits the
    /// process.  Only the first outcome counts; returns whether this one
    /// did.
    pub fn finish(&self, outcome: Outcome) -> bool {
        let mut slot = self.outcome.lock().unwrap_or_else(|e| e.into_inner());
        if slot.is_some() {
            return false;
        }
        *slot = Some(outcome);
        self.ended.notify_all();
        true
    }

    /// Whether some thread has called [`Machine::finish`].
    pub fn finished(&self) -> bool {
        self.outcome
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some()
    }

    /// Waits until some thread has called [`Machine::finish`].
    pub fn wait(&self) -> Outcome {
        let mut slot = self.outcome.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if let Some(outcome) = slot.as_ref() {
                return outcome.clone();
            }
            slot = self.ended.wait(slot).unwrap_or_else(|e| e.into_inner());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::tests::{test_engine, test_memory};
    use std::sync::Arc;
    use std::time::Instant;

    fn test_stats() -> Stats {
        Stats::new(Instant::now(), false)
    }

    #[test]
    fn last_thread_ending_is_a_fault() {
        let machine = Machine::new(test_engine(), test_memory(1), Sink::Stdout, test_stats());
        machine.thread_starting();
        machine.thread_starting();
        machine.thread_ended();
        machine.thread_starting();
        machine.thread_ended();
        assert!(machine.finish(Outcome::Reboot), "two started, one left");
        let machine = Machine::new(test_engine(), test_memory(1), Sink::Stdout, test_stats());
        machine.thread_starting();
        machine.thread_ended();
        assert!(matches!(machine.wait(), Outcome::HostFault(_)));
    }

    #[test]
    fn first_outcome_wins_and_wakes_the_waiter() {
        let machine = Arc::new(Machine::new(
            test_engine(),
            test_memory(1),
            Sink::Stdout,
            test_stats(),
        ));
        let waiter = {
            let m = machine.clone();
            std::thread::spawn(move || m.wait())
        };
        assert!(machine.finish(Outcome::Panic(None)));
        assert!(!machine.finish(Outcome::PowerOff));
        assert_eq!(waiter.join().unwrap(), Outcome::Panic(None));
        assert_eq!(machine.wait(), Outcome::Panic(None));
        assert_eq!(machine.irq.pending(), None);
        machine.thread_starting();
        machine.thread_ended();
        machine.irq.set_pending(0x40);
        machine.irq.set_pending(0x80);
        assert_eq!(machine.irq.pending(), Some(0x40));
    }

    #[test]
    fn console_output_ends_the_run_on_a_panic_marker() {
        let buf = Arc::new(Mutex::new(Vec::new()));
        let machine = Machine::new(
            test_engine(),
            test_memory(1),
            Sink::Buffer(buf.clone()),
            test_stats(),
        );
        machine.console_output(b"hello\n");
        assert!(!machine.finished());
        machine.console_output(b"---[ end Kernel panic - not syncing: x ]---\n");
        assert_eq!(machine.wait(), Outcome::Panic(Some("x".into())));
        assert!(buf.lock().unwrap().starts_with(b"hello\n---[ end"));
        assert!(machine.devices().is_none());
    }
}
