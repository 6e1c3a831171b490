/*
 * cmd_import_opml.c: feedfold import-opml (not built yet).
 */
#include "cmd.h"

static int	cmd_import_opml_exec(int, char **);

const struct cmd_entry cmd_import_opml_entry = {
	"import-opml",
	"FILE",
	"print config feed entries from an OPML file",
	cmd_import_opml_exec,
};

static int
cmd_import_opml_exec(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cmd_not_built(&cmd_import_opml_entry, "service, issue 7");
}
