/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TAP helpers shared by the conformance tests of this directory.  Every
 * program prints the KTAP header and "1..N" first, then one "ok"/"not ok"
 * line per case, and exits 0 only if every case passed.  The same sources build for the
 * wasm32 guest (wasm-linux-cc, musl) and natively (cc, glibc).
 */
#ifndef CONFORMANCE_TAP_H
#define CONFORMANCE_TAP_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

/*
 * The kernel's selftest helpers (tools/testing/selftests/kselftest.h of
 * the base tree, on the include path of both builds) print the KTAP; the
 * functions below are the few forms these tests use.
 */
#include "kselftest.h"

/* 1 when running as a wasm32 guest (uname -m), where a few documented
 * differences (user-abi.rst) turn a case into a SKIP. */
static __attribute__((unused)) int in_guest(void)
{
	static int guest = -1;
	struct utsname u;

	if (guest < 0)
		guest = uname(&u) == 0 && strcmp(u.machine, "wasm32") == 0;
	return guest;
}

/* The header and the plan; stdout becomes line buffered, so that the
 * output survives a crash and does not mix with children's. */
static __attribute__((unused)) void plan(int n)
{
	ksft_print_header();
	ksft_set_plan(n);
}

/* A "# ..." diagnostic line. */
static __attribute__((unused, format(printf, 1, 2)))
void diag(const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	ksft_print_msg("%s\n", line);
	fflush(stdout);
}

/* One case: "ok N description" if cond, else "not ok N description". */
static __attribute__((unused, format(printf, 2, 3)))
int ok(int cond, const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (cond)
		ksft_test_result_pass("%s\n", what);
	else
		ksft_test_result_fail("%s\n", what);
	fflush(stdout);
	return cond;
}

static __attribute__((unused)) void skip(const char *what, const char *why)
{
	ksft_test_result_skip("%s: %s\n", what, why);
	fflush(stdout);
}

/* The exit status: 0 only if every planned case ran and none failed. */
static __attribute__((unused)) int done(void)
{
	ksft_print_cnts();
	return ksft_test_num() == ksft_plan && !ksft_get_fail_cnt() &&
		!ksft_get_error_cnt() ? 0 : 1;
}

/* CHECK(cond): returns 0 from the calling case function after a
 * diagnostic naming the failed condition and errno. */
#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			diag("%s:%d: %s failed (errno %d: %s)",		\
			     __FILE__, __LINE__, #cond, errno,		\
			     strerror(errno));				\
			return 0;					\
		}							\
	} while (0)

static __attribute__((unused)) const char *tmp_dir(void)
{
	const char *d = getenv("TMPDIR");

	return d && *d ? d : "/tmp";
}

#endif
