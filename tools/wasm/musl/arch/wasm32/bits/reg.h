/* SPDX-License-Identifier: MIT */
#undef __WORDSIZE
#define __WORDSIZE 32
