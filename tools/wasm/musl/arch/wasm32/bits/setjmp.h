/* SPDX-License-Identifier: MIT */
/*
 * setjmp/longjmp on wasm32 are the host's (linux.setjmp, linux.longjmp):
 * it keeps the saved stack itself, keyed by the address of the jmp_buf,
 * so libc stores nothing in these words.  Eight leave room to spare.
 */
typedef unsigned long __jmp_buf[8];
