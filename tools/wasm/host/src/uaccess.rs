// SPDX-License-Identifier: GPL-2.0

//! User memory access: `user_copy_from`, `user_copy_to`, `user_clear` and
//! `user_cmpxchg32`.
//!
//! User addresses are offsets in the linear memory of a process, named by
//! the id the kernel passes.  The kernel-side range must be valid (a bad
//! one is a kernel bug and traps); the user side is checked and copied up
//! to the first byte out of bounds, and the functions return how many
//! bytes they could not copy, as `copy_from_user()` does.  An unknown id
//! (0: a kernel thread) has no bytes at all.

use crate::abi::EFAULT;
use crate::memory::{GuestMemory, MemoryError};
use std::sync::atomic::Ordering;

/// How many of `n` bytes at `addr` lie inside `user`.
fn reachable(user: Option<&GuestMemory>, addr: u32, n: u32) -> u32 {
    let size = user.map_or(0, GuestMemory::size);
    let addr = u64::from(addr);
    if addr >= size {
        return 0;
    }
    (size - addr).min(u64::from(n)) as u32
}

/// `user_copy_from(mm, to, from, n)`: bytes not copied.
pub fn copy_from(
    kernel: &GuestMemory,
    user: Option<&GuestMemory>,
    to: u32,
    from: u32,
    n: u32,
) -> Result<u32, MemoryError> {
    let ok = reachable(user, from, n);
    match user {
        Some(user) if ok > 0 => kernel.copy_from(to.into(), user, from.into(), ok.into())?,
        _ => kernel.check(to.into(), n.into())?,
    }
    Ok(n - ok)
}

/// `user_copy_to(mm, to, from, n)`: bytes not copied.
pub fn copy_to(
    kernel: &GuestMemory,
    user: Option<&GuestMemory>,
    to: u32,
    from: u32,
    n: u32,
) -> Result<u32, MemoryError> {
    kernel.check(from.into(), n.into())?;
    let ok = reachable(user, to, n);
    if let Some(user) = user
        && ok > 0
    {
        user.copy_from(to.into(), kernel, from.into(), ok.into())?;
    }
    Ok(n - ok)
}

/// `user_clear(mm, to, n)`: bytes not cleared.
pub fn clear(user: Option<&GuestMemory>, to: u32, n: u32) -> Result<u32, MemoryError> {
    let ok = reachable(user, to, n);
    if let Some(user) = user
        && ok > 0
    {
        user.fill(to.into(), ok.into(), 0)?;
    }
    Ok(n - ok)
}

/// `user_cmpxchg32(mm, uaddr, old, new, cur)`: 0, or `-EFAULT` for an
/// unaligned or unreachable user word.
pub fn cmpxchg32(
    kernel: &GuestMemory,
    user: Option<&GuestMemory>,
    uaddr: u32,
    old: u32,
    new: u32,
    cur: u32,
) -> Result<i32, MemoryError> {
    kernel.check(cur.into(), 4)?;
    let Some(word) = user.and_then(|u| u.atomic_u32(uaddr.into()).ok()) else {
        return Ok(EFAULT);
    };
    let found = match word.compare_exchange(old, new, Ordering::SeqCst, Ordering::SeqCst) {
        Ok(v) | Err(v) => v,
    };
    kernel.write(cur.into(), &found.to_le_bytes())?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::tests::test_memory;

    #[test]
    fn everything_faults_without_a_process() {
        let k = test_memory(1);
        assert_eq!(copy_from(&k, None, 0x1000, 0x2000, 37), Ok(37));
        assert_eq!(copy_to(&k, None, 0x1000, 0x2000, 0), Ok(0));
        assert_eq!(clear(None, 0x1000, 4096), Ok(4096));
        assert_eq!(cmpxchg32(&k, None, 0x1000, 0, 1, 0x2000), Ok(EFAULT));
    }

    #[test]
    fn copies_stop_at_the_end_of_user_memory() {
        let k = test_memory(1);
        let u = test_memory(1);
        k.write(0x100, b"hello").unwrap();
        assert_eq!(copy_to(&k, Some(&u), 0x10, 0x100, 5), Ok(0));
        assert_eq!(u.read(0x10, 5).unwrap(), b"hello");
        // Three bytes fit before the end of the 64 KiB memory.
        assert_eq!(copy_to(&k, Some(&u), 0xfffd, 0x100, 5), Ok(2));
        assert_eq!(u.read(0xfffd, 3).unwrap(), b"hel");
        assert_eq!(copy_from(&k, Some(&u), 0x200, 0xfffd, 5), Ok(2));
        assert_eq!(k.read(0x200, 3).unwrap(), b"hel");
        assert_eq!(copy_from(&k, Some(&u), 0x200, 0xffff_ff00, 5), Ok(5));
        assert_eq!(clear(Some(&u), 0x10, 2), Ok(0));
        assert_eq!(u.read(0x10, 5).unwrap(), b"\0\0llo");
        // A bad kernel range is an error, not a short copy.
        assert!(copy_to(&k, Some(&u), 0, 0xffff, 5).is_err());
        assert!(copy_from(&k, Some(&u), 0xffff, 0, 5).is_err());
    }

    #[test]
    fn cmpxchg_on_user_words() {
        let k = test_memory(1);
        let u = test_memory(1);
        u.write(0x40, &7u32.to_le_bytes()).unwrap();
        assert_eq!(cmpxchg32(&k, Some(&u), 0x40, 7, 9, 0x80), Ok(0));
        assert_eq!(u.read(0x40, 4).unwrap(), 9u32.to_le_bytes());
        assert_eq!(k.read(0x80, 4).unwrap(), 7u32.to_le_bytes());
        assert_eq!(cmpxchg32(&k, Some(&u), 0x40, 7, 1, 0x80), Ok(0));
        assert_eq!(k.read(0x80, 4).unwrap(), 9u32.to_le_bytes());
        assert_eq!(cmpxchg32(&k, Some(&u), 0x41, 7, 1, 0x80), Ok(EFAULT));
        assert_eq!(cmpxchg32(&k, Some(&u), 0x10000, 7, 1, 0x80), Ok(EFAULT));
    }
}
