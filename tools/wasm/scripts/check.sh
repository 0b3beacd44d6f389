#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make check: build everything the tests need (make check-build), then run
# the test files tools/wasm/tests/AREA/NAME.t with prove, two at a time,
# and print one summary line "N passed, N failed, N skipped".  Exits
# non-zero if a build step or a test failed.
#
# Usage: check.sh build|run|all REPO_DIR TREE_DIR OUT_DIR MAKE "KBUILD_VARS" \
#		HOST_TARGET_DIR [PATTERNS]
#
# PATTERNS (make check T=...): run only the test files whose AREA/NAME
# contains one of these words, e.g. T=shell or T='kunit guest/programs'.
# Each test file prints TAP and keeps its logs in OUT_DIR/check-logs/
# AREA-NAME/; see tools/wasm/tests/lib/tap.sh for how to write one.

set -u
exec </dev/null

mode=$1 repo=$2 tree=$3 out=$4 make=$5 kbuild_vars=$6 host_target=$7
patterns=${8:-}
logs=$out/check-logs
start=$(date +%s)

# --- build -----------------------------------------------------------------

# step NAME COMMAND...: one build step; its failure stops the run.
step()
{
	name=$1
	shift
	echo "  CHECK-BUILD $name"
	mkdir -p "$logs/build"
	if ! "$@" >"$logs/build/$name.log" 2>&1; then
		echo "check-build: $name failed; its log is $logs/build/$name.log:" >&2
		tail -n 30 "$logs/build/$name.log" >&2
		exit 1
	fi
}

kbuild()
{
	# shellcheck disable=SC2086
	$make -C "$tree" $kbuild_vars "$@"
}

build()
{
	scripts=$repo/tools/wasm/scripts
	if ! [ -x "$host_target/release/wasm-linux" ]; then
		echo "check-build: no native host in $host_target (run: make host)" >&2
		exit 1
	fi
	# make check tests the defconfig: a .config older than it is remade.
	if ! [ -f "$out/.config" ] ||
	   [ "$repo/arch/wasm/configs/defconfig" -nt "$out/.config" ]; then
		step defconfig kbuild defconfig
	fi
	step kernel kbuild
	step musl "$scripts/build-musl.sh" "$out/musl"
	step busybox "$scripts/build-busybox.sh" "$out"
	step initramfs env GEN_INIT_CPIO="$out/usr/gen_init_cpio" \
		"$scripts/make-initramfs.sh" "$out"
	step guest-tests "$scripts/build-guest-tests.sh" "$out"
	step dash "$repo/tools/wasm/ports/dash/build.sh" "$out"
	# The ports (make ports), cached in $WASM_CACHE/ports, and their
	# image (tests/ports/userland.t).
	step ports "$scripts/build-ports.sh" "$out"
	step ports-initramfs env GEN_INIT_CPIO="$out/usr/gen_init_cpio" \
		INITRAMFS_EXTRA="$out/ports/root" \
		"$scripts/make-initramfs.sh" "$out" "$out/ports/initramfs.cpio"
	# The suites of arch/wasm/configs/kunit.config, in a second output
	# directory.
	step kunit-config kbuild O="$out-kunit" defconfig kunit.config
	step kunit-kernel kbuild O="$out-kunit"
}

# --- run -------------------------------------------------------------------

# The test files, the long ones first so that prove -j2 ends them early.
select_tests()
{
	(cd "$repo/tools/wasm/tests" && ls ./*/*.t) | sed 's|^\./||' |
		awk '
		/^kunit\//  { print 0, $0; next }
		/^guest\//  { print 1, $0; next }
		/^web\//    { print 2, $0; next }
		/^make\//   { print 3, $0; next }
		{ print 4, $0 }' | sort -k1,1n -k2 | cut -d' ' -f2 |
	while read -r f; do
		if [ -z "$patterns" ]; then
			echo "$f"
			continue
		fi
		for p in $patterns; do
			case "${f%.t}" in
			*"$p"*) echo "$f"; break ;;
			esac
		done
	done
}

# count TEST...: the totals of their TAP logs; a file that bailed out or
# ended without its plan counts as one failure more.
count()
{
	passed=0 failed=0 skipped=0
	for f in "$@"; do
		log=$logs/$(echo "${f%.t}" | tr / -)/tap
		if ! [ -f "$log" ]; then
			echo "FAIL: $f wrote no TAP log"
			failed=$((failed + 1))
			continue
		fi
		set -- $(awk '
			/^ok .*# SKIP/ { s++; next }
			/^ok /         { p++; next }
			/^not ok /     { f++; next }
			/^1\.\.[0-9]+$/ { plan = 1 }
			/^Bail out!/   { bail = 1 }
			END { print p + 0, f + 0, s + 0, (plan && !bail) ? 0 : 1 }' "$log")
		passed=$((passed + $1))
		failed=$((failed + $2 + $4))
		skipped=$((skipped + $3))
		if [ "$2" -ne 0 ] || [ "$4" -ne 0 ]; then
			echo "FAIL: $f (log: ${log%/tap}/)"
			awk '/^not ok / { show = 1; print "  " $0; next }
			     /^#/ && show { print "  " $0; next }
			     /^Bail out!/ { print "  " $0 }
			     { show = 0 }' "$log" | head -n 60
			[ "$4" -eq 0 ] || echo "  (the file bailed out or ended without its plan)"
		fi
	done
}

run()
{
	tests=$(select_tests)
	if [ -z "$tests" ]; then
		echo "check: no test file matches T='$patterns'" >&2
		exit 2
	fi
	export WASM_REPO="$repo" WASM_O="$out" WASM_CACHE="$(dirname "$tree")"
	export WASM_LOGS="$logs" WASM_HOST="$host_target/release/wasm-linux"
	export WASM_HOST_TARGET="$host_target" WASM_MAKE="$make"
	export WASM_KBUILD_VARS="$kbuild_vars"
	mkdir -p "$logs"
	# shellcheck disable=SC2086
	(cd "$repo/tools/wasm/tests" && prove -j2 --exec /bin/sh --timer $tests)
	# shellcheck disable=SC2086
	count $tests
	end=$(date +%s)
	echo "time: $((end - start)) s; logs in $logs"
	echo "$passed passed, $failed failed, $skipped skipped"
	[ "$failed" -eq 0 ]
}

case "$mode" in
build) build ;;
run) run ;;
all) build && run ;;
*) echo "usage: check.sh build|run|all REPO TREE OUT MAKE KBUILD_VARS HOST_TARGET [PATTERNS]" >&2
   exit 2 ;;
esac
