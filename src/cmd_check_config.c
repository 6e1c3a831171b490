/*
 * cmd_check_config.c: feedfold check-config, validate the configuration.
 *
 * Loads the file exactly as the daemon would (config_load) and prints
 * every error as "file:line:col: message" on stderr, exiting 2; or one
 * summary line on stdout, exiting 0:
 *
 *	/etc/feedfold/feedfold.yaml: ok, 12 feeds, records in /var/lib/...
 */
#include <getopt.h>
#include <stdio.h>

#include "cmd.h"
#include "config.h"

static int	cmd_check_config_exec(int, char **);

const struct cmd_entry cmd_check_config_entry = {
	"check-config",
	"[-c FILE]",
	"validate the configuration",
	cmd_check_config_exec,
};

static void
cmd_check_config_error(void *arg, const char *message)
{
	int	*count = arg;

	fprintf(stderr, "%s\n", message);
	(*count)++;
}

static int
cmd_check_config_exec(int argc, char **argv)
{
	struct config	*c;
	const char	*arg = NULL, *path;
	int		 ch, errors = 0;

	while ((ch = getopt(argc, argv, "c:")) != -1) {
		switch (ch) {
		case 'c':
			arg = optarg;
			break;
		default:
			return cmd_usage(&cmd_check_config_entry);
		}
	}
	if (optind != argc)
		return cmd_usage(&cmd_check_config_entry);

	path = cmd_config_path(arg);
	if ((c = config_load(path, cmd_check_config_error, &errors)) == NULL) {
		fprintf(stderr, "feedfold: %s: %d error%s\n", path, errors,
		    errors == 1 ? "" : "s");
		return 2;
	}
	printf("%s: ok, %zu feed%s, records in %s\n", path, c->nfeeds,
	    c->nfeeds == 1 ? "" : "s", c->output_dir);
	config_free(c);
	return 0;
}
