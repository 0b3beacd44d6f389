// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the user-module parser (arch/wasm/kernel/binfmt_wasm.rs):
 * a valid dylink.0 module, one broken module per rule, and thousands of
 * mutated modules (every truncation, every bit flip, random bytes), each
 * of which must be rejected with -ENOEXEC or give sane results.
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "../binfmt_wasm.h"

#define MODULE_MAX	256

struct builder {
	u8 buf[MODULE_MAX];
	size_t len;
};

static void put(struct builder *b, const void *p, size_t n)
{
	if (b->len + n <= MODULE_MAX)
		memcpy(b->buf + b->len, p, n);
	b->len += n;
}

static void put_byte(struct builder *b, u8 v)
{
	put(b, &v, 1);
}

/* Sections and payloads here are below 128 bytes: one-byte LEB128. */
static void put_section(struct builder *b, u8 id, const void *body, size_t n)
{
	put_byte(b, id);
	put_byte(b, n);
	put(b, body, n);
}

static const u8 wasm_header[] = { 0, 'a', 's', 'm', 1, 0, 0, 0 };

/* dylink.0: MEM_INFO (16 bytes, align 4; 2 table slots), NEEDED libc.so */
static const u8 dylink_body[] = {
	8, 'd', 'y', 'l', 'i', 'n', 'k', '.', '0',
	1, 4, 16, 2, 2, 0,
	2, 9, 1, 7, 'l', 'i', 'b', 'c', '.', 's', 'o',
};

/* Types: () -> () and (i32) -> () */
static const u8 type_body[] = { 2, 0x60, 0, 0, 0x60, 1, 0x7f, 0 };

/* Imports: env.memory (shared, 1..16 pages), env.syscall func type 0 */
static const u8 import_body[] = {
	2,
	3, 'e', 'n', 'v', 6, 'm', 'e', 'm', 'o', 'r', 'y', 2, 3, 1, 16,
	3, 'e', 'n', 'v', 7, 's', 'y', 's', 'c', 'a', 'l', 'l', 0, 0,
};

static const u8 func_body[] = { 1, 1 };
/* Export "_start" = function 1 (after the one imported function) */
static const u8 export_body[] = { 1, 6, '_', 's', 't', 'a', 'r', 't', 0, 1 };
static const u8 code_body[] = { 1, 2, 0, 0x0b };

/* Starts a module: the header alone. */
static void start_module(struct builder *b)
{
	b->len = 0;
	put(b, wasm_header, sizeof(wasm_header));
}

static void build_valid(struct builder *b)
{
	start_module(b);
	put_section(b, 0, dylink_body, sizeof(dylink_body));
	put_section(b, 1, type_body, sizeof(type_body));
	put_section(b, 2, import_body, sizeof(import_body));
	put_section(b, 3, func_body, sizeof(func_body));
	put_section(b, 7, export_body, sizeof(export_body));
	put_section(b, 10, code_body, sizeof(code_body));
}

static int parse(struct builder *b, struct wasm_exec_info *info)
{
	memset(info, 0xa5, sizeof(*info));
	return wasm_exec_parse(b->buf, b->len, info);
}

static void binfmt_wasm_layout(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, wasm_exec_info_size(),
			sizeof(struct wasm_exec_info));
}

static void binfmt_wasm_valid(struct kunit *test)
{
	struct builder *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	struct wasm_exec_info info;

	KUNIT_ASSERT_NOT_NULL(test, b);
	build_valid(b);
	KUNIT_ASSERT_LE(test, b->len, (size_t)MODULE_MAX);
	KUNIT_ASSERT_EQ(test, parse(b, &info), 0);
	KUNIT_EXPECT_EQ(test, info.mem_size, 16);
	KUNIT_EXPECT_EQ(test, info.mem_align, 2);
	KUNIT_EXPECT_EQ(test, info.table_size, 2);
	KUNIT_EXPECT_EQ(test, info.table_align, 0);
	KUNIT_EXPECT_EQ(test, info.nr_needed, 1);
	KUNIT_EXPECT_EQ(test, info.needed_len[0], 7);
	KUNIT_ASSERT_LE(test, info.needed_off[0] + 7, b->len);
	KUNIT_EXPECT_EQ(test, memcmp(b->buf + info.needed_off[0], "libc.so", 7), 0);
	KUNIT_EXPECT_EQ(test, info.start_func, 1);
	KUNIT_EXPECT_EQ(test, info.has_memory, 1);
	KUNIT_EXPECT_EQ(test, info.mem_min_pages, 1);
	KUNIT_EXPECT_EQ(test, info.mem_max_pages, 16);
	KUNIT_EXPECT_EQ(test, info.mem_shared, 1);
	KUNIT_EXPECT_EQ(test, info.has_table, 0);
	KUNIT_EXPECT_EQ(test, info.nr_func_imports, 1);
}

/* Each rule of the format, broken once. */
static void binfmt_wasm_rules(struct kunit *test)
{
	struct builder *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	struct wasm_exec_info info;
	size_t dylink_at = sizeof(wasm_header);
	size_t type_at = dylink_at + 2 + sizeof(dylink_body);
	size_t import_at = type_at + 2 + sizeof(type_body);
	u8 saved[64];

	KUNIT_ASSERT_NOT_NULL(test, b);

	/* Not wasm, or another version. */
	build_valid(b);
	b->buf[0] = 'X';
	KUNIT_EXPECT_EQ(test, parse(b, &info), -ENOEXEC);
	build_valid(b);
	b->buf[4] = 2;
	KUNIT_EXPECT_EQ(test, parse(b, &info), -ENOEXEC);

	/* A plain module without dylink.0. */
	start_module(b);
	put_section(b, 1, type_body, sizeof(type_body));
	KUNIT_EXPECT_EQ(test, parse(b, &info), -ENOEXEC);
	/* The header alone. */
	start_module(b);
	KUNIT_EXPECT_EQ(test, parse(b, &info), -ENOEXEC);

	/* dylink.0 after another section. */
	start_module(b);
	put_section(b, 1, type_body, sizeof(type_body));
	put_section(b, 0, dylink_body, sizeof(dylink_body));
	KUNIT_EXPECT_EQ(test, parse(b, &info), -ENOEXEC);

	/* Import before type: sections out of order. */
	start_module(b);
	put_section(b, 0, dylink_body, sizeof(dylink_body));
	put_section(b, 2, import_body, sizeof(import_body));
	put_section(b, 1, type_body, sizeof(type_body));
	KUNIT_EXPECT_EQ(test, parse(b, &info), -ENOEXEC);

	/* A section twice. */
	start_module(b);
	put_section(b, 0, dylink_body, sizeof(dylink_body));
	put_section(b, 1, type_body, sizeof(type_body));
	put_section(b, 1, type_body, sizeof(type_body));
	KUNIT_EXPECT_EQ(test, parse(b, &info), -ENOEXEC);

	/* An unknown section id. */
	build_valid(b);
	b->buf[type_at] = 14;
	KUNIT_EXPECT_EQ(test, parse(b, &info), -ENOEXEC);

	/* MEM_INFO asking for more than 1 GiB: 0x80 0x80 0x80 0x80 0x08. */
	start_module(b);
	{
		static const u8 huge[] = {
			8, 'd', 'y', 'l', 'i', 'n', 'k', '.', '0',
			1, 8, 0x80, 0x80, 0x80, 0x80, 0x08, 0, 0, 0,
		};
		put_section(b, 0, huge, sizeof(huge));
	}
	KUNIT_EXPECT_EQ(test, parse(b, &info), -ENOEXEC);

	/* A LEB128 of six bytes, and one with bits beyond 32. */
	start_module(b);
	{
		static const u8 overlong[] = {
			8, 'd', 'y', 'l', 'i', 'n', 'k', '.', '0',
			1, 9, 0x90, 0x80, 0x80, 0x80, 0x80, 0x00, 0, 0, 0,
		};
		static const u8 wide[] = {
			8, 'd', 'y', 'l', 'i', 'n', 'k', '.', '0',
			1, 8, 0x80, 0x80, 0x80, 0x80, 0x10, 0, 0, 0,
		};
		put_section(b, 0, overlong, sizeof(overlong));
		KUNIT_EXPECT_EQ(test, parse(b, &info), -ENOEXEC);
		start_module(b);
		put_section(b, 0, wide, sizeof(wide));
		KUNIT_EXPECT_EQ(test, parse(b, &info), -ENOEXEC);
	}

	/* A section length beyond the end of the file. */
	build_valid(b);
	b->buf[type_at + 1] = 0x7f;
	KUNIT_EXPECT_EQ(test, parse(b, &info), -ENOEXEC);

	/* A NEEDED name with a '/' (libraries come from /lib only). */
	build_valid(b);
	b->buf[dylink_at + 2 + sizeof(dylink_body) - 3] = '/';
	KUNIT_EXPECT_EQ(test, parse(b, &info), -ENOEXEC);

	/* The memory import under another name. */
	build_valid(b);
	memcpy(saved, b->buf + import_at, sizeof(import_body) + 2);
	b->buf[import_at + 2 + 1 + 1 + 3 + 1] = 'M';
	KUNIT_EXPECT_EQ(test, parse(b, &info), -ENOEXEC);
	memcpy(b->buf + import_at, saved, sizeof(import_body) + 2);
	KUNIT_EXPECT_EQ(test, parse(b, &info), 0);

	/* A 64-bit memory (limits flag 4). */
	build_valid(b);
	b->buf[import_at + 2 + 1 + 4 + 7 + 1] = 7;
	KUNIT_EXPECT_EQ(test, parse(b, &info), -ENOEXEC);

	/* No _start: valid as a library, start_func says so. */
	start_module(b);
	put_section(b, 0, dylink_body, sizeof(dylink_body));
	put_section(b, 1, type_body, sizeof(type_body));
	KUNIT_EXPECT_EQ(test, parse(b, &info), 0);
	KUNIT_EXPECT_EQ(test, info.start_func, U32_MAX);

	/* NULL arguments. */
	KUNIT_EXPECT_EQ(test, wasm_exec_parse(NULL, 8, &info), -EINVAL);
	KUNIT_EXPECT_EQ(test, wasm_exec_parse(b->buf, b->len, NULL), -EINVAL);
}

/* A parse of a mutated module: rejected, or accepted with sane results. */
static bool sane(const struct builder *b, size_t len, int ret,
		 const struct wasm_exec_info *info)
{
	unsigned int i;

	if (ret == -ENOEXEC)
		return true;
	if (ret)
		return false;
	if (info->mem_size > (1U << 30) || info->mem_align > 16 ||
	    info->table_align > 16 || info->nr_needed > WASM_EXEC_MAX_NEEDED ||
	    info->mem_max_pages > 65536 ||
	    info->mem_min_pages > info->mem_max_pages)
		return false;
	for (i = 0; i < info->nr_needed; i++)
		if (info->needed_off[i] > len ||
		    info->needed_len[i] > len - info->needed_off[i])
			return false;
	return true;
}

struct fuzz_counts {
	unsigned int cases, rejected, insane;
};

static void fuzz_one(struct builder *m, size_t len, struct fuzz_counts *c)
{
	struct wasm_exec_info info;
	int ret = wasm_exec_parse(m->buf, len, &info);

	c->cases++;
	if (ret)
		c->rejected++;
	if (!sane(m, len, ret, &info))
		c->insane++;
}

static void binfmt_wasm_fuzz(struct kunit *test)
{
	struct builder *valid = kunit_kzalloc(test, sizeof(*valid), GFP_KERNEL);
	struct builder *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	struct fuzz_counts c = {};
	struct rnd_state rnd;
	size_t i, len;
	unsigned int bit, n;

	KUNIT_ASSERT_NOT_NULL(test, valid);
	KUNIT_ASSERT_NOT_NULL(test, m);
	build_valid(valid);
	len = valid->len;
	prandom_seed_state(&rnd, 0x7761736d);

	/* Every truncation. */
	for (i = 0; i < len; i++) {
		*m = *valid;
		fuzz_one(m, i, &c);
	}
	/* Every single-bit flip. */
	for (i = 0; i < len; i++) {
		for (bit = 0; bit < 8; bit++) {
			*m = *valid;
			m->buf[i] ^= 1 << bit;
			fuzz_one(m, len, &c);
		}
	}
	/* Every byte set to values that make LEB128s long or sizes huge. */
	for (i = 0; i < len; i++) {
		static const u8 values[] = { 0x00, 0x7f, 0x80, 0xff };

		for (n = 0; n < ARRAY_SIZE(values); n++) {
			*m = *valid;
			m->buf[i] = values[n];
			fuzz_one(m, len, &c);
		}
	}
	/* Random bytes at 1 to 4 random places, and random lengths. */
	for (n = 0; n < 2000; n++) {
		unsigned int k, places = 1 + prandom_u32_state(&rnd) % 4;

		*m = *valid;
		for (k = 0; k < places; k++)
			m->buf[prandom_u32_state(&rnd) % len] =
				prandom_u32_state(&rnd);
		fuzz_one(m, 1 + prandom_u32_state(&rnd) % len, &c);
	}

	KUNIT_EXPECT_EQ(test, c.insane, 0);
	KUNIT_EXPECT_GE(test, c.cases, 1000);
	/* Most mutations break the module. */
	KUNIT_EXPECT_GT(test, c.rejected, c.cases / 2);
	kunit_info(test, "%u mutated modules, %u rejected with -ENOEXEC\n",
		   c.cases, c.rejected);
}

/* The argument table of a new image (binfmt_wasm_args.rs). */
static void binfmt_wasm_args(struct kunit *test)
{
	static const u8 strings[] = "a\0bc\0E=1";	/* 9 bytes with the NULs */
	static const u32 aux[] = { 6, 4096, 0, 0 };
	static const u32 want[] = {
		2, 0x1000, 0x1002, 0, 0x1005, 0, 6, 4096, 0, 0,
	};
	struct wasm_exec_args args;
	u32 table[16];

	KUNIT_ASSERT_EQ(test, wasm_exec_args_table(strings, sizeof(strings),
						   0x1000, 2, 1, aux, 4, table,
						   ARRAY_SIZE(want), &args), 0);
	KUNIT_EXPECT_MEMEQ(test, table, want, sizeof(want));
	KUNIT_EXPECT_EQ(test, args.arg_end, 5);
	KUNIT_EXPECT_EQ(test, args.env_end, 9);

	/* No strings: argc 0 and two nulls. */
	KUNIT_ASSERT_EQ(test, wasm_exec_args_table(strings, 0, 0x1000, 0, 0,
						   aux, 4, table, 7, &args), 0);
	KUNIT_EXPECT_EQ(test, table[0], 0);
	KUNIT_EXPECT_EQ(test, table[1], 0);
	KUNIT_EXPECT_EQ(test, table[2], 0);
	KUNIT_EXPECT_EQ(test, table[3], 6);

	/* The last string does not end inside the buffer. */
	KUNIT_EXPECT_EQ(test, wasm_exec_args_table(strings, sizeof(strings) - 1,
						   0x1000, 2, 1, aux, 4, table,
						   ARRAY_SIZE(want), &args),
			-EINVAL);
	/* More strings than the buffer holds. */
	KUNIT_EXPECT_EQ(test, wasm_exec_args_table(strings, sizeof(strings),
						   0x1000, 3, 1, aux, 4, table,
						   11, &args), -EINVAL);
	/* A table of the wrong size. */
	KUNIT_EXPECT_EQ(test, wasm_exec_args_table(strings, sizeof(strings),
						   0x1000, 2, 1, aux, 4, table,
						   ARRAY_SIZE(want) - 1, &args),
			-EINVAL);
	/* Addresses past 4 GiB. */
	KUNIT_EXPECT_EQ(test, wasm_exec_args_table(strings, sizeof(strings),
						   0xfffffffe, 2, 1, aux, 4,
						   table, ARRAY_SIZE(want),
						   &args), -EINVAL);
}

static struct kunit_case binfmt_wasm_cases[] = {
	KUNIT_CASE(binfmt_wasm_layout),
	KUNIT_CASE(binfmt_wasm_args),
	KUNIT_CASE(binfmt_wasm_valid),
	KUNIT_CASE(binfmt_wasm_rules),
	KUNIT_CASE(binfmt_wasm_fuzz),
	{}
};

static struct kunit_suite binfmt_wasm_suite = {
	.name = "binfmt_wasm",
	.test_cases = binfmt_wasm_cases,
};

kunit_test_suite(binfmt_wasm_suite);

MODULE_DESCRIPTION("KUnit tests of the WebAssembly user-module parser");
MODULE_LICENSE("GPL");
