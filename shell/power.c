/*
 * Power-off from the shell: the `poweroff` and `exit` commands and end
 * of input (Ctrl-D). The session's verdict so far (a failed command or
 * self-test) goes to kernel_power_off(), which runs the hooks and
 * leaves QEMU.
 */
#include "reboot.h"
#include "shell.h"

__noreturn void shell_poweroff(void)
{
	kernel_power_off(shell_failed());
}

static int cmd_poweroff(int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return shell_usage_error();
	shell_poweroff();
}
SHELL_COMMAND("poweroff", cmd_poweroff, "poweroff",
	      "run the power-off hooks (sync, unmount), then exit QEMU");

static int cmd_exit(int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return shell_usage_error();
	shell_poweroff();
}
SHELL_COMMAND("exit", cmd_exit, "exit",
	      "end the session: as poweroff (Ctrl-D)");
