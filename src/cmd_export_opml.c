/*
 * cmd_export_opml.c: feedfold export-opml (not built yet).
 */
#include "cmd.h"

static int	cmd_export_opml_exec(int, char **);

const struct cmd_entry cmd_export_opml_entry = {
	"export-opml",
	"[-c FILE]",
	"print the configured feeds as OPML",
	cmd_export_opml_exec,
};

static int
cmd_export_opml_exec(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cmd_not_built(&cmd_export_opml_entry, "service, issue 7");
}
