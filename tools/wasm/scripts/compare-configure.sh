#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Does configure believe the guest's toolchain?  Runs a port's configure
# twice with its recipe's options: as build-ports.sh does, for the guest
# (wasm-linux-cc, the ports' sysroot, config.site), and natively with
# Debian's musl-gcc (the same musl 1.2.3) on the build machine, its
# dependencies built natively first; then compares the results of the
# checks, configure's cache variables (ac_cv_*, and the package's own
# *_cv_*).
#
# Usage: compare-configure.sh OUTDIR NAME
#
# Needs OUTDIR/ports/sysroot (make ports).  Writes
# OUTDIR/ports/compare/NAME/{wasm,native}.vars (VAR=VALUE, sorted) and
# diff, the lines that differ, and prints each difference as
#   differs: VAR guest=VALUE native=VALUE
# with the reason tools/wasm/ports/NAME/configure-differences gives for
# it (lines "VAR reason...": what about the platform makes it differ),
# or as "unexplained".  Exits 1 if a difference is unexplained, or an
# explained one no longer differs (the list must stay true).
#
# Left out of the comparison: what names the toolchain itself (compiler,
# paths, object and executable suffixes, the build and host triplets),
# configure's own environment variables (ac_cv_env_*), and the answers
# of tools/wasm/toolchain/config.site that the native run did not need.

set -eu

here=$(cd "$(dirname "$0")" && pwd)
scripts=$here
# shellcheck source=tools/wasm/scripts/paths.sh
. "$here/paths.sh"
out_dir "usage: compare-configure.sh OUTDIR NAME" "${1:-}"
port=${2:?usage: compare-configure.sh OUTDIR NAME}
# shellcheck source=tools/wasm/scripts/foreign-make.sh
. "$here/foreign-make.sh"
# shellcheck source=tools/wasm/scripts/ports-lib.sh
. "$here/ports-lib.sh"

sysroot=$out/ports/sysroot
top=$out/ports/compare/$port
native_root=$top/native-root
if [ ! -f "$sysroot/lib/libc.so" ]; then
	echo "error: no $sysroot (run: make ports)" >&2
	exit 1
fi
if ! command -v musl-gcc >/dev/null; then
	echo "error: no musl-gcc (apt-get install musl-tools)" >&2
	exit 1
fi
rm -rf "$top"
mkdir -p "$top" "$native_root"
log=$top/log
: >"$log"

visit "$port"
# The dependencies, natively, into $native_root.
for dep in $order; do
	[ "$dep" = "$port" ] && continue
	(
		recipe "$dep"
		fetch_source
		echo "  NATIVE  $dep $version (musl-gcc, a dependency)"
		src=$top/deps/$dep/src
		build=$top/deps/$dep/build
		stage=$native_root
		unpack_source "$src" "$log"
		target_env native
		[ "$in_tree" = yes ] && build=$src
		mkdir -p "$build"
		for s in prepare configure make install; do
			d=$build
			[ "$s" = prepare ] && d=$src
			run_step "$s" "$d" "$log"
		done
	)
done

# The cache variables of a configure run, less the toolchain's names.
vars() {
	awk '/^## Cache variables/ { on = 1 } /^## Output variables/ { on = 0 }
	     on' "$1" | grep '^[a-zA-Z_]*_cv_' |
		grep -v -e '^ac_cv_env_' -e '^ac_cv_prog_' -e '^ac_cv_path_' \
			-e '^ac_cv_build=' -e '^ac_cv_host=' -e '^ac_cv_target=' \
			-e '^ac_cv_objext=' -e '^ac_cv_exeext=' \
			-e '^ac_cv_c_compiler_gnu=' -e '^ac_cv_prog_cc_' \
			-e '^ac_cv_cc_' -e '^am_cv_CC_dependencies' \
			-e '^am_cv_prog_cc_' -e '^am_cv_make_support' |
		sed "s/='guessing \\(.*\\)'\$/=guessing-\\1/; s/='\\(.*\\)'\$/=\\1/" |
		LC_ALL=C sort
}

for t in wasm native; do
	(
		recipe "$port"
		fetch_source
		echo "  CONFIG  $port $version ($t)"
		src=$top/src-$t
		build=$top/$t
		stage=$top/stage-$t
		unpack_source "$src" "$log"
		target_env "$t"
		[ "$in_tree" = yes ] && build=$src
		mkdir -p "$build"
		run_step prepare "$src" "$log"
		run_step configure "$build" "$log"
		vars "$build/config.log" >"$top/$t.vars"
		if [ ! -s "$top/$t.vars" ]; then
			echo "error: no cache variables in $build/config.log" >&2
			exit 1
		fi
	)
done

expected=$recipes/$port/configure-differences
# VAR|GUEST|NATIVE for each variable either side has, where they differ.
sed 's/=/|/' "$top/wasm.vars" >"$top/wasm.cols"
sed 's/=/|/' "$top/native.vars" >"$top/native.cols"
LC_ALL=C join -t '|' -a 1 -a 2 -e '(unset)' -o 0,1.2,2.2 \
	"$top/wasm.cols" "$top/native.cols" | awk -F'|' '$2 != $3' >"$top/diff.all"
# config.site's answers show in every configure's cache; one the native
# run did not ask for is no check of this package.
sed -n 's/^: "\${\([A-Za-z0-9_]*\)=.*/\1/p' "$site" >"$top/site.vars"
awk -F'|' 'NR == FNR { site[$1] = 1; next }
	   !($3 == "(unset)" && ($1 in site))' "$top/site.vars" "$top/diff.all" \
	>"$top/diff"
status=0
n=$(wc -l <"$top/diff")
same=$(LC_ALL=C join -t '|' -o 0 "$top/wasm.cols" "$top/native.cols" |
	wc -l)
same=$((same - $(awk -F'|' '$3 != "(unset)" && $2 != "(unset)"' "$top/diff" | wc -l)))
while IFS='|' read -r var guest native; do
	why=
	[ -f "$expected" ] &&
		why=$(awk -v v="$var" '$1 == v { $1 = ""; sub(/^ /, ""); print }' "$expected")
	if [ -n "$why" ]; then
		echo "differs: $var guest=$guest native=$native: $why"
	else
		echo "differs: $var guest=$guest native=$native: unexplained"
		status=1
	fi
done <"$top/diff"
if [ -f "$expected" ]; then
	grep -v -e '^#' -e '^[[:space:]]*$' "$expected" | while read -r var _; do
		if ! grep -q "^$var|" "$top/diff"; then
			echo "listed in $expected but the same on both: $var"
			exit 1
		fi
	done || status=1
fi
echo "  SAME    $port: $same checks give the same answer, $n differ"
exit "$status"
