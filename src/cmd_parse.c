/*
 * cmd_parse.c: feedfold parse (not built yet).
 */
#include "cmd.h"

static int	cmd_parse_exec(int, char **);

const struct cmd_entry cmd_parse_entry = {
	"parse",
	"[--url URL] [--charset CS] [-c FILE] FILE|URL...",
	"print the entries of feeds as record documents",
	cmd_parse_exec,
};

static int
cmd_parse_exec(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cmd_not_built(&cmd_parse_entry, "feed parsing, issue 3");
}
