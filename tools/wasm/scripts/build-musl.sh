#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Build musl libc for the wasm32 Linux user ABI and install a sysroot.
#
# Usage: build-musl.sh OUTDIR
#
# Result: OUTDIR/sysroot/{include,lib} with musl's headers, the kernel's
# UAPI headers (headers_install of this tree), lib/libc.a and lib/crt1.o.
# Programs are built against it with tools/wasm/scripts/wasm-linux-cc.
#
# The musl source is Debian's (bookworm, musl 1.2.3: the upstream tarball
# musl_1.2.3.orig.tar.gz), fetched with apt-get source into
# ${WASM_CACHE:-~/.cache/linux-wasm}/src; it never enters the repository.
# OUTDIR/musl-src is that tarball unpacked, with tools/wasm/musl overlaid
# (arch/wasm32, src/*/wasm32, crt/wasm32) and tools/wasm/musl/patches
# applied; it is prepared again whenever tools/wasm/musl or this script
# changes (a stamp holds their hash).  A second run with nothing changed
# only checks.

set -eu

out=${1:?usage: build-musl.sh OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)

here=$(cd "$(dirname "$0")" && pwd)
srcroot=$(cd "$here/../../.." && pwd)
overlay=$srcroot/tools/wasm/musl
cache=${WASM_CACHE:-$HOME/.cache/linux-wasm}
jobs=${JOBS:-2}

musl_version=1.2.3
tarball=musl_$musl_version.orig.tar.gz

CC=${CC_WASM:-clang-22}
AR=llvm-ar-22
RANLIB=llvm-ranlib-22
cflags="--target=wasm32-unknown-unknown -matomics -mbulk-memory -mmutable-globals -fPIC"

for tool in "$CC" "$AR" "$RANLIB"; do
	if ! command -v "$tool" >/dev/null; then
		echo "error: $tool not found (run tools/wasm/scripts/setup-toolchain.sh)" >&2
		exit 1
	fi
done

# --- the source -----------------------------------------------------------

# apt-get source, adding a deb-src entry on a machine set up without one.
"$here/apt-source.sh" "musl=$musl_version-1" "$tarball" "$cache/src"

# --- the prepared tree ----------------------------------------------------

src=$out/musl-src
stamp=$out/.musl-prepared

# What the prepared tree depends on: the tarball, the overlay and patches,
# and this script (which holds the configure flags).
want=$( {
	echo "$tarball $cflags $CC"
	sha256sum "$cache/src/$tarball" "$0" | cut -d' ' -f1
	(cd "$overlay" && find . -type f ! -path './test/*' | LC_ALL=C sort |
	 xargs sha256sum)
} | sha256sum | cut -d' ' -f1)

if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || [ ! -d "$src" ]; then
	echo "  PREPARE $src"
	rm -rf "$src" "$stamp" "$out/sysroot"
	mkdir -p "$src.tmp"
	tar -xzf "$cache/src/$tarball" -C "$src.tmp" --strip-components=1
	for d in arch src crt; do
		[ -d "$overlay/$d" ] && cp -R "$overlay/$d" "$src.tmp/"
	done
	while read -r p; do
		case "$p" in ''|'#'*) continue ;; esac
		patch -s -p1 -d "$src.tmp" < "$overlay/patches/$p"
	done < "$overlay/patches/series"
	mv "$src.tmp" "$src"

	echo "  CONFIG  musl --target=wasm32"
	(cd "$src" &&
	 CC="$CC" CFLAGS="$cflags" AR="$AR" RANLIB="$RANLIB" \
	 ./configure --target=wasm32 --prefix=/ --disable-shared \
		--disable-wrapper > config.log 2>&1) || {
		cat "$src/config.log" >&2
		exit 1
	}
	echo "$want" > "$stamp"
fi

# --- build and install ----------------------------------------------------

sysroot=$out/sysroot
echo "  MAKE    musl (-j$jobs)"
make -C "$src" -j"$jobs" -s AR="$AR" RANLIB="$RANLIB" >/dev/null
make -C "$src" -s AR="$AR" RANLIB="$RANLIB" DESTDIR="$sysroot" \
	install-headers install-libs >/dev/null

# The kernel's UAPI headers (linux/, asm/, asm-generic/, ...) beside musl's.
hdr_stamp=$out/.kernel-headers
hdr_want=$( (cd "$srcroot" && find arch/wasm/include/uapi -type f |
	     LC_ALL=C sort | xargs sha256sum; cat "$cache/tree/Makefile" 2>/dev/null) |
	   sha256sum | cut -d' ' -f1)
if [ ! -f "$hdr_stamp" ] || [ "$(cat "$hdr_stamp")" != "$hdr_want" ] ||
   [ ! -f "$sysroot/include/linux/version.h" ]; then
	echo "  HDRINST kernel UAPI headers"
	make -C "$srcroot" -s headers_install O="$out/kernel-hdr-build" \
		INSTALL_HDR_PATH="$out/kernel-headers" >/dev/null
	cp -R "$out/kernel-headers/include/." "$sysroot/include/"
	echo "$hdr_want" > "$hdr_stamp"
fi

# The committed syscall list must match the kernel's table.
if ! "$overlay/gen-syscall-h.sh" "$out/kernel-headers/include/asm/unistd_32.h" |
     cmp -s - "$overlay/arch/wasm32/bits/syscall.h.in"; then
	echo "warning: tools/wasm/musl/arch/wasm32/bits/syscall.h.in is out of date;" >&2
	echo "  regenerate: tools/wasm/musl/gen-syscall-h.sh $out/kernel-headers/include/asm/unistd_32.h > tools/wasm/musl/arch/wasm32/bits/syscall.h.in" >&2
fi

echo "  SYSROOT $sysroot"
