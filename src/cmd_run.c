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
#include "notify.h"
#include "pipeline.h"

/* How often STATUS= is refreshed for `systemctl status`. */
#define CMD_RUN_STATUS_MS	(30 * 1000)

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
	struct notify	*notify;	/* NULL outside systemd */
	struct notify_watchdog *watchdog;
	uv_timer_t	 status;
};

/* STATUS= for the service manager: one line `systemctl status` shows. */
static void
cmd_run_status(struct cmd_run *r)
{
	struct pipeline_health	 h;

	if (r->notify == NULL)
		return;
	pipeline_health(r->p, &h);
	notify_status(r->notify, "%zu feeds, %zu ok, %zu failing, %zu retired; "
	    "%zu open stories", h.feeds, h.ok, h.failing, h.retired,
	    h.stories);
}

static void
cmd_run_status_cb(uv_timer_t *t)
{
	cmd_run_status(t->data);
}

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
	notify_reloading(r->notify);
	if ((c = config_load(path, cmd_run_config_error, &errors)) == NULL)
		log_error("config", "%s: %d error%s; reload refused, the running "
		    "configuration stays", path, errors, errors == 1 ? "" : "s");
	else {
		errbuf_clear(&err);
		if (pipeline_reload(r->p, c, &err) != 0)
			log_error("config", "%s: %s; reload refused, the "
			    "running configuration stays", path, err.msg);
	}
	/* Refused or not, we are running again (Type=notify-reload). */
	cmd_run_status(r);
	notify_ready(r->notify);
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
	if (!uv_is_closing((uv_handle_t *)&r->status))
		uv_close((uv_handle_t *)&r->status, NULL);
	notify_watchdog_stop(r->watchdog);
	r->watchdog = NULL;
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
	notify_stopping(r->notify);
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
	r.notify = notify_open();
	uv_timer_init(loop, &r.status);
	r.status.data = &r;
	if (pipeline_start(r.p, &err) != 0) {
		log_error("run", "%s", err.msg);
		pipeline_stop(r.p, cmd_run_stopped, &r);
		status = 1;
	} else {
		log_notice("run", "polling %zu feeds; records in %s", c->nfeeds,
		    c->output_dir);
		/* Config, state and stories are loaded: ready. */
		cmd_run_status(&r);
		notify_ready(r.notify);
		r.watchdog = notify_watchdog_start(loop, r.notify);
		if (r.notify != NULL)
			uv_timer_start(&r.status, cmd_run_status_cb,
			    CMD_RUN_STATUS_MS, CMD_RUN_STATUS_MS);
		uv_unref((uv_handle_t *)&r.status);
	}
	c = NULL;	/* the pipeline's now, and replaced on reload */
	uv_run(loop, UV_RUN_DEFAULT);

	s = pipeline_get_stats(r.p);
	log_notice("run", "stopped: %zu fetches, %llu new entries, %llu "
	    "records written", s->done, (unsigned long long)s->entries_new,
	    (unsigned long long)s->records_written);
	pipeline_free(r.p);
	notify_close(r.notify);
	/*
	 * A handle still open here is one that was never closed: a leak,
	 * and a bug that tests/valgrind.sh looks for by this line.
	 */
	if (uv_loop_close(loop) != 0)
		log_warn("run", "the loop still had handles at exit");
	return status;
}
