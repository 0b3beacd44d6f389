/* SPDX-License-Identifier: MIT */
/* The syscall frame a tracer sees (struct user_regs_struct of the kernel). */
struct user_regs_struct {
	unsigned long syscallno;
	unsigned long args[6];
	unsigned long orig_a0;
	long ret;
	unsigned long sp;
	unsigned long pc;
	unsigned long tls;
};

#define ELF_NGREG 12
typedef unsigned long elf_greg_t, elf_gregset_t[ELF_NGREG];
typedef struct { double __fpregs[1]; } elf_fpregset_t;
