// SPDX-License-Identifier: GPL-2.0
/*
 * Anonymous mappings in a process memory.
 *
 * A user process owns a linear memory of its own in the host, which can
 * only grow.  mmap() hands out page-aligned ranges of it above the stack
 * (from mm->context.map_start), first fit from a sorted list of free
 * ranges, growing the memory when nothing fits; munmap() gives ranges
 * back.  Memory fresh from the host is zero; reused ranges are cleared.
 *
 * The generic NOMMU mmap would return kernel memory, which user code
 * cannot address here, so the mmap, munmap and mremap system calls of
 * this architecture are these.  The break does not move (brk() returns
 * the current break), as with other NOMMU formats; libc falls back to
 * mmap().
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/syscalls.h>
#include <linux/uaccess.h>
#include <asm/host.h>
#include <asm/mmu_context.h>

#include "mmap.h"

struct wasm_map_range {
	struct list_head list;
	unsigned long start;
	unsigned long end;
	bool dirty;		/* was mapped before: clear on reuse */
};

void wasm_map_free_all(struct mm_struct *mm)
{
	struct wasm_map_range *r, *tmp;

	list_for_each_entry_safe(r, tmp, &mm->context.map_free, list) {
		list_del(&r->list);
		kfree(r);
	}
}

/* Adds [start, end) to the free list, merging neighbours.  Returns 0,
 * -EINVAL if the range overlaps a free one (not mapped), or -ENOMEM.
 */
static int wasm_map_insert(struct mm_struct *mm, unsigned long start,
			   unsigned long end, bool dirty)
{
	struct list_head *head = &mm->context.map_free;
	struct wasm_map_range *r, *prev = NULL, *next = NULL, *n;

	list_for_each_entry(r, head, list) {
		if (r->start >= end) {
			next = r;
			break;
		}
		if (r->end > start)
			return -EINVAL;
		prev = r;
	}
	if (prev && prev->end == start) {
		prev->end = end;
		prev->dirty |= dirty;
		if (next && next->start == end) {
			prev->end = next->end;
			prev->dirty |= next->dirty;
			list_del(&next->list);
			kfree(next);
		}
		return 0;
	}
	if (next && next->start == end) {
		next->start = start;
		next->dirty |= dirty;
		return 0;
	}
	n = kmalloc(sizeof(*n), GFP_KERNEL);
	if (!n)
		return -ENOMEM;
	n->start = start;
	n->end = end;
	n->dirty = dirty;
	list_add(&n->list, prev ? &prev->list : head);
	return 0;
}

void wasm_map_init(struct mm_struct *mm, unsigned long start,
		   unsigned long end)
{
	mm->context.map_start = start;
	mm->context.map_end = end;
	if (end > start)
		wasm_map_insert(mm, start, end, false);
}

/* A fork child's layout: the parent's mappings and free ranges. */
int wasm_map_copy(struct mm_struct *mm, struct mm_struct *oldmm)
{
	struct wasm_map_range *r, *n;

	mm->context.map_start = oldmm->context.map_start;
	mm->context.map_end = oldmm->context.map_end;
	mm->context.stack_start = oldmm->context.stack_start;
	mm->context.stack_end = oldmm->context.stack_end;
	list_for_each_entry(r, &oldmm->context.map_free, list) {
		n = kmemdup(r, sizeof(*r), GFP_KERNEL);
		if (!n)
			return -ENOMEM;
		list_add_tail(&n->list, &mm->context.map_free);
	}
	return 0;
}

/*
 * What a fork need not copy (the host leaves it zero in the child): the
 * main stack below @sp, the user stack pointer, if that is where it is,
 * and the free ranges, which are zero or are cleared when they are
 * mapped again.  Fills up to @max ranges; returns how many.
 */
int wasm_fork_skips(struct mm_struct *mm, unsigned long sp,
		    struct wasm_range *skip, int max)
{
	struct wasm_map_range *r;
	int n = 0;

	mmap_read_lock(mm);
	if (max > 0 && sp > mm->context.stack_start &&
	    sp <= mm->context.stack_end) {
		skip[n].start = mm->context.stack_start;
		skip[n++].end = sp & ~15UL;
	}
	list_for_each_entry(r, &mm->context.map_free, list) {
		if (n == max)
			break;
		skip[n].start = r->start;
		skip[n++].end = r->end;
	}
	mmap_read_unlock(mm);
	return n;
}

/* Grows the memory so that a free range of @len bytes exists at its end. */
static int wasm_map_grow(struct mm_struct *mm, unsigned long len)
{
	struct wasm_map_range *last = NULL;
	unsigned long have = 0, pages;
	int old;

	if (!list_empty(&mm->context.map_free)) {
		last = list_last_entry(&mm->context.map_free,
				       struct wasm_map_range, list);
		if (last->end == mm->context.map_end)
			have = last->end - last->start;
	}
	pages = DIV_ROUND_UP(len - have, WASM_PAGE_SIZE);
	if (pages > U32_MAX / WASM_PAGE_SIZE)
		return -ENOMEM;
	old = wasm_host_mm_grow(mm->context.id, pages);
	if (old < 0)
		return -ENOMEM;
	if (wasm_mem_end(old) != mm->context.map_end)
		pr_warn_once("wasm: process memory changed size behind the kernel\n");
	mm->context.map_end = wasm_mem_end((u64)old + pages);
	return wasm_map_insert(mm, wasm_mem_end(old), mm->context.map_end,
			       false);
}

static long wasm_map_alloc(struct mm_struct *mm, unsigned long len)
{
	struct wasm_map_range *r;
	unsigned long addr;
	bool dirty;
	int ret;

	for (;;) {
		list_for_each_entry(r, &mm->context.map_free, list) {
			if (r->end - r->start < len)
				continue;
			addr = r->start;
			dirty = r->dirty;
			r->start += len;
			if (r->start == r->end) {
				list_del(&r->list);
				kfree(r);
			}
			if (dirty && wasm_host_user_clear(mm->context.id,
							  (void __user *)addr,
							  len))
				return -EFAULT;
			return addr;
		}
		ret = wasm_map_grow(mm, len);
		if (ret)
			return ret;
	}
}

/* Reads a file into a private mapping, as NOMMU does for MAP_PRIVATE. */
static long wasm_map_read(struct file *file, unsigned long addr,
			  unsigned long len, loff_t pos)
{
	unsigned long done = 0;
	void *buf;
	ssize_t n;

	buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	while (done < len) {
		n = kernel_read(file, buf, min(len - done, PAGE_SIZE), &pos);
		if (n <= 0)
			break;
		if (copy_to_user((void __user *)(addr + done), buf, n)) {
			kfree(buf);
			return -EFAULT;
		}
		done += n;
	}
	kfree(buf);
	return n < 0 ? n : 0;
}

SYSCALL_DEFINE6(mmap2, unsigned long, addr, unsigned long, len,
		unsigned long, prot, unsigned long, flags,
		unsigned long, fd, unsigned long, pgoff)
{
	struct mm_struct *mm = current->mm;
	struct file *file = NULL;
	long ret;

	/* The generic 32-bit ABI: the offset is in 4096-byte units. */
	if (pgoff & ((1UL << (PAGE_SHIFT - 12)) - 1))
		return -EINVAL;
	if (!len || PAGE_ALIGN(len) < len)
		return -EINVAL;
	len = PAGE_ALIGN(len);
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE))
		return -EINVAL;
	switch (flags & MAP_TYPE) {
	case MAP_PRIVATE:
	case MAP_SHARED:
	case MAP_SHARED_VALIDATE:
		break;
	default:
		return -EINVAL;
	}
	if (!mm || mm->context.id <= 0)
		return -ENOMEM;
	if (!(flags & MAP_ANONYMOUS)) {
		file = fget(fd);
		if (!file)
			return -EBADF;
		/* Writes to a shared file mapping could not reach the file. */
		if ((flags & MAP_TYPE) != MAP_PRIVATE && (prot & PROT_WRITE)) {
			fput(file);
			return -ENODEV;
		}
		if (!(file->f_mode & FMODE_READ)) {
			fput(file);
			return -EACCES;
		}
	}

	if (mmap_write_lock_killable(mm)) {
		ret = -EINTR;
		goto out;
	}
	ret = wasm_map_alloc(mm, len);
	mmap_write_unlock(mm);
	if (ret < 0 || !file)
		goto out;

	addr = ret;
	ret = wasm_map_read(file, addr, len, (loff_t)pgoff << 12);
	if (ret) {
		mmap_write_lock(mm);
		wasm_map_insert(mm, addr, addr + len, true);
		mmap_write_unlock(mm);
	} else {
		ret = addr;
	}
out:
	if (file)
		fput(file);
	return ret;
}

SYSCALL_DEFINE2(wasm_munmap, unsigned long, addr, size_t, len)
{
	struct mm_struct *mm = current->mm;
	unsigned long end;
	int ret;

	if (offset_in_page(addr) || !len)
		return -EINVAL;
	len = PAGE_ALIGN(len);
	if (!mm || !len || check_add_overflow(addr, len, &end))
		return -EINVAL;
	if (mmap_write_lock_killable(mm))
		return -EINTR;
	if (addr < mm->context.map_start || end > mm->context.map_end)
		ret = -EINVAL;
	else
		ret = wasm_map_insert(mm, addr, end, true);
	mmap_write_unlock(mm);
	return ret;
}

/* Mappings cannot move or grow in place; shrinking gives the tail back. */
SYSCALL_DEFINE5(wasm_mremap, unsigned long, addr, unsigned long, old_len,
		unsigned long, new_len, unsigned long, flags,
		unsigned long, new_addr)
{
	struct mm_struct *mm = current->mm;
	int ret;

	if (offset_in_page(addr) || !new_len)
		return -EINVAL;
	old_len = PAGE_ALIGN(old_len);
	new_len = PAGE_ALIGN(new_len);
	if (!new_len || new_len > old_len)
		return -ENOMEM;
	if (new_len == old_len)
		return addr;
	if (!mm)
		return -EINVAL;
	if (mmap_write_lock_killable(mm))
		return -EINTR;
	if (addr < mm->context.map_start ||
	    old_len > mm->context.map_end - addr)
		ret = -EINVAL;
	else
		ret = wasm_map_insert(mm, addr + new_len, addr + old_len, true);
	mmap_write_unlock(mm);
	return ret ? ret : addr;
}
