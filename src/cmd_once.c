/*
 * cmd_once.c: feedfold once (not built yet).
 */
#include "cmd.h"

static int	cmd_once_exec(int, char **);

const struct cmd_entry cmd_once_entry = {
	"once",
	"[-c FILE] [--force]",
	"poll the feeds that are due, write records, exit",
	cmd_once_exec,
};

static int
cmd_once_exec(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cmd_not_built(&cmd_once_entry, "fetching and scheduling, issue 6");
}
