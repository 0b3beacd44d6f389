#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Make an ext4 root disk image for the wasm32 guest from the userspace
# build: the same files as the initramfs (make-initramfs.sh), for booting
# with root=/dev/vda from the native host's virtio disk.
#
# Usage: make-rootfs-img.sh OUTDIR [IMAGE] [SIZE]
#
# Input:  OUTDIR/busybox/_install, tools/wasm/busybox/rootfs,
#         OUTDIR/musl/sysroot/lib/libc.so when there is one, and with
#         INITRAMFS_EXTRA=DIR the tree DIR, as make-initramfs.sh takes them.
# Result: IMAGE (default OUTDIR/rootfs.img), a sparse raw ext4 image of
#         SIZE bytes (mke2fs syntax, default 512M), labelled "wasmroot".
#         An existing IMAGE is replaced: this makes a new disk.
#
# mke2fs -d (Debian's e2fsprogs) copies the tree in; no root rights and no
# loop device are needed.  Files keep the builder's owner (root when run
# as root, as in CI); /dev is empty, since the kernel mounts devtmpfs
# there.

set -eu

out=${1:?usage: make-rootfs-img.sh OUTDIR [IMAGE] [SIZE]}
out=$(cd "$out" && pwd)
img=${2:-$out/rootfs.img}
size=${3:-512M}

here=$(cd "$(dirname "$0")" && pwd)
srcroot=$(cd "$here/../../.." && pwd)
rootfs=$srcroot/tools/wasm/busybox/rootfs
inst=$out/busybox/_install

mke2fs=$(command -v mke2fs || echo /sbin/mke2fs)
if [ ! -x "$mke2fs" ]; then
	echo "error: no mke2fs; install Debian's e2fsprogs" >&2
	exit 1
fi
if [ ! -f "$inst/bin/busybox" ]; then
	echo "error: no $inst/bin/busybox; run tools/wasm/scripts/build-busybox.sh $out" >&2
	exit 1
fi

stage=$out/rootfs-img.d
rm -rf "$stage"
mkdir -p "$stage"
cp -a "$inst/." "$stage/"
cp -a "$rootfs/." "$stage/"
for d in dev proc sys root var/run mnt lib; do
	mkdir -p "$stage/$d"
done
mkdir -p "$stage/tmp"
chmod 1777 "$stage/tmp"
ln -sf bin/busybox "$stage/init"
[ -f "$stage/etc/shadow" ] && chmod 600 "$stage/etc/shadow"
libc_so=$out/musl/sysroot/lib/libc.so
[ -f "$libc_so" ] && cp "$libc_so" "$stage/lib/libc.so"
if [ -n "${INITRAMFS_EXTRA:-}" ]; then
	cp -a "$INITRAMFS_EXTRA/." "$stage/"
fi

rm -f "$img.tmp"
# Inode tables and journal written now, so the guest's first boot has no
# background initialisation to do.
"$mke2fs" -q -F -t ext4 -L wasmroot -d "$stage" \
	-E lazy_itable_init=0,lazy_journal_init=0,root_owner=0:0 \
	"$img.tmp" "$size"
mv "$img.tmp" "$img"
rm -rf "$stage"
echo "  EXT4    $img ($size)"
