#!/bin/sh
# SPDX-License-Identifier: MIT
#
# bash's own test suite (tests/ of the bash 5.2.15 tarball), in the booted
# guest and natively, side by side.
#
# Usage: tools/wasm/ports/bash/test-suite.sh OUTDIR
#
# OUTDIR is the build directory (normally build/): it needs vmlinux.wasm,
# usr/gen_init_cpio, musl/sysroot and the ports' image (make ports:
# ports/root/usr/bin/bash, ports/initramfs.list).
#
# What it does:
#   - unpacks ${WASM_CACHE:-~/.cache/linux-wasm}/src/bash_5.2.15.orig.tar.gz
#     into OUTDIR/ports/test-suites/bash.work/ and builds the suite's
#     helper programs (support/recho.c, zecho.c, printenv.c, xcase.c: the
#     recho zecho printenv xcase targets of bash's Makefile) and bt-run
#     (below) twice: for the guest with wasm-linux-cc -static (against
#     OUTDIR/musl/sysroot) and natively with cc;
#   - natively runs the suite with THIS_SH=/bin/bash, the build machine's
#     own bash (Debian bookworm's 5.2.15, the same source), inside
#     script(1) for a terminal: this is the reference, what passes on an
#     ordinary Linux machine.  The locales the tests ask for (en_US.UTF-8,
#     de_DE.UTF-8, ru_RU.CP1251, zh_HK.big5hkscs) are compiled with
#     localedef into the work directory (LOCPATH) when the machine has
#     localedef and their sources;
#   - packs an initramfs of the ports' image (OUTDIR/ports/initramfs.list)
#     plus the tests in /root/bash-tests (not /tmp: the guest mounts a
#     tmpfs there), boots it (wasm-linux run --cpus 2) and has its login
#     shell run the suite on the console with THIS_SH=/bin/bash, the
#     guest's bash (ports/root/usr/bin/bash); the results come back on
#     the console.
# Both sides run the same driver with sh, as tests/run-all does ("sh
# run-NAME"), one tests/run-NAME at a time except run-all and
# run-minimal, in a clean environment (env -i: HOME, PATH, TERM=dumb,
# TMPDIR, THIS_SH, BUILD_DIR), with stdin a terminal that never has
# input, as make check's (some tests read it, or /dev/tty, and expect a
# time-out).
# PATH starts with . and BUILD_DIR (the helpers, and the config.h,
# version.h and y.tab.c heredoc5.sub copies through a here-document), as
# make check and run-all set it.  bt-run runs each run-NAME in a process
# group of its own, the terminal's foreground one, with the default
# signal actions (an asynchronous command of sh would ignore SIGINT and
# SIGQUIT, which the trap tests print), no descriptor above 2 open, and
# a time limit: after BASH_TEST_LIMIT seconds (default 120) the group
# gets SIGTERM, then SIGKILL; what the test left running is killed.
# Both sides run as root here; several tests say they should not be,
# and expect a user's prompt, '$' (new-exp).
#
# A test passes iff its run-NAME exits 0, leaves no BASH_TSTOUT file
# (each test has its own: $TMPDIR/bashtst-NAME) and prints nothing but
# the "warning: ..." lines of the run-NAME scripts themselves: run-all
# says "Any output from any test, unless otherwise noted, indicates a
# possible anomaly" (the diff against NAME.right).
#
# Output: one line per test, "NAME guest=pass|FAIL native=pass|FAIL",
# then "bash tests: guest N/M passed, native K/M passed".  Logs in
# OUTDIR/ports/test-suites/bash/: NAME.diff, what each test failing in
# the guest printed (its diff against NAME.right, at most 2000 lines);
# native/NAME.diff the same natively; guest.console, the guest's console;
# results, the table.
#
# Exit status: 0 when the guest ran the whole suite (failing tests are
# reported, not fatal); 1 when the guest did not boot or finish within
# BASH_TEST_TIMEOUT seconds (default 3600), or something needed is
# missing; 2 on a usage error.
#
# Environment: BASH_TEST_LIMIT, BASH_TEST_TIMEOUT (above), NATIVE_SH (the
# native shell, default /bin/bash), WASM_CACHE, WASM_LINUX (the host,
# default $WASM_CACHE/host-target/release/wasm-linux), HOSTCC (cc).

set -eu

here=$(cd "$(dirname "$0")" && pwd)
srcroot=$(cd "$here/../../../.." && pwd)
cache=${WASM_CACHE:-$HOME/.cache/linux-wasm}
if [ -z "${1:-}" ]; then
	echo "usage: test-suite.sh OUTDIR" >&2
	exit 2
fi
out=$(cd "$1" && pwd)
limit=${BASH_TEST_LIMIT:-120}
total=${BASH_TEST_TIMEOUT:-3600}
native_sh=${NATIVE_SH:-/bin/bash}
host=${WASM_LINUX:-$cache/host-target/release/wasm-linux}
tarball=$cache/src/bash_5.2.15.orig.tar.gz
vmlinux=$out/vmlinux.wasm
gen=$out/usr/gen_init_cpio
guest_bash=$out/ports/root/usr/bin/bash
list=$out/ports/initramfs.list
logs=$out/ports/test-suites/bash
work=$out/ports/test-suites/bash.work

for f in "$tarball" "$vmlinux" "$gen" "$host" "$guest_bash" "$native_sh"; do
	if [ ! -e "$f" ]; then
		echo "test-suite.sh: no $f" >&2
		exit 1
	fi
done
if [ ! -f "$list" ]; then
	# Before make ports has packed its image: BusyBox's, with bash added
	# below.
	list=$out/initramfs.list
	if [ ! -f "$list" ]; then
		echo "test-suite.sh: no $out/ports/initramfs.list (make ports)" >&2
		exit 1
	fi
fi

rm -rf "$work" "$logs"
mkdir -p "$work" "$logs/native"
pid=
trap '[ -z "$pid" ] || kill "$pid" 2>/dev/null || :' EXIT
trap 'exit 1' HUP INT TERM

# --- the source, the helpers ----------------------------------------------

tar -xzf "$tarball" -C "$work"
src=$work/bash-5.2.15
for side in guest native; do
	mkdir -p "$work/$side/build"
	cp -R "$src/tests" "$work/$side/tests"
	cp "$src/y.tab.c" "$work/$side/build/"
	# heredoc5.sub only copies these through a here-document: the guest
	# build's own when build-ports.sh left them, else stand-ins.
	if [ -f "$out/ports/build/bash/wasm/config.h" ] &&
	   [ -f "$out/ports/build/bash/wasm/version.h" ]; then
		cp "$out/ports/build/bash/wasm/config.h" "$out/ports/build/bash/wasm/version.h" \
			"$work/$side/build/"
	else
		cp "$src/config.h.in" "$work/$side/build/config.h"
		printf '/* stand-in for bash'\''s version.h */\n#define DISTVERSION "5.2"\n' \
			>"$work/$side/build/version.h"
	fi
done

# bt-run LIMIT PROG [ARG...]: see the top of this file.  Exits with PROG's
# status, 128+N if a signal N killed it, 124 if the time was up.
cat >"$work/bt-run.c" <<'EOF'
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	sigset_t ttou, none;
	pid_t pid;
	int fd, tty, sig, status;

	if (argc < 3) {
		fprintf(stderr, "usage: bt-run LIMIT PROG [ARG...]\n");
		return 2;
	}
	for (fd = 3; fd < 1024; fd++)
		close(fd);
	signal(SIGCHLD, SIG_DFL);
	sigemptyset(&ttou);
	sigaddset(&ttou, SIGTTOU);
	sigprocmask(SIG_BLOCK, &ttou, NULL);
	/* The terminal, if this is its foreground process group. */
	tty = open("/dev/tty", O_RDWR | O_CLOEXEC);
	if (tty >= 0 && tcgetpgrp(tty) != getpgrp()) {
		close(tty);
		tty = -1;
	}
	pid = fork();
	if (pid < 0) {
		perror("bt-run: fork");
		return 125;
	}
	if (pid == 0) {
		setpgid(0, 0);
		if (tty >= 0)
			tcsetpgrp(tty, getpid());
		for (sig = 1; sig < NSIG; sig++)
			signal(sig, SIG_DFL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
	setpgid(pid, pid);
	if (tty >= 0)
		tcsetpgrp(tty, pid);
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: waitpid returns EINTR */
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	alarm((unsigned)atoi(argv[1]));
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			perror("bt-run: waitpid");
			return 125;
		}
		if (alarms == 1) {
			kill(-pid, SIGTERM);
			alarm(10);
		} else if (alarms > 1) {
			kill(-pid, SIGKILL);
		}
	}
	/* What it left behind. */
	kill(-pid, SIGKILL);
	if (tty >= 0)
		tcsetpgrp(tty, getpgrp());
	if (alarms)
		return 124;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
EOF

echo "  CC      recho zecho printenv xcase bt-run (guest, native)"
# The helpers need no config.h: the HAVE_ macros of bashansi.h and
# xcase.c are the ones that matter.
helper_cflags="-O2 -w -I$src -I$src/include -DHAVE_STRING_H -DHAVE_STDLIB_H -DHAVE_UNISTD_H"
for p in recho zecho printenv xcase bt-run; do
	c=$src/support/$p.c
	[ "$p" != bt-run ] || c=$work/bt-run.c
	# shellcheck disable=SC2086 # helper_cflags is a list of options
	WASM_SYSROOT=$out/musl/sysroot "$srcroot/tools/wasm/scripts/wasm-linux-cc" \
		-static $helper_cflags -o "$work/guest/build/$p" "$c"
	# shellcheck disable=SC2086
	${HOSTCC:-cc} $helper_cflags -o "$work/native/build/$p" "$c"
done

# --- the driver, the same on both sides -----------------------------------

# driver.sh TESTS LIMIT (THIS_SH, BUILD_DIR, TMPDIR from the environment):
# prints, for each run-NAME, "@@bt begin NAME", what it printed (at most
# 2000 lines), "@@bt end NAME status=S left=yes|no secs=N [timeout]".
cat >"$work/driver.sh" <<'EOF'
#!/bin/sh
# bash's tests/run-NAME, one at a time (tools/wasm/ports/bash/test-suite.sh).
cd "$1" || exit 1
limit=$2
PATH=.:$BUILD_DIR:$PATH
export PATH THIS_SH BUILD_DIR TMPDIR
echo
echo "@@bt start"
for t in run-*; do
	case $t in
	run-all|run-minimal|run-gprof|*.orig|*~) continue ;;
	esac
	name=${t#run-}
	BASH_TSTOUT=$TMPDIR/bashtst-$name
	export BASH_TSTOUT
	log=$TMPDIR/bt-out-$name
	rm -f "$BASH_TSTOUT" "$log" "/tmp/$name.check"
	s=$(date +%s)
	bt-run "$limit" sh "./$t" >"$log" 2>&1
	st=$?
	e=$(date +%s)
	left=no
	[ -e "$BASH_TSTOUT" ] && left=yes
	late=
	[ "$st" -eq 124 ] && late=" timeout"
	echo "@@bt begin $name"
	awk 'NR <= 2000 { print } END { if (NR > 2000) print "@@bt (" NR - 2000 " more lines)" }' "$log"
	if [ -n "$late" ] && [ -f "$BASH_TSTOUT" ]; then
		echo "@@bt time up; the end of what the test had written:"
		tail -n 40 "$BASH_TSTOUT"
	fi
	echo "@@bt end $name status=$st left=$left secs=$((e - s))$late"
	rm -f "$BASH_TSTOUT" "$log" "/tmp/$name.check"
done
echo "@@bt done"
EOF

# --- natively --------------------------------------------------------------

native=$work/native
mkdir -p "$native/tmp" "$native/locale"
if command -v localedef >/dev/null 2>&1; then
	echo "  LOCALE  en_US.UTF-8 de_DE.UTF-8 ru_RU.CP1251 zh_HK.big5hkscs (native)"
	for l in en_US:UTF-8:en_US.UTF-8 de_DE:UTF-8:de_DE.UTF-8 \
		 ru_RU:CP1251:ru_RU.CP1251 zh_HK:BIG5-HKSCS:zh_HK.big5hkscs; do
		i=${l%%:*} f=${l#*:}
		n=${f#*:} f=${f%%:*}
		localedef -i "$i" -f "$f" "$native/locale/$n" >/dev/null 2>&1 ||
			[ -d "$native/locale/$n" ] || echo "  (no $n)"
	done
fi

echo "  RUN     the suite natively (THIS_SH=$native_sh)"
# A terminal (script(1)'s) whose input is a FIFO nobody writes to: no
# input, and no end of it.
mkfifo "$native/no-input"
exec 3<>"$native/no-input"
t0=$(date +%s)
if command -v script >/dev/null 2>&1; then
	env -i HOME="$native" PATH=/usr/bin:/bin:/usr/sbin:/sbin TERM=dumb \
		LOCPATH="$native/locale" TMPDIR="$native/tmp" THIS_SH="$native_sh" \
		BUILD_DIR="$native/build" \
		script -qefc "sh '$work/driver.sh' '$native/tests' '$limit'" /dev/null \
		<&3 >"$work/native.console" 2>&1 || :
else
	echo "  (no script(1): natively without a terminal)"
	env -i HOME="$native" PATH=/usr/bin:/bin:/usr/sbin:/sbin TERM=dumb \
		LOCPATH="$native/locale" TMPDIR="$native/tmp" THIS_SH="$native_sh" \
		BUILD_DIR="$native/build" \
		sh "$work/driver.sh" "$native/tests" "$limit" \
		</dev/null >"$work/native.console" 2>&1 || :
fi
exec 3>&-
echo "  native: $(($(date +%s) - t0)) s"
tr -d '\r' <"$work/native.console" >"$work/native.out"

# --- in the guest -----------------------------------------------------------

glist=$work/guest.list
cpio=$work/guest.cpio
{
	cat "$list"
	# Whatever the image does not have yet.
	for d in /root /usr /usr/bin /bin; do
		grep -q "^dir $d " "$list" || echo "dir $d 0755 0 0"
	done
	grep -q '^[a-z]* /usr/bin/bash ' "$list" ||
		echo "file /usr/bin/bash $guest_bash 0755 0 0"
	grep -q '^[a-z]* /bin/bash ' "$list" ||
		echo "slink /bin/bash ../usr/bin/bash 0777 0 0"
	echo "dir /root/bash-tests 0755 0 0"
	echo "file /root/bash-tests/driver.sh $work/driver.sh 0755 0 0"
	(cd "$work/guest" && find build tests | LC_ALL=C sort) | while read -r p; do
		if [ -d "$work/guest/$p" ]; then
			echo "dir /root/bash-tests/$p 0755 0 0"
		elif [ -x "$work/guest/$p" ]; then
			echo "file /root/bash-tests/$p $work/guest/$p 0755 0 0"
		else
			echo "file /root/bash-tests/$p $work/guest/$p 0644 0 0"
		fi
	done
} >"$glist"
"$gen" -t 0 "$glist" >"$cpio"

# One line, which the login shell reads whole before it runs it: nothing
# is left on the console for a test to read; the console's input is a
# FIFO that never ends, as natively.
mkfifo "$work/guest.input"
exec 4<>"$work/guest.input"
echo "env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin TERM=dumb TMPDIR=/tmp" \
	"THIS_SH=/bin/bash BUILD_DIR=/root/bash-tests/build" \
	"sh /root/bash-tests/driver.sh /root/bash-tests/tests $limit; poweroff" >&4

echo "  BOOT    $vmlinux with the suite ($((total / 60)) min at most)"
console=$logs/guest.console
t0=$(date +%s)
timeout "$total" "$host" run "$vmlinux" --cpus 2 --initramfs "$cpio" --append quiet \
	<&4 >"$console" 2>"$work/guest.stderr" &
pid=$!
exec 4>&-
seen=0
while kill -0 "$pid" 2>/dev/null; do
	sleep 10
	n=$(grep -ac '@@bt end ' "$console" || :)
	if [ "$n" != "$seen" ] && [ $((n / 10)) != $((seen / 10)) ]; then
		echo "  guest: $n tests done ($(($(date +%s) - t0)) s)"
	fi
	seen=$n
done
rc=0
wait "$pid" || rc=$?
pid=
guest_secs=$(($(date +%s) - t0))
tr -d '\r' <"$console" >"$work/guest.out"

# --- the table ---------------------------------------------------------------

# results OUT DIR: "NAME pass|FAIL" for each test of the driver's output
# OUT, and what each failing test printed into DIR/NAME.diff.
results()
{
	awk -v dir="$2" '
	# A marker may follow what the terminal had on the line.
	/@@bt (start|begin|end|done)/ { sub(/^.*@@bt /, "@@bt ") }
	/^@@bt begin / { body = ""; bad = 0; inside = 1; next }
	/^@@bt end / && inside {
		inside = 0
		ok = ($4 == "status=0" && $5 == "left=no" && !bad)
		print $3, (ok ? "pass" : "FAIL")
		if (!ok) {
			f = dir "/" $3 ".diff"
			printf "# %s\n%s", $0, body > f
			close(f)
		}
		next
	}
	inside {
		body = body $0 "\n"
		# Kernel messages on the console are no output of a test.
		if ($0 !~ /^warning: / && $0 !~ /^\[ *[0-9]+\.[0-9]+\] /)
			bad = 1
	}' "$1"
}
results "$work/guest.out" "$logs" >"$work/guest.results"
results "$work/native.out" "$logs/native" >"$work/native.results"

(cd "$src/tests" && ls run-*) | sed 's/^run-//' |
grep -vx -e all -e minimal -e gprof | while read -r name; do
	g=$(awk -v n="$name" '$1 == n { print $2 }' "$work/guest.results")
	nt=$(awk -v n="$name" '$1 == n { print $2 }' "$work/native.results")
	echo "$name guest=${g:-FAIL} native=${nt:-FAIL}"
done >"$logs/results"
cat "$logs/results"
m=$(wc -l <"$logs/results")
gp=$(grep -c ' guest=pass' "$logs/results" || :)
np=$(grep -c ' native=pass' "$logs/results" || :)
echo "bash tests: guest $gp/$m passed, native $np/$m passed" | tee -a "$logs/results"
echo "  guest run: $guest_secs s; logs: $logs"

if ! grep -q '@@bt done' "$work/guest.out"; then
	ran=$(wc -l <"$work/guest.results")
	echo "test-suite.sh: the guest did not finish the suite ($ran of $m tests;" \
		"host status $rc; console: $console)" >&2
	exit 1
fi
if [ "$rc" -ne 0 ]; then
	echo "test-suite.sh: warning: the host exited with status $rc after the suite" >&2
fi
exit 0
