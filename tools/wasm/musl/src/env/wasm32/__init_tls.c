// SPDX-License-Identifier: MIT
/*
 * Thread descriptors and TLS on wasm32, without program headers.
 *
 * wasm-ld describes the module's TLS with the globals __tls_size and
 * __tls_align and the function __wasm_init_tls(block), which copies the
 * TLS image (a passive data segment: it has no address to memcpy from)
 * into block and points this instance's __tls_base at it.  The module's
 * start function has already done so for the first (main) instance.
 *
 * Layout of the area musl reserves per thread (libc.tls_size bytes, as
 * on arches with TLS below the thread pointer):
 *   [dtv: 2 words] ... [TLS block][struct pthread]
 * dtv[1] is the TLS block; the thread pointer is the struct pthread.
 * A new thread's block is filled by the thread itself, in its own
 * instance (__set_thread_area).
 */
#define SYSCALL_NO_TLS 1
#include <string.h>
#include <stddef.h>
#include <sys/mman.h>
#include "pthread_impl.h"
#include "libc.h"
#include "atomic.h"
#include "syscall.h"
#include "../../thread/wasm32/wasm_thread.h"

volatile int __thread_list_lock;

int __init_tp(void *p)
{
	pthread_t td = p;

	td->self = td;
	if (__set_thread_area(TP_ADJ(p)) < 0)
		return -1;
	libc.can_do_threads = 1;
	td->detach_state = DT_JOINABLE;
	td->tid = __syscall(SYS_set_tid_address, &__thread_list_lock);
	td->locale = &libc.global_locale;
	td->robust_list.head = &td->robust_list.head;
	td->sysinfo = __sysinfo;
	td->next = td->prev = td;
	return 0;
}

#define MIN_TLS_ALIGN _Alignof(struct pthread)

static struct tls_module main_tls;

static struct {
	struct pthread pt;
} main_thread __attribute__((__aligned__(16)));
static uintptr_t main_dtv[2];

void *__copy_tls(unsigned char *mem)
{
	uintptr_t *dtv = (uintptr_t *)mem;
	unsigned char *top = mem + libc.tls_size - sizeof(struct pthread);
	pthread_t td;

	top -= (uintptr_t)top & (libc.tls_align - 1);
	td = (pthread_t)top;
	dtv[0] = libc.tls_cnt;
	if (libc.tls_cnt) {
		unsigned char *block = top - main_tls.offset;
		/* Filled by __wasm_init_tls in the new thread's instance. */
		memset(block, 0, main_tls.size);
		dtv[1] = (uintptr_t)block;
	}
	td->dtv = dtv;
	return td;
}

void __init_tls(size_t *aux)
{
	size_t size = __builtin_wasm_tls_size();
	size_t align = __builtin_wasm_tls_align();
	void *base = __builtin_wasm_tls_base();
	pthread_t td;

	if (align < 1)
		align = 1;
	if (size) {
		main_tls.size = (size + align - 1) & -align;
		main_tls.align = align;
		main_tls.offset = main_tls.size;
		libc.tls_cnt = 1;
		libc.tls_head = &main_tls;
	}
	if (main_tls.align < MIN_TLS_ALIGN)
		main_tls.align = MIN_TLS_ALIGN;

	libc.tls_align = main_tls.align;
	libc.tls_size = 2*sizeof(void *) + sizeof(struct pthread)
		+ main_tls.size + main_tls.align
		+ MIN_TLS_ALIGN-1 & -MIN_TLS_ALIGN;

	/* The main thread keeps the TLS block the start function set up;
	 * should there be none, make one. */
	if (size && !base) {
		base = (void *)__syscall(SYS_mmap2, 0, main_tls.size + align,
					 PROT_READ|PROT_WRITE,
					 MAP_ANONYMOUS|MAP_PRIVATE, -1, 0);
		if ((unsigned long)base > -4096UL)
			a_crash();
		base = (void *)(((uintptr_t)base + align - 1) & -align);
		__wasm_init_tls(base);
	}

	td = &main_thread.pt;
	main_dtv[0] = libc.tls_cnt;
	main_dtv[1] = (uintptr_t)base;
	td->dtv = main_dtv;

	if (__init_tp(td) < 0)
		a_crash();
}
