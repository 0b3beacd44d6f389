/* SPDX-License-Identifier: MIT */
#define PAGESIZE 4096
