/* SPDX-License-Identifier: MIT */
/* IPC_64 | 2: the time64-aware IPC_STAT of 32-bit musl ABIs. */
#define IPC_STAT 0x102
