// SPDX-License-Identifier: GPL-2.0

//! User memory access: `user_copy_from`, `user_copy_to`, `user_clear` and
//! `user_cmpxchg32`.
//!
//! User addresses are offsets in the linear memory of the process the
//! calling thread runs.  There are no user processes yet, so there is no
//! user memory: every access faults, which is exactly what the kernel
//! expects for a bad user pointer (`copy_from_user()` reports the bytes it
//! could not copy, futex ops get `-EFAULT`).  Per-process memories, and
//! real copies, come with the userspace work.

/// `-EFAULT`.
pub const EFAULT: i32 = -14;

/// `user_copy_from(to, from, n)`: bytes not copied (all of them).
pub fn copy_from(_to: u32, _from: u32, n: u32) -> u32 {
    n
}

/// `user_copy_to(to, from, n)`: bytes not copied (all of them).
pub fn copy_to(_to: u32, _from: u32, n: u32) -> u32 {
    n
}

/// `user_clear(to, n)`: bytes not cleared (all of them).
pub fn clear(_to: u32, n: u32) -> u32 {
    n
}

/// `user_cmpxchg32(uaddr, old, new, cur)`: no user word exists.
pub fn cmpxchg32(_uaddr: u32, _old: u32, _new: u32, _cur: u32) -> i32 {
    EFAULT
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everything_faults_without_a_process() {
        assert_eq!(copy_from(0x1000, 0x2000, 37), 37);
        assert_eq!(copy_to(0x1000, 0x2000, 0), 0);
        assert_eq!(clear(0x1000, 4096), 4096);
        assert_eq!(cmpxchg32(0x1000, 0, 1, 0x2000), -14);
    }
}
