/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _WASM_KERNEL_BINFMT_WASM_H
#define _WASM_KERNEL_BINFMT_WASM_H

#include <linux/build_bug.h>
#include <linux/stddef.h>
#include <linux/types.h>

#define WASM_EXEC_MAX_NEEDED	8

/*
 * What the loader learns from a user module (binfmt_wasm.rs, which has
 * the Rust twin of this structure).  Both sides assert the same size and
 * offsets below: a change to one of them fails to build until the other
 * and both assertions follow.
 */
struct wasm_exec_info {
	u32 mem_size;		/* dylink.0 MEM_INFO */
	u32 mem_align;		/* log2 */
	u32 table_size;
	u32 table_align;	/* log2 */
	u32 nr_needed;		/* NEEDED names: byte ranges of the module */
	u32 needed_off[WASM_EXEC_MAX_NEEDED];
	u32 needed_len[WASM_EXEC_MAX_NEEDED];
	u32 start_func;		/* function index of _start, or U32_MAX */
	u32 has_memory;		/* the env.memory import, in 64 KiB pages */
	u32 mem_min_pages;
	u32 mem_max_pages;
	u32 mem_shared;
	u32 has_table;		/* imports env.__indirect_function_table */
	u32 nr_func_imports;
};

#define WASM_EXEC_AT(type, field, offset) \
	static_assert(offsetof(struct type, field) == (offset))

static_assert(sizeof(struct wasm_exec_info) == 112);
WASM_EXEC_AT(wasm_exec_info, mem_size, 0);
WASM_EXEC_AT(wasm_exec_info, mem_align, 4);
WASM_EXEC_AT(wasm_exec_info, table_size, 8);
WASM_EXEC_AT(wasm_exec_info, table_align, 12);
WASM_EXEC_AT(wasm_exec_info, nr_needed, 16);
WASM_EXEC_AT(wasm_exec_info, needed_off, 20);
WASM_EXEC_AT(wasm_exec_info, needed_len, 52);
WASM_EXEC_AT(wasm_exec_info, start_func, 84);
WASM_EXEC_AT(wasm_exec_info, has_memory, 88);
WASM_EXEC_AT(wasm_exec_info, mem_min_pages, 92);
WASM_EXEC_AT(wasm_exec_info, mem_max_pages, 96);
WASM_EXEC_AT(wasm_exec_info, mem_shared, 100);
WASM_EXEC_AT(wasm_exec_info, has_table, 104);
WASM_EXEC_AT(wasm_exec_info, nr_func_imports, 108);

#define WASM_EXEC_MAX_MODULES	(1 + WASM_EXEC_MAX_NEEDED)

/*
 * Where a new image goes in its process memory (Rust twin in
 * binfmt_wasm.rs, which asserts the same layout).
 */
struct wasm_exec_layout {
	u32 memory_base[WASM_EXEC_MAX_MODULES];
	u32 table_base[WASM_EXEC_MAX_MODULES];
	u32 table_size;		/* function table slots in all */
	u32 stack_low;
	u32 stack_top;
	u32 map_start;		/* the break and mappings start here */
	u32 pages;		/* initial memory size, 64 KiB pages */
};

static_assert(sizeof(struct wasm_exec_layout) == 92);
WASM_EXEC_AT(wasm_exec_layout, memory_base, 0);
WASM_EXEC_AT(wasm_exec_layout, table_base, 36);
WASM_EXEC_AT(wasm_exec_layout, table_size, 72);
WASM_EXEC_AT(wasm_exec_layout, stack_low, 76);
WASM_EXEC_AT(wasm_exec_layout, stack_top, 80);
WASM_EXEC_AT(wasm_exec_layout, map_start, 84);
WASM_EXEC_AT(wasm_exec_layout, pages, 88);

/* Returns 0, or -ENOEXEC for a module that is not a valid executable. */
int wasm_exec_parse(const u8 *buf, size_t len, struct wasm_exec_info *info);
size_t wasm_exec_info_size(void);

/* Returns 0, or -ENOMEM if the modules and stack do not fit in 4 GiB. */
int wasm_exec_layout(const struct wasm_exec_info *infos, u32 n,
		     u32 stack_size, struct wasm_exec_layout *layout);
size_t wasm_exec_layout_size(void);

/* Where the strings end (Rust twin in binfmt_wasm_args.rs, same asserts). */
struct wasm_exec_args {
	u32 arg_end;		/* offsets into the strings */
	u32 env_end;
};

static_assert(sizeof(struct wasm_exec_args) == 8);
WASM_EXEC_AT(wasm_exec_args, arg_end, 0);
WASM_EXEC_AT(wasm_exec_args, env_end, 4);

/*
 * Fills @table (@table_len words) with argc, argv[], envp[] and the
 * @naux words of @aux, the strings being the @len bytes of @strings, at
 * @addr in the process memory.  Returns 0, or -EINVAL if a string does
 * not end inside @strings or @table_len is not what the entries take.
 */
int wasm_exec_args_table(const u8 *strings, size_t len, u32 addr, u32 argc,
			 u32 envc, const u32 *aux, size_t naux, u32 *table,
			 size_t table_len, struct wasm_exec_args *out);

#endif /* _WASM_KERNEL_BINFMT_WASM_H */
