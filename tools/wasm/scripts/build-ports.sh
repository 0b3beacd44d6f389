#!/bin/sh
# SPDX-License-Identifier: MIT
#
# make ports: build Debian source packages for the wasm32 Linux guest from
# the recipes tools/wasm/ports/NAME/recipe (tools/wasm/ports/README.md
# says how a recipe reads and why the build goes as it does).
#
# Usage: build-ports.sh OUTDIR [NAME...]
#
# Builds the ports named (default: every recipe's), and first the ones
# they depend on, with wasm-linux-cc against OUTDIR/musl/sysroot.  Result:
#   OUTDIR/ports/sysroot   the musl sysroot with the ports installed in
#                          usr/ (headers, static libraries, .pc files):
#                          WASM_SYSROOT for software built against them
#   OUTDIR/ports/root      the files of the guest's image (programs and
#                          their data, no headers, manuals or archives),
#                          to lay over BusyBox's (INITRAMFS_EXTRA of
#                          make-initramfs.sh and make-rootfs-img.sh)
#   OUTDIR/ports/build/NAME/{src,wasm}  the last build of a port
#   OUTDIR/ports/build/NAME.log         its log
#
# Each port's installed files are kept in
# ${WASM_CACHE:-~/.cache/linux-wasm}/ports/NAME/KEY, KEY a hash of what
# they were built from: the recipe and its patches, the tarball, this
# script's build_version, the toolchain (clang, the wrappers, binaryen,
# the musl sysroot) and the keys of the ports it depends on.  A port whose KEY is cached is
# not built again, so a second run, or a fresh clone on the same machine,
# only copies.
#
# Environment: JOBS (default 2), HOSTCC (default cc), PORT_CFLAGS (the
# guest's CFLAGS, default -O2 -msimd128).

set -eu

here=$(cd "$(dirname "$0")" && pwd)
scripts=$here
# shellcheck source=tools/wasm/scripts/paths.sh
. "$here/paths.sh"
out_dir "usage: build-ports.sh OUTDIR [NAME...]" "${1:-}"
shift
# shellcheck source=tools/wasm/scripts/foreign-make.sh
. "$here/foreign-make.sh"

# shellcheck source=tools/wasm/scripts/ports-lib.sh
. "$here/ports-lib.sh"

musl=$out/musl/sysroot
top=$out/ports
sysroot=$top/sysroot
root=$top/root
store=$cache/ports

if [ ! -f "$musl/lib/libc.so" ]; then
	echo "error: no $musl/lib/libc.so; run tools/wasm/scripts/build-musl.sh $out/musl" >&2
	exit 1
fi
for tool in make tar sha256sum patch "$hostcc"; do
	if ! command -v "$tool" >/dev/null; then
		echo "error: $tool not found" >&2
		exit 1
	fi
done
if [ ! -f "$config_sub" ]; then
	echo "error: no $config_sub (apt-get install autotools-dev)" >&2
	exit 1
fi

# --- the toolchain's identity ----------------------------------------------

# The version of how this script builds a port (the steps, the cross
# environment): bump it with a change that changes what a port builds
# into, so that the cached ports are built again; other changes to this
# script (messages, the image, the order) leave them be.
build_version=2

toolchain_key=$( {
	echo "build-ports $build_version"
	sha256sum "$scripts/wasm-linux-cc" "$scripts/wasm-asyncify" \
		"$scripts/wasm-linux-ar" "$scripts/wasm-linux-ranlib" \
		"$scripts/wasm-linux-nm" "$scripts/wasm-linux-strip" \
		"$scripts/wasm-linux-pkg-config" "$scripts/wasm-sysroot.sh" \
		"$scripts/foreign-make.sh" "$scripts/ports-lib.sh" "$site" |
		cut -d' ' -f1
	"${WASM_CC:-clang-22}" --version | head -n 1
	grep '"version"' "$cache/binaryen/node_modules/binaryen/package.json" \
		2>/dev/null || true
	sha256sum <"$config_sub"
	(cd "$musl" && find lib include -type f | LC_ALL=C sort | xargs sha256sum)
} | sha256sum | cut -d' ' -f1)

# --- the ports to build --------------------------------------------------

if [ $# -eq 0 ]; then
	# shellcheck disable=SC2046 # names have no blanks
	set -- $(cd "$recipes" && for d in */recipe; do echo "${d%/recipe}"; done)
fi
for n in "$@"; do
	visit "$n"
done

# --- one port --------------------------------------------------------------

# build_port NAME KEY: builds NAME into $store/NAME/KEY.
build_port() {
	name=$1 key=$2
	recipe "$name"
	log=$top/build/$name.log
	bdir=$top/build/$name
	src=$bdir/src
	build=$bdir/wasm
	stage=$bdir/stage
	rm -rf "$bdir"
	mkdir -p "$bdir" "$stage"
	: >"$log"
	echo "  PORT    $name $version"
	unpack_source "$src" "$log"
	target_env wasm
	[ "$in_tree" = yes ] && build=$src
	mkdir -p "$build"
	run_step prepare "$src" "$log"
	for s in configure make install; do
		run_step "$s" "$build" "$log"
	done
	rm -rf "$store/$name/$key.tmp"
	mkdir -p "$store/$name"
	cp -a "$stage" "$store/$name/$key.tmp"
	rm -rf "${store:?}/$name/$key"
	mv "$store/$name/$key.tmp" "$store/$name/$key"
}

# The image's part of a port's files: programs and data, without what
# only a build uses.
image_files() {
	from=$1 to=$2
	rm -rf "$to"
	cp -a "$from" "$to"
	rm -rf "$to/usr/include" "$to/usr/share/man" "$to/usr/share/info" \
		"$to/usr/share/doc" "$to/usr/share/locale" \
		"$to/usr/lib/pkgconfig" "$to/usr/share/pkgconfig" \
		"$to/usr/share/aclocal"
	find "$to" \( -name '*.a' -o -name '*.la' \) -type f -exec rm -f {} +
	port_image "$to"
	find "$to" -depth -type d -empty -exec rmdir {} +
}

rm -rf "$sysroot" "$root"
mkdir -p "$top/build" "$root" "$store"
cp -a "$musl" "$sysroot"
keys=
for name in $order; do
	key=$(
		recipe "$name"
		fetch_source
		{
			echo "$toolchain_key"
			# The recipe and its patches (not the lists of
			# make check-ports, which change no build).
			(cd "$recipes/$name" && find recipe patches -type f \
			 2>/dev/null | LC_ALL=C sort | xargs sha256sum)
			for dep in $depends; do
				echo "$keys" | tr ' ' '\n' | grep "^$dep=" || true
			done
			echo "${PORT_CFLAGS:-}"
		} | sha256sum | cut -c1-16
	)
	keys="$keys $name=$key"
	if [ ! -d "$store/$name/$key" ]; then
		(build_port "$name" "$key")
	else
		echo "  CACHED  $name ($store/$name/$key)"
	fi
	cp -a "$store/$name/$key/." "$sysroot/"
	(recipe "$name"; image_files "$store/$name/$key" "$top/image.$name.tmp")
	cp -a "$top/image.$name.tmp/." "$root/"
	rm -rf "$top/image.$name.tmp"
done
echo "$keys" | tr ' ' '\n' | sed '/^$/d' >"$top/keys"
echo "  PORTS   $top/root ($(du -sk "$root" | cut -f1) KiB)"
