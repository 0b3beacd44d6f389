// SPDX-License-Identifier: GPL-2.0
/*
 * ptrace: only the generic requests; there are no register sets to read
 * or write yet.
 */
#include <linux/ptrace.h>
#include <linux/sched.h>

void ptrace_disable(struct task_struct *child)
{
}

long arch_ptrace(struct task_struct *child, long request,
		 unsigned long addr, unsigned long data)
{
	return ptrace_request(child, request, addr, data);
}
