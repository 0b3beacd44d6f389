/* SPDX-License-Identifier: MIT */
/*
 * The unwind area of fork and setjmp (Documentation/arch/wasm/
 * user-abi.rst, "fork"): 16-byte aligned, two words first, the position
 * where the host's Asyncify unwind starts saving (the area plus 8) and
 * the end of the area; the space between holds the saved frames, the
 * more the deeper the stack (about 200 bytes a frame of a shell).
 *
 * An area is only in use from the unwind to the end of the rewind, during
 * which the thread runs nothing else (the host delivers no signal), so
 * one per thread is enough: the main thread's is a static one
 * (WASM_UNWIND_MAIN bytes), another thread's the part of its stack below
 * the caller, which is dead then.  The host kills a process whose stack
 * did not fit (SIGILL).
 */
#include <features.h>

#define WASM_UNWIND_MAIN (256 * 1024)

struct wasm_unwind_area {
	void *pos;
	void *end;
};

/* The area for a caller whose frame holds @here. */
hidden struct wasm_unwind_area *__wasm_unwind_area(const void *here);
