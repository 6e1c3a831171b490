/*
 * cmd_check_config.c: feedfold check-config (not built yet).
 */
#include "cmd.h"

static int	cmd_check_config_exec(int, char **);

const struct cmd_entry cmd_check_config_entry = {
	"check-config",
	"[-c FILE]",
	"validate the configuration",
	cmd_check_config_exec,
};

static int
cmd_check_config_exec(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cmd_not_built(&cmd_check_config_entry, "foundation, issue 2");
}
