// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of device register access (arch/wasm/kernel/mmio.rs) and
 * of device interrupt affinity (irq.c): the accessors are loads and
 * stores on memory and host calls in the device window, where an address
 * with no device reads as all ones; an IRQ's affinity reaches the host
 * through wasm_irq_affinity.
 */
#include <kunit/test.h>
#include <linux/cpumask.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/irq.h>
#include <linux/slab.h>
#include <asm/wasm-irq.h>

/* No host puts a device this far into the window. */
#define NO_DEVICE	((void __iomem *)(WASM_MMIO_BASE + 0x0fff0000UL))
#define VIRTIO_MAGIC	0x74726976	/* "virt" */
#define SPARE_LINE	31

static void mmio_memory_is_memory(struct kunit *test)
{
	u32 *buf = kunit_kzalloc(test, 16, GFP_KERNEL);
	void __iomem *io = (void __iomem *)buf;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	writel(0x11223344, io);
	KUNIT_EXPECT_EQ(test, buf[0], 0x11223344u);
	KUNIT_EXPECT_EQ(test, readl(io), 0x11223344u);
	/* Little-endian, byte and halfword wide. */
	KUNIT_EXPECT_EQ(test, readb(io), 0x44);
	KUNIT_EXPECT_EQ(test, readw(io + 2), 0x1122);
	writeb(0xaa, io + 4);
	writew(0xbbcc, io + 6);
	KUNIT_EXPECT_EQ(test, buf[1], 0xbbcc00aau);
	iowrite32(0xdeadbeef, io + 8);
	KUNIT_EXPECT_EQ(test, ioread32(io + 8), 0xdeadbeefu);
}

static void mmio_no_device_reads_all_ones(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, readb(NO_DEVICE), 0xff);
	KUNIT_EXPECT_EQ(test, readw(NO_DEVICE), 0xffff);
	KUNIT_EXPECT_EQ(test, readl(NO_DEVICE), 0xffffffffu);
	/* A write to nothing goes nowhere. */
	writel(0, NO_DEVICE);
	KUNIT_EXPECT_EQ(test, readl(NO_DEVICE), 0xffffffffu);
}

static void mmio_first_device_is_virtio(struct kunit *test)
{
	void __iomem *base = (void __iomem *)WASM_MMIO_BASE;

	if (readl(base) != VIRTIO_MAGIC)
		kunit_skip(test, "the host offers no device");
	KUNIT_EXPECT_EQ(test, readl(base + 4), 2u);	/* version */
	KUNIT_EXPECT_NE(test, readl(base + 8), 0u);	/* device id */
}

static void irq_affinity_reaches_the_host(struct kunit *test)
{
	unsigned int cpu = cpumask_last(cpu_online_mask);

	if (!IS_ENABLED(CONFIG_SMP))
		kunit_skip(test, "no IRQ affinity without SMP");
	KUNIT_ASSERT_EQ(test, irq_set_affinity(SPARE_LINE, cpumask_of(cpu)), 0);
	KUNIT_EXPECT_EQ(test, READ_ONCE(wasm_irq_affinity[SPARE_LINE]), (s32)cpu);
	/* Every CPU: the host picks the one that submitted (-1). */
	KUNIT_ASSERT_EQ(test, irq_set_affinity(SPARE_LINE, cpu_possible_mask), 0);
	KUNIT_EXPECT_EQ(test, READ_ONCE(wasm_irq_affinity[SPARE_LINE]), -1);
}

static struct kunit_case wasm_mmio_cases[] = {
	KUNIT_CASE(mmio_memory_is_memory),
	KUNIT_CASE(mmio_no_device_reads_all_ones),
	KUNIT_CASE(mmio_first_device_is_virtio),
	KUNIT_CASE(irq_affinity_reaches_the_host),
	{}
};

static struct kunit_suite wasm_mmio_suite = {
	.name = "wasm_mmio",
	.test_cases = wasm_mmio_cases,
};

kunit_test_suite(wasm_mmio_suite);

MODULE_DESCRIPTION("KUnit tests of wasm device register access and IRQ affinity");
MODULE_LICENSE("GPL");
