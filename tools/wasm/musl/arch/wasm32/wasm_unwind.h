/* SPDX-License-Identifier: MIT */
/*
 * The unwind area of fork and setjmp (Documentation/arch/wasm/
 * user-abi.rst, "fork"): 16-byte aligned, two words first, the position
 * where the host's Asyncify unwind starts saving (the area plus 8) and
 * the end of the area; the space between holds the saved frames.  libc
 * puts one in the frame of the function that asks for the unwind:
 * __wasm_fork (for clone) and setjmp (for linux.setjmp).
 */
#define WASM_UNWIND_AREA_SIZE 16384

struct wasm_unwind_area {
	void *pos;
	void *end;
	unsigned char space[WASM_UNWIND_AREA_SIZE - 2 * sizeof(void *)];
} __attribute__((__aligned__(16)));

static inline struct wasm_unwind_area *
wasm_unwind_area_init(struct wasm_unwind_area *a)
{
	a->pos = a->space;
	a->end = a + 1;
	return a;
}
