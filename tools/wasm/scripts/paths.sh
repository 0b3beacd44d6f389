# SPDX-License-Identifier: GPL-2.0
#
# Sourced by the build scripts once they have set $here (their own
# directory): the paths they share.
#
#   srcroot    the repository
#   cache      the cache of sources and the base tree (WASM_CACHE,
#              default ~/.cache/linux-wasm)
#   selftests  the base tree's tools/testing/selftests (kselftest.h)
#   jobs       parallel jobs (JOBS, default 2)
#   out_dir USAGE DIR      sets $out to DIR, made and absolute; without
#                          DIR prints USAGE and exits with status 2
#   need_selftests         exits unless the base tree's kselftest.h is there

srcroot=$(cd "$here/../../.." && pwd)
cache=${WASM_CACHE:-$HOME/.cache/linux-wasm}
selftests=$cache/tree/tools/testing/selftests
jobs=${JOBS:-2}

out_dir()
{
	if [ -z "${2:-}" ]; then
		echo "$1" >&2
		exit 2
	fi
	mkdir -p "$2"
	out=$(cd "$2" && pwd)
}

need_selftests()
{
	if [ ! -f "$selftests/kselftest.h" ]; then
		echo "$(basename "$0"): no $selftests/kselftest.h (run: make setup)" >&2
		exit 1
	fi
}
