// SPDX-License-Identifier: MIT
/*
 * Signal delivery on wasm32.  The kernel runs a handler by having the
 * host call this export with the handler (a function table index) and
 * the frame it built; wasm checks the type of an indirect call, so the
 * kernel says whether the handler takes siginfo (SA_SIGINFO).  When it
 * returns, the kernel restores the signal mask itself: there is no
 * restorer and no rt_sigreturn from libc.
 */
#include <signal.h>

__attribute__((__visibility__("default")))
void __wasm_signal(void *handler, int sig, siginfo_t *info, void *uctx,
		   int has_siginfo)
{
	if (has_siginfo)
		((void (*)(int, siginfo_t *, void *))handler)(sig, info, uctx);
	else
		((void (*)(int))handler)(sig);
}
