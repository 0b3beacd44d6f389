#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Build Debian's dash for the wasm32 Linux guest, unmodified, the way any
# cross build of an autoconf package goes (README.md next to this file
# says why each setting).
#
# Usage: tools/wasm/ports/dash/build.sh OUTDIR
#
# Result:
#   OUTDIR/dash/dash            the guest's dash: a WebAssembly PIE linked
#                               against /lib/libc.so, through Asyncify (fork)
#   OUTDIR/dash/initramfs.list  gen_init_cpio lines installing it as
#                               /usr/bin/dash, to append to a list such as
#                               OUTDIR/initramfs.list
#   OUTDIR/dash/native/src/dash the same source built with the build
#                               machine's cc and the same options: the
#                               reference of tests/ports/dash.t where the
#                               machine has no /bin/dash
#
# The source is the pristine upstream tarball of Debian bookworm's dash
# source package, dash_0.5.12.orig.tar.gz (apt-get source, through
# tools/wasm/scripts/apt-source.sh) in ${WASM_CACHE:-~/.cache/linux-wasm}/src,
# unpacked into OUTDIR/dash/src; no patch is applied.  Both builds are out
# of tree (OUTDIR/dash/wasm, OUTDIR/dash/native).  A build directory is
# configured afresh when what it was configured with changes (this script,
# the tarball, and for the guest's the wrapper, Asyncify, the sysroot's
# libraries and headers, clang); otherwise make only does what is out of
# date, and a second run with nothing changed only checks.  The logs are
# OUTDIR/dash/{wasm,native}.config.log (configure's output, of the last
# configuration) and OUTDIR/dash/{wasm,native}.log (make's, of this run).
#
# Environment: JOBS (default 2), HOSTCC (the build machine's cc, default
# cc), WASM_SYSROOT (see wasm-linux-cc; by default the sysroot of
# OUTDIR/musl when there is one, else the wrapper's own default).

set -eu

version=0.5.12
tarball=dash_$version.orig.tar.gz
tarball_sha256=6a474ac46e8b0b32916c4c60df694c82058d3297d8b385b74508030ca4a8f28a

# paths.sh finds the repository from $here, the scripts' directory.
here=$(cd "$(dirname "$0")/../../scripts" && pwd)
scripts=$here
# shellcheck source=tools/wasm/scripts/paths.sh
. "$scripts/paths.sh"
out_dir "usage: tools/wasm/ports/dash/build.sh OUTDIR" "${1:-}"
# shellcheck source=tools/wasm/scripts/foreign-make.sh
. "$scripts/foreign-make.sh"

cc=$scripts/wasm-linux-cc
hostcc=${HOSTCC:-cc}
# The sysroot of this output directory (build-musl.sh OUTDIR/musl).
WASM_SYSROOT=${WASM_SYSROOT:-$out/musl/sysroot}
export WASM_SYSROOT
sysroot=$WASM_SYSROOT

top=$out/dash
mkdir -p "$top"
for tool in make tar sha256sum "$hostcc"; do
	if ! command -v "$tool" >/dev/null; then
		echo "error: $tool not found" >&2
		exit 1
	fi
done
echo 'int main(void) { return 0; }' >"$top/.cc-check.c"
if ! "$cc" -o "$top/.cc-check" "$top/.cc-check.c" >/dev/null 2>&1; then
	echo "error: $cc cannot link a program against libc.so; build the" >&2
	echo "  sysroot first: tools/wasm/scripts/build-musl.sh $out/musl" >&2
	exit 1
fi
rm -f "$top/.cc-check" "$top/.cc-check.c"

# --- the source -----------------------------------------------------------

"$scripts/apt-source.sh" dash "$tarball" "$cache/src"
if [ "$(sha256sum <"$cache/src/$tarball" | cut -d' ' -f1)" != "$tarball_sha256" ]; then
	echo "error: $cache/src/$tarball is not dash $version's tarball" >&2
	exit 1
fi

src=$top/src
src_want=$tarball_sha256
if [ ! -f "$top/.src-stamp" ] || [ "$(cat "$top/.src-stamp")" != "$src_want" ] ||
   [ ! -x "$src/configure" ]; then
	echo "  UNPACK  $tarball"
	rm -rf "$src" "$src.tmp" "$top/.src-stamp"
	mkdir -p "$src.tmp"
	tar -xzf "$cache/src/$tarball" -C "$src.tmp" --strip-components=1
	mv "$src.tmp" "$src"
	echo "$src_want" >"$top/.src-stamp"
fi

# --- one build ------------------------------------------------------------

# build NAME STAMP CONFIGURE-ARGS...: configures $top/NAME (afresh when
# STAMP, a hash of what it was configured with, changed: then from
# scratch) and makes it; configure's output goes to $top/NAME.config.log,
# make's to $top/NAME.log, and the end of either to standard error on
# failure.  $label names the build in the quiet lines.
build() {
	name=$1 want=$2
	shift 2
	dir=$top/$name
	log=$top/$name.log
	: >"$log"
	if [ ! -f "$dir/.config-stamp" ] || [ "$(cat "$dir/.config-stamp")" != "$want" ] ||
	   [ ! -f "$dir/Makefile" ]; then
		echo "  CONFIG  dash${label}"
		rm -rf "$dir"
		mkdir -p "$dir"
		if ! (cd "$dir" && "$src/configure" "$@") >"$top/$name.config.log" 2>&1; then
			echo "error: configuring dash$label failed; the end of $top/$name.config.log" >&2
			echo "  (and $dir/config.log):" >&2
			tail -n 30 "$top/$name.config.log" >&2
			exit 1
		fi
		echo "$want" >"$dir/.config-stamp"
	fi
	echo "  MAKE    dash${label} (-j$jobs)"
	# make LDFLAGS=: the guest's configure LDFLAGS are for its checks only
	# (README.md); for the native build they are empty anyway.
	if ! foreign_make -C "$dir" -j"$jobs" LDFLAGS= >>"$log" 2>&1; then
		echo "error: building dash$label failed; the end of $log:" >&2
		tail -n 30 "$log" >&2
		exit 1
	fi
}

# Debian's own configure options (debian/rules of dash 0.5.12-2), so that
# the guest's dash is the shell Debian ships, and the native reference too.
debian_opts="--disable-fnmatch --disable-lineno --disable-glob"
script_sha=$(sha256sum <"$0" | cut -d' ' -f1)

# --- the guest's dash -----------------------------------------------------

wasm_want=$( {
	echo "$src_want $script_sha"
	"${WASM_CC:-clang-22}" --version
	sha256sum "$cc" "$scripts/wasm-asyncify" | cut -d' ' -f1
	(cd "$sysroot" && find lib include -type f | LC_ALL=C sort |
	 xargs sha256sum)
} | sha256sum | cut -d' ' -f1)
label=
# shellcheck disable=SC2086
build wasm "$wasm_want" \
	--build="$("$hostcc" -dumpmachine)" --host=wasm32-unknown-linux-musl \
	CC="$cc" CC_FOR_BUILD="$hostcc" CFLAGS=-O2 \
	LDFLAGS="-mno-fork -Wl,--no-shlib-sigcheck" \
	$debian_opts

if [ ! -f "$top/dash" ] || ! cmp -s "$top/wasm/src/dash" "$top/dash"; then
	cp "$top/wasm/src/dash" "$top/dash.tmp"
	mv "$top/dash.tmp" "$top/dash"
fi
{
	echo "# dash (tools/wasm/ports/dash/build.sh)"
	echo "dir /usr 0755 0 0"
	echo "dir /usr/bin 0755 0 0"
	echo "file /usr/bin/dash $top/dash 0755 0 0"
} >"$top/initramfs.list.tmp"
if cmp -s "$top/initramfs.list.tmp" "$top/initramfs.list"; then
	rm -f "$top/initramfs.list.tmp"
else
	mv "$top/initramfs.list.tmp" "$top/initramfs.list"
fi

# --- the native reference -------------------------------------------------

native_want=$( {
	echo "$src_want $script_sha"
	"$hostcc" --version
} | sha256sum | cut -d' ' -f1)
label=" (native)"
# shellcheck disable=SC2086
build native "$native_want" CC="$hostcc" CFLAGS=-O2 $debian_opts

size=$(wc -c <"$top/dash")
echo "  DASH    $top/dash ($size bytes)"
