/* SPDX-License-Identifier: MIT */
/*
 * wasm32 system calls: one host import, linux.syscall(nr, a0..a5) -> i32,
 * returning the raw kernel result (-4095..-1 is -errno).  Unused argument
 * slots are passed as 0.  A 64-bit argument takes two consecutive slots,
 * low word first, with no alignment padding.
 */
#define __SYSCALL_LL_E(x) \
	((long)(unsigned long long)(x)), \
	((long)((unsigned long long)(x) >> 32))
#define __SYSCALL_LL_O(x) __SYSCALL_LL_E((x))

__attribute__((__import_module__("linux"), __import_name__("syscall")))
long __wasm_syscall_import(long, long, long, long, long, long, long);

/*
 * A call this thread makes for a vfork child returns WASM_VFORK_RESUME
 * (asm/unistd.h) once the child has execed or exited: return from vfork()
 * in the parent (src/process/wasm32/vfork.c).
 */
#define __WASM_VFORK_RESUME (-4095)
__attribute__((__visibility__("hidden"))) _Noreturn void __wasm_vfork_resume(void);

static inline long __wasm_syscall(long n, long a, long b, long c, long d,
				  long e, long f)
{
	long r = __wasm_syscall_import(n, a, b, c, d, e, f);

	if (__builtin_expect(r == __WASM_VFORK_RESUME, 0))
		__wasm_vfork_resume();
	return r;
}

static inline long __syscall0(long n)
{
	return __wasm_syscall(n, 0, 0, 0, 0, 0, 0);
}

static inline long __syscall1(long n, long a)
{
	return __wasm_syscall(n, a, 0, 0, 0, 0, 0);
}

static inline long __syscall2(long n, long a, long b)
{
	return __wasm_syscall(n, a, b, 0, 0, 0, 0);
}

static inline long __syscall3(long n, long a, long b, long c)
{
	return __wasm_syscall(n, a, b, c, 0, 0, 0);
}

static inline long __syscall4(long n, long a, long b, long c, long d)
{
	return __wasm_syscall(n, a, b, c, d, 0, 0);
}

static inline long __syscall5(long n, long a, long b, long c, long d, long e)
{
	return __wasm_syscall(n, a, b, c, d, e, 0);
}

static inline long __syscall6(long n, long a, long b, long c, long d, long e,
			      long f)
{
	return __wasm_syscall(n, a, b, c, d, e, f);
}

/* mmap2 offsets are in 4096-byte units (the default). */
