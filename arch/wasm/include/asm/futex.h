/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_FUTEX_H
#define _ASM_WASM_FUTEX_H

#include <linux/futex.h>
#include <linux/uaccess.h>
#include <asm/errno.h>
#include <asm/host.h>
#include <asm/uaccess.h>

/*
 * Futex words live in the process's own memory; the host performs the
 * atomic compare-and-exchange there (Documentation/arch/wasm/host-abi.rst).
 */
static inline int
futex_atomic_cmpxchg_inatomic(u32 *uval, u32 __user *uaddr, u32 oldval,
			      u32 newval)
{
	return wasm_host_user_cmpxchg32(wasm_user_mm(), uaddr, oldval, newval,
					uval);
}

static inline int
arch_futex_atomic_op_inuser(int op, u32 oparg, int *oval, u32 __user *uaddr)
{
	u32 old, new, cur;
	int ret;

	if (get_user(old, uaddr))
		return -EFAULT;
	for (;;) {
		switch (op) {
		case FUTEX_OP_SET:
			new = oparg;
			break;
		case FUTEX_OP_ADD:
			new = old + oparg;
			break;
		case FUTEX_OP_OR:
			new = old | oparg;
			break;
		case FUTEX_OP_ANDN:
			new = old & ~oparg;
			break;
		case FUTEX_OP_XOR:
			new = old ^ oparg;
			break;
		default:
			return -ENOSYS;
		}
		ret = wasm_host_user_cmpxchg32(wasm_user_mm(), uaddr, old, new,
					       &cur);
		if (ret)
			return ret;
		if (cur == old)
			break;
		old = cur;
	}
	*oval = old;
	return 0;
}

#endif /* _ASM_WASM_FUTEX_H */
