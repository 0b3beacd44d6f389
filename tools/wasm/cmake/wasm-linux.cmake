# SPDX-License-Identifier: MIT
#
# A CMake toolchain file for programs and libraries of the wasm32 Linux
# guest (README.md):
#
#   cmake -DCMAKE_TOOLCHAIN_FILE=tools/wasm/cmake/wasm-linux.cmake ...
#
# The sysroot is WASM_SYSROOT's (or $O/musl/sysroot of this tree), found
# as the wrappers find it (tools/wasm/scripts/wasm-sysroot.sh), when the
# build directory is configured.

set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR wasm32)

get_filename_component(_wasm_scripts "${CMAKE_CURRENT_LIST_DIR}/../scripts"
	ABSOLUTE)
get_filename_component(_wasm_top "${CMAKE_CURRENT_LIST_DIR}/../../.."
	ABSOLUTE)

if(NOT "$ENV{WASM_SYSROOT}" STREQUAL "")
	set(CMAKE_SYSROOT "$ENV{WASM_SYSROOT}")
else()
	set(_wasm_o "$ENV{O}")
	if(_wasm_o STREQUAL "")
		set(_wasm_o build)
	endif()
	get_filename_component(_wasm_o "${_wasm_o}" ABSOLUTE
		BASE_DIR "${_wasm_top}")
	set(CMAKE_SYSROOT "${_wasm_o}/musl/sysroot")
endif()

# C only: there is no C++ for the guest yet (no libc++ in the sysroot).
set(CMAKE_C_COMPILER "${_wasm_scripts}/wasm-linux-cc")
set(CMAKE_AR "${_wasm_scripts}/wasm-linux-ar" CACHE FILEPATH "")
set(CMAKE_RANLIB "${_wasm_scripts}/wasm-linux-ranlib" CACHE FILEPATH "")
set(CMAKE_NM "${_wasm_scripts}/wasm-linux-nm" CACHE FILEPATH "")
set(CMAKE_STRIP "${_wasm_scripts}/wasm-linux-strip" CACHE FILEPATH "")
set(PKG_CONFIG_EXECUTABLE "${_wasm_scripts}/wasm-linux-pkg-config"
	CACHE FILEPATH "")

# Libraries, headers and packages from the sysroot only, programs (the
# build's tools) from the build machine.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# No CMAKE_CROSSCOMPILING_EMULATOR: a guest program runs only in the
# guest, under the kernel, so try_run() and tests need answers given.
unset(CMAKE_CROSSCOMPILING_EMULATOR)
