// SPDX-License-Identifier: GPL-2.0
/*
 * Power off, halt and restart end the host's run (Documentation/arch/wasm).
 */
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
