// SPDX-License-Identifier: MIT
#define _GNU_SOURCE
/* Map a whole file read-only (zoneinfo); its size comes from statx. */
#include <sys/mman.h>
#include <sys/stat.h>
#include <fcntl.h>
#include "syscall.h"
#include "../../stat/wasm32/statx.h"

const unsigned char *__map_file(const char *pathname, size_t *size)
{
	struct stat st;
	const unsigned char *map = MAP_FAILED;
	int fd = sys_open(pathname, O_RDONLY|O_CLOEXEC|O_NONBLOCK);

	if (fd < 0)
		return 0;
	if (!__wasm_statx(fd, "", &st, AT_EMPTY_PATH)) {
		map = __mmap(0, st.st_size, PROT_READ, MAP_SHARED, fd, 0);
		*size = st.st_size;
	}
	__syscall(SYS_close, fd);
	return map == MAP_FAILED ? 0 : map;
}
