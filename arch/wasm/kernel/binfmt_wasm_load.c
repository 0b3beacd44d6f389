// SPDX-License-Identifier: GPL-2.0
/*
 * binfmt_wasm: executing WebAssembly modules.
 *
 * An executable is a module that follows LLVM's dynamic-linking
 * convention (Documentation/arch/wasm/user-abi.rst).  The untrusted part,
 * reading the module and laying out the process memory, is Rust
 * (binfmt_wasm.rs); this file does the kernel's side of exec: read the
 * file and the shared libraries it needs (dylink.0 NEEDED, looked up in
 * /lib and /usr/lib), make the process memory in the host, hand it the
 * modules, and build the initial stack (argv, envp, auxv) in that memory.
 */
#include <linux/binfmts.h>
#include <linux/file.h>
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
 * 16 random bytes, then argc, argv[], envp[] and the auxiliary vector,
 * which binfmt_wasm_args.rs builds from a kernel copy of the strings.
 */
static int wasm_create_tables(struct linux_binprm *bprm, unsigned long top,
			      unsigned long *spp)
{
	unsigned long strings = *spp, len = top - strings, random, sp;
	size_t nr = 1 + bprm->argc + 1 + bprm->envc + 1 + 2 * WASM_NR_AUX;
	struct mm_struct *mm = current->mm;
	struct wasm_exec_args args;
	u32 aux[2 * WASM_NR_AUX], *table, *a = aux;
	char *kstr;
	int ret = -EFAULT;
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

#define AUX(type, val) do { *a++ = (type); *a++ = (val); } while (0)
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

	ret = wasm_exec_args_table(kstr, len, strings, bprm->argc, bprm->envc,
				   aux, ARRAY_SIZE(aux), table, nr, &args);
	if (ret)
		goto out;
	mm->arg_start = strings;
	mm->arg_end = strings + args.arg_end;
	mm->env_start = mm->arg_end;
	mm->env_end = strings + args.env_end;

	ret = -EFAULT;
	if (copy_to_user((void __user *)sp, table, nr * sizeof(*table)))
		goto out;
	*spp = sp;
	ret = 0;
out:
	kvfree(table);
	kvfree(kstr);
	return ret;
}

/* The modules of a new image: the program first, then its libraries. */
struct wasm_image {
	u32 n;
	void *buf[WASM_EXEC_MAX_MODULES];
	size_t len[WASM_EXEC_MAX_MODULES];
	const char *name[WASM_EXEC_MAX_MODULES];	/* libraries only */
	u32 name_len[WASM_EXEC_MAX_MODULES];
	struct wasm_exec_info info[WASM_EXEC_MAX_MODULES];
};

/* Where a library named @name (not NUL-terminated) lives. */
static struct file *wasm_open_library(const char *name, u32 len)
{
	static const char * const dirs[] = { "/lib/", "/usr/lib/" };
	struct file *file = ERR_PTR(-ENOENT);
	char *path;
	int i;

	if (!len || memchr(name, 0, len))
		return ERR_PTR(-ELIBBAD);
	if (memchr(name, '/', len)) {
		path = kmemdup_nul(name, len, GFP_KERNEL);
		if (!path)
			return ERR_PTR(-ENOMEM);
		file = open_exec(path);
		kfree(path);
		return file;
	}
	for (i = 0; i < ARRAY_SIZE(dirs) && PTR_ERR(file) == -ENOENT; i++) {
		path = kasprintf(GFP_KERNEL, "%s%.*s", dirs[i], len, name);
		if (!path)
			return ERR_PTR(-ENOMEM);
		file = open_exec(path);
		kfree(path);
	}
	return file;
}

/*
 * Reads library @name into the next slot of @img, unless it is there
 * already.  A library that cannot be opened gives -ELIBACC, one that is
 * not a shared library -ELIBBAD, too many of them -ELIBMAX.
 */
static int wasm_add_library(struct wasm_image *img, const char *name, u32 len)
{
	struct wasm_exec_info *info;
	struct file *file;
	void *buf;
	u32 i;
	int ret;

	for (i = 1; i < img->n; i++)
		if (img->name_len[i] == len && !memcmp(img->name[i], name, len))
			return 0;
	if (img->n == WASM_EXEC_MAX_MODULES)
		return -ELIBMAX;

	file = wasm_open_library(name, len);
	if (IS_ERR(file))
		return PTR_ERR(file) == -ENOMEM ? -ENOMEM :
		       PTR_ERR(file) == -ELIBBAD ? -ELIBBAD : -ELIBACC;
	buf = wasm_read_file(file, &img->len[img->n]);
	exe_file_allow_write_access(file);
	fput(file);
	if (IS_ERR(buf))
		return PTR_ERR(buf) == -ENOMEM ? -ENOMEM : -ELIBBAD;

	img->buf[img->n] = buf;
	img->name[img->n] = name;
	img->name_len[img->n] = len;
	info = &img->info[img->n++];
	ret = wasm_exec_parse(buf, img->len[img->n - 1], info);
	/* A library shares the program's memory. */
	if (!ret && (!info->has_memory || !info->mem_shared))
		ret = -ELIBBAD;
	return ret ? -ELIBBAD : 0;
}

/* Reads the libraries the modules of @img need, and those they need. */
static int wasm_load_libraries(struct wasm_image *img)
{
	u32 m, k;
	int ret;

	for (m = 0; m < img->n; m++) {
		const struct wasm_exec_info *info = &img->info[m];

		for (k = 0; k < info->nr_needed; k++) {
			ret = wasm_add_library(img, (const char *)img->buf[m] +
					       info->needed_off[k],
					       info->needed_len[k]);
			if (ret)
				return ret;
		}
	}
	return 0;
}

static void wasm_free_image(struct wasm_image *img)
{
	u32 i;

	for (i = 0; i < img->n; i++)
		kvfree(img->buf[i]);
	kfree(img);
}

static int load_wasm_binary(struct linux_binprm *bprm)
{
	struct wasm_exec_layout layout;
	struct wasm_exec_info *info;
	struct wasm_image *img;
	unsigned long stack, sp;
	u32 pages, max_pages, i;
	void *buf;
	int id, ret;

	if (memcmp(bprm->buf, wasm_magic, sizeof(wasm_magic)))
		return -ENOEXEC;

	img = kzalloc(sizeof(*img), GFP_KERNEL);
	if (!img)
		return -ENOMEM;
	buf = wasm_read_file(bprm->file, &img->len[0]);
	if (IS_ERR(buf)) {
		kfree(img);
		return PTR_ERR(buf);
	}
	img->buf[0] = buf;
	img->n = 1;
	info = &img->info[0];
	ret = wasm_exec_parse(buf, img->len[0], info);
	if (ret)
		goto out;
	/* A program: imports a shared memory and exports _start. */
	ret = -ENOEXEC;
	if (!info->has_memory || !info->mem_shared ||
	    info->start_func == U32_MAX)
		goto out;
	ret = wasm_load_libraries(img);
	if (ret)
		goto out;

	stack = clamp_t(unsigned long, rlimit(RLIMIT_STACK), WASM_STACK_MIN,
			WASM_STACK_MAX) & PAGE_MASK;
	ret = wasm_exec_layout(img->info, img->n, stack, &layout);
	if (ret)
		goto out;
	/* The memory must satisfy the limits every module declares. */
	pages = layout.pages;
	max_pages = WASM_MAX_PAGES;
	for (i = 0; i < img->n; i++) {
		pages = max(pages, img->info[i].mem_min_pages);
		if (img->info[i].mem_max_pages)
			max_pages = min(max_pages, img->info[i].mem_max_pages);
	}
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
	/*
	 * Libraries before the modules that need them: the reverse of the
	 * breadth-first walk, the program last.
	 */
	for (i = img->n; i-- > 0;) {
		ret = wasm_host_mm_add_module(id, img->buf[i], img->len[i],
					      layout.memory_base[i],
					      layout.table_base[i]);
		/* The host refusing a library means the library is bad. */
		if (ret == -ENOEXEC && i)
			ret = -ELIBBAD;
		if (ret)
			goto out;
	}

	ret = begin_new_exec(bprm);
	if (ret)
		goto out;

	/* The point of no return: a failure now kills the task. */
	setup_new_exec(bprm);
	current->mm->start_data = layout.memory_base[0];
	current->mm->end_data = layout.memory_base[0] + info->mem_size;
	current->mm->start_brk = layout.map_start;
	current->mm->brk = layout.map_start;
	current->mm->context.end_brk = layout.map_start;
	wasm_map_init(current->mm, layout.map_start, wasm_mem_end(pages));
	current->mm->context.stack_start = layout.stack_top - stack;
	current->mm->context.stack_end = layout.stack_top;
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
	wasm_free_image(img);
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
