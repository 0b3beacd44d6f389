// SPDX-License-Identifier: GPL-2.0
/*
 * A program linked against the shared C library (/lib/libc.so): stdio,
 * malloc, data of the library (environ, stdout: GOT.mem), a function of
 * the program that the library calls back (qsort: a table slot), and
 * setjmp/longjmp (the library's exception tag).  Prints TAP.
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static int failed, n;

static void ok(int cond, const char *what)
{
	printf("%sok %d - %s\n", cond ? "" : "not ", ++n, what);
	if (!cond)
		failed++;
}

static int cmp(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static jmp_buf jb;

static void jump(int v)
{
	longjmp(jb, v);
}

int main(void)
{
	int v[] = { 5, 3, 9, 1, 7 };
	volatile int jumps = 0;
	char *p;

	printf("1..5\n");
	p = malloc(100000);
	ok(p && (memset(p, 1, 100000), p[99999] == 1), "malloc from libc.so");
	free(p);
	ok(environ && environ[0] && strchr(environ[0], '='),
	   "environ, a data symbol of libc.so");
	qsort(v, 5, sizeof(v[0]), cmp);
	ok(v[0] == 1 && v[4] == 9, "qsort in libc.so calls back into the program");
	if (setjmp(jb) < 3) {
		jumps++;
		jump(jumps);
	}
	ok(jumps == 3, "setjmp/longjmp through libc.so's tag");
	ok(fprintf(stdout, "%s\n", "stdout of libc.so") > 0, "fprintf to stdout");
	return failed ? 1 : 0;
}
