/* SPDX-License-Identifier: MIT */
/*
 * setjmp/longjmp on wasm32 are the host's (linux.setjmp, linux.longjmp):
 * it keeps the saved stack itself and writes the id of that copy, and
 * its complement, into the first two words (user-abi.rst), so that a
 * jmp_buf may be copied or saved and restored.  libc stores nothing
 * else here; eight words leave room to spare.
 */
typedef unsigned long __jmp_buf[8];
