/*
 * cmd_unseal.c: feedfold unseal (not built yet).
 */
#include "cmd.h"

static int	cmd_unseal_exec(int, char **);

const struct cmd_entry cmd_unseal_entry = {
	"unseal",
	"[-c FILE] FILE",
	"decrypt and print a record's secured field",
	cmd_unseal_exec,
};

static int
cmd_unseal_exec(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cmd_not_built(&cmd_unseal_entry, "record writer, issue 4");
}
