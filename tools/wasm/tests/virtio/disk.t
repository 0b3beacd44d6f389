#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The native host's virtio-mmio devices with the upstream drivers: root on
# an ext4 disk made by make-rootfs-img.sh, a read-only second disk, the
# entropy device and the console; then a second boot from the same disk.

. "$(dirname "$0")/../lib/tap.sh"

needs "$mod" "$out/initramfs.list"
"$repo/tools/wasm/scripts/make-rootfs-img.sh" "$out" "$logs/root.img" 128M \
	>"$logs/img" 2>&1
t "make-rootfs-img.sh makes an ext4 image that e2fsck accepts" \
	e2fsck -fn "$logs/root.img"
mkdir -p "$logs/ro.d"
echo 'read-only disk' >"$logs/ro.d/hello"
t "mke2fs makes the read-only disk" \
	mke2fs -q -F -t ext4 -d "$logs/ro.d" "$logs/ro.img" 8M

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
	'sync' 'poweroff' >"$logs/v1.in"
boot v1 300 "$logs/v1.in" --cpus 2 --disk "$logs/root.img" \
	--disk "$logs/ro.img:ro" --append quiet
same "disk boot: poweroff ends the host with status 0" 0 $status
has "disk boot: / is the ext4 disk, read-write" "$logs/v1" '^ROOT ext4 rw$'
has "virtio_mmio registers 4 devices from the command line" "$logs/v1" \
	'^MMIO 4$'
for d in virtio_console virtio_rng virtio_blk; do
	n=1
	[ $d = virtio_blk ] && n=2
	has "the upstream $d driver binds $n device(s)" "$logs/v1" "^DRV $d $n\$"
done
has "the console is hvc0 (virtio console)" "$logs/v1" '^CONSOLE hvc0$'
has "the hw_random source is virtio-rng" "$logs/v1" '^RNG virtio_rng'
has "/dev/hwrng gives 32 bytes" "$logs/v1" '^HWRNG 64$'
has "the hwrng kernel thread feeds the kernel's RNG from it" "$logs/v1" \
	'^KHWRNG 1$'
has "the read-only disk mounts read-only" "$logs/v1" '^ROMOUNT ro$'
has "the read-only disk's file reads back" "$logs/v1" '^ROREAD read-only disk$'
has "a write to the read-only disk's file system fails" "$logs/v1" \
	'^ROWRITE [1-9][0-9]*$'
has "a raw write to the read-only disk fails" "$logs/v1" '^RAWWRITE [1-9][0-9]*$'
sed -n '/^SEQ-BEGIN$/,/^SEQ-END$/p' "$logs/v1" | grep -Ex '[0-9]+' \
	>"$logs/seq.got"
seq 100000 >"$logs/seq.want"
t "seq 100000 through the virtio console: every line, in order" \
	cmp "$logs/seq.want" "$logs/seq.got"
t "after poweroff e2fsck -fn finds the disk clean" e2fsck -fn "$logs/root.img"

sum1=$(sed -n 's/^SUM1 \([0-9a-f]\{64\}\) .*/\1/p' "$logs/v1")
printf '%s\n' 'echo SUM2 $(sha256sum /root/big)' 'poweroff' >"$logs/v2.in"
boot v2 120 "$logs/v2.in" --cpus 2 --disk "$logs/root.img" --append quiet
same "second boot from the same disk: status 0" 0 $status
has "a 20 MB file written before poweroff has the same sha256 after reboot" \
	"$logs/v2" "^SUM2 ${sum1:-no-sum-before-poweroff} "

drop_if_passed "$logs/root.img" "$logs/ro.img"
done_testing
