// SPDX-License-Identifier: MIT
/*
 * Where this thread's fork and setjmp unwind to (wasm_unwind.h).
 */
#include <stdint.h>
#include "pthread_impl.h"
#include "wasm_unwind.h"

static unsigned char main_area[WASM_UNWIND_MAIN] __attribute__((__aligned__(16)));

/* What stays free between the area and the caller's frame. */
#define MARGIN 256

hidden struct wasm_unwind_area *__wasm_unwind_area(const void *here)
{
	pthread_t self = __pthread_self();
	uintptr_t lo, hi;
	struct wasm_unwind_area *a;

	if (self->stack) {
		/* A thread's own stack, from its bottom up to the caller. */
		lo = (uintptr_t)self->stack - self->stack_size;
		hi = (uintptr_t)here - MARGIN;
	} else {
		lo = (uintptr_t)main_area;
		hi = lo + sizeof(main_area);
	}
	lo = (lo + 15) & -(uintptr_t)16;
	hi &= -(uintptr_t)16;
	/* The most an area may be (the kernel and the host check it). */
	if (hi > lo + (1 << 20))
		lo = hi - (1 << 20);
	if (hi < lo + 16)
		hi = lo + 16;
	a = (void *)lo;
	a->pos = a + 1;
	a->end = (void *)hi;
	return a;
}
