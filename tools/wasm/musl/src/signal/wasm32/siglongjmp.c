// SPDX-License-Identifier: MIT
/*
 * siglongjmp on wasm32: restore the mask saved by sigsetjmp here, before
 * the jump, since nothing runs at the setjmp site afterwards that could
 * do it (other arches restore it in the sigsetjmp assembly's tail).
 */
#include <setjmp.h>
#include <signal.h>
#include "syscall.h"

_Noreturn void siglongjmp(sigjmp_buf buf, int ret)
{
	if (buf->__fl)
		__syscall(SYS_rt_sigprocmask, SIG_SETMASK, buf->__ss, 0, _NSIG/8);
	longjmp(buf, ret);
}
