# SPDX-License-Identifier: MIT
#
# wasm-sysroot.sh: sourced by wasm-linux-cc and wasm-linux-pkg-config once
# they have set $here (their own directory): sets $sysroot, the guest's
# musl sysroot, or exits if it has no libc.a.
#
#   WASM_SYSROOT  the sysroot (default: $O/musl/sysroot of this tree, with
#                 O=build unless set, a relative O from the top of the
#                 tree as make's; build it with
#                 tools/wasm/scripts/build-musl.sh $O/musl)
# shellcheck shell=sh
# shellcheck disable=SC2154 # $here is the sourcing script's

sysroot=${WASM_SYSROOT:-}
if [ -z "$sysroot" ]; then
	sysroot=${O:-build}
	case "$sysroot" in
	/*) ;;
	*) sysroot=$(cd "$here/../../.." && pwd)/$sysroot ;;
	esac
	sysroot=$sysroot/musl/sysroot
fi
if [ ! -f "$sysroot/lib/libc.a" ]; then
	echo "$(basename "$0"): no sysroot at $sysroot" >&2
	echo "  (build one with tools/wasm/scripts/build-musl.sh, or set WASM_SYSROOT)" >&2
	exit 1
fi
