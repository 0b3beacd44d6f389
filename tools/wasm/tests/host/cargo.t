#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The native host's own tests (cargo test: unit tests and the ABI tests
# against a mock kernel), clippy, rustfmt, and its command line.

. "$(dirname "$0")/../lib/tap.sh"

cargo=${CARGO:-cargo}
manifest=$repo/tools/wasm/host/Cargo.toml
target=${WASM_HOST_TARGET:-$cache/host-target}

$cargo test --locked --manifest-path "$manifest" --target-dir "$target" \
	>"$logs/cargo-test" 2>&1
cargo_cases host "$logs/cargo-test" $?
t "host: cargo clippy -- -D warnings is clean" \
	$cargo clippy --locked --quiet --all-targets --manifest-path "$manifest" \
	--target-dir "$target" -- -D warnings
t "host: cargo fmt --check is clean" \
	$cargo fmt --check --manifest-path "$manifest"

needs "$host"
"$host" run --cpus x /dev/null 2>"$logs/bad-arg"
same "host: a bad argument exits with status 2" 2 $?
same "host: ... and prints a one-line error" 1 "$(wc -l <"$logs/bad-arg")"

done_testing
