// SPDX-License-Identifier: GPL-2.0
/*
 * The host console as a terminal: hvc0, a backend of the hypervisor
 * virtual console driver.  Output goes to the host's console_write, input
 * comes from console_read; the host raises WASM_LINE_CONSOLE on CPU 0 when
 * input arrives, and the interrupt kicks the hvc driver to read it.
 *
 * Until hvc0 is registered, printk uses the boot console "wasmcon"
 * (setup.c).  With "wasm_hvc=off" this backend stays out of the way and
 * hvc0 is the virtio console.
 */
#include <linux/console.h>
#include <linux/init.h>
#include <linux/irq.h>
#include <linux/kstrtox.h>
#include <asm/host.h>
#include <asm/wasm-irq.h>

#include "../../../drivers/tty/hvc/hvc_console.h"

static ssize_t wasm_hvc_put_chars(u32 vtermno, const u8 *buf, size_t count)
{
	wasm_host_console_write(buf, count);
	return count;
}

static ssize_t wasm_hvc_get_chars(u32 vtermno, u8 *buf, size_t count)
{
	return wasm_host_console_read(buf, count);
}

static const struct hv_ops wasm_hvc_ops = {
	.get_chars	= wasm_hvc_get_chars,
	.put_chars	= wasm_hvc_put_chars,
	.notifier_add	= notifier_add_irq,
	.notifier_del	= notifier_del_irq,
	.notifier_hangup = notifier_hangup_irq,
};

/*
 * "wasm_hvc=off": the host offers a virtio console, which is hvc0 instead
 * (the native host passes it; see Documentation/arch/wasm/host-abi.rst).
 */
static bool wasm_hvc_enabled = true;

static int __init wasm_hvc_setup(char *s)
{
	return !kstrtobool(s, &wasm_hvc_enabled);
}
__setup("wasm_hvc=", wasm_hvc_setup);

static int __init wasm_hvc_console_init(void)
{
	if (!wasm_hvc_enabled)
		return 0;
	hvc_instantiate(0, 0, &wasm_hvc_ops);
	return 0;
}
console_initcall(wasm_hvc_console_init);

static int __init wasm_hvc_init(void)
{
	unsigned int irq;

	if (!wasm_hvc_enabled)
		return 0;
	irq = wasm_irq_create_mapping(WASM_LINE_CONSOLE);
	if (!irq)
		return -ENODEV;
	return PTR_ERR_OR_ZERO(hvc_alloc(0, irq, &wasm_hvc_ops, 256));
}
device_initcall(wasm_hvc_init);
