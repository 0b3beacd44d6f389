// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's numbers of the host ABI against the table of
 * Documentation/arch/wasm/host-abi.rst ("Numbers"), whose rows
 * wasm_vmlinux_check writes to host-abi-doc.h as WASM_ABI_DOC_<row>.  A
 * number that differs from the table fails the build here; the object
 * itself is empty.  Rows the kernel has no name for (CONSOLE_CPU and the
 * hosts' device layout) are only the hosts' to check, and so is ENOSYS,
 * which the kernel only passes on from user_signal().
 */

#include <linux/build_bug.h>
#include <linux/errno.h>
#include <linux/signal.h>
#include <linux/stringify.h>
#include <asm/host.h>
#include <asm/io.h>
#include <asm/unistd.h>
#include <asm/wasm-irq.h>

#include "host-abi-doc.h"

#define WASM_ABI_SAME(ours, row)					\
	static_assert((ours) == WASM_ABI_DOC_##row,			\
		      #ours " is " __stringify(ours) " but the row " #row \
		      " of host-abi.rst is " __stringify(WASM_ABI_DOC_##row))

WASM_ABI_SAME(WASM_HOST_ABI_VERSION, HOST_ABI_VERSION);
WASM_ABI_SAME(WASM_HALT_POWEROFF, HALT_POWEROFF);
WASM_ABI_SAME(WASM_HALT_REBOOT, HALT_REBOOT);
WASM_ABI_SAME(WASM_HALT_PANIC, HALT_PANIC);
WASM_ABI_SAME(WASM_USER_EXEC, USER_EXEC);
WASM_ABI_SAME(WASM_USER_CLONE, USER_CLONE);
WASM_ABI_SAME(WASM_USER_FORK, USER_FORK);
WASM_ABI_SAME(WASM_NR_LINES, NR_LINES);
WASM_ABI_SAME(WASM_LINE_FIRST_DEVICE, LINE_FIRST_DEVICE);
WASM_ABI_SAME(WASM_LINE_CONSOLE, LINE_CONSOLE);
WASM_ABI_SAME(WASM_MMIO_BASE, MMIO_BASE);
WASM_ABI_SAME(WASM_PAGE_SIZE, PAGE_SIZE);
WASM_ABI_SAME(WASM_MAX_PAGES, MAX_PAGES);
WASM_ABI_SAME(WASM_MAX_TABLE, MAX_TABLE);
WASM_ABI_SAME(EAGAIN, EAGAIN);
WASM_ABI_SAME(ENOEXEC, ENOEXEC);
WASM_ABI_SAME(ENOMEM, ENOMEM);
WASM_ABI_SAME(EFAULT, EFAULT);
WASM_ABI_SAME(SIGKILL, SIGKILL);
WASM_ABI_SAME(SIGILL, SIGILL);
WASM_ABI_SAME(SIGBUS, SIGBUS);
WASM_ABI_SAME(SIGFPE, SIGFPE);
WASM_ABI_SAME(SIGSEGV, SIGSEGV);
WASM_ABI_SAME(__NR_exit, NR_EXIT);
