// SPDX-License-Identifier: MIT
/*
 * sigsetjmp on wasm32 is a macro (patches/0002): __sigsetjmp_save()
 * records the signal mask, then setjmp does the rest in the caller,
 * where the compiler's SjLj lowering can see it.  The function form of
 * sigsetjmp (for callers that take its address or bypass the macro) can
 * only save the mask and return 0: a later siglongjmp to it traps.
 */
#include <setjmp.h>
#include <signal.h>
#include "syscall.h"

int __sigsetjmp_save(sigjmp_buf buf, int save)
{
	buf->__fl = 0;
	if (save && !__syscall(SYS_rt_sigprocmask, SIG_SETMASK, 0,
			       buf->__ss, _NSIG/8))
		buf->__fl = 1;
	return 0;
}

int (sigsetjmp)(sigjmp_buf buf, int save)
{
	__sigsetjmp_save(buf, save);
	return (setjmp)(buf);
}
