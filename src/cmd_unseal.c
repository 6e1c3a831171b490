/*
 * cmd_unseal.c: feedfold unseal, print a record's sealed provenance.
 *
 *	feedfold unseal [-c CONFIG] [--key KEYFILE] FILE
 *
 * The key comes from --key, else from the configuration's
 * secured_key_file. The provenance document goes to stdout as it was
 * sealed (docs/record-format.md). Exit 1 when the record cannot be read,
 * has no `secured`, or the key does not open it; exit 2 for usage,
 * configuration or key file errors.
 */
#include <getopt.h>
#include <stdio.h>

#include "buf.h"
#include "cmd.h"
#include "config.h"
#include "record.h"
#include "record_read.h"
#include "seal.h"

static int	cmd_unseal_exec(int, char **);

const struct cmd_entry cmd_unseal_entry = {
	"unseal",
	"[-c FILE] [--key KEYFILE] RECORD",
	"decrypt and print a record's secured field",
	cmd_unseal_exec,
};

static void
cmd_unseal_config_error(void *arg, const char *message)
{
	(void)arg;
	fprintf(stderr, "%s\n", message);
}

/* The key from --key or the configuration; NULL after a message. */
static struct seal_key *
cmd_unseal_key(const char *keyfile, const char *config_arg)
{
	struct seal_key	*key;
	struct config	*c = NULL;
	struct errbuf	 err;
	const char	*path;

	if (keyfile == NULL) {
		path = cmd_config_path(config_arg);
		c = config_load(path, cmd_unseal_config_error, NULL);
		if (c == NULL) {
			fprintf(stderr, "feedfold: %s: cannot load the "
			    "configuration\n", path);
			return NULL;
		}
		if ((keyfile = c->secured_key_file) == NULL) {
			fprintf(stderr, "feedfold: no key: give --key KEYFILE "
			    "or set secured_key_file in %s\n", path);
			config_free(c);
			return NULL;
		}
	}
	errbuf_clear(&err);
	if ((key = seal_key_load(keyfile, &err)) == NULL)
		fprintf(stderr, "feedfold: %s\n", err.msg);
	config_free(c);
	return key;
}

static int
cmd_unseal_exec(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "key", required_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 }
	};
	struct seal_key	*key;
	struct record	*r;
	struct errbuf	 err;
	struct buf	 doc;
	const char	*config_arg = NULL, *keyfile = NULL, *file;
	int		 ch, status;

	while ((ch = getopt_long(argc, argv, "c:k:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			config_arg = optarg;
			break;
		case 'k':
			keyfile = optarg;
			break;
		default:
			return cmd_usage(&cmd_unseal_entry);
		}
	}
	if (optind != argc - 1)
		return cmd_usage(&cmd_unseal_entry);
	file = argv[optind];

	if ((key = cmd_unseal_key(keyfile, config_arg)) == NULL)
		return 2;
	errbuf_clear(&err);
	if (record_read_file(file, &r, &err) != 0) {
		fprintf(stderr, "feedfold: %s\n", err.msg);
		seal_key_free(key);
		return 1;
	}
	if (r->secured == NULL) {
		fprintf(stderr, "feedfold: %s: no secured field\n", file);
		record_free(r);
		seal_key_free(key);
		return 1;
	}
	buf_init(&doc, SEAL_PLAIN_MAX);
	if (seal_open(key, r->secured, &doc, &err) != 0) {
		fprintf(stderr, "feedfold: %s: %s\n", file, err.msg);
		status = 1;
	} else {
		fwrite(doc.data, 1, doc.len, stdout);
		status = fflush(stdout) == 0 ? 0 : 1;
	}
	buf_free(&doc);
	record_free(r);
	seal_key_free(key);
	return status;
}
