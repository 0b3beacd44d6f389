#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make check: build what is missing and run every test, then print one
# summary line "N passed, N failed".  Exits non-zero if any test failed.
#
# Usage: check.sh REPO_DIR TREE_DIR OUT_DIR MAKE "KBUILD_VARS" HOST_TARGET_DIR

set -u

# The guest's console reads standard input: the tests give it none (and
# leave a terminal alone).
exec </dev/null

repo=$1 tree=$2 out=$3 make=$4 kbuild_vars=$5 host_target=$6
host=$host_target/release/wasm-linux
cargo=${CARGO:-cargo}
manifest=$repo/tools/wasm/host/Cargo.toml
start=$(date +%s)
passed=0
failed=0
skipped=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok()   { passed=$((passed + 1)); echo "ok   - $*"; }
fail() { failed=$((failed + 1)); echo "FAIL - $*"; }

# t NAME COMMAND...: one test case, passes if COMMAND exits 0.
t()
{
	name=$1
	shift
	if "$@" >"$tmp/out" 2>&1; then
		ok "$name"
	else
		fail "$name"
		sed 's/^/       /' "$tmp/out" | tail -n 20
	fi
}

# not COMMAND...: succeeds if COMMAND fails (for negative tests).
not() { ! "$@"; }

kbuild()
{
	# shellcheck disable=SC2086
	$make -C "$tree" $kbuild_vars "$@"
}

# count_cargo_tests LOG NAME: add up the "test result" lines of a Rust test
# run; a log with none (a crash, a build error) counts as one failure.
count_cargo_tests()
{
	results=$(sed -n 's/^test result: .* \([0-9]*\) passed; \([0-9]*\) failed.*/\1 \2/p' "$1")
	if [ -z "$results" ]; then
		fail "$2: no test result"
		return
	fi
	p=$(echo "$results" | cut -d' ' -f1 | paste -sd+ - | bc)
	f=$(echo "$results" | cut -d' ' -f2 | paste -sd+ - | bc)
	passed=$((passed + p))
	failed=$((failed + f))
	echo "ok   - $2: $p passed, $f failed"
}

echo "== host tools: unit tests"
checker_src=$repo/arch/wasm/tools/wasm_vmlinux_check.rs
if /usr/bin/rustc --edition=2021 --test -o "$tmp/checker-tests" \
	"$checker_src" >"$tmp/out" 2>&1; then
	"$tmp/checker-tests" >"$tmp/unit" 2>&1
	count_cargo_tests "$tmp/unit" "wasm_vmlinux_check unit tests"
	grep -E '^test .* FAILED' "$tmp/unit" || true
else
	fail "wasm_vmlinux_check unit tests build"
	tail -n 20 "$tmp/out"
fi

# rustfmt with the kernel's .rustfmt.toml, over every crate root of
# arch/wasm (the kernel's Rust and the build-time checker, whose modules
# rustfmt follows from its root).
t "arch/wasm Rust is rustfmt-clean (the kernel's .rustfmt.toml)" \
	sh -c "find '$repo/arch/wasm' -name '*.rs' ! -path '*/tools/*' |
	       xargs rustfmt --check --edition 2021 \
		--config-path '$tree/.rustfmt.toml' '$checker_src'"

echo "== native host: cargo test, clippy, fmt"
$cargo test --locked --quiet --manifest-path "$manifest" \
	--target-dir "$host_target" >"$tmp/host-tests" 2>&1
status=$?
count_cargo_tests "$tmp/host-tests" "wasm-linux unit and ABI tests"
if [ $status -ne 0 ]; then
	fail "cargo test for the host"
	tail -n 30 "$tmp/host-tests"
fi
t "host: cargo clippy -- -D warnings is clean" \
	$cargo clippy --locked --quiet --all-targets --manifest-path "$manifest" \
	--target-dir "$host_target" -- -D warnings
t "host: cargo fmt --check is clean" \
	$cargo fmt --check --manifest-path "$manifest"
t "host: a bad argument is a one-line error with status 2" \
	sh -c "'$host' run --cpus x /dev/null 2>'$tmp/err'; [ \$? -eq 2 ] &&
	       [ \$(wc -l <'$tmp/err') -eq 1 ]"

echo "== kernel build"
# make check tests the defconfig: a .config older than it is remade.
if ! [ -f "$out/.config" ] ||
   [ "$repo/arch/wasm/configs/defconfig" -nt "$out/.config" ]; then
	kbuild defconfig >"$tmp/out" 2>&1 || tail -n 20 "$tmp/out"
fi
t "make ARCH=wasm builds vmlinux.wasm" kbuild
mod=$out/vmlinux.wasm
if ! [ -f "$mod" ]; then
	fail "no $mod, skipping the module tests"
else
	t "wasm-validate --enable-threads accepts vmlinux.wasm" \
		wasm-validate --enable-threads "$mod"
	t "the module imports exactly one memory, and it is shared" \
		sh -c "wasm-objdump -x -j Import '$mod' | grep -c ' memory\[' |
		       grep -qx 1 &&
		       wasm-objdump -x -j Import '$mod' | grep ' memory\[' |
		       grep -q shared"
	t "the kernel version string is in the module's data" \
		grep -aq 'Linux version 6\.12\.' "$mod"
	t ".config has CONFIG_RUST=y" grep -qx 'CONFIG_RUST=y' "$out/.config"
	for fn in arch_spin_lock arch_spin_trylock arch_spin_unlock __switch_to; do
		t "Rust $fn is in the name section" \
			sh -c "wasm-objdump -x -j name '$mod' | grep -q '<$fn>'"
	done
	t "the kernel's Rust was built by rustc 1.96" \
		grep -q 'CONFIG_RUSTC_VERSION=1096' "$out/.config"

	checker=$out/arch/wasm/tools/wasm_vmlinux_check
	doc=$repo/Documentation/arch/wasm/host-abi.rst
	t "the module's imports and exports equal the documented host ABI" \
		"$checker" abi "$mod" "$doc"
	sed '/import host.console_write/d' "$doc" >"$tmp/abi-missing.rst"
	t "the ABI check fails on an undocumented import" \
		not "$checker" abi "$mod" "$tmp/abi-missing.rst"
	sed 's/^\(   export wasm_boot func\).*/\1 (i32) -> ()/' "$doc" \
		>"$tmp/abi-changed.rst"
	t "the ABI check fails on a changed signature" \
		not "$checker" abi "$mod" "$tmp/abi-changed.rst"

	lst=$out/arch/wasm/boot/vmlinux-tables.lst
	t "every section table is bracketed and contiguous (link map)" \
		"$checker" tables "$out/vmlinux.map" "$lst"
	grep -v ' __initcall_end$' "$out/vmlinux.map" >"$tmp/bad.map"
	t "the table check fails when an end marker is missing" \
		not "$checker" tables "$tmp/bad.map" "$lst"

	# Boot: the kernel must get through start_kernel, bring up every CPU
	# and end in the no-init panic (host status 1).  The initramfs has an
	# /init that is no program (with none, the kernel would look for a
	# root disk instead).
	printf 'dir /dev 755 0 0\nnod /dev/console 600 0 0 c 5 1\nfile /init %s 644 0 0\n' \
		"$repo/README.md" >"$tmp/noinit.list"
	"$out/usr/gen_init_cpio" "$tmp/noinit.list" >"$tmp/noinit.cpio"
	for cpus in 1 2 4; do
		timeout 120 "$host" run "$mod" --cpus $cpus \
			--initramfs "$tmp/noinit.cpio" >"$tmp/boot$cpus" 2>&1
		status=$?
		t "boot with --cpus $cpus ends in the no-init panic, status 1" \
			sh -c "[ $status -eq 1 ] &&
			       grep -q 'No working init found' '$tmp/boot$cpus'"
		t "boot with --cpus $cpus brings up $cpus CPUs" \
			grep -q "smp: Brought up 1 node, $cpus CPU" "$tmp/boot$cpus"
		if [ $status -ne 1 ]; then
			tail -n 15 "$tmp/boot$cpus"
		fi
	done
	t "the host console shows the kernel log from its first line" \
		sh -c "head -n 1 '$tmp/boot2' | grep -q 'Linux version 6\.12\.'"
	echo "     boot to the no-init panic (--cpus 2): $(sed -n \
		's/^\[ *\([0-9.]*\)\] Kernel panic.*/\1 s kernel time/p' "$tmp/boot2")"

	# Clean ends and statistics.
	timeout 120 "$host" run "$mod" --append "panic=-1" >"$tmp/reboot" 2>&1
	t "panic=-1 makes the panic a reboot: host status 4" test $? -eq 4
	timeout 120 "$host" run "$mod" --stats --initramfs "$tmp/noinit.cpio" \
		>"$tmp/stats" 2>&1
	t "--stats prints the boot time to init" \
		grep -q '^wasm-linux: boot: [0-9.]* ms to init' "$tmp/stats"
	t "a second boot maps the compiled kernel from the cache" \
		grep -q '^wasm-linux: boot: .*(loading the module' "$tmp/stats"
	echo "     $(grep -h "^wasm-linux: boot:" "$tmp/stats")"
	# 3 s asleep in rootdelay (then no root disk: a panic): an idle
	# kernel must not burn host CPU (a polling idle loop would use 2
	# CPUs, 6000 ms).
	timeout 120 "$host" run "$mod" --stats --append "rootdelay=3" \
		>"$tmp/idle" 2>&1
	cpu_ms=$(sed -n 's/^wasm-linux: ran .*; host CPU \([0-9]*\)\..*/\1/p' \
		"$tmp/idle")
	t "an idle kernel uses little host CPU (${cpu_ms:-?} ms in 3 s asleep)" \
		test "${cpu_ms:-99999}" -lt 300

	before=$(stat -c %Y "$out/vmlinux")
	t "a second make with no change succeeds" kbuild
	after=$(stat -c %Y "$out/vmlinux")
	t "a second make with no change does not relink vmlinux" \
		test "$before" = "$after"
fi

echo "== user mode"
# musl for the guest, a test program built with the compiler wrapper and
# run as init: it prints through stdio, allocates, starts a thread, jumps
# with longjmp and exits 0, which the kernel reports as init's death.
"$repo/tools/wasm/scripts/build-musl.sh" "$out/musl" >"$tmp/musl" 2>&1 ||
	tail -n 20 "$tmp/musl"
t "musl builds for wasm32 (libc.a, crt1.o)" \
	test -f "$out/musl/sysroot/lib/libc.a" -a -f "$out/musl/sysroot/lib/crt1.o"
t "musl builds a shared libc.so with a dylink.0 section and no NEEDED" \
	sh -c "wasm-objdump -x -j dylink.0 '$out/musl/sysroot/lib/libc.so' |
	       grep -q 'mem_size' &&
	       ! wasm-objdump -x -j dylink.0 '$out/musl/sysroot/lib/libc.so' |
	       grep -q 'needed'"
WASM_SYSROOT=$out/musl/sysroot "$repo/tools/wasm/scripts/wasm-linux-cc" -O2 \
	-static -o "$tmp/hello" "$repo/tools/wasm/musl/test/hello.c" >"$tmp/cc" 2>&1 ||
	tail -n 20 "$tmp/cc"
t "wasm-linux-cc builds a program with a dylink.0 section" \
	sh -c "wasm-objdump -h '$tmp/hello' | grep -q 'dylink.0'"
printf 'dir /dev 755 0 0\nnod /dev/console 600 0 0 c 5 1\nfile /init %s 755 0 0\n' \
	"$tmp/hello" >"$tmp/hello.list"
"$out/usr/gen_init_cpio" "$tmp/hello.list" >"$tmp/hello.cpio"
if [ -f "$mod" ]; then
	timeout 120 "$host" run "$mod" --cpus 2 --initramfs "$tmp/hello.cpio" \
		--append quiet </dev/null >"$tmp/user" 2>&1
	t "a musl program runs as init and prints" \
		grep -q '^hello from wasm32 musl, argc=1 argv\[0\]=/init' "$tmp/user"
	t "user mode: malloc of 1 B to 1 MiB (mmap)" grep -q '^malloc: ok' "$tmp/user"
	t "user mode: a pthread runs and is joined" \
		grep -q '^thread: returned 85' "$tmp/user"
	t "user mode: setjmp/longjmp through wasm exceptions" \
		grep -q '^setjmp: 3 after 3 jumps' "$tmp/user"
	t "user mode: init exits with status 0" \
		grep -q 'Attempted to kill init! exitcode=0x00000000' "$tmp/user"
	grep -q '^all ok' "$tmp/user" || tail -n 20 "$tmp/user"
fi

echo "== BusyBox shell"
# BusyBox and the initramfs, then the shell driven through the console's
# standard input, as a user would: printf '...' | make run.
"$repo/tools/wasm/scripts/build-busybox.sh" "$out" >"$tmp/bb" 2>&1 ||
	tail -n 20 "$tmp/bb"
t "BusyBox builds as one wasm module" test -f "$out/busybox/busybox"
GEN_INIT_CPIO=$out/usr/gen_init_cpio \
	"$repo/tools/wasm/scripts/make-initramfs.sh" "$out" >"$tmp/cpio" 2>&1 ||
	tail -n 20 "$tmp/cpio"
t "the initramfs is made" test -s "$out/initramfs.cpio"
if [ -f "$mod" ] && [ -s "$out/initramfs.cpio" ]; then
	printf '%s\n' 'uname -a' 'cat /proc/cpuinfo' 'echo hi | wc -c' \
		'ls /bin | wc -l' 'for i in 1 2 3; do echo n$i; done' \
		'sleep 1; echo slept' \
		'echo redir-$((6*7)) >/tmp/r; cat </tmp/r 2>/dev/null' \
		'sleep 10 & kill $!; wait $!; echo waited-$?' \
		'poweroff' >"$tmp/sh.in"
	timeout 120 "$host" run "$mod" --cpus 2 --initramfs "$out/initramfs.cpio" \
		--append quiet <"$tmp/sh.in" >"$tmp/sh.raw" 2>&1
	status=$?
	tr -d '\r' <"$tmp/sh.raw" >"$tmp/sh"
	t "shell: poweroff ends the host with status 0" test $status -eq 0
	t "shell: uname -a names Linux on wasm32" \
		grep -Eq '^Linux [^ ]+ 6\.12\.[0-9]+ .* wasm32' "$tmp/sh"
	t "shell: /proc/cpuinfo shows a WebAssembly CPU" \
		grep -q '^model name.*WebAssembly' "$tmp/sh"
	t "shell: a pipeline (echo hi | wc -c gives 3)" grep -qx '3' "$tmp/sh"
	t "shell: over 100 applets in /bin" \
		sh -c "grep -Ex '[0-9]+' '$tmp/sh' | awk '\$1 > 100 { f = 1 } END { exit !f }'"
	t "shell: a for loop" sh -c "grep -qx n1 '$tmp/sh' && grep -qx n3 '$tmp/sh'"
	t "shell: sleep 1" grep -qx 'slept' "$tmp/sh"
	t "shell: redirections (> file, < file)" grep -qx 'redir-42' "$tmp/sh"
	t "shell: a background job, kill \$!, wait gives 143" \
		grep -qx 'waited-143' "$tmp/sh"
	[ $status -eq 0 ] || tail -n 20 "$tmp/sh"
fi

echo "== guest tests"
# C programs of tools/wasm/tests, run in the guest from the BusyBox
# initramfs; each prints TAP, and every "ok" and "not ok" line counts.
# The conformance tests (tests/conformance) run natively first, as the
# reference: each must pass on the host's Linux too.
"$repo/tools/wasm/scripts/build-guest-tests.sh" "$out" >"$tmp/gt" 2>&1 ||
	tail -n 20 "$tmp/gt"
t "the guest tests build" test -f "$out/guest-tests/initramfs.list"
t "the conformance tests build for the guest" \
	test -f "$out/conformance/initramfs.list"
"$repo/tools/wasm/scripts/run-conformance-native.sh" "$out" \
	>"$tmp/cf.native" 2>&1
status=$?
conformance=$(sed -n 's/^BEGIN //p' "$tmp/cf.native")
for name in $conformance; do
	t "conformance $name passes natively (the reference)" \
		grep -q "^END $name 0\$" "$tmp/cf.native"
done
[ $status -eq 0 ] || grep '^not ok' "$tmp/cf.native" | head -n 10
# tap_count FILE NAME: adds FILE's TAP lines to the totals.
tap_count()
{
	np=$(grep -c '^ok ' "$1")
	nf=$(grep -c '^not ok ' "$1")
	passed=$((passed + np))
	failed=$((failed + nf))
	echo "     $2: $np ok, $nf not ok"
	grep '^not ok ' "$1" | head -n 10 | sed 's/^/       /'
}
if [ -f "$mod" ] && [ -s "$out/initramfs.list" ] &&
   [ -f "$out/guest-tests/initramfs.list" ] &&
   [ -f "$out/conformance/initramfs.list" ]; then
	cat "$out/initramfs.list" "$out/guest-tests/initramfs.list" \
		"$out/conformance/initramfs.list" >"$tmp/gt.list"
	"$out/usr/gen_init_cpio" "$tmp/gt.list" >"$tmp/gt.cpio"
	d=/usr/lib/wasm-tests
	# Each test's output between BEGIN and END markers, then the proof
	# that shared-libc ran from /lib/libc.so: without it, exec fails.
	for name in vfork preempt isolation shared-libc "execve-fuzz $d/seed"; do
		echo "echo BEGIN ${name%% *}; $d/$name; echo END ${name%% *} \$?"
	done >"$tmp/gt.in"
	printf '%s\n' 'mv /lib/libc.so /tmp/' "$d/shared-libc; echo without-libc=\$?" \
		'mv /tmp/libc.so /lib/' "$d/conformance/run-all" 'poweroff' \
		>>"$tmp/gt.in"
	timeout 900 "$host" run "$mod" --cpus 2 --initramfs "$tmp/gt.cpio" \
		--append quiet <"$tmp/gt.in" >"$tmp/gt.raw" 2>&1
	status=$?
	tr -d '\r' <"$tmp/gt.raw" >"$tmp/gt.out"
	t "guest tests: the guest powers off, host status 0" test $status -eq 0
	for name in vfork preempt isolation shared-libc execve-fuzz; do
		sed -n "/^BEGIN $name\$/,/^END $name /p" "$tmp/gt.out" >"$tmp/gt.$name"
		tap_count "$tmp/gt.$name" "$name"
		t "guest test $name ran to the end and exited 0" \
			grep -q "^END $name 0\$" "$tmp/gt.$name"
	done
	t "execve-fuzz: at least 1,000 malformed executables" sh -c \
		"sed -n 's/^ok [0-9]* - total: \([0-9]*\) cases.*/\1/p' '$tmp/gt.execve-fuzz' |
		 awk '\$1 >= 1000 { f = 1 } END { exit !f }'"
	t "shared-libc: without /lib/libc.so its exec fails (ELIBACC)" \
		grep -q '^without-libc=[1-9]' "$tmp/gt.out"
	t "shared-libc: the program needs libc.so and has none of its code" \
		sh -c "wasm-objdump -x -j dylink.0 '$out/guest-tests/shared-libc' |
		       grep -A1 'needed_dynlibs' | grep -q ' libc.so\$' &&
		       wasm-objdump -x -j Import '$out/guest-tests/shared-libc' |
		       grep -q '<- env.printf'"
	for name in $conformance; do
		sed -n "/^BEGIN $name\$/,/^END $name /p" "$tmp/gt.out" >"$tmp/cf.$name"
		tap_count "$tmp/cf.$name" "conformance $name"
		t "conformance $name ran to the end in the guest and exited 0" \
			grep -q "^END $name 0\$" "$tmp/cf.$name"
	done
	[ $status -eq 0 ] || tail -n 20 "$tmp/gt.out"
fi

echo "== virtio devices"
# The native host's virtio-mmio devices with the upstream drivers: root on
# an ext4 disk made by make-rootfs-img.sh, a read-only second disk, the
# entropy device and the console; then a second boot from the same disk.
"$repo/tools/wasm/scripts/make-rootfs-img.sh" "$out" "$tmp/root.img" 128M \
	>"$tmp/img" 2>&1 || tail -n 20 "$tmp/img"
t "make-rootfs-img.sh makes an ext4 image that e2fsck accepts" \
	e2fsck -fn "$tmp/root.img"
mkdir -p "$tmp/ro.d"
echo 'read-only disk' >"$tmp/ro.d/hello"
mke2fs -q -F -t ext4 -d "$tmp/ro.d" "$tmp/ro.img" 8M >"$tmp/img" 2>&1 ||
	tail -n 20 "$tmp/img"
if [ -f "$mod" ] && [ -s "$tmp/root.img" ] && [ -s "$tmp/ro.img" ]; then
	printf '%s\n' \
		'echo ROOT $(grep " / " /proc/mounts | cut -d" " -f3,4 | cut -d, -f1)' \
		'for d in virtio_console virtio_rng virtio_blk; do echo DRV $d $(ls /sys/bus/virtio/drivers/$d | grep -c "^virtio"); done' \
		'echo MMIO $(dmesg | grep -c "virtio-mmio: Registering device virtio-mmio")' \
		'echo CONSOLE $(cat /sys/class/tty/console/active)' \
		'echo RNG $(cat /sys/class/misc/hw_random/rng_current)' \
		'echo HWRNG $(head -c 32 /dev/hwrng | od -An -tx1 | tr -d " \n" | wc -c)' \
		'echo KHWRNG $(ps | grep -c "[[]hwrng[]]")' \
		'dd if=/dev/urandom of=/root/big bs=1M count=20 2>/dev/null' \
		'echo SUM1 $(sha256sum /root/big)' \
		'mkdir -p /mnt/ro; mount /dev/vdb /mnt/ro 2>/dev/null; echo ROMOUNT $(grep " /mnt/ro " /proc/mounts | cut -d" " -f4 | cut -d, -f1)' \
		'echo ROREAD $(cat /mnt/ro/hello)' \
		'echo x 2>/dev/null >/mnt/ro/new; echo ROWRITE $?' \
		'dd if=/dev/zero of=/dev/vdb bs=512 count=1 2>/dev/null; echo RAWWRITE $?' \
		'umount /mnt/ro' \
		'echo SEQ-BEGIN; seq 100000; echo SEQ-END' \
		'sync' 'poweroff' >"$tmp/v1.in"
	timeout 300 "$host" run "$mod" --cpus 2 --disk "$tmp/root.img" \
		--disk "$tmp/ro.img:ro" --append quiet <"$tmp/v1.in" >"$tmp/v1.raw" 2>&1
	status=$?
	tr -d '\r' <"$tmp/v1.raw" >"$tmp/v1"
	t "disk boot: poweroff ends the host with status 0" test $status -eq 0
	t "disk boot: / is the ext4 disk, read-write" grep -qx 'ROOT ext4 rw' "$tmp/v1"
	t "virtio_mmio registers 4 devices from the command line" \
		grep -qx 'MMIO 4' "$tmp/v1"
	for d in virtio_console virtio_rng virtio_blk; do
		n=1
		[ $d = virtio_blk ] && n=2
		t "the upstream $d driver binds $n device(s)" grep -qx "DRV $d $n" "$tmp/v1"
	done
	t "the console is hvc0 (virtio console)" grep -qx 'CONSOLE hvc0' "$tmp/v1"
	t "the hw_random source is virtio-rng" grep -q '^RNG virtio_rng' "$tmp/v1"
	t "/dev/hwrng gives 32 bytes" grep -qx 'HWRNG 64' "$tmp/v1"
	t "the hwrng kernel thread feeds the kernel's RNG from it" \
		grep -qx 'KHWRNG 1' "$tmp/v1"
	t "the read-only disk mounts read-only" grep -qx 'ROMOUNT ro' "$tmp/v1"
	t "the read-only disk's file reads back" \
		grep -qx 'ROREAD read-only disk' "$tmp/v1"
	t "a write to the read-only disk's file system fails" \
		grep -Eqx 'ROWRITE [1-9][0-9]*' "$tmp/v1"
	t "a raw write to the read-only disk fails" \
		grep -Eqx 'RAWWRITE [1-9][0-9]*' "$tmp/v1"
	t "seq 100000 through the virtio console: every line, in order" \
		sh -c "sed -n '/^SEQ-BEGIN\$/,/^SEQ-END\$/p' '$tmp/v1' |
		       grep -Ex '[0-9]+' >'$tmp/seq.got' && seq 100000 |
		       cmp -s - '$tmp/seq.got'"
	t "after poweroff e2fsck -fn finds the disk clean" e2fsck -fn "$tmp/root.img"
	sum1=$(sed -n 's/^SUM1 \([0-9a-f]\{64\}\) .*/\1/p' "$tmp/v1")
	printf '%s\n' 'echo SUM2 $(sha256sum /root/big)' 'poweroff' >"$tmp/v2.in"
	timeout 120 "$host" run "$mod" --cpus 2 --disk "$tmp/root.img" \
		--append quiet <"$tmp/v2.in" >"$tmp/v2.raw" 2>&1
	status2=$?
	tr -d '\r' <"$tmp/v2.raw" >"$tmp/v2"
	t "second boot from the same disk: status 0" test $status2 -eq 0
	t "a 20 MB file written before poweroff has the same sha256 after reboot" \
		sh -c "[ -n '$sum1' ] && grep -q '^SUM2 $sum1 ' '$tmp/v2'"
	[ $status -eq 0 ] && [ $status2 -eq 0 ] || tail -n 20 "$tmp/v1" "$tmp/v2"
fi

echo "== interactive shell (tmux)"
# The shell on a terminal, as a user types at it: the host runs in a tmux
# pane (a pty, so raw mode and the line discipline's signals), keys go in
# with send-keys and the screen comes back with capture-pane.
if [ -f "$mod" ] && [ -s "$out/initramfs.cpio" ]; then
	sock=$tmp/tmux.sock
	pane() { tmux -S "$sock" capture-pane -p -J -S -200 2>/dev/null; }
	keys() { tmux -S "$sock" send-keys "$@"; }
	# screen_has SECONDS REGEX: the screen shows REGEX within SECONDS.
	screen_has()
	{
		n=$(($1 * 5))
		while [ $n -gt 0 ]; do
			pane | grep -Eq "$2" && return 0
			sleep 0.2
			n=$((n - 1))
		done
		pane | tail -n 8 | sed 's/^/       | /'
		return 1
	}
	tmux -S "$sock" new-session -d -x 120 -y 40 \
		"'$host' run '$mod' --cpus 2 --initramfs '$out/initramfs.cpio' --append quiet; echo host-status=\$?; sleep 60"
	t "tmux: the shell prompt appears" screen_has 60 'root@wasm:~# ?$'
	# The virtio console passes the terminal's size on, and its changes.
	keys 'echo size-$(stty size)' Enter
	t "tmux: the guest terminal has the pane's size (stty size: 40 120)" \
		screen_has 10 '^size-40 120$'
	tmux -S "$sock" resize-window -x 100 -y 30
	sleep 1
	keys 'echo resized-$(stty size)' Enter
	t "tmux: a resized pane resizes the guest terminal (30 100)" \
		screen_has 10 '^resized-30 100$'
	keys 'echo abX' BSpace 'c' Enter
	t "tmux: line editing, backspace (echo abX, BS, c gives abc)" \
		screen_has 10 '^abc$'
	keys 'echo 12' Left Left 'x' End '3' Enter
	t "tmux: line editing, cursor keys (x inserted before 12)" \
		screen_has 10 '^x123$'
	# hush runs a job in its own process group, the terminal's foreground
	# one: ^C reaches sleep, which dies of SIGINT (status 130).
	keys 'sleep 100' Enter
	sleep 1
	keys C-c
	keys 'echo survived-$?' Enter
	t "tmux: Ctrl-C interrupts sleep 100 and the shell survives" \
		screen_has 10 '^survived-130$'
	# Job control: ^Z stops the foreground job, fg continues it.
	keys 'sleep 50' Enter
	sleep 1
	keys C-z
	keys 'jobs' Enter
	t "tmux: Ctrl-Z stops sleep 50 (jobs says Stopped)" \
		screen_has 10 '^\[1\] +Stopped +sleep 50'
	keys 'fg' Enter
	sleep 1
	keys C-c
	keys 'echo fg-$?' Enter
	t "tmux: fg resumes it, and Ctrl-C ends it" screen_has 10 '^fg-130$'
	# vi on the screen: insert, escape (alone, or it starts a key
	# sequence), write and quit; then the file holds the line.
	keys 'vi /tmp/note.txt' Enter
	screen_has 10 'note.txt' >/dev/null
	keys 'i' 'hello from vi'
	sleep 0.5
	keys Escape
	sleep 0.5
	keys ':wq' Enter
	keys 'cat /tmp/note.txt' Enter
	t "tmux: vi writes a file" screen_has 10 '^hello from vi$'
	keys 'poweroff' Enter
	t "tmux: poweroff ends the host with status 0" \
		screen_has 30 '^host-status=0$'
	tmux -S "$sock" kill-server 2>/dev/null
fi

echo "== web host (headless Chromium)"
# The page of tools/wasm/web boots the same vmlinux.wasm and initramfs in
# Web Workers; the test types into its terminal, and opens the page once
# without COOP/COEP, where it must explain why it cannot run.  web.sh
# installs Chromium and the npm packages (xterm.js, playwright-core).
if [ -f "$mod" ] && [ -s "$out/initramfs.cpio" ]; then
	"$repo/tools/wasm/scripts/web.sh" test "$repo" "$out" >"$tmp/web" 2>&1
	status=$?
	tap_count "$tmp/web" "web host"
	t "web host: the Chromium test runs to its end and exits 0" \
		test $status -eq 0
	echo "     $(grep '^web: boot to prompt' "$tmp/web")"
	[ $status -eq 0 ] || tail -n 25 "$tmp/web"
fi
# The web host's virtio devices on corrupt and good rings, in Node (which
# web.sh has installed).
t "web host: virtio device unit tests (node --test)" \
	node --test "$repo/tools/wasm/web/test/virtio.test.mjs"

echo "== KUnit at boot"
# The suites of arch/wasm/configs/kunit.config, built in a second output
# directory; the kernel powers off when they are done.
kout=$out-kunit
kbuild O="$kout" defconfig kunit.config >"$tmp/out" 2>&1 || tail -n 20 "$tmp/out"
t "make ARCH=wasm O=$(basename "$kout") defconfig kunit.config builds" \
	kbuild O="$kout"
if [ -f "$kout/vmlinux.wasm" ]; then
	timeout 1200 "$host" run "$kout/vmlinux.wasm" --cpus 4 --stats \
		--append "kunit_shutdown=poweroff" >"$tmp/kunit" 2>"$tmp/kunit.err"
	status=$?
	t "the KUnit kernel powers off after its suites: host status 0" \
		test $status -eq 0
	[ $status -eq 0 ] || tail -n 15 "$tmp/kunit" "$tmp/kunit.err"
	# The console terminal (hvc0) ends lines with CR LF.
	tr -d '\r' <"$tmp/kunit" >"$tmp/kunit.lf" && mv "$tmp/kunit.lf" "$tmp/kunit"
	cp "$tmp/kunit" "$kout/kunit.log"
	python3 "$tree/tools/testing/kunit/kunit.py" parse "$tmp/kunit" \
		>"$tmp/kunit.parse" 2>&1
	status=$?
	summary=$(sed -n 's/.*Testing complete\. Ran \([0-9]*\) tests: //p' \
		"$tmp/kunit.parse" | sed 's/\x1b\[[0-9;]*m//g')
	field() { echo "$summary" | sed -n "s/.*$1: \([0-9]*\).*/\1/p"; }
	kp=$(field passed) kf=$(field failed) ks=$(field skipped)
	kc=$(field crashed) ke=$(field errors)
	passed=$((passed + ${kp:-0}))
	failed=$((failed + ${kf:-0} + ${kc:-0} + ${ke:-0}))
	skipped=$((skipped + ${ks:-0}))
	echo "     KUnit: ${summary:-no summary}"
	t "kunit.py parse: every suite passed (log in $kout/kunit.log)" \
		test $status -eq 0 -a -n "$summary"
	[ $status -eq 0 ] || grep -E 'FAILED|CRASHED|ERROR' "$tmp/kunit.parse" |
		head -n 20
	for suite in wasm_spinlock wasm_switch binfmt_wasm wasm_mmio \
		     rust_doctests_kernel; do
		t "KUnit suite $suite ran and passed" \
			grep -Eq "^\[ *[0-9.]*\] ok [0-9]+ $suite\$" "$tmp/kunit"
	done
	for selftest in test_bitmap test_uuid test_printf test_scanf; do
		t "boot self-test $selftest: all its tests passed" \
			grep -Eq "$selftest: all [0-9]+ tests passed" "$tmp/kunit"
	done
	# wasm_switch starts and stops 300 tasks one after the other: their
	# host threads must go as their tasks exit.
	threads=$(sed -n 's/.*kernel threads: \([0-9]*\) started, at most \([0-9]*\) at once/\1 \2/p' \
		"$tmp/kunit.err")
	t "task exit releases its host thread (started, most at once: ${threads:-?})" \
		sh -c "set -- $threads; [ \"\${1:-0}\" -ge 300 ] &&
		       [ \"\${2:-999}\" -lt 150 ]"
else
	fail "no $kout/vmlinux.wasm, skipping the KUnit boot"
fi

echo "== make ARCH=wasm from the command line"
# The root Makefile's own targets with Kbuild's variables on the command
# line, as a kernel developer types them: ARCH=wasm, O=, V=1 and LLVM=
# must not reach the builds of musl and BusyBox (ARCH=wasm once overrode
# musl's ARCH = wasm32).  A new make, as from a shell, on a copy of the
# build in a scratch O= directory without the prepared musl and BusyBox,
# so that both are built again.
scratch=$tmp/o-scratch
user_make()
{
	env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS \
		make -C "$repo" -j2 WASM_CACHE="$(dirname "$tree")" "$@"
}
if [ -f "$mod" ] && [ -d "$out/musl/musl-src" ] && [ -d "$out/busybox" ]; then
	cp -a "$out" "$scratch"
	rm -rf "$scratch/musl/musl-src" "$scratch/musl/sysroot" \
		"$scratch/busybox" "$scratch/busybox-src" \
		"$scratch/initramfs.cpio"
	user_make ARCH=wasm O="$scratch" V=1 LLVM=1 userspace \
		>"$tmp/um" 2>&1
	status=$?
	t "make ARCH=wasm O=DIR V=1 LLVM=1 userspace succeeds" test $status -eq 0
	[ $status -eq 0 ] || tail -n 20 "$tmp/um"
	t "... and it built musl and BusyBox again" \
		sh -c "grep -q 'MAKE    musl' '$tmp/um' &&
		       grep -q 'MAKE    busybox' '$tmp/um' &&
		       test -f '$scratch/musl/sysroot/lib/libc.so' &&
		       test -f '$scratch/busybox/busybox' &&
		       test -s '$scratch/initramfs.cpio'"
	rm -rf "$scratch/musl/musl-src"
	printf 'uname -m\npoweroff\n' |
		user_make ARCH=wasm O="$scratch" run >"$tmp/ur.raw" 2>&1
	status=$?
	tr -d '\r' <"$tmp/ur.raw" >"$tmp/ur"
	t "make ARCH=wasm run (uname -m, poweroff) prints wasm32, exits 0" \
		sh -c "[ $status -eq 0 ] && grep -qx wasm32 '$tmp/ur'"
	[ $status -eq 0 ] || tail -n 20 "$tmp/ur"
	rm -rf "$scratch"
else
	fail "no kernel, musl or BusyBox build to copy, skipping make ARCH=wasm"
fi

echo "== upstream footprint"
# No tracked file may be a copy of a file of the kernel (by content; tiny
# files such as an SPDX line alone are not meaningful copies).
base=$(ls -d "$(dirname "$tree")"/base/linux-6.12.* 2>/dev/null | sort -V | tail -n 1)
if [ -n "$base" ]; then
	(cd "$base" && find . -type f -size +127c -print0 |
		xargs -0 sha1sum | cut -d' ' -f1 | sort -u) >"$tmp/upstream.sha1"
	(cd "$repo" && git ls-files -z | xargs -0 sha1sum) |
		sort >"$tmp/ours.sha1"
	join "$tmp/upstream.sha1" "$tmp/ours.sha1" >"$tmp/copies"
	t "no tracked file is a copy of a kernel source file" \
		test ! -s "$tmp/copies"
	n=$(grep -v '^#' "$repo/tools/wasm/patches/series" |
		sed "s|^|$repo/tools/wasm/patches/|" | xargs cat |
		sed -n 's|^+++ b/||p' | sort -u | wc -l)
	t "the patch series touches the $n upstream files documented" \
		grep -q "It touches \*\*$n files\*\*" \
		"$repo/Documentation/arch/wasm/upstream-changes.rst"
else
	fail "no pristine kernel tree to compare with"
fi

end=$(date +%s)
echo "time: $((end - start)) s"
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
