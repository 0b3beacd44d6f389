/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_ELF_H
#define _ASM_WASM_ELF_H

/*
 * Executables are WebAssembly modules, not ELF; these definitions only
 * describe the machine to code that reports it (core dumps are off).
 */
#include <asm/ptrace.h>

#define ELF_CLASS	ELFCLASS32
#define ELF_DATA	ELFDATA2LSB
#define ELF_ARCH	EM_NONE

typedef unsigned long elf_greg_t;
#define ELF_NGREG	(sizeof(struct user_regs_struct) / sizeof(elf_greg_t))
typedef elf_greg_t elf_gregset_t[ELF_NGREG];
typedef struct { unsigned long long fpregs[1]; } elf_fpregset_t;

#define ELF_EXEC_PAGESIZE	4096
#define ELF_HWCAP		0
#define ELF_PLATFORM		NULL
#define elf_check_arch(x)	0

#endif /* _ASM_WASM_ELF_H */
