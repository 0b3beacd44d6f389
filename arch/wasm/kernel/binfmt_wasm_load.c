// SPDX-License-Identifier: GPL-2.0
/*
 * binfmt_wasm: executing WebAssembly modules.
 *
 * An executable is a module that follows LLVM's dynamic-linking
 * convention (Documentation/arch/wasm/user-abi.rst).  The untrusted part,
 * reading the module and laying out the process memory, is Rust
 * (binfmt_wasm.rs); this file does the kernel's side of exec: read the
 * file, make the process memory in the host, hand it the module, and build
 * the initial stack (argv, envp, auxv) in that memory.
 */
#include <linux/binfmts.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/host.h>

#include "binfmt_wasm.h"
#include "../mm/mmap.h"

/* Largest executable file read into the kernel. */
#define WASM_EXEC_MAX_FILE	SZ_64M
/* Stack of a new image: RLIMIT_STACK within these bounds. */
#define WASM_STACK_MIN		SZ_128K
#define WASM_STACK_MAX		SZ_8M
#define WASM_PAGE_SIZE		SZ_64K
#define WASM_MAX_PAGES		65536U
#define WASM_NR_AUX		12

static const u8 wasm_magic[8] = { 0, 'a', 's', 'm', 1, 0, 0, 0 };

static struct linux_binfmt wasm_format;

/* Reads all of @file; returns the buffer (kvfree it) or an ERR_PTR. */
static void *wasm_read_file(struct file *file, size_t *lenp)
{
	loff_t size = i_size_read(file_inode(file)), pos = 0;
	ssize_t n;
	void *buf;

	if (size <= 0 || size > WASM_EXEC_MAX_FILE)
		return ERR_PTR(size <= 0 ? -ENOEXEC : -ENOMEM);
	buf = kvmalloc(size, GFP_KERNEL);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	n = kernel_read(file, buf, size, &pos);
	if (n != size) {
		kvfree(buf);
		return ERR_PTR(n < 0 ? n : -EIO);
	}
	*lenp = size;
	return buf;
}

/*
 * Below the argument and environment strings at *@spp (which end at @top):
 * 16 random bytes, then argc, argv[], envp[] and the auxiliary vector.
 */
static int wasm_create_tables(struct linux_binprm *bprm, unsigned long top,
			      unsigned long *spp)
{
	unsigned long strings = *spp, len = top - strings, random, sp, p;
	unsigned long nr = 1 + bprm->argc + 1 + bprm->envc + 1 +
			   2 * WASM_NR_AUX;
	struct mm_struct *mm = current->mm;
	u32 *table, *t;
	char *kstr;
	int i, ret = -EFAULT;
	u8 rnd[16];

	kstr = kvmalloc(len, GFP_KERNEL);
	table = kvmalloc_array(nr, sizeof(*table), GFP_KERNEL);
	if (!kstr || !table) {
		ret = -ENOMEM;
		goto out;
	}
	if (copy_from_user(kstr, (void __user *)strings, len))
		goto out;

	random = (strings - sizeof(rnd)) & ~15UL;
	get_random_bytes(rnd, sizeof(rnd));
	if (copy_to_user((void __user *)random, rnd, sizeof(rnd)))
		goto out;
	sp = (random - nr * sizeof(*table)) & ~15UL;

	t = table;
	*t++ = bprm->argc;
	p = 0;
	mm->arg_start = strings;
	for (i = 0; i < bprm->argc + bprm->envc; i++) {
		size_t n = p < len ? strnlen(kstr + p, len - p) : len;

		if (p + n >= len) {
			ret = -EINVAL;
			goto out;
		}
		if (i == bprm->argc) {
			*t++ = 0;
			mm->arg_end = strings + p;
		}
		*t++ = strings + p;
		p += n + 1;
	}
	if (!bprm->envc) {
		*t++ = 0;
		mm->arg_end = strings + p;
	}
	*t++ = 0;
	mm->env_start = mm->arg_end;
	mm->env_end = strings + p;

#define AUX(type, val) do { *t++ = (type); *t++ = (val); } while (0)
	AUX(AT_PAGESZ, PAGE_SIZE);
	AUX(AT_HWCAP, 0);
	AUX(AT_CLKTCK, CLOCKS_PER_SEC);
	AUX(AT_UID, from_kuid_munged(current_user_ns(), current_uid()));
	AUX(AT_EUID, from_kuid_munged(current_user_ns(), current_euid()));
	AUX(AT_GID, from_kgid_munged(current_user_ns(), current_gid()));
	AUX(AT_EGID, from_kgid_munged(current_user_ns(), current_egid()));
	AUX(AT_SECURE, bprm->secureexec);
	AUX(AT_RANDOM, random);
	AUX(AT_EXECFN, bprm->exec);
	AUX(AT_ENTRY, 0);
	AUX(AT_NULL, 0);
#undef AUX
	BUILD_BUG_ON(WASM_NR_AUX != 12);

	if (copy_to_user((void __user *)sp, table, nr * sizeof(*table)))
		goto out;
	*spp = sp;
	ret = 0;
out:
	kvfree(table);
	kvfree(kstr);
	return ret;
}

static int load_wasm_binary(struct linux_binprm *bprm)
{
	struct wasm_exec_layout layout;
	struct wasm_exec_info info;
	unsigned long stack, sp;
	u32 pages, max_pages;
	size_t len;
	void *buf;
	int id, ret;

	if (memcmp(bprm->buf, wasm_magic, sizeof(wasm_magic)))
		return -ENOEXEC;

	buf = wasm_read_file(bprm->file, &len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	ret = wasm_exec_parse(buf, len, &info);
	if (ret)
		goto out;
	/* A program: imports a shared memory and exports _start. */
	ret = -ENOEXEC;
	if (!info.has_memory || !info.mem_shared || info.start_func == U32_MAX)
		goto out;
	/* Shared libraries are not loaded yet. */
	if (info.nr_needed)
		goto out;

	stack = clamp_t(unsigned long, rlimit(RLIMIT_STACK), WASM_STACK_MIN,
			WASM_STACK_MAX) & PAGE_MASK;
	ret = wasm_exec_layout(&info, 1, stack, &layout);
	if (ret)
		goto out;
	max_pages = info.mem_max_pages ? info.mem_max_pages : WASM_MAX_PAGES;
	pages = max(layout.pages, info.mem_min_pages);
	if (pages > max_pages) {
		ret = -ENOMEM;
		goto out;
	}

	id = wasm_host_mm_new(pages, max_pages, layout.table_size);
	if (id <= 0) {
		ret = id < 0 ? id : -ENOMEM;
		goto out;
	}
	/* From here on, freeing bprm->mm frees the memory too. */
	bprm->mm->context.id = id;
	ret = wasm_host_mm_add_module(id, buf, len, layout.memory_base[0],
				      layout.table_base[0]);
	if (ret)
		goto out;

	ret = begin_new_exec(bprm);
	if (ret)
		goto out;

	/* The point of no return: a failure now kills the task. */
	setup_new_exec(bprm);
	current->mm->start_data = layout.memory_base[0];
	current->mm->end_data = layout.memory_base[0] + info.mem_size;
	current->mm->start_brk = layout.map_start;
	current->mm->brk = layout.map_start;
	current->mm->context.end_brk = layout.map_start;
	wasm_map_init(current->mm, layout.map_start,
		      (unsigned long)pages * WASM_PAGE_SIZE);
	set_binfmt(&wasm_format);

	sp = layout.stack_top;
	ret = transfer_args_to_stack(bprm, &sp);
	if (!ret)
		ret = wasm_create_tables(bprm, layout.stack_top, &sp);
	if (ret)
		goto out;
	current->mm->start_stack = sp;
	finalize_exec(bprm);
	start_thread(current_pt_regs(), 0, sp);
out:
	kvfree(buf);
	return ret;
}

static struct linux_binfmt wasm_format = {
	.module		= THIS_MODULE,
	.load_binary	= load_wasm_binary,
};

static int __init init_wasm_binfmt(void)
{
	if (WARN_ON(wasm_exec_info_size() != sizeof(struct wasm_exec_info) ||
		    wasm_exec_layout_size() != sizeof(struct wasm_exec_layout)))
		return -EINVAL;
	register_binfmt(&wasm_format);
	return 0;
}
core_initcall(init_wasm_binfmt);
