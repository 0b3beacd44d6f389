// SPDX-License-Identifier: GPL-2.0
/*
 * Power off, halt and restart end the host's run (Documentation/arch/wasm).
 */
#include <linux/err.h>
#include <linux/init.h>
#include <linux/notifier.h>
#include <linux/pm.h>
#include <linux/reboot.h>
#include <asm/host.h>

void machine_power_off(void)
{
	do_kernel_power_off();
	wasm_host_halt(WASM_HALT_POWEROFF, 0);
	unreachable();
}

void machine_halt(void)
{
	machine_power_off();
}

void machine_restart(char *cmd)
{
	do_kernel_restart(cmd);
	wasm_host_halt(WASM_HALT_REBOOT, 0);
	unreachable();
}

/*
 * The host can always power off: say so, or reboot(POWER_OFF) would only
 * halt ("Power off not available").
 */
static int wasm_sys_power_off(struct sys_off_data *data)
{
	wasm_host_halt(WASM_HALT_POWEROFF, 0);
	return NOTIFY_DONE;
}

static int __init wasm_power_off_init(void)
{
	return PTR_ERR_OR_ZERO(register_sys_off_handler(SYS_OFF_MODE_POWER_OFF,
							SYS_OFF_PRIO_PLATFORM,
							wasm_sys_power_off,
							NULL));
}
arch_initcall(wasm_power_off_init);
