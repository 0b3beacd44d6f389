// SPDX-License-Identifier: GPL-2.0
/*
 * Memory conformance: anonymous mmap (private and shared, zero-filled,
 * aligned, distinct), munmap, mremap (shrink; growth), private file
 * mappings, mprotect as far as NOMMU allows (faults are only reported
 * with "# " lines, never asserted), brk, and malloc/calloc/realloc
 * churn.  In the wasm32 guest mremap cannot grow and the break never
 * moves (user-abi.rst): those cases check the documented failure and
 * are marked SKIP there.  Prints TAP; exits 0 if all passed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tap.h"

static long page;

static int all_zero(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

static void fill(unsigned char *p, size_t n, unsigned seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(seed + i * 131 + (i >> 9));
}

static int check_fill(const unsigned char *p, size_t n, unsigned seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != (unsigned char)(seed + i * 131 + (i >> 9)))
			return 0;
	return 1;
}

static int t_mmap_anon(void)
{
	size_t len = 1 << 20;
	unsigned char *p;

	CHECK(page > 0 && (page & (page - 1)) == 0);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	CHECK(((uintptr_t)p & (page - 1)) == 0);
	CHECK(all_zero(p, len));
	fill(p, len, 1);
	CHECK(check_fill(p, len, 1));
	CHECK(munmap(p, len) == 0);
	/* A size that is not a page multiple is rounded up. */
	p = mmap(NULL, 100, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED && all_zero(p, 100));
	memset(p, 0x5a, page);		/* the whole page is usable */
	CHECK(munmap(p, 100) == 0);
	return 1;
}

/* Every check runs, so that one failure does not hide the others. */
#define EXPECT(cond)							\
	do {								\
		if (!(cond)) {						\
			diag("%s:%d: %s failed (errno %d: %s)",		\
			     __FILE__, __LINE__, #cond, errno,		\
			     strerror(errno));				\
			good = 0;					\
		}							\
	} while (0)

static int t_mmap_errors(void)
{
	int good = 1;
	void *p, *q;

	errno = 0;
	p = mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	EXPECT(p == MAP_FAILED && errno == EINVAL);
	errno = 0;
	/* Neither MAP_PRIVATE nor MAP_SHARED (mmap(2): EINVAL). */
	q = mmap(NULL, page, PROT_READ, MAP_ANONYMOUS, -1, 0);
	EXPECT(q == MAP_FAILED && errno == EINVAL);
	if (q != MAP_FAILED)
		munmap(q, page);
	errno = 0;
	q = mmap(NULL, page, PROT_READ, MAP_PRIVATE, 12345, 0);
	EXPECT(q == MAP_FAILED && errno == EBADF);
	p = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	errno = 0;
	EXPECT(munmap((char *)p + 1, page) == -1 && errno == EINVAL);
	EXPECT(munmap(p, 2 * page) == 0);
	errno = 0;
	EXPECT(munmap(p, 0) == -1 && errno == EINVAL);
	return good;
}

static int t_mmap_distinct(void)
{
	unsigned char *m[16];
	size_t len = 3 * page;
	int i, j;

	for (i = 0; i < 16; i++) {
		m[i] = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		CHECK(m[i] != MAP_FAILED);
		CHECK(all_zero(m[i], len));
		memset(m[i], i + 1, len);
	}
	for (i = 0; i < 16; i++) {
		for (j = 0; j < i; j++)
			CHECK(m[i] + len <= m[j] || m[j] + len <= m[i]);
		for (j = 0; j < (int)len; j += 97)
			CHECK(m[i][j] == i + 1);
	}
	/* Freed ranges come back zeroed when reused. */
	for (i = 0; i < 16; i += 2)
		CHECK(munmap(m[i], len) == 0);
	for (i = 0; i < 16; i += 2) {
		m[i] = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		CHECK(m[i] != MAP_FAILED && all_zero(m[i], len));
	}
	for (i = 0; i < 16; i++)
		CHECK(munmap(m[i], len) == 0);
	return 1;
}

static int t_mmap_shared_anon(void)
{
	unsigned char *p = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE,
				MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED);
	CHECK(all_zero(p, 4 * page));
	fill(p, 4 * page, 9);
	CHECK(check_fill(p, 4 * page, 9));
	CHECK(munmap(p, 4 * page) == 0);
	return 1;
}

static int t_mmap_file(void)
{
	char path[512];
	unsigned char buf[8192], *p;
	int fd;

	snprintf(path, sizeof(path), "%s/conf-memory.%d", tmp_dir(), (int)getpid());
	fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
	CHECK(fd >= 0);
	unlink(path);
	fill(buf, sizeof(buf), 3);
	CHECK(write(fd, buf, sizeof(buf)) == (ssize_t)sizeof(buf));
	p = mmap(NULL, sizeof(buf), PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED);
	CHECK(check_fill(p, sizeof(buf), 3));
	CHECK(munmap(p, sizeof(buf)) == 0);
	/* At a page offset. */
	if ((long)sizeof(buf) > page) {
		p = mmap(NULL, sizeof(buf) - page, PROT_READ, MAP_PRIVATE, fd, page);
		CHECK(p != MAP_FAILED);
		CHECK(memcmp(p, buf + page, sizeof(buf) - page) == 0);
		CHECK(munmap(p, sizeof(buf) - page) == 0);
	}
	errno = 0;
	CHECK(mmap(NULL, page, PROT_READ, MAP_PRIVATE, fd, 1) == MAP_FAILED && errno == EINVAL);
	close(fd);
	return 1;
}

static int t_mremap_shrink(void)
{
	size_t len = 8 * page;
	unsigned char *p, *q;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	fill(p, len, 5);
	q = mremap(p, len, 2 * page, 0);
	CHECK(q == p);
	CHECK(check_fill(q, 2 * page, 5));
	CHECK(munmap(q, 2 * page) == 0);
	return 1;
}

/* Returns 1 ok, 0 failed, -1 the guest's documented failure. */
static int t_mremap_grow(void)
{
	size_t len = 4 * page, big = 64 * page;
	unsigned char *p, *q;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	fill(p, len, 7);
	errno = 0;
	q = mremap(p, len, big, MREMAP_MAYMOVE);
	if (q == MAP_FAILED && in_guest()) {
		diag("mremap growth: errno %d (%s)", errno, strerror(errno));
		CHECK(errno == ENOMEM);
		CHECK(check_fill(p, len, 7));	/* the old mapping is intact */
		CHECK(munmap(p, len) == 0);
		return -1;
	}
	CHECK(q != MAP_FAILED);
	CHECK(check_fill(q, len, 7));
	memset(q + len, 0xee, big - len);	/* the new part is usable */
	CHECK(munmap(q, big) == 0);
	return 1;
}

/* Returns 1 ok, 0 failed, -1 the guest has no mprotect (ENOSYS, as on
 * NOMMU Linux, where mprotect is sys_ni_syscall). */
static int t_mprotect(void)
{
	unsigned char *p = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int r;

	CHECK(p != MAP_FAILED);
	p[0] = 1;
	errno = 0;
	r = mprotect(p, page, PROT_READ);
	diag("mprotect(PROT_READ) returned %d (errno %d); faults are not tested", r,
	     r ? errno : 0);
	if (r == -1 && errno == ENOSYS && in_guest()) {
		p[0] = 2;		/* the memory stays usable */
		CHECK(p[0] == 2);
		CHECK(munmap(p, 2 * page) == 0);
		return -1;
	}
	CHECK(r == 0);
	CHECK(p[0] == 1);		/* still readable */
	CHECK(mprotect(p, page, PROT_READ | PROT_WRITE) == 0);
	p[0] = 2;			/* writable again */
	CHECK(p[0] == 2);
	errno = 0;
	CHECK(mprotect(p + 1, page, PROT_READ) == -1 && errno == EINVAL);
	CHECK(munmap(p, 2 * page) == 0);
	return 1;
}

/* brk through the system call (libc's sbrk may refuse to move it). */
static int t_brk(void)
{
	uintptr_t cur, want, got;

	cur = (uintptr_t)syscall(SYS_brk, 0);
	CHECK(cur != 0 && cur != (uintptr_t)-1);
	CHECK(syscall(SYS_brk, 0) == (long)cur);
	want = cur + 64 * 1024;
	got = (uintptr_t)syscall(SYS_brk, want);
	if (got != want && in_guest()) {
		diag("brk(+64 KiB) returned 0x%lx, break 0x%lx", (unsigned long)got,
		     (unsigned long)cur);
		CHECK(got == cur);	/* documented: the break never moves */
		return -1;
	}
	CHECK(got == want);
	memset((void *)cur, 0x77, want - cur);
	CHECK(((unsigned char *)cur)[want - cur - 1] == 0x77);
	CHECK((uintptr_t)syscall(SYS_brk, cur) == cur);	/* shrink back */
	return 1;
}

static unsigned rng = 12345;

static unsigned next_rand(void)
{
	rng = rng * 1103515245 + 12345;
	return rng >> 8;
}

static int t_malloc_churn(void)
{
	enum { SLOTS = 64 };
	unsigned char *slot[SLOTS] = { 0 };
	size_t size[SLOTS] = { 0 };
	unsigned seed[SLOTS] = { 0 };
	int i, k;

	for (i = 0; i < 3000; i++) {
		k = next_rand() % SLOTS;
		if (slot[k]) {
			CHECK(check_fill(slot[k], size[k], seed[k]));
			free(slot[k]);
		}
		size[k] = next_rand() % 3 == 0 ? next_rand() % (256 * 1024) + 1 :
						 next_rand() % 512 + 1;
		seed[k] = i;
		slot[k] = malloc(size[k]);
		CHECK(slot[k] != NULL);
		fill(slot[k], size[k], seed[k]);
	}
	for (k = 0; k < SLOTS; k++) {
		if (slot[k])
			CHECK(check_fill(slot[k], size[k], seed[k]));
		free(slot[k]);
	}
	return 1;
}

static int t_big_allocs(void)
{
	unsigned char *a, *b, *c;
	size_t n = 16u << 20;
	size_t i;

	a = malloc(n);
	b = calloc(n / 4096, 4096);
	CHECK(a && b);
	CHECK(all_zero(b, n));
	for (i = 0; i < n; i += 4096)
		a[i] = (unsigned char)(i >> 12);
	c = realloc(a, 2 * n);
	CHECK(c != NULL);
	for (i = 0; i < n; i += 4096)
		CHECK(c[i] == (unsigned char)(i >> 12));
	memset(c + n, 1, n);
	free(c);
	free(b);
	/* Repeated big allocations do not run out (memory comes back). */
	for (i = 0; i < 20; i++) {
		a = malloc(n);
		CHECK(a != NULL);
		a[0] = a[n - 1] = 1;
		free(a);
	}
	return 1;
}

static int t_mmap_churn(void)
{
	unsigned char *p;
	size_t len;
	int i;

	for (i = 0; i < 500; i++) {
		len = (next_rand() % 32 + 1) * page;
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		CHECK(p != MAP_FAILED);
		CHECK(p[0] == 0 && p[len - 1] == 0 && p[len / 2] == 0);
		memset(p, 0xab, len);
		CHECK(munmap(p, len) == 0);
	}
	/* 64 MiB at once, touched on every page. */
	len = 64u << 20;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	for (size_t o = 0; o < len; o += page) {
		CHECK(p[o] == 0);
		p[o] = 1;
	}
	CHECK(munmap(p, len) == 0);
	return 1;
}

static int t_partial_munmap(void)
{
	unsigned char *p = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED);
	fill(p, 4 * page, 11);
	/* Unmapping the middle keeps both ends. */
	CHECK(munmap(p + page, 2 * page) == 0);
	CHECK(check_fill(p, page, 11));
	CHECK(p[3 * page] == (unsigned char)(11 + 3 * page * 131 + ((3 * page) >> 9)));
	CHECK(munmap(p, page) == 0);
	CHECK(munmap(p + 3 * page, page) == 0);
	return 1;
}

int main(void)
{
	int r;

	page = sysconf(_SC_PAGESIZE);
	plan(14);
	ok(t_mmap_anon(), "mmap anonymous private: aligned, zero-filled, read/write, munmap");
	ok(t_mmap_errors(), "mmap/munmap errors: length 0, no PRIVATE/SHARED, EBADF, unaligned");
	ok(t_mmap_distinct(), "16 mappings do not overlap; reused ranges are zeroed");
	ok(t_mmap_shared_anon(), "mmap anonymous shared: zero-filled, read/write");
	ok(t_mmap_file(), "private file mapping reads the file, at a page offset too; EINVAL offset");
	ok(t_mremap_shrink(), "mremap shrinks in place keeping the contents");
	r = t_mremap_grow();
	if (r < 0)
		skip("mremap growth with MREMAP_MAYMOVE keeps the contents",
		     "wasm32: mremap can only shrink (user-abi.rst); ENOMEM checked");
	else
		ok(r, "mremap growth with MREMAP_MAYMOVE keeps the contents");
	r = t_mprotect();
	if (r < 0)
		skip("mprotect returns 0 on a mapping and the memory stays usable; EINVAL",
		     "wasm32: no mprotect on NOMMU (ENOSYS checked)");
	else
		ok(r, "mprotect returns 0 on a mapping and the memory stays usable; EINVAL");
	r = t_brk();
	if (r < 0)
		skip("brk grows the heap and shrinks it back",
		     "wasm32: the break never moves (user-abi.rst); brk returns the old break");
	else
		ok(r, "brk grows the heap and shrinks it back");
	ok(t_malloc_churn(), "3000 malloc/free of up to 256 KiB keep their contents");
	ok(t_big_allocs(), "16 MiB malloc/calloc (zeroed)/realloc to 32 MiB; 20 more in a row");
	ok(t_mmap_churn(), "500 mmap/munmap of up to 32 pages; a 64 MiB mapping touched throughout");
	ok(t_partial_munmap(), "munmap of the middle of a mapping keeps both ends");
	{
		long ps = sysconf(_SC_PAGESIZE);

		ok(ps == getpagesize() && ps >= 4096, "sysconf(_SC_PAGESIZE) == getpagesize() >= 4096 (%ld)", ps);
	}
	return done();
}
