// SPDX-License-Identifier: MIT
/* Same entry for position-independent executables. */
#include "crt1.c"
