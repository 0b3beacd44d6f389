// SPDX-License-Identifier: MIT
/* Same entry: the host relocates the module, no self-relocation here. */
#include "crt1.c"
