/* SPDX-License-Identifier: MIT */
#include <sys/resource.h>
#include <features.h>

/* wait4 on top of waitid: the wasm32 syscall table has no wait4. */
hidden int __wait4_waitid(int pid, int *status, int options,
			  struct rusage *ru, int cp);
