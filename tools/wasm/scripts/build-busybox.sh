#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Build BusyBox for the wasm32 Linux guest.
#
# Usage: build-busybox.sh OUTDIR
#
# Result: OUTDIR/busybox/busybox, one WebAssembly module (PIE, dylink.0)
# built with tools/wasm/scripts/wasm-linux-cc -static against the musl
# sysroot (libc.a: it needs no libc.so),
# and OUTDIR/busybox/_install/{bin,sbin,usr/bin,usr/sbin} with the applet
# links (symlinks to /bin/busybox).  Then tools/wasm/scripts/
# make-initramfs.sh OUTDIR packs an initramfs from it.
#
# The source is Debian bookworm's BusyBox 1.35.0, its pristine upstream
# tarball busybox_1.35.0.orig.tar.bz2 (apt-get source, through
# tools/wasm/scripts/apt-source.sh) in ${WASM_CACHE:-~/.cache/linux-wasm}/src;
# it never enters the repository.  OUTDIR/busybox-src is that tarball
# unpacked with tools/wasm/busybox/patches applied (in the order of
# patches/series); it is prepared again, and the build started afresh,
# whenever the patches or this script change (a stamp holds their hash).
# The configuration is tools/wasm/busybox/wasm.config on top of
# "make allnoconfig"; a change to it reconfigures.  A second run with
# nothing changed only checks.
#
# Environment: JOBS (default 2), WASM_SYSROOT (see wasm-linux-cc; by
# default the sysroot of OUTDIR/musl when there is one, else the
# wrapper's own default $O/musl/sysroot).

set -eu

bb_version=1.35.0
tarball=busybox_$bb_version.orig.tar.bz2
tarball_sha256=faeeb244c35a348a334f4a59e44626ee870fb07b6884d68c10ae8bc19f83a694

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tools/wasm/scripts/paths.sh
. "$here/paths.sh"
out_dir "usage: build-busybox.sh OUTDIR" "${1:-}"
bbdir=$srcroot/tools/wasm/busybox

cc=$here/wasm-linux-cc
if [ -z "${WASM_SYSROOT:-}" ] && [ -f "$out/musl/sysroot/lib/libc.a" ]; then
	WASM_SYSROOT=$out/musl/sysroot
	export WASM_SYSROOT
fi
mkdir -p "$out/busybox"
echo 'int main(void) { return 0; }' > "$out/busybox/.cc-check.c"
if ! "$cc" -static -o "$out/busybox/.cc-check" "$out/busybox/.cc-check.c" \
     >/dev/null 2>&1; then
	echo "error: $cc cannot link a program; build the sysroot first:" >&2
	echo "  tools/wasm/scripts/build-musl.sh $out/musl" >&2
	exit 1
fi
for tool in llvm-ar-22 llvm-nm-22 llvm-objcopy-22 make bzip2 patch; do
	if ! command -v "$tool" >/dev/null; then
		echo "error: $tool not found" >&2
		exit 1
	fi
done

# --- the source -----------------------------------------------------------

"$here/apt-source.sh" busybox "$tarball" "$cache/src"
if [ "$(sha256sum < "$cache/src/$tarball" | cut -d' ' -f1)" != "$tarball_sha256" ]; then
	echo "error: $cache/src/$tarball is not BusyBox $bb_version's tarball" >&2
	exit 1
fi

src=$out/busybox-src
build=$out/busybox
stamp=$out/.busybox-prepared

want=$( {
	echo "$tarball_sha256"
	sha256sum "$0" | cut -d' ' -f1
	(cd "$bbdir/patches" && LC_ALL=C sort series | sha256sum &&
	 LC_ALL=C ls | LC_ALL=C sort | xargs sha256sum)
} | sha256sum | cut -d' ' -f1)

if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || [ ! -d "$src" ]; then
	echo "  PREPARE $src"
	rm -rf "$src" "$src.tmp" "$stamp" "$build"
	mkdir -p "$src.tmp"
	tar -xjf "$cache/src/$tarball" -C "$src.tmp" --strip-components=1
	while read -r p; do
		case "$p" in ''|'#'*) continue ;; esac
		echo "  PATCH   $p"
		patch -s -p1 -N -d "$src.tmp" < "$bbdir/patches/$p"
	done < "$bbdir/patches/series"
	mv "$src.tmp" "$src"
	echo "$want" > "$stamp"
fi

# --- configuration --------------------------------------------------------

# Tools: the wrapper compiles and links; BusyBox's own helpers (kconfig,
# applet tables, usage) are built with the host's cc.  LD (default
# "$(CC) -nostdlib") only makes the partial links (-r) of built-in.o: the
# wrapper would add -pie and --shared-memory to them, so plain clang.
# EXTRA_LDFLAGS=-static: the wrapper links against libc.so by default;
# WASM_FORK=0 (-mno-fork): BusyBox's trylink links several times, so the
# Asyncify step (fork, setjmp) runs once, on the final binary, below.
# shellcheck source=tools/wasm/scripts/foreign-make.sh
. "$here/foreign-make.sh"
mk() {
	WASM_FORK=0 foreign_make -C "$src" O="$build" -s \
		CC="$cc" HOSTCC="${HOSTCC:-cc}" EXTRA_LDFLAGS=-static \
		LD="${WASM_CC:-clang-22} --target=wasm32-unknown-unknown" \
		AR=llvm-ar-22 NM=llvm-nm-22 STRIP=llvm-strip-22 \
		OBJCOPY=llvm-objcopy-22 OBJDUMP=llvm-objdump-22 \
		SKIP_STRIP=y "$@"
}

mkdir -p "$build"
cfg_stamp=$build/.wasm-config
cfg_want=$( (cat "$bbdir/wasm.config"; echo "$want") | sha256sum | cut -d' ' -f1)
if [ ! -f "$cfg_stamp" ] || [ "$(cat "$cfg_stamp")" != "$cfg_want" ] ||
   [ ! -f "$build/.config" ]; then
	echo "  CONFIG  allnoconfig + tools/wasm/busybox/wasm.config"
	# BusyBox's kconfig ignores KCONFIG_ALLCONFIG's values: all "n",
	# then our options replace theirs, then oldconfig gives whatever
	# became visible (sub-options not named in wasm.config) its default.
	mk allnoconfig >/dev/null
	awk '
	FNR == NR {
		if (match($0, /^CONFIG_[A-Za-z0-9_]+=/))
			name = substr($0, 1, RLENGTH - 1)
		else if (match($0, /^# CONFIG_[A-Za-z0-9_]+ is not set/))
			name = $2
		else
			next
		want[name] = $0; order[++n] = name
		next
	}
	{
		name = ""
		if (match($0, /^CONFIG_[A-Za-z0-9_]+=/))
			name = substr($0, 1, RLENGTH - 1)
		else if (match($0, /^# CONFIG_[A-Za-z0-9_]+ is not set/))
			name = $2
		if (!(name in want))
			print
	}
	END { for (i = 1; i <= n; i++) print want[order[i]] }
	' "$bbdir/wasm.config" "$build/.config" > "$build/.config.new"
	mv "$build/.config.new" "$build/.config"
	yes "" | mk oldconfig >/dev/null
	# kconfig drops "=y" options whose dependencies are off: all of
	# ours must be there.
	missing=$(grep '^CONFIG_[A-Za-z0-9_]*=y$' "$bbdir/wasm.config" |
		  while read -r l; do
			grep -qx "$l" "$build/.config" || echo "$l"
		  done)
	if [ -n "$missing" ]; then
		echo "error: options of wasm.config not in the resulting .config:" >&2
		echo "$missing" >&2
		exit 1
	fi
	echo "$cfg_want" > "$cfg_stamp"
fi

# --- build and install ----------------------------------------------------

echo "  MAKE    busybox (-j$jobs)"
mk -j"$jobs" busybox
# busybox is a copy of busybox_unstripped (SKIP_STRIP: BusyBox's strip
# options are ELF ones): drop the DWARF that libc's and compiler-rt's
# objects bring, keep the name section for backtraces; then instrument it
# as wasm-linux-cc does a static program.
if [ "$build/busybox" -nt "$build/.finished" ] || [ ! -f "$build/.finished" ]; then
	llvm-objcopy-22 --strip-debug "$build/busybox"
	# Without fork support, for make bench's comparison.
	cp "$build/busybox" "$build/busybox.nofork"
	echo "  ASYNCIFY busybox"
	"$here/wasm-asyncify" linux.syscall,linux.setjmp "$build/busybox" \
		"$build/busybox"
	touch "$build/.finished"
fi
rm -rf "$build/_install"
mk CONFIG_PREFIX="$build/_install" install >/dev/null

nlinks=$(find "$build/_install" -type l | wc -l)
size=$(wc -c < "$build/busybox")
echo "  BUSYBOX $build/busybox ($size bytes, $nlinks applet links)"
