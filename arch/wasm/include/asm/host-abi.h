/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_WASM_HOST_ABI_H
#define _ASM_WASM_HOST_ABI_H

/*
 * Version of the host ABI (Documentation/arch/wasm/host-abi.rst), returned
 * by the export wasm_abi_version().  Any change to the imports, exports or
 * boot protocol changes it.  It is a row of the document's table of
 * numbers, which the build compares with this (host-abi-check.c).
 */
#define WASM_HOST_ABI_VERSION	4

#endif /* _ASM_WASM_HOST_ABI_H */
