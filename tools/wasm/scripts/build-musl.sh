#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Build musl libc for the wasm32 Linux user ABI and install a sysroot.
#
# Usage: build-musl.sh OUTDIR
#
# Result: OUTDIR/sysroot/{include,lib} with musl's headers, the kernel's
# UAPI headers (headers_install of this tree), lib/crt1.o, lib/libc.a,
# and for dynamically linked programs lib/libc.so, lib/libc_nonshared.a,
# lib/libc.so.undefined and lib/libc.so.unwinds.
# Programs are built against it with tools/wasm/scripts/wasm-linux-cc.
#
# libc.so is a WebAssembly shared library in LLVM's dynamic-linking
# convention (dylink.0), linked by this script rather than by musl's
# Makefile (whose libc.so rule adds musl's ELF dynamic linker and ELF
# linker options): all of libc.a's objects (built once, -fPIC, with
# default visibility so that musl's public symbols are exported and its
# "hidden" internals are not), except __main_void and __main_argc_argv,
# the glue between crt1's _start and the program's main, which must be
# linked into each program: they make up lib/libc_nonshared.a.  It uses
# -Bsymbolic (libc's references to its own symbols never go through
# GOT imports) and carries compiler-rt's builtins.
#
# Then libc.so goes through the Asyncify step of every module
# wasm-linux-cc links (tools/wasm/scripts/wasm-asyncify; binaryen from
# setup-toolchain.sh), with linux.syscall and linux.setjmp as the imports
# that unwind, and lib/libc.so.unwinds lists the functions libc.so
# exports that can then unwind (one name a line): wasm-linux-cc tells
# Asyncify that a program's imports of those, and only those, can.
# libc.a is not instrumented: a static program is, as a whole, when
# wasm-linux-cc links it.
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

musl_version=1.2.3
tarball=musl_$musl_version.orig.tar.gz

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tools/wasm/scripts/paths.sh
. "$here/paths.sh"
out_dir "usage: build-musl.sh OUTDIR" "${1:-}"
overlay=$srcroot/tools/wasm/musl

CC=${CC_WASM:-clang-22}
AR=llvm-ar-22
RANLIB=llvm-ranlib-22
# clang makes everything hidden on wasm unless told otherwise; musl marks
# its internals hidden itself.
cflags="--target=wasm32-unknown-unknown -matomics -mbulk-memory -mmutable-globals -fPIC -fvisibility=default"

for tool in "$CC" "$AR" "$RANLIB" python3 wasm-objdump; do
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
# shellcheck source=tools/wasm/scripts/foreign-make.sh
. "$here/foreign-make.sh"
echo "  MAKE    musl (-j$jobs)"
foreign_make -C "$src" -j"$jobs" -s AR="$AR" RANLIB="$RANLIB" >/dev/null
foreign_make -C "$src" -s AR="$AR" RANLIB="$RANLIB" DESTDIR="$sysroot" \
	install-headers install-libs >/dev/null

# wasm-ld imports every weakly defined, non-hidden function of a shared
# library from "env" (so that the dynamic linker may pick another module's
# definition) and calls it through that import, even with -Bsymbolic:
# musl's weak aliases (lseek64, pthread_mutex_lock, malloc, ...) would be
# some 260 env.* imports of libc.so to itself, outside the user ABI.
# This makes them strong in the archive libc.so is linked from, where no
# other definition would win: it clears WASM_SYMBOL_BINDING_WEAK in the
# symbol tables ("linking" sections) of the archive's objects, in place.
strong_aliases() {
	python3 - "$1" <<'PY'
import sys

WEAK, LOCAL, HIDDEN, UNDEFINED, EXPLICIT_NAME = 0x1, 0x2, 0x4, 0x10, 0x40

def uleb(b, i):
    value = shift = 0
    while True:
        byte = b[i]
        i += 1
        value |= (byte & 0x7f) << shift
        shift += 7
        if byte < 0x80:
            return value, i

def function_symbols(b, start, end):
    """(name, flags, where the flags are) of each function symbol of the
    object b[start:end]."""
    if b[start:start + 4] != b'\0asm':
        return
    i = start + 8
    while i < end:
        section = b[i]
        size, i = uleb(b, i + 1)
        section_end = i + size
        if section == 0:
            n, j = uleb(b, i)
            if bytes(b[j:j + n]) == b'linking':
                _, j = uleb(b, j + n)                   # version
                while j < section_end:
                    kind = b[j]
                    size, j = uleb(b, j + 1)
                    sub_end = j + size
                    if kind == 8:                       # symbol table
                        count, j = uleb(b, j)
                        for _ in range(count):
                            kind, at = b[j], j + 1
                            flags, j = uleb(b, at)
                            name = None
                            if kind == 3:               # section
                                _, j = uleb(b, j)
                            elif kind == 1:             # data
                                n, j = uleb(b, j)
                                name, j = bytes(b[j:j + n]), j + n
                                if not flags & UNDEFINED:
                                    for _ in range(3):  # segment, offset, size
                                        _, j = uleb(b, j)
                            else:                       # function, global, ...
                                _, j = uleb(b, j)
                                if not flags & UNDEFINED or flags & EXPLICIT_NAME:
                                    n, j = uleb(b, j)
                                    name, j = bytes(b[j:j + n]), j + n
                            if kind == 0:
                                yield name, flags, at
                    j = sub_end
        i = section_end

def archive_members(b):
    if b[:8] != b'!<arch>\n':
        sys.exit('not an archive')
    i = 8
    while i + 60 <= len(b):
        size = int(b[i + 48:i + 58])
        yield i + 60, i + 60 + size
        i += 60 + size + (size & 1)

path = sys.argv[1]
b = bytearray(open(path, 'rb').read())
strong, weak = set(), {}
for start, end in archive_members(b):
    for name, flags, at in function_symbols(b, start, end):
        if flags & (LOCAL | UNDEFINED):
            continue
        if not flags & WEAK:
            strong.add(name)
        elif not flags & HIDDEN:
            weak.setdefault(name, at)   # the linker keeps the first one
for name, at in weak.items():
    if name not in strong:
        b[at] &= ~WEAK      # the low bit of the LEB128's first byte
open(path, 'wb').write(b)
PY
}

# libc.so, linked from libc.a's objects; libc_nonshared.a, what
# dynamically linked programs take from libc statically.
lib=$src/lib
nonshared="__main_void.lo __main_argc_argv.lo"
builtins=$("$CC" --target=wasm32-unknown-unknown -print-libgcc-file-name)
if [ ! -f "$builtins" ]; then
	# Debian installs the wasm32 builtins for WASI only (as wasm-linux-cc).
	builtins=$(dirname "$(dirname "$builtins")")/wasi/libclang_rt.builtins-wasm32.a
fi
if [ ! -f "$builtins" ]; then
	echo "error: compiler-rt builtins for wasm32 not found" >&2
	echo "  (apt-get install libclang-rt-22-dev-wasm32)" >&2
	exit 1
fi
# libc.so.plain: libc.so before the Asyncify step.
if [ ! -f "$lib/libc.so.plain" ] || [ ! -f "$lib/libc_nonshared.a" ] ||
   [ "$lib/libc.a" -nt "$lib/libc.so.plain" ] ||
   [ "$builtins" -nt "$lib/libc.so.plain" ]; then
	echo "  LINK    libc.so"
	rm -f "$src/obj/libc-shared.a" "$lib/libc_nonshared.a"
	cp "$lib/libc.a" "$src/obj/libc-shared.a"
	# shellcheck disable=SC2086
	"$AR" d "$src/obj/libc-shared.a" $nonshared
	strong_aliases "$src/obj/libc-shared.a"
	(cd "$src/obj/src/env/wasm32" && "$AR" rc "$lib/libc_nonshared.a" $nonshared)
	"$RANLIB" "$lib/libc_nonshared.a"
	# --no-entry: a library has no _start (clang asks for _initialize).
	# --soname only names the module in the name section.
	# Undefined symbols are errors: libc.so needs nothing from programs.
	"$CC" --target=wasm32-unknown-unknown --no-wasm-opt -nostdlib -shared \
		-Wl,--experimental-pic -Wl,--no-entry -Wl,-Bsymbolic \
		-Wl,--shared-memory -Wl,--import-memory \
		-Wl,--max-memory=4294967296 \
		-Wl,--unresolved-symbols=report-all -Wl,--strip-debug \
		-Wl,--soname=libc.so \
		-Wl,--whole-archive "$src/obj/libc-shared.a" -Wl,--no-whole-archive \
		"$builtins" -o "$lib/libc.so.tmp"
	mv "$lib/libc.so.tmp" "$lib/libc.so.plain"
fi

# The Asyncify step, again whenever libc.so.plain, wasm-asyncify or the
# installed binaryen changed (a stamp holds the hash of the latter two).
asy_stamp=$lib/.libc.so.asyncify
asy_want=$( {
	sha256sum "$here/wasm-asyncify" | cut -d' ' -f1
	echo "${WASM_OPT:-}"
	cat "$cache/binaryen/package-lock.json" 2>/dev/null || :
} | sha256sum | cut -d' ' -f1)
if [ ! -f "$lib/libc.so" ] || [ ! -f "$lib/libc.so.unwinds" ] ||
   [ "$lib/libc.so.plain" -nt "$lib/libc.so" ] || [ ! -f "$asy_stamp" ] ||
   [ "$(cat "$asy_stamp")" != "$asy_want" ]; then
	echo "  ASYNCIFY libc.so"
	rm -f "$asy_stamp"
	"$here/wasm-asyncify" linux.syscall,linux.setjmp "$lib/libc.so.plain" \
		"$lib/libc.so.tmp" "$lib/libc.so.asyncify-log"
	# binaryen names the functions that can unwind by their names in
	# the name section; the Export section (of the same module before
	# the step, whose function names are wasm-ld's) gives the names each
	# is exported under.  Sorted, each once.
	wasm-objdump -x -j Export "$lib/libc.so.plain" |
	awk 'FNR == NR {
		if ($1 == "[asyncify]" && $3 == "can") unwinds[$2] = 1
		next
	}
	$1 == "-" && $2 ~ /^func\[/ && $4 == "->" {
		name = substr($3, 2, length($3) - 2)
		export = substr($5, 2, length($5) - 2)
		if (name in unwinds) print export
	}' "$lib/libc.so.asyncify-log" - | LC_ALL=C sort -u > "$lib/libc.so.unwinds.tmp"
	for f in fork read write printf qsort __libc_start_main setjmp; do
		grep -qx "$f" "$lib/libc.so.unwinds.tmp" || {
			echo "error: $f is not in libc.so.unwinds: the Asyncify step failed" >&2
			exit 1
		}
	done
	for f in strlen memcpy; do
		! grep -qx "$f" "$lib/libc.so.unwinds.tmp" || {
			echo "error: $f is in libc.so.unwinds: the Asyncify step failed" >&2
			exit 1
		}
	done
	mv "$lib/libc.so.unwinds.tmp" "$lib/libc.so.unwinds"
	mv "$lib/libc.so.tmp" "$lib/libc.so"
	echo "$asy_want" > "$asy_stamp"
fi

# What programs may leave undefined for libc.so to define, beyond its
# functions and data (wasm-ld --allow-undefined-file): nothing now (it
# was the exception tag of clang's wasm SjLj), but wasm-linux-cc passes
# the list.
printf '%s\n' "# Symbols programs import from libc.so besides its functions and data (wasm-ld --allow-undefined-file)" \
	> "$lib/libc.so.undefined"
for f in libc.so libc_nonshared.a libc.so.undefined libc.so.unwinds; do
	cmp -s "$lib/$f" "$sysroot/lib/$f" || cp "$lib/$f" "$sysroot/lib/$f"
done
chmod 0755 "$sysroot/lib/libc.so"

# The kernel's UAPI headers (linux/, asm/, asm-generic/, ...) beside musl's.
hdr_stamp=$out/.kernel-headers
hdr_want=$( (cd "$srcroot" && find arch/wasm/include/uapi -type f |
	     LC_ALL=C sort | xargs sha256sum; cat "$cache/tree/Makefile" 2>/dev/null) |
	   sha256sum | cut -d' ' -f1)
if [ ! -f "$hdr_stamp" ] || [ "$(cat "$hdr_stamp")" != "$hdr_want" ] ||
   [ ! -f "$out/kernel-headers/include/linux/version.h" ]; then
	echo "  HDRINST kernel UAPI headers"
	rm -f "$hdr_stamp"
	make -C "$srcroot" -s headers_install O="$out/kernel-hdr-build" \
		INSTALL_HDR_PATH="$out/kernel-headers" >/dev/null
	rm -f "$sysroot/include/linux/version.h"
	echo "$hdr_want" > "$hdr_stamp"
fi
# A new sysroot (the musl tree was prepared again) takes the installed
# headers without another headers_install.
if [ ! -f "$sysroot/include/linux/version.h" ]; then
	cp -R "$out/kernel-headers/include/." "$sysroot/include/"
fi

# The committed syscall list must match the kernel's table.
if ! "$overlay/gen-syscall-h.sh" "$out/kernel-headers/include/asm/unistd_32.h" |
     cmp -s - "$overlay/arch/wasm32/bits/syscall.h.in"; then
	echo "warning: tools/wasm/musl/arch/wasm32/bits/syscall.h.in is out of date;" >&2
	echo "  regenerate: tools/wasm/musl/gen-syscall-h.sh $out/kernel-headers/include/asm/unistd_32.h > tools/wasm/musl/arch/wasm32/bits/syscall.h.in" >&2
fi

echo "  SYSROOT $sysroot"
