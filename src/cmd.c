/*
 * cmd.c: what the subcommands share (cmd.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
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

static void
cmd_config_error(void *arg, const char *message)
{
	int	*count = arg;

	fprintf(stderr, "%s\n", message);
	(*count)++;
}

struct config *
cmd_load_config(const char *arg)
{
	struct config	*c;
	const char	*path = cmd_config_path(arg);
	int		 errors = 0;

	if ((c = config_load(path, cmd_config_error, &errors)) == NULL)
		fprintf(stderr, "feedfold: %s: %d error%s; nothing was done\n",
		    path, errors, errors == 1 ? "" : "s");
	return c;
}

static int64_t	cmd_test_now;

const struct clock *
cmd_clock(void)
{
	static struct clock	 manual;
	const char		*s;
	char			*end;
	long long		 t;

	if ((s = getenv("FEEDFOLD_TEST_NOW")) == NULL || *s == '\0')
		return clock_system();
	errno = 0;
	t = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || t <= 0) {
		fprintf(stderr, "feedfold: FEEDFOLD_TEST_NOW=%s is not a Unix "
		    "time; using the system clock\n", s);
		return clock_system();
	}
	cmd_test_now = (int64_t)t;
	clock_manual(&manual, &cmd_test_now);
	return &manual;
}

long long
cmd_test_spread(void)
{
	const char	*s;
	char		*end;
	long long	 v;

	if ((s = getenv("FEEDFOLD_TEST_SPREAD")) == NULL || *s == '\0')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 0) {
		fprintf(stderr, "feedfold: FEEDFOLD_TEST_SPREAD=%s is not a "
		    "number of seconds; ignored\n", s);
		return -1;
	}
	return v;
}
