// SPDX-License-Identifier: MIT
/*
 * sigsetjmp on wasm32: record the signal mask, then setjmp.  setjmp is a
 * real function here (the host saves and rewinds the stack, setjmp.c),
 * so a longjmp to buf comes back out of this frame too and sigsetjmp
 * returns the value.  siglongjmp restores the mask before it jumps.
 */
#include <setjmp.h>
#include <signal.h>
#include "syscall.h"

int sigsetjmp(sigjmp_buf buf, int save)
{
	buf->__fl = 0;
	if (save && !__syscall(SYS_rt_sigprocmask, SIG_SETMASK, 0,
			       buf->__ss, _NSIG/8))
		buf->__fl = 1;
	return setjmp(buf);
}
