/*
 * cmd.c: what the subcommands share (cmd.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "config.h"

int
cmd_usage(const struct cmd_entry *ce)
{
	fprintf(stderr, "usage: feedfold %s %s\n", ce->name, ce->usage);
	return 2;
}

int
cmd_help(const struct cmd_entry *ce)
{
	printf("usage: feedfold %s %s\n\n%s\n", ce->name, ce->usage,
	    ce->summary);
	return 0;
}

int
cmd_not_built(const struct cmd_entry *ce, const char *issue)
{
	fprintf(stderr, "feedfold: '%s' is not built yet (%s); "
	    "nothing was done\n", ce->name, issue);
	return 2;
}

const char *
cmd_config_path(const char *arg)
{
	const char	*env;

	if (arg != NULL)
		return arg;
	if ((env = getenv("FEEDFOLD_CONFIG")) != NULL && *env != '\0')
		return env;
	return CONFIG_DEFAULT_PATH;
}

int
cmd_wants_help(int argc, char **argv)
{
	int	 i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			return 1;
	}
	return 0;
}
