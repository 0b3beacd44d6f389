/* SPDX-License-Identifier: MIT */
/*
 * wasm32 has no assembly entry point: _start is C, in crt/wasm32/crt1.c,
 * and there is no self-relocating rcrt1/ldso (the host applies the
 * relocations of a PIE module).  Nothing to provide here.
 */
