# SPDX-License-Identifier: MIT
#
# ports-lib.sh: sourced by build-ports.sh and compare-configure.sh once
# they have set $scripts, $srcroot, $cache, $jobs (paths.sh) and sourced
# foreign-make.sh: reading the recipes of tools/wasm/ports
# (tools/wasm/ports/README.md) and the steps of a port's build.
#
#   recipe NAME            reads NAME's recipe (its variables and step
#                          functions over the defaults); use it in a
#                          subshell, as it redefines functions
#   visit NAME             appends NAME's dependencies, then NAME, to
#                          $order, each once
#   fetch_source           apt-get source's files of the recipe read,
#                          checked against its SHA-256 sums
#   unpack_source DIR LOG  the source in DIR: tarball, Debian's diff,
#                          the recipe's patches, autotools-dev's config.sub
#   target_env wasm|native the environment of the steps: wasm-linux-cc
#                          against $sysroot, or the build machine's
#                          musl-gcc with $native_root's ports
#   run_step STEP DIR LOG  port_STEP in DIR, its output in LOG
# shellcheck shell=sh
# shellcheck disable=SC2154 # $scripts, $srcroot... are the caller's
# shellcheck disable=SC2034 # the recipe's variables are the callers' too

recipes=$srcroot/tools/wasm/ports
site=$srcroot/tools/wasm/toolchain/config.site
hostcc=${HOSTCC:-cc}
config_sub=/usr/share/misc/config.sub
target=wasm

# The default steps, which a recipe may redefine.  port_configure,
# port_make and port_install run in the build directory, with $src the
# source and $stage the DESTDIR; $target says for which machine.
port_configure() {
	if [ "$target" = wasm ]; then
		set -- --build="$("$hostcc" -dumpmachine)" \
			--host=wasm32-unknown-linux-musl
	else
		set --
	fi
	# configure_ldflags: LDFLAGS for configure, after the target's own.
	if [ -n "$configure_ldflags" ]; then
		set -- "$@" LDFLAGS="${LDFLAGS:+$LDFLAGS }$configure_ldflags"
	fi
	# shellcheck disable=SC2086
	"$src/configure" "$@" --prefix=/usr --disable-nls $configure_args
}
port_make() {
	# shellcheck disable=SC2086
	foreign_make -j"$jobs" $make_args
}
port_install() {
	# shellcheck disable=SC2086
	foreign_make install DESTDIR="$stage" $install_args
}
# Run in $src once it is unpacked and patched (e.g. autoreconf).
port_prepare() {
	:
}
# Run in the image's copy of the port's files ($1), to leave out more.
port_image() {
	:
}

recipe() {
	name=$1
	file=$recipes/$name/recipe
	if [ ! -f "$file" ]; then
		echo "error: no port $name (no $file)" >&2
		exit 1
	fi
	source='' version='' tarball='' sha256='' depends=''
	configure_args='' configure_ldflags='' make_args='' install_args=''
	cflags='' in_tree=no debian_diff='' debian_diff_sha256=''
	# shellcheck disable=SC1090
	. "$file"
	: "${source:?$file sets no source}" "${tarball:?$file sets no tarball}"
	: "${sha256:?$file sets no sha256}"
}

order=
visit() {
	case " $order " in *" $1 "*) return ;; esac
	case " ${visiting:-} " in
	*" $1 "*) echo "error: ports depend on each other: $visiting $1" >&2; exit 1 ;;
	esac
	visiting="${visiting:-} $1"
	_deps=$( (recipe "$1"; echo "$depends") )
	for _dep in $_deps; do
		visit "$_dep"
	done
	order="$order $1"
}

# fetch_file FILE SHA256: FILE of the recipe's source package in
# $cache/src, fetched unless there, and checked.
fetch_file() {
	"$scripts/apt-source.sh" "$source" "$1" "$cache/src" >&2
	if [ "$(sha256sum <"$cache/src/$1" | cut -d' ' -f1)" != "$2" ]; then
		echo "error: $cache/src/$1 is not the file $name's recipe names" >&2
		echo "  (SHA-256 $2)" >&2
		exit 1
	fi
}
fetch_source() {
	fetch_file "$tarball" "$sha256"
	[ -z "$debian_diff" ] || fetch_file "$debian_diff" "$debian_diff_sha256"
}

unpack_source() {
	_dir=$1 _log=$2
	rm -rf "$_dir"
	mkdir -p "$_dir"
	tar -xf "$cache/src/$tarball" -C "$_dir" --strip-components=1
	# A source package of format 1.0: Debian's changes to upstream's
	# files are a diff beside the tarball, which the package's own
	# build starts from.
	if [ -n "$debian_diff" ] &&
	   ! zcat "$cache/src/$debian_diff" | patch -d "$_dir" -p1 -s >>"$_log" 2>&1; then
		echo "error: $name: $debian_diff does not apply" >&2
		exit 1
	fi
	for _p in "$recipes/$name"/patches/*.patch; do
		[ -f "$_p" ] || continue
		if ! patch -d "$_dir" -p1 -s <"$_p" >>"$_log" 2>&1; then
			echo "error: $name: $_p does not apply" >&2
			exit 1
		fi
	done
	# config.sub and config.guess as Debian's builds have them
	# (dh_update_autotools_config): autotools-dev's, which know wasm32.
	if [ ! -f "$config_sub" ]; then
		echo "error: no $config_sub (apt-get install autotools-dev)" >&2
		exit 1
	fi
	find "$_dir" -name config.sub -type f | while read -r _f; do
		cp "$config_sub" "$_f"
		cp "${config_sub%.sub}.guess" "${_f%.sub}.guess"
	done
}

target_env() {
	target=$1
	unset CPPFLAGS LDFLAGS LIBS CONFIG_SITE WASM_SYSROOT
	CC_FOR_BUILD=$hostcc
	BUILD_CC=$hostcc
	CXX=false
	if [ "$target" = wasm ]; then
		# README.md, "How a port is built".
		CC=$scripts/wasm-linux-cc
		AR=$scripts/wasm-linux-ar
		RANLIB=$scripts/wasm-linux-ranlib
		NM=$scripts/wasm-linux-nm
		STRIP=$scripts/wasm-linux-strip
		PKG_CONFIG=$scripts/wasm-linux-pkg-config
		CFLAGS=${PORT_CFLAGS:--O2 -msimd128}
		WASM_SYSROOT=$sysroot
		CONFIG_SITE=$site
		export WASM_SYSROOT CONFIG_SITE
	else
		# The same libc on the build machine: Debian's musl-gcc, with
		# the native builds of the ports' libraries in $native_root.
		CC=musl-gcc
		AR=ar RANLIB=ranlib NM=nm STRIP=strip
		PKG_CONFIG=false
		CFLAGS=-O2
		CPPFLAGS="-I$native_root/usr/include"
		LDFLAGS="-L$native_root/usr/lib"
		export CPPFLAGS LDFLAGS
	fi
	# The recipe's cflags: what its old code needs of a newer compiler.
	CFLAGS="$CFLAGS${cflags:+ $cflags}"
	export CC CXX AR RANLIB NM STRIP PKG_CONFIG CC_FOR_BUILD BUILD_CC CFLAGS
}

run_step() {
	_step=$1 _sdir=$2 _slog=$3
	# configure runs its link checks without Asyncify: the same answers
	# in a fraction of the time (README.md).
	if [ "$_step" = configure ]; then
		_fork=0
	else
		_fork=1
	fi
	if ! (cd "$_sdir" && export WASM_FORK=$_fork && "port_$_step") \
	     >>"$_slog" 2>&1; then
		echo "error: $name ($target): $_step failed; the end of $_slog:" >&2
		tail -n 40 "$_slog" >&2
		exit 1
	fi
}
