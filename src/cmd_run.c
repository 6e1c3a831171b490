/*
 * cmd_run.c: feedfold run (not built yet).
 */
#include "cmd.h"

static int	cmd_run_exec(int, char **);

const struct cmd_entry cmd_run_entry = {
	"run",
	"[-c FILE]",
	"poll the feeds forever and write records (the service)",
	cmd_run_exec,
};

static int
cmd_run_exec(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cmd_not_built(&cmd_run_entry, "fetching and scheduling, issue 6");
}
