// SPDX-License-Identifier: MIT
/*
 * The generic 32-bit syscall table of the wasm32 kernel has no wait4
 * (like riscv32): emulate it with waitid(..., WEXITED|options, ru),
 * rebuilding the wait status word from the siginfo.
 */
#include <sys/wait.h>
#include <sys/resource.h>
#include <signal.h>
#include <string.h>
#include "syscall.h"
#include "wait4_waitid.h"

hidden int __wait4_waitid(int pid, int *status, int options,
			  struct rusage *ru, int cp)
{
	siginfo_t si;
	idtype_t type;
	id_t id;
	char *kru = 0;
	long r;
	int st;

	if (pid < -1) {
		type = P_PGID;
		id = -pid;
	} else if (pid == -1) {
		type = P_ALL;
		id = 0;
	} else if (pid == 0) {
		type = P_PGID;	/* id 0: the caller's process group */
		id = 0;
	} else {
		type = P_PID;
		id = pid;
	}

	/* The kernel's rusage starts with two 32-bit timevals, then the
	 * longs; place it so the longs land in ru_maxrss.. directly. */
	if (ru)
		kru = (char *)&ru->ru_maxrss - 4*sizeof(long);

	memset(&si, 0, sizeof si);
	if (cp)
		r = __syscall_cp(SYS_waitid, type, id, &si,
				 options | WEXITED, kru);
	else
		r = __syscall(SYS_waitid, type, id, &si, options | WEXITED, kru);
	if (r < 0)
		return r;
	if (!si.si_pid)		/* WNOHANG and nothing to report */
		return 0;

	switch (si.si_code) {
	case CLD_EXITED:
		st = (si.si_status & 0xff) << 8;
		break;
	case CLD_KILLED:
		st = si.si_status & 0x7f;
		break;
	case CLD_DUMPED:
		st = (si.si_status & 0x7f) | 0x80;
		break;
	case CLD_STOPPED:
	case CLD_TRAPPED:
		st = (si.si_status & 0xff) << 8 | 0x7f;
		break;
	case CLD_CONTINUED:
		st = 0xffff;
		break;
	default:
		st = 0;
	}
	if (status)
		*status = st;

	if (ru) {
		long t[4];
		memcpy(t, kru, sizeof t);
		ru->ru_utime = (struct timeval){ .tv_sec = t[0], .tv_usec = t[1] };
		ru->ru_stime = (struct timeval){ .tv_sec = t[2], .tv_usec = t[3] };
	}
	return si.si_pid;
}
