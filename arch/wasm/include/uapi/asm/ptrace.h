/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
#ifndef _UAPI_ASM_WASM_PTRACE_H
#define _UAPI_ASM_WASM_PTRACE_H

#ifndef __ASSEMBLY__

/* What a debugger sees of a stopped task: the syscall frame. */
struct user_regs_struct {
	unsigned long syscallno;
	unsigned long args[6];
	unsigned long orig_a0;
	long ret;
	unsigned long sp;
	unsigned long pc;
	unsigned long tls;
};

#endif /* __ASSEMBLY__ */
#endif /* _UAPI_ASM_WASM_PTRACE_H */
