# SPDX-License-Identifier: MIT
#
# wasm32: libc itself is built without the SjLj lowering (it does not
# use setjmp), except timer_create.c, which does; longjmp's throw needs
# the exception-handling feature.  No time32 compat: this ABI had 64-bit
# time_t from the start.

WASM_EH_FLAGS = -mexception-handling -mllvm -wasm-enable-eh -mllvm -wasm-use-legacy-eh=false
WASM_SJLJ_FLAGS = $(WASM_EH_FLAGS) -mllvm -wasm-enable-sjlj

obj/src/setjmp/wasm32/longjmp.o obj/src/setjmp/wasm32/longjmp.lo: CFLAGS_ALL += $(WASM_EH_FLAGS)
obj/src/time/timer_create.o obj/src/time/timer_create.lo: CFLAGS_ALL += $(WASM_SJLJ_FLAGS)
