#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Install or check the pinned toolchain for building Linux for WebAssembly:
# Debian's stock clang-22/lld-22/llvm-22, rustc-web/rust-web-src (rustc 1.96
# on the same LLVM), bindgen-cli from crates.io, binaryen's wasm-opt from npm
# (tools/wasm/toolchain, for wasm-linux-cc's Asyncify step), the kernel
# build dependencies, pkgconf, CMake, Meson and Ninja for cross builds
# of guest programs (wasm-linux-pkg-config, tools/wasm/cmake and
# tools/wasm/meson; tests/user/cross.t), and for the ports
# (tools/wasm/ports) autotools-dev's config.sub, autoconf, automake,
# libtool, gettext and texinfo (make's autoreconf, packages' regenerated
# files), and musl-tools' musl-gcc (the native reference of make
# check-ports).  Everything lands in system packages or in $WASM_CACHE; the
# work tree is never written.  A second run with everything in place only
# checks and prints nothing.
#
# Usage: setup-toolchain.sh CACHE_DIR

set -eu

cache=${1:?usage: setup-toolchain.sh CACHE_DIR}
bindgen_version=0.73.2

packages="clang-22 lld-22 llvm-22 libclang-22-dev libclang-rt-22-dev-wasm32
rustc-web rust-web-src bc flex bison libelf-dev cpio kmod rsync xz-utils
wabt tmux e2fsprogs perl pkgconf cmake meson ninja-build
autotools-dev autoconf automake libtool autopoint gettext texinfo patch
musl-tools"

# npm (and node) for binaryen, unless some npm is there already (the
# system's node may come from elsewhere than Debian).
if ! command -v npm >/dev/null; then
	packages="$packages npm"
	command -v node >/dev/null || packages="$packages nodejs"
fi

missing=
for p in $packages; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	     grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done

if [ -n "$missing" ]; then
	echo "  SETUP   apt-get install$missing"
	if [ "$(id -u)" != 0 ]; then
		echo "error: missing packages:$missing (run as root or install them)" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# rustc-web installs the kernel's rustc as /usr/bin/rustc; it must be the
# 1.96 that matches the library sources in rust-web-src.
rustc_ver=$(/usr/bin/rustc --version | cut -d' ' -f2)
src_dir=/usr/lib/rustlib/src/rust/library/core
if [ ! -d "$src_dir" ]; then
	echo "error: rust-web-src did not install $src_dir" >&2
	exit 1
fi
case "$rustc_ver" in
1.96.*) ;;
*)	echo "error: /usr/bin/rustc is $rustc_ver, expected 1.96 (rustc-web)" >&2
	exit 1 ;;
esac

bindgen=$cache/bindgen/bin/bindgen
if ! [ -x "$bindgen" ] ||
   [ "$("$bindgen" --version 2>/dev/null)" != "bindgen $bindgen_version" ]; then
	echo "  SETUP   cargo install bindgen-cli $bindgen_version"
	if ! command -v cargo >/dev/null; then
		echo "error: cargo is needed to install bindgen-cli" >&2
		exit 1
	fi
	# The kernel's rustc (1.96) is newer than rustup's; either builds
	# bindgen, so use whatever cargo is first on PATH.
	LIBCLANG_PATH=/usr/lib/llvm-22/lib \
		cargo install --quiet --locked bindgen-cli \
		--version "$bindgen_version" --root "$cache/bindgen"
fi

# binaryen's wasm-opt, exactly as tools/wasm/toolchain/package-lock.json
# pins it, in $cache/binaryen/node_modules (wasm-linux-cc looks there).
# The lock file copied beside it records what was installed.
toolchain=$(cd "$(dirname "$0")/../toolchain" && pwd)
binaryen=$cache/binaryen
if ! [ -f "$binaryen/node_modules/binaryen/bin/wasm-opt" ] ||
   ! cmp -s "$toolchain/package-lock.json" "$binaryen/package-lock.json" ||
   ! cmp -s "$toolchain/package.json" "$binaryen/package.json"; then
	echo "  SETUP   npm ci binaryen (tools/wasm/toolchain)"
	rm -rf "$binaryen" "$binaryen.tmp"
	mkdir -p "$binaryen.tmp"
	cp "$toolchain/package.json" "$toolchain/package-lock.json" "$binaryen.tmp/"
	if ! (cd "$binaryen.tmp" && npm ci --ignore-scripts --no-audit \
		--no-fund --loglevel=error >&2); then
		rm -rf "$binaryen.tmp"
		echo "error: npm ci failed for binaryen" >&2
		exit 1
	fi
	mv "$binaryen.tmp" "$binaryen"
fi
