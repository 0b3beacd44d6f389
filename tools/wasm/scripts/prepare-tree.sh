#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Prepare the kernel source tree that Kbuild builds from:
#
#   1. fetch Linux 6.12.y from Debian (the pristine upstream tarball from
#      the linux-6.12 source package when a deb-src entry serves it, else
#      the linux-source-6.12 binary package) and unpack it once into
#      CACHE/base/linux-<version>;
#   2. copy it to CACHE/tree and apply tools/wasm/patches/series, again
#      only when the base version or the patches changed;
#   3. overlay the files this repository adds (arch/wasm, ...) on every
#      run, rewriting only files whose content changed so that an
#      unchanged checkout does not make Kbuild rebuild anything.
#
# Usage: prepare-tree.sh REPO_DIR CACHE_DIR

set -eu

repo=${1:?usage: prepare-tree.sh REPO_DIR CACHE_DIR}
cache=${2:?usage: prepare-tree.sh REPO_DIR CACHE_DIR}
patches=$repo/tools/wasm/patches

mkdir -p "$cache/base" "$cache/download"

tarball_version()
{
	# linux_6.12.117.orig.tar.xz -> 6.12.117
	basename "$1" | sed -n 's/^linux[-_0-9.]*_\(6\.12\.[0-9]*\)\.orig\.tar\.xz$/\1/p'
}

find_base()
{
	ls -d "$cache"/base/linux-6.12.* 2>/dev/null | sort -V | tail -n 1
}

fetch_pristine()
{
	(cd "$cache/download" &&
	 apt-get source --download-only --only-source linux-6.12 \
		>/dev/null 2>&1) || return 1
	ls "$cache"/download/linux-6.12_6.12.*.orig.tar.xz 2>/dev/null |
		sort -V | tail -n 1
}

unpack_base()
{
	tarball=$(fetch_pristine) || tarball=
	if [ -n "$tarball" ]; then
		ver=$(tarball_version "$tarball")
		echo "  UNPACK  $(basename "$tarball") (pristine upstream)"
	else
		if ! [ -f /usr/src/linux-source-6.12.tar.xz ]; then
			echo "  SETUP   apt-get install linux-source-6.12"
			DEBIAN_FRONTEND=noninteractive \
				apt-get install -y -qq linux-source-6.12 >/dev/null
		fi
		tarball=/usr/src/linux-source-6.12.tar.xz
		echo "  UNPACK  $tarball (Debian linux-source-6.12)"
		ver=
	fi
	tmp=$cache/base/.unpack
	rm -rf "$tmp"
	mkdir -p "$tmp"
	tar -xJf "$tarball" -C "$tmp"
	top=$(ls "$tmp")
	if [ -z "$ver" ]; then
		ver=$(sed -n 's/^VERSION = //p;s/^PATCHLEVEL = //p;s/^SUBLEVEL = //p' \
			"$tmp/$top/Makefile" | paste -sd. -)
	fi
	case "$ver" in
	6.12.*) ;;
	*)	echo "error: $tarball is Linux $ver, not 6.12.y" >&2
		exit 1 ;;
	esac
	rm -rf "$cache/base/linux-$ver"
	mv "$tmp/$top" "$cache/base/linux-$ver"
	rmdir "$tmp"
}

base=$(find_base)
if [ -z "$base" ]; then
	unpack_base
	base=$(find_base)
fi

# The prepared tree is keyed on the base version and the patch series.
key="$(basename "$base") $(cd "$patches" && cat series $(grep -v '^#' series) |
	sha256sum | cut -c1-16)"
tree=$cache/tree
if [ "$(cat "$tree/.wasm-prepared" 2>/dev/null)" != "$key" ]; then
	echo "  PREPARE $tree from $(basename "$base")"
	rm -rf "$tree" "$tree.new"
	cp -a "$base" "$tree.new"
	for p in $(grep -v '^#' "$patches/series"); do
		echo "  PATCH   $p"
		patch -d "$tree.new" -p1 --batch --forward --quiet \
			< "$patches/$p"
	done
	echo "$key" > "$tree.new/.wasm-prepared"
	mv "$tree.new" "$tree"
fi

# Overlay what this repository adds.  Directories that belong to the port
# alone are mirrored exactly (--delete); elsewhere files are only added.
for d in arch/wasm Documentation/arch/wasm; do
	mkdir -p "$tree/$d"
	rsync -r --checksum --delete "$repo/$d/" "$tree/$d/"
done
for d in drivers rust scripts; do
	if [ -d "$repo/$d" ]; then
		rsync -r --checksum "$repo/$d/" "$tree/$d/"
	fi
done
