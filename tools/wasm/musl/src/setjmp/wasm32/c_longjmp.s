# SPDX-License-Identifier: MIT
#
# The exception tag that longjmp throws and setjmp callers catch
# (tag index 1 of __builtin_wasm_throw); its payload is one i32, the
# address of the {env, val} pair.

	.tagtype __c_longjmp i32
	.globl __c_longjmp
__c_longjmp:
