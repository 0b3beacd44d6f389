/* SPDX-License-Identifier: MIT */
/*
 * wasm32 modules are relocated by the host (dylink.0, __memory_base,
 * __table_base, __wasm_apply_data_relocs), not by musl's dynamic linker,
 * which is not built for this arch.  These definitions only keep shared
 * headers compiling.
 */
#define LDSO_ARCH "wasm32"

#define TPOFF_K 0

#define REL_SYMBOLIC    1
#define REL_RELATIVE    2

#define CRTJMP(pc,sp) __builtin_trap()
