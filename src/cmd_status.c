/*
 * cmd_status.c: feedfold status (not built yet).
 */
#include "cmd.h"

static int	cmd_status_exec(int, char **);

const struct cmd_entry cmd_status_entry = {
	"status",
	"[-c FILE] [--failing]",
	"per-feed health from the state folder",
	cmd_status_exec,
};

static int
cmd_status_exec(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cmd_not_built(&cmd_status_entry, "service, issue 7");
}
