/*
 * cmd_cluster.c: feedfold cluster (not built yet).
 */
#include "cmd.h"

static int	cmd_cluster_exec(int, char **);

const struct cmd_entry cmd_cluster_entry = {
	"cluster",
	"FILE.tsv | -",
	"cluster a TSV of items into stories",
	cmd_cluster_exec,
};

static int
cmd_cluster_exec(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cmd_not_built(&cmd_cluster_entry, "stories, issue 5");
}
