/*
 * cmd.h: the subcommands of the feedfold binary.
 *
 * main.c parses the global options and dispatches; each command lives in
 * src/cmd_<name>.c (as tmux's cmd-*.c), parses its own options and calls
 * the modules. These files and main.c are the only ones that see argv; they
 * are linked into the binary, not into libfeedfold.a.
 *
 * Exit codes: 0 success, 1 the work failed, 2 usage or configuration error.
 */
#ifndef FEEDFOLD_CMD_H
#define FEEDFOLD_CMD_H

struct clock;
struct config;

struct cmd_entry {
	const char	*name;
	const char	*usage;		/* arguments after the name */
	const char	*summary;	/* one line for --help */
	int		(*exec)(int argc, char **argv);	/* argv[0] is the name */
};

extern const struct cmd_entry cmd_run_entry;
extern const struct cmd_entry cmd_once_entry;
extern const struct cmd_entry cmd_parse_entry;
extern const struct cmd_entry cmd_cluster_entry;
extern const struct cmd_entry cmd_check_config_entry;
extern const struct cmd_entry cmd_import_opml_entry;
extern const struct cmd_entry cmd_export_opml_entry;
extern const struct cmd_entry cmd_unseal_entry;
extern const struct cmd_entry cmd_status_entry;

/* Print "usage: feedfold NAME USAGE" to stderr and return 2. */
int	cmd_usage(const struct cmd_entry *);
/* Print the usage and summary to stdout and return 0 (for CMD --help). */
int	cmd_help(const struct cmd_entry *);
/* Say plainly that a command is not built yet; returns 2. */
int	cmd_not_built(const struct cmd_entry *, const char *issue);
/* The config path: the -c argument, else $FEEDFOLD_CONFIG, else the default. */
const char *cmd_config_path(const char *arg);
/*
 * Load the configuration of -c arg (see cmd_config_path); on errors print
 * every one of them and a summary to stderr and return NULL.
 */
struct config *cmd_load_config(const char *arg);
/*
 * The clock of once and run: the system's, unless $FEEDFOLD_TEST_NOW holds
 * a Unix time, which then stands still. Tests use it to replay a schedule
 * (a Retry-After, a back-off) without waiting; it is not meant for
 * production.
 */
const struct clock *cmd_clock(void);
/*
 * The spread of run's first cycle in seconds from $FEEDFOLD_TEST_SPREAD
 * (tests: 0 starts every feed at once), else -1 for the default.
 */
long long	 cmd_test_spread(void);
/* True when argv holds -h or --help before any "--". */
int	cmd_wants_help(int argc, char **argv);

#endif
