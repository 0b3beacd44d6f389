# SPDX-License-Identifier: GPL-2.0
#
# The library of make check's test files (tools/wasm/tests/*/*.t), sourced
# by each.  A test file is a POSIX shell script that prints TAP (version
# 12: "ok N - name", "not ok N - name", "# SKIP", a "1..N" plan at the
# end); tools/wasm/scripts/check.sh runs them with prove and counts what
# they print.  One alone, by hand, after make check-build:
#
#	make check T=shell/busybox        or
#	WASM_O=build sh tools/wasm/tests/shell/busybox.t
#
# Environment (check.sh sets it; the defaults suit a build in ./build):
#   WASM_REPO  the repository (default: this file's)
#   WASM_O     the build output directory (default: $WASM_REPO/build)
#   WASM_CACHE the cache of the kernel tree and the host (~/.cache/linux-wasm)
#   WASM_LOGS  where the logs go (default: $WASM_O/check-logs)
#
# What a test file gets:
#   $repo $out $tree $host $mod    the repository, output directory, kernel
#                                  tree, native host and vmlinux.wasm
#   $logs                          this test's own log directory, emptied
#                                  first ($WASM_LOGS/AREA-NAME), kept after
#   t NAME CMD...                  a case that passes if CMD exits 0; its
#                                  output goes to a log shown on failure
#   has NAME FILE ERE              FILE has a line matching ERE (grep -E)
#   lacks NAME FILE ERE            ... and the opposite
#   same NAME EXPECTED SEEN        two strings are equal
#   skip NAME WHY                  a skipped case
#   bail WHY                       stop the file ("Bail out!"): what it
#                                  needs is missing
#   boot NAME TIMEOUT INPUT ARGS   runs the host on $mod with ARGS, INPUT
#                                  (a file, or /dev/null) on the console;
#                                  $logs/NAME gets the console without CRs,
#                                  $status the host's exit status
#   import PREFIX FILE             FILE's TAP lines as cases of this file
#   guest_program PREFIX CPIO NAME COMMAND...
#                                  a boot that runs COMMAND in the guest,
#                                  its TAP imported, its status checked
#   figure TEXT                    a measurement, printed as a comment
#   drop_if_passed FILE...         removes big files when all passed
#   done_testing                   the plan; a file must end with it
#
# A failing case prints, as TAP comments, what it expected, what it saw,
# and the log file to look at.

set -u
exec </dev/null

_here=$(cd "$(dirname "$0")" && pwd)
repo=${WASM_REPO:-$(cd "$_here/../../../.." && pwd)}
out=${WASM_O:-$repo/build}
case "$out" in
/*) ;;
*) out=$repo/$out ;;
esac
cache=${WASM_CACHE:-$HOME/.cache/linux-wasm}
tree=$cache/tree
host=${WASM_HOST:-$cache/host-target/release/wasm-linux}
mod=$out/vmlinux.wasm
_test=$(basename "$_here")-$(basename "$0" .t)
logs=${WASM_LOGS:-$out/check-logs}/$_test
rm -rf "$logs"
mkdir -p "$logs"
: >"$logs/tap"
_n=0
_fails=0

# _emit LINE: one line of TAP, to standard output and to $logs/tap.
_emit()
{
	printf '%s\n' "$1"
	printf '%s\n' "$1" >>"$logs/tap"
}

# _note TEXT...: TAP comment lines.
_note()
{
	for _line in "$@"; do
		_emit "# $_line"
	done
}

# _note_file FILE [N]: the last N (20) lines of FILE as comments.
_note_file()
{
	if [ -s "$1" ]; then
		tail -n "${2:-20}" "$1" | while IFS= read -r _line; do
			_emit "#   | $_line"
		done
	else
		_emit "#   (empty)"
	fi
}

_ok() { _n=$((_n + 1)); _emit "ok $_n - $1"; }
_not_ok() { _n=$((_n + 1)) _fails=$((_fails + 1)); _emit "not ok $_n - $1"; }

t()
{
	_name=$1
	shift
	_log=$logs/case-$((_n + 1)).log
	if "$@" >"$_log" 2>&1; then
		_ok "$_name"
	else
		_status=$?
		_not_ok "$_name"
		_note "expected: the command to succeed: $*" \
			"seen: exit status $_status; output in $_log:"
		_note_file "$_log"
	fi
}

has()
{
	if [ -f "$2" ] && grep -Eq -- "$3" "$2"; then
		_ok "$1"
	else
		_not_ok "$1"
		_note "expected: a line matching /$3/" "seen: no such line in $2, which ends:"
		_note_file "$2"
	fi
}

lacks()
{
	if [ -f "$2" ] && ! grep -Eq -- "$3" "$2"; then
		_ok "$1"
	else
		_not_ok "$1"
		_note "expected: no line matching /$3/ (file $2)" "seen:"
		grep -E -- "$3" "$2" 2>/dev/null | head -n 10 >"$logs/lacks.tmp"
		_note_file "$logs/lacks.tmp"
	fi
}

same()
{
	if [ "$2" = "$3" ]; then
		_ok "$1"
	else
		_not_ok "$1"
		_note "expected: '$2'" "seen: '$3'"
	fi
}

skip() { _n=$((_n + 1)); _emit "ok $_n - $1 # SKIP $2"; }

bail()
{
	_emit "Bail out! $*"
	exit 1
}

figure() { _note "$*"; }

boot()
{
	_bname=$1 _btimeout=$2 _binput=$3
	shift 3
	timeout "$_btimeout" "$host" run "$mod" "$@" <"$_binput" \
		>"$logs/$_bname.raw" 2>&1
	status=$?
	tr -d '\r' <"$logs/$_bname.raw" >"$logs/$_bname"
	[ "$status" -ne 124 ] || _note "$_bname: the host was killed after ${_btimeout} s"
	return 0
}

# import PREFIX FILE: every "ok"/"not ok" line of FILE (a guest program's
# TAP) becomes a case of this file, named "PREFIX: its description", with
# its SKIP or TODO directive; the comment lines after a "not ok" come too.
import()
{
	_prefix=$1
	_after_fail=0
	while IFS= read -r _line; do
		case "$_line" in
		'not ok '*|'ok '*)
			_rest=${_line#not }
			_rest=${_rest#ok }
			_rest=${_rest#"${_rest%%[!0-9]*}"}
			_rest=${_rest# }
			_rest=${_rest#- }
			case "$_line" in
			not*) _not_ok "$_prefix: $_rest"; _after_fail=1 ;;
			*) _ok "$_prefix: $_rest"; _after_fail=0 ;;
			esac
			;;
		'#'*)
			[ "$_after_fail" -eq 0 ] || _emit "#   | $_line"
			;;
		*) _after_fail=0 ;;
		esac
	done <"$2"
}

done_testing()
{
	_emit "1..$_n"
}

# needs FILE...: bail out unless each exists (built by make check-build).
needs()
{
	for _f in "$@"; do
		[ -e "$_f" ] || bail "no $_f (run: make check-build)"
	done
}

# cargo_cases PREFIX LOG STATUS: the "test NAME ... ok|FAILED|ignored"
# lines of a Rust test run (cargo test, rustc --test) as cases; a run
# that printed none, or failed without a failing test, is one failure.
cargo_cases()
{
	_seen=0
	_bad=0
	while IFS= read -r _line; do
		case "$_line" in
		'test '*' ... ok') _ok "$1: ${_line#test }"; _seen=1 ;;
		'test '*' ... ignored'*) skip "$1: ${_line#test }" ignored; _seen=1 ;;
		'test '*' ... FAILED')
			_not_ok "$1: ${_line#test }"
			_note "the test's output is in $2"
			_seen=1 _bad=1 ;;
		esac
	done <"$2"
	if [ "$_seen" -eq 0 ] || { [ "$3" -ne 0 ] && [ "$_bad" -eq 0 ]; }; then
		_not_ok "$1: the test run ends with status 0 and test results"
		_note "seen: exit status $3; output in $2:"
		_note_file "$2"
	fi
}

# not COMMAND...: succeeds if COMMAND fails (for negative cases).
not() { ! "$@"; }

# guest_cpio NAME LIST...: $logs/NAME.cpio from the gen_init_cpio lists
# LIST... (the BusyBox initramfs.list first, then the test programs').
guest_cpio()
{
	_cname=$1
	shift
	cat "$@" >"$logs/$_cname.list"
	"$out/usr/gen_init_cpio" "$logs/$_cname.list" >"$logs/$_cname.cpio"
}

# section NAME FILE: the lines of FILE from "BEGIN NAME" to "END NAME ...".
section()
{
	sed -n "/^BEGIN $1\$/,/^END $1 /p" "$2"
}

# guest_program PREFIX CPIO NAME COMMAND...: boots $logs/CPIO.cpio, runs
# COMMAND between "BEGIN NAME" and "END NAME STATUS" and powers off; the
# guest must power off, COMMAND's TAP lines become cases named PREFIX: ...
# (kept in $logs/NAME.tap), and COMMAND must exit 0.
guest_program()
{
	_gprefix=$1 _gcpio=$2 _gname=$3
	shift 3
	printf '%s\n' "echo BEGIN $_gname; $*; echo END $_gname \$?" poweroff \
		>"$logs/$_gname.in"
	boot "$_gname" 600 "$logs/$_gname.in" --cpus 2 \
		--initramfs "$logs/$_gcpio.cpio" --append quiet
	same "$_gprefix: the guest powers off, host status 0" 0 "$status"
	section "$_gname" "$logs/$_gname" >"$logs/$_gname.tap"
	import "$_gprefix" "$logs/$_gname.tap"
	has "$_gprefix: ran to the end in the guest and exited 0" \
		"$logs/$_gname.tap" "^END $_gname 0\$"
}

drop_if_passed()
{
	[ "$_fails" -ne 0 ] || rm -f "$@"
}
