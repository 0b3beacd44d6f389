// SPDX-License-Identifier: MIT
/*
 * vfork cannot exist on wasm32: the child would have to return into the
 * parent's wasm frames, and a new task is a new host thread that can
 * only start a function (see src/thread/wasm32/clone.c).  posix_spawn,
 * which musl implements with a CLONE_VM|CLONE_VFORK clone of a function,
 * is the way to start programs.
 */
#include <errno.h>
#include <unistd.h>

pid_t vfork(void)
{
	errno = ENOSYS;
	return -1;
}
