/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TAP helpers shared by the conformance tests of this directory.  Every
 * program prints "1..N" first, then one "ok"/"not ok" line per case, and
 * exits 0 only if every case passed.  The same sources build for the
 * wasm32 guest (wasm-linux-cc, musl) and natively (cc, glibc).
 */
#ifndef CONFORMANCE_TAP_H
#define CONFORMANCE_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

static int tap_failed, tap_n, tap_plan;

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

static __attribute__((unused)) void plan(int n)
{
	/* Line buffered, so that the output survives a crash and does not
	 * mix with children that write to the same stream. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	tap_plan = n;
	printf("1..%d\n", n);
}

/* A "# ..." diagnostic line. */
static __attribute__((unused)) void diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
}

static __attribute__((unused)) int ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
	if (!cond)
		tap_failed++;
	return cond;
}

static __attribute__((unused)) void skip(const char *what, const char *why)
{
	printf("ok %d - %s # SKIP %s\n", ++tap_n, what, why);
	fflush(stdout);
}

/* The exit status: 0 only if every planned case ran and passed. */
static __attribute__((unused)) int done(void)
{
	if (tap_n != tap_plan) {
		diag("planned %d cases, ran %d", tap_plan, tap_n);
		return 1;
	}
	return tap_failed ? 1 : 0;
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
