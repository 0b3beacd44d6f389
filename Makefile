# SPDX-License-Identifier: GPL-2.0
#
# Linux for WebAssembly: entry point.
#
# This repository holds only what the WebAssembly port adds to Linux
# (arch/wasm, Documentation/arch/wasm, tools/wasm) and a patch series for
# upstream files.  This Makefile prepares a Linux 6.12.y tree with those on
# top, in a cache outside the tracked files, and hands every target it does
# not know itself to that tree's Kbuild:
#
#   make defconfig          configure (ARCH defaults to wasm)
#   make -j2                build $(O)/vmlinux.wasm
#   make menuconfig         ... and every other Kbuild target
#   make run                build and boot to bash in the native host, on
#                           the ports' image (RUN_ARGS= for the host,
#                           INITRAMFS= to boot another image, e.g.
#                           INITRAMFS=build/initramfs.cpio for BusyBox's
#                           alone, INITRAMFS= empty for none)
#   make userspace          only build musl, BusyBox and the initramfs
#   make ports              the Debian packages of tools/wasm/ports for the
#                           guest (bash, coreutils, ...; cached), and
#                           $(O)/ports/initramfs.cpio, BusyBox's image
#                           with them over it
#   make disk               $(O)/rootfs.img, an ext4 root disk of the ports'
#                           image (make run RUN_ARGS='--disk build/rootfs.img')
#   make check              build and run every test (T=PATTERN for the
#                           test files tools/wasm/tests/*/*.t matching it)
#   make check-build        only build what the tests need
#   make check-ports        the ports' long checks: configure's answers
#                           for the guest against native ones
#   make setup              only install the toolchain and prepare the tree
#
# Variables: O= output directory (default: build), V=1, WASM_CACHE= cache
# directory (default: ~/.cache/linux-wasm).  ARCH=wasm, O=, V= and LLVM=
# given here are Kbuild's: the builds of musl and BusyBox that user space
# needs never see them (tools/wasm/scripts/foreign-make.sh).

ARCH ?= wasm
ifneq ($(ARCH),wasm)
$(error this tree only builds ARCH=wasm, not ARCH=$(ARCH))
endif

srcroot := $(CURDIR)
O ?= build
override O := $(abspath $(O))
WASM_CACHE ?= $(HOME)/.cache/linux-wasm
TREE := $(WASM_CACHE)/tree
BINDGEN := $(WASM_CACHE)/bindgen/bin/bindgen

# The kernel's Rust must be Debian's rustc-web 1.96 with its library sources;
# a rustup toolchain usually comes first on PATH, so name every tool.
KBUILD_VARS := ARCH=wasm LLVM=-22 O=$(O) \
	RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc HOSTRUSTC=/usr/bin/rustc \
	BINDGEN=$(BINDGEN) \
	$(if $(V),V=$(V))
export LIBCLANG_PATH := /usr/lib/llvm-22/lib

# The native host (tools/wasm/host), built with the rustup cargo; its
# target directory is cached so that a fresh clone does not rebuild wasmtime.
HOST_TARGET := $(WASM_CACHE)/host-target
HOST := $(HOST_TARGET)/release/wasm-linux
CARGO ?= cargo

OUR_GOALS := setup run check check-build check-ports host userspace ports disk \
	bench web
KBUILD_GOALS := $(filter-out $(OUR_GOALS),$(MAKECMDGOALS))

PHONY := __all
__all: __kbuild

PHONY += setup __setup
setup: __setup
__setup:
	@$(srcroot)/tools/wasm/scripts/setup-toolchain.sh $(WASM_CACHE)
	@$(srcroot)/tools/wasm/scripts/prepare-tree.sh $(srcroot) $(WASM_CACHE)

# One Kbuild invocation for all the Kbuild goals on the command line, like
# the kernel's own Makefile does with mixed goals.
PHONY += __kbuild
__kbuild: __setup
	@mkdir -p $(O)
	+$(MAKE) -C $(TREE) $(KBUILD_VARS) $(KBUILD_GOALS)

ifneq ($(KBUILD_GOALS),)
$(KBUILD_GOALS): __kbuild
	@:
endif

PHONY += host
host:
	$(CARGO) build --release --locked --quiet \
		--manifest-path $(srcroot)/tools/wasm/host/Cargo.toml \
		--target-dir $(HOST_TARGET)

# User space for the guest, in $(O): musl (the sysroot in $(O)/musl),
# BusyBox and $(O)/initramfs.cpio.  gen_init_cpio comes from the kernel
# build.
PHONY += userspace __kernel
__kernel: __setup
	@test -f $(O)/.config || \
		$(MAKE) -C $(TREE) $(KBUILD_VARS) defconfig
	+$(MAKE) -C $(TREE) $(KBUILD_VARS)

userspace: __kernel
	@$(srcroot)/tools/wasm/scripts/build-musl.sh $(O)/musl
	@$(srcroot)/tools/wasm/scripts/build-busybox.sh $(O)
	@$(srcroot)/tools/wasm/scripts/make-initramfs.sh $(O)

# Build what is missing and boot: RUN_ARGS go to the host, e.g.
# make run RUN_ARGS='--cpus 4 --append "quiet"'.
# The ports (tools/wasm/ports/README.md): built in $(O)/ports, each kept
# in $(WASM_CACHE)/ports; their files laid over BusyBox's image.
PHONY += ports
ports: userspace
	@$(srcroot)/tools/wasm/scripts/build-ports.sh $(O)
	@INITRAMFS_EXTRA=$(O)/ports/root \
		$(srcroot)/tools/wasm/scripts/make-initramfs.sh $(O) \
		$(O)/ports/initramfs.cpio

# A root disk image (ext4) of the ports' image, for
# make run RUN_ARGS='--disk build/rootfs.img'.
PHONY += disk
disk: ports
	@INITRAMFS_EXTRA=$(O)/ports/root \
		$(srcroot)/tools/wasm/scripts/make-rootfs-img.sh $(O)

# Booting from a disk (RUN_ARGS has --disk) passes no initramfs unless
# INITRAMFS is given.  The default image needs the ports, another one in
# $(O) only user space.
INITRAMFS ?= $(if $(findstring --disk,$(RUN_ARGS)),,$(O)/ports/initramfs.cpio)
PHONY += run
run: __setup host __kernel \
	$(if $(filter $(O)/ports/initramfs.cpio,$(INITRAMFS)),ports,$(if $(INITRAMFS),userspace))
	$(HOST) run $(O)/vmlinux.wasm $(if $(INITRAMFS),--initramfs $(INITRAMFS)) \
		$(RUN_ARGS)

# make check builds everything first (check-build; a failure stops it
# there), then runs the test files with prove; T= selects some of them.
PHONY += check check-build
CHECK = $(srcroot)/tools/wasm/scripts/check.sh
CHECK_ARGS = $(srcroot) $(TREE) $(O) "$(MAKE)" "$(KBUILD_VARS)" $(HOST_TARGET)
check: __setup host
	+@$(CHECK) all $(CHECK_ARGS) "$(T)"
check-build: __setup host
	+@$(CHECK) build $(CHECK_ARGS)
PHONY += check-ports
check-ports: userspace
	@$(srcroot)/tools/wasm/scripts/check-ports.sh $(O)

# The web host: the kernel and the initramfs served with the page of
# tools/wasm/web on http://127.0.0.1:8080/ (WEB_PORT= for another port),
# where they boot in Web Workers to a shell in an xterm.js terminal.
PHONY += web
web: __setup __kernel userspace
	@$(srcroot)/tools/wasm/scripts/web.sh serve $(srcroot) $(O)

# Benchmarks: the guest on the native host next to the same programs run
# natively; a table, and $(O)/bench/results.{csv,json}.  The ports give
# the row of a real program (gzip).
PHONY += bench
bench: __setup host __kernel ports
	@$(srcroot)/tools/wasm/scripts/bench.sh $(srcroot) $(O) $(HOST_TARGET)

.PHONY: $(PHONY)
