# SPDX-License-Identifier: MIT
#
# wasm32: nothing to add.  setjmp/longjmp need no compiler lowering (the
# host does them, src/setjmp/wasm32), so no file is built with exception
# handling.  No time32 compat: this ABI had 64-bit time_t from the start.
