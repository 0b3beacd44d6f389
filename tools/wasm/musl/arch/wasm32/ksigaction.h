/* SPDX-License-Identifier: MIT */
/*
 * The kernel's struct sigaction on wasm32 has no sa_restorer (the generic
 * layout without SA_RESTORER): handler, flags, mask.  musl's sigaction.c
 * still stores a restorer and ORs in SA_RESTORER, so keep a restorer
 * member after the part the kernel reads and make SA_RESTORER 0: no
 * restorer flag ever reaches the kernel.
 */
#include <features.h>

struct k_sigaction {
	void (*handler)(int);
	unsigned long flags;
	unsigned mask[2];
	void (*restorer)(void);
};

#ifndef SA_RESTORER
#define SA_RESTORER 0
#endif

hidden void __restore(), __restore_rt();
