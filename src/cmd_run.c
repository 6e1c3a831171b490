/*
 * cmd_run.c: feedfold run, the service.
 *
 *	feedfold run [-c FILE]
 *
 * Polls every configured feed on its own schedule, forever, in the
 * foreground (systemd supervises it). SIGINT and SIGTERM stop it cleanly:
 * no new fetches, transfers in flight get a few seconds, then records,
 * stories and feed state are flushed and it exits 0; a second signal stops
 * waiting. SIGHUP reads the configuration again (pipeline_reload says
 * what changes at once); a broken one is refused and logged, and the
 * running one stays. Exit 2 for usage or configuration errors, 1 when it
 * cannot start.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <uv.h>

#include "cmd.h"
#include "config.h"
#include "errbuf.h"
#include "log.h"
#include "pipeline.h"

static int	cmd_run_exec(int, char **);

const struct cmd_entry cmd_run_entry = {
	"run",
	"[-c FILE]",
	"poll the feeds forever and write records (the service)",
	cmd_run_exec,
};

struct cmd_run {
	struct pipeline	*p;
	const char	*config_arg;	/* -c, read again on SIGHUP */
	uv_signal_t	 sig[3];
};

static void
cmd_run_config_error(void *arg, const char *message)
{
	int	*count = arg;

	log_error("config", "%s", message);
	(*count)++;
}

/*
 * SIGHUP: read the configuration again. A broken one is refused with its
 * errors logged, and the running one stays.
 */
static void
cmd_run_reload(struct cmd_run *r)
{
	struct config	*c;
	struct errbuf	 err;
	const char	*path = cmd_config_path(r->config_arg);
	int		 errors = 0;

	log_notice("config", "SIGHUP: reloading %s", path);
	if ((c = config_load(path, cmd_run_config_error, &errors)) == NULL) {
		log_error("config", "%s: %d error%s; reload refused, the running "
		    "configuration stays", path, errors, errors == 1 ? "" : "s");
		return;
	}
	errbuf_clear(&err);
	if (pipeline_reload(r->p, c, &err) != 0)
		log_error("config", "%s: %s; reload refused, the running "
		    "configuration stays", path, err.msg);
}

static void
cmd_run_stopped(void *arg)
{
	struct cmd_run	*r = arg;
	size_t		 i;

	for (i = 0; i < 3; i++) {
		if (!uv_is_closing((uv_handle_t *)&r->sig[i]))
			uv_close((uv_handle_t *)&r->sig[i], NULL);
	}
}

static void
cmd_run_signal(uv_signal_t *h, int signum)
{
	struct cmd_run	*r = h->data;

	if (signum == SIGHUP) {
		cmd_run_reload(r);
		return;
	}
	log_notice("run", "%s: stopping", strsignal(signum));
	pipeline_stop(r->p, cmd_run_stopped, r);
}

static int
cmd_run_exec(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 }
	};
	static const int		 signums[3] = { SIGINT, SIGTERM, SIGHUP };
	struct pipeline_opts		 po;
	const struct pipeline_stats	*s;
	struct cmd_run			 r;
	struct config			*c;
	struct errbuf			 err;
	uv_loop_t			*loop = uv_default_loop();
	const char			*config_arg = NULL;
	size_t				 i;
	int				 ch, status = 0;

	while ((ch = getopt_long(argc, argv, "c:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			config_arg = optarg;
			break;
		default:
			return cmd_usage(&cmd_run_entry);
		}
	}
	if (optind != argc)
		return cmd_usage(&cmd_run_entry);
	if ((c = cmd_load_config(config_arg)) == NULL)
		return 2;

	memset(&r, 0, sizeof r);
	r.config_arg = config_arg;
	memset(&po, 0, sizeof po);
	po.clock = cmd_clock();
	po.first_spread = cmd_test_spread();
	errbuf_clear(&err);
	if ((r.p = pipeline_new(loop, c, &po, &err)) == NULL) {
		fprintf(stderr, "feedfold: %s\n", err.msg);
		return 2;
	}
	for (i = 0; i < 3; i++) {
		uv_signal_init(loop, &r.sig[i]);
		r.sig[i].data = &r;
		uv_signal_start(&r.sig[i], cmd_run_signal, signums[i]);
	}
	if (pipeline_start(r.p, &err) != 0) {
		log_error("run", "%s", err.msg);
		pipeline_stop(r.p, cmd_run_stopped, &r);
		status = 1;
	} else
		log_notice("run", "polling %zu feeds; records in %s", c->nfeeds,
		    c->output_dir);
	c = NULL;	/* the pipeline's now, and replaced on reload */
	uv_run(loop, UV_RUN_DEFAULT);

	s = pipeline_get_stats(r.p);
	log_notice("run", "stopped: %zu fetches, %llu new entries, %llu "
	    "records written", s->done, (unsigned long long)s->entries_new,
	    (unsigned long long)s->records_written);
	pipeline_free(r.p);
	if (uv_loop_close(loop) != 0)
		log_debug("run", "the loop still had handles at exit");
	return status;
}
