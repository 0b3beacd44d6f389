/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's section tables, in the order wasm-ld must lay them out.
 *
 * wasm-ld takes no linker script.  Instead, vmlinux-head.o (linked first)
 * defines a zero-size marker in each section below, and vmlinux-tail.o
 * (linked last) the end markers: wasm-ld keeps the input chunks of one
 * section name together, in link order, and creates output segments in
 * the order their names first appear.  So the head object's markers open
 * each table and fix the order of the tables, and the tail object's
 * markers close them.  arch/wasm/tools/wasm_vmlinux_check reads the link
 * map and fails the build unless every WASM_RANGE() below is bracketed
 * and contiguous.  See Documentation/arch/wasm/linking.rst.
 *
 * WASM_START(section, symbol)	start marker, in vmlinux-head.o
 * WASM_START_ALIGNED(section, symbol, align)
 *				the same, aligning the whole section
 * WASM_ORDER(section, name)	unnamed start marker (__wasm_order_<name>)
 *				that only places the section in order
 * WASM_END(section, symbol)	end marker, in vmlinux-tail.o
 * WASM_RANGE(start, end)	a table that the build checks: its segments
 *				follow each other with no gap
 * WASM_RANGE_PADDED(start, end) the same, but alignment padding may
 *				separate its segments
 *
 * Markers are zero-size char arrays: the linker does not compare their
 * type with the kernel's declarations, and a zero-size marker neither
 * moves nor pads the entries it brackets.
 */

/*
 * Code is not in linear memory: every text and init-text boundary is one
 * and the same address, so no data address is ever "kernel text".  Init
 * memory is not freed (__init_begin == __init_end).
 */
WASM_START(".notext", _stext)
WASM_START(".notext", _etext)
WASM_START(".notext", _sinittext)
WASM_START(".notext", _einittext)
WASM_START(".notext", __sched_text_start)
WASM_START(".notext", __sched_text_end)
WASM_START(".notext", __lock_text_start)
WASM_START(".notext", __lock_text_end)
WASM_START(".notext", __cpuidle_text_start)
WASM_START(".notext", __cpuidle_text_end)
WASM_START(".notext", __init_begin)
WASM_START(".notext", __init_end)

/* Read-only and read-write data. */
WASM_START(".rodata", __start_rodata)
WASM_END(".rodata", __end_rodata)
WASM_RANGE(__start_rodata, __end_rodata)
WASM_START(".data", _sdata)
WASM_END(".data", _edata)
WASM_RANGE(_sdata, _edata)

/* Initcalls: every level directly follows the one before it. */
WASM_START(".initcallearly.init", __initcall_start)
WASM_START(".initcall0.init", __initcall0_start)
WASM_ORDER(".initcall0s.init", initcall0s)
WASM_START(".initcall1.init", __initcall1_start)
WASM_ORDER(".initcall1s.init", initcall1s)
WASM_START(".initcall2.init", __initcall2_start)
WASM_ORDER(".initcall2s.init", initcall2s)
WASM_START(".initcall3.init", __initcall3_start)
WASM_ORDER(".initcall3s.init", initcall3s)
WASM_START(".initcall4.init", __initcall4_start)
WASM_ORDER(".initcall4s.init", initcall4s)
WASM_START(".initcall5.init", __initcall5_start)
WASM_ORDER(".initcall5s.init", initcall5s)
WASM_START(".initcallrootfs.init", __initcallrootfs_start)
WASM_ORDER(".initcallrootfss.init", initcallrootfss)
WASM_START(".initcall6.init", __initcall6_start)
WASM_ORDER(".initcall6s.init", initcall6s)
WASM_START(".initcall7.init", __initcall7_start)
WASM_ORDER(".initcall7s.init", initcall7s)
WASM_END(".initcall7s.init", __initcall_end)
WASM_RANGE(__initcall_start, __initcall_end)

WASM_START(".con_initcall.init", __con_initcall_start)
WASM_END(".con_initcall.init", __con_initcall_end)
WASM_RANGE(__con_initcall_start, __con_initcall_end)

WASM_START(".init.setup", __setup_start)
WASM_END(".init.setup", __setup_end)
WASM_RANGE(__setup_start, __setup_end)

WASM_START("__param", __start___param)
WASM_END("__param", __stop___param)
WASM_RANGE(__start___param, __stop___param)

WASM_START("__modver", __start___modver)
WASM_END("__modver", __stop___modver)
WASM_RANGE(__start___modver, __stop___modver)

WASM_START("__ex_table", __start___ex_table)
WASM_END("__ex_table", __stop___ex_table)
WASM_RANGE(__start___ex_table, __stop___ex_table)

WASM_START(".notes", __start_notes)
WASM_END(".notes", __stop_notes)
WASM_RANGE(__start_notes, __stop_notes)

WASM_START(".builtin_fw", __start_builtin_fw)
WASM_END(".builtin_fw", __end_builtin_fw)
WASM_RANGE(__start_builtin_fw, __end_builtin_fw)

/* The scheduling classes, an array ordered from highest to lowest. */
WASM_START("__stop_sched_class", __sched_class_highest)
WASM_ORDER("__dl_sched_class", dl_sched_class)
WASM_ORDER("__rt_sched_class", rt_sched_class)
WASM_ORDER("__fair_sched_class", fair_sched_class)
WASM_ORDER("__ext_sched_class", ext_sched_class)
WASM_ORDER("__idle_sched_class", idle_sched_class)
WASM_END("__idle_sched_class", __sched_class_lowest)
WASM_RANGE(__sched_class_highest, __sched_class_lowest)

WASM_START(".ro_after_init", __start_ro_after_init)
WASM_END(".ro_after_init", __end_ro_after_init)
WASM_RANGE(__start_ro_after_init, __end_ro_after_init)

WASM_START(".kunit_test_suites", __kunit_suites_start)
WASM_END(".kunit_test_suites", __kunit_suites_end)
WASM_RANGE(__kunit_suites_start, __kunit_suites_end)

WASM_START(".kunit_init_test_suites", __kunit_init_suites_start)
WASM_END(".kunit_init_test_suites", __kunit_init_suites_end)
WASM_RANGE(__kunit_init_suites_start, __kunit_init_suites_end)

/* The per-CPU template, copied for every CPU by setup_per_cpu_areas(). */
/* The first chunk must be page aligned (pcpu_setup_first_chunk()). */
WASM_START_ALIGNED(".percpu..first", __per_cpu_load, 1 << CONFIG_PAGE_SHIFT)
WASM_START(".percpu..first", __per_cpu_start)
WASM_ORDER(".percpu..page_aligned", percpu_page_aligned)
WASM_ORDER(".percpu..read_mostly", percpu_read_mostly)
WASM_ORDER(".percpu", percpu)
WASM_ORDER(".percpu..shared_aligned", percpu_shared_aligned)
WASM_END(".percpu..shared_aligned", __per_cpu_end)
WASM_RANGE_PADDED(__per_cpu_start, __per_cpu_end)

/* Zero-initialised data comes last; the image ends with it. */
WASM_START(".bss", __bss_start)
WASM_END(".bss", __bss_stop)
WASM_END(".bss", _end)
WASM_RANGE(__bss_start, __bss_stop)
