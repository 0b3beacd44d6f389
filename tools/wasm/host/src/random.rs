// SPDX-License-Identifier: GPL-2.0

//! Host randomness for `random_fill`.

use std::fs::File;
use std::io::{self, Read};

/// Fills `buf` from the operating system's random number generator.
pub fn fill(buf: &mut [u8]) -> io::Result<()> {
    if buf.is_empty() {
        return Ok(());
    }
    File::open("/dev/urandom")?.read_exact(buf)
}

#[cfg(test)]
mod tests {
    #[test]
    fn fills_with_something() {
        let mut buf = [0u8; 64];
        super::fill(&mut buf).unwrap();
        // 64 zero bytes from a working RNG: probability 2^-512.
        assert!(buf.iter().any(|&b| b != 0));
        super::fill(&mut []).unwrap();
    }
}
