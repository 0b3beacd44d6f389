// SPDX-License-Identifier: MIT
/* Nothing: on wasm32 siglongjmp restores the signal mask itself. */
