/*
 * main.c: the feedfold command: global options, then one subcommand.
 *
 *	feedfold [-v | -q] [--version] [--help] COMMAND [ARGS...]
 *
 * Global options come before the command. -v raises the log level one step
 * (repeat for debug), -q lowers it to errors only.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "log.h"

static const struct cmd_entry *main_cmds[] = {
	&cmd_run_entry,
	&cmd_once_entry,
	&cmd_parse_entry,
	&cmd_cluster_entry,
	&cmd_check_config_entry,
	&cmd_import_opml_entry,
	&cmd_export_opml_entry,
	&cmd_unseal_entry,
	&cmd_status_entry,
};

#define MAIN_NCMDS	(sizeof main_cmds / sizeof main_cmds[0])

static void
main_help(FILE *f)
{
	size_t	 i;

	fprintf(f,
	    "usage: feedfold [-v | -q] COMMAND [ARGS...]\n"
	    "       feedfold --version | --help\n"
	    "\n"
	    "feedfold polls RSS and Atom feeds, folds the coverage of one story\n"
	    "by many outlets into one record, and writes each record as a YAML\n"
	    "file into a folder.\n"
	    "\n"
	    "commands:\n");
	for (i = 0; i < MAIN_NCMDS; i++)
		fprintf(f, "  %-13s %s\n", main_cmds[i]->name,
		    main_cmds[i]->summary);
	fprintf(f,
	    "\n"
	    "options:\n"
	    "  -v, --verbose  more log output (repeat for debug)\n"
	    "  -q, --quiet    errors only\n"
	    "  -h, --help     this text; 'feedfold COMMAND --help' for a command\n"
	    "  -V, --version  print the version\n"
	    "\n"
	    "The configuration is -c FILE, else $FEEDFOLD_CONFIG, else %s.\n"
	    "See feedfold(1).\n", "/etc/feedfold/feedfold.yaml");
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	enum log_level	 level = LOG_LEVEL_NOTICE;
	size_t		 i;
	int		 ch;

	/* "+": stop at the command name; its options are its own. */
	while ((ch = getopt_long(argc, argv, "+hqvV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			main_help(stdout);
			return 0;
		case 'q':
			level = LOG_LEVEL_ERROR;
			break;
		case 'v':
			if (level < LOG_LEVEL_DEBUG)
				level++;
			break;
		case 'V':
			printf("feedfold %s\n", PACKAGE_VERSION);
			return 0;
		default:
			main_help(stderr);
			return 2;
		}
	}
	log_init(level);
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		main_help(stderr);
		return 2;
	}
	for (i = 0; i < MAIN_NCMDS; i++) {
		if (strcmp(argv[0], main_cmds[i]->name) != 0)
			continue;
		if (cmd_wants_help(argc, argv))
			return cmd_help(main_cmds[i]);
		optind = 0;	/* glibc: fully reset getopt for the command */
		return main_cmds[i]->exec(argc, argv);
	}
	fprintf(stderr, "feedfold: unknown command '%s'\n\n", argv[0]);
	main_help(stderr);
	return 2;
}
