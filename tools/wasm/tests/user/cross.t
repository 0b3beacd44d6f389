#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Cross builds for the guest, without booting it: the wrappers beside
# wasm-linux-cc (wasm-linux-ar, -ranlib, -nm, -strip, -pkg-config) on a
# library "dep" installed into a sysroot, and a small CMake and Meson
# project each (a static library, a program using it and dep, found with
# pkg-config) configured with tools/wasm/cmake/wasm-linux.cmake and
# tools/wasm/meson/wasm-linux.ini.  The programs must be modules the
# kernel loads (dylink.0 first), instrumented by Asyncify.

. "$(dirname "$0")/../lib/tap.sh"

real=$out/musl/sysroot
needs "$real/lib/libc.a" "$real/lib/libc.so"
scripts=$repo/tools/wasm/scripts
src=$logs/src

# The test's sysroot: the real one's lib and include (only read), and a
# usr/ of its own that dep is installed into, as a cross build installs
# with --prefix=/usr DESTDIR=$sysroot.
sysroot=$logs/sysroot
mkdir -p "$sysroot/usr/lib/pkgconfig" "$sysroot/usr/include" "$src/dep"
ln -s "$real/lib" "$sysroot/lib"
ln -s "$real/include" "$sysroot/include"
WASM_SYSROOT=$sysroot
export WASM_SYSROOT

# module NAME FILE: FILE is a module the kernel loads (its first section
# is dylink.0), instrumented for fork and setjmp.
module()
{
	wasm-objdump -h "$2" >"$logs/$1.sections" 2>&1
	awk 'on && NF { print; exit } /^Sections:/ { on = 1 }' \
		"$logs/$1.sections" >"$logs/$1.first"
	has "$1: dylink.0 is the first section" "$logs/$1.first" \
		'Custom .*"dylink\.0"$'
	wasm-objdump -x -j Import "$2" >"$logs/$1.imports" 2>&1
	has "$1: instrumented by Asyncify (imports env.__asyncify_state)" \
		"$logs/$1.imports" 'env\.__asyncify_state'
}

# --- dep, with the wrappers by hand ---------------------------------------

printf 'int dep_twice(int x);\n' >"$src/dep/dep.h"
printf '#include "dep.h"\nint dep_twice(int x) { return 2 * x; }\n' \
	>"$src/dep/dep.c"
t "wasm-linux-cc -c compiles dep.o" \
	"$scripts/wasm-linux-cc" -O2 -c -o "$src/dep/dep.o" "$src/dep/dep.c"
# S: no symbol index, for ranlib to write.
t "wasm-linux-ar archives it" \
	"$scripts/wasm-linux-ar" rcS "$src/dep/libdep.a" "$src/dep/dep.o"
"$scripts/wasm-linux-nm" --print-armap "$src/dep/libdep.a" >"$logs/nm-noindex" 2>&1
lacks "... with no symbol index (ar S)" "$logs/nm-noindex" '^Archive map'
t "wasm-linux-ranlib indexes the archive" \
	"$scripts/wasm-linux-ranlib" "$src/dep/libdep.a"
"$scripts/wasm-linux-nm" "$src/dep/libdep.a" >"$logs/nm" 2>&1
has "wasm-linux-nm lists the archive's function" "$logs/nm" \
	'^[0-9a-f]+ T dep_twice$'
"$scripts/wasm-linux-nm" --print-armap "$src/dep/libdep.a" >"$logs/nm-index" 2>&1
has "... and ranlib's symbol index" "$logs/nm-index" 'dep_twice in dep\.o'

cp "$src/dep/libdep.a" "$sysroot/usr/lib/"
cp "$src/dep/dep.h" "$sysroot/usr/include/"
# shellcheck disable=SC2016 # pkg-config's variables
printf '%s\n' 'prefix=/usr' 'libdir=${prefix}/lib' \
	'includedir=${prefix}/include' '' 'Name: dep' \
	'Description: the test library' 'Version: 1.0' \
	'Cflags: -I${includedir}' 'Libs: -L${libdir} -ldep' \
	>"$sysroot/usr/lib/pkgconfig/dep.pc"
same "wasm-linux-pkg-config --cflags: the sysroot's include directory" \
	"-I$sysroot/usr/include" \
	"$("$scripts/wasm-linux-pkg-config" --cflags dep 2>&1 | sed 's/ *$//')"
same "wasm-linux-pkg-config --libs: the sysroot's library directory" \
	"-L$sysroot/usr/lib -ldep" \
	"$("$scripts/wasm-linux-pkg-config" --libs dep 2>&1 | sed 's/ *$//')"
# The build machine's packages are not the guest's.
native=$(pkg-config --list-all 2>/dev/null | awk '{ print $1; exit }')
if [ -n "$native" ]; then
	t "wasm-linux-pkg-config does not find the build machine's $native" \
		not "$scripts/wasm-linux-pkg-config" --exists "$native"
else
	skip "wasm-linux-pkg-config does not find the build machine's packages" \
		"the build machine has none"
fi

# --- a project: libsum.a and prog, using dep ------------------------------

printf 'int sum(int a, int b);\n' >"$src/sum.h"
printf '#include "sum.h"\nint sum(int a, int b) { return a + b; }\n' \
	>"$src/sum.c"
printf '%s\n' '#include <stdio.h>' '#include <dep.h>' '#include "sum.h"' \
	'int main(void) { printf("%d\n", sum(1, dep_twice(2))); return 0; }' \
	>"$src/main.c"
cat >"$src/CMakeLists.txt" <<'END'
cmake_minimum_required(VERSION 3.16)
project(cross C)
find_package(PkgConfig REQUIRED)
pkg_check_modules(DEP REQUIRED IMPORTED_TARGET dep)
add_library(sum STATIC sum.c)
add_executable(prog main.c)
target_link_libraries(prog sum PkgConfig::DEP)
END
cat >"$src/meson.build" <<'END'
project('cross', 'c')
sum = static_library('sum', 'sum.c')
executable('prog', 'main.c', link_with: sum, dependencies: dependency('dep'))
END

if command -v cmake >/dev/null; then
	t "cmake configures with wasm-linux.cmake" \
		cmake -S "$src" -B "$logs/cmake" \
		-DCMAKE_TOOLCHAIN_FILE="$repo/tools/wasm/cmake/wasm-linux.cmake"
	cat "$logs"/cmake/CMakeFiles/*/CMakeSystem.cmake >"$logs/cmake-system" \
		2>&1
	has "... cross compiling for wasm32" "$logs/cmake-system" \
		'^set\(CMAKE_SYSTEM_PROCESSOR "wasm32"\)$'
	has "... with wasm-linux-ar" "$logs/cmake/CMakeCache.txt" \
		'^CMAKE_AR:FILEPATH=.*/wasm-linux-ar$'
	t "cmake builds the library and the program" \
		cmake --build "$logs/cmake" -j 1
	"$scripts/wasm-linux-nm" "$logs/cmake/libsum.a" >"$logs/cmake-nm" 2>&1
	has "cmake: libsum.a has sum" "$logs/cmake-nm" '^[0-9a-f]+ T sum$'
	module cmake "$logs/cmake/prog"
	lacks "cmake: prog has dep linked in (no import of dep_twice)" \
		"$logs/cmake.imports" 'dep_twice'
else
	skip "cmake builds with wasm-linux.cmake" "no cmake (make setup installs it)"
fi

# The cross file names the wrappers, which are on PATH.
if command -v meson >/dev/null && command -v ninja >/dev/null; then
	t "meson configures with wasm-linux.ini" \
		env PATH="$scripts:$PATH" meson setup "$logs/meson" "$src" \
		--cross-file="$repo/tools/wasm/meson/wasm-linux.ini"
	has "... cross compiling for wasm32" \
		"$logs/meson/meson-logs/meson-log.txt" \
		'^Host machine cpu family: wasm32$'
	t "meson builds the library and the program" \
		env PATH="$scripts:$PATH" ninja -C "$logs/meson" -j 1
	"$scripts/wasm-linux-nm" "$logs/meson/libsum.a" >"$logs/meson-nm" 2>&1
	has "meson: libsum.a has sum" "$logs/meson-nm" '^[0-9a-f]+ T sum$'
	module meson "$logs/meson/prog"
else
	skip "meson builds with wasm-linux.ini" \
		"no meson or ninja (make setup installs them)"
fi

# --- strip ------------------------------------------------------------------

"$scripts/wasm-linux-cc" -g -O2 -o "$logs/prog" "$src/main.c" "$src/sum.c" \
	"$src/dep/libdep.a" -I"$src/dep" >"$logs/prog.log" 2>&1
t "wasm-linux-strip strips a program with DWARF" \
	"$scripts/wasm-linux-strip" -o "$logs/prog-stripped" "$logs/prog"
module stripped "$logs/prog-stripped"
lacks "stripped: no debug sections" "$logs/stripped.sections" '\.debug_'

done_testing
