/*
 * cmd_once.c: feedfold once, one pass over the feeds that are due.
 *
 *	feedfold once [-c FILE] [--force]
 *
 * Fetches every feed that is due (all of them on a first run; with --force
 * all of them now, still with conditional requests), writes the records,
 * saves the feed state and prints a summary on stdout. On a terminal a
 * progress line is kept on stderr meanwhile. Exit 0 when at least one feed
 * answered (a body or 304) or none was due, 1 when every fetch failed or
 * a record could not be written, 2 for usage or configuration errors. SIGINT and SIGTERM stop it as they
 * stop `run`: transfers in flight get a few seconds, then what is done is
 * saved.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <uv.h>

#include "cmd.h"
#include "config.h"
#include "errbuf.h"
#include "log.h"
#include "pipeline.h"

static int	cmd_once_exec(int, char **);

const struct cmd_entry cmd_once_entry = {
	"once",
	"[-c FILE] [--force]",
	"poll the feeds that are due, write records, exit",
	cmd_once_exec,
};

struct cmd_once {
	struct pipeline	*p;
	uv_signal_t	 sigint;
	uv_signal_t	 sigterm;
	int		 tty;
	uint64_t	 last_progress;	/* uv_now of the last line, ms */
};

static void
cmd_once_progress(void *arg)
{
	struct cmd_once			*o = arg;
	const struct pipeline_stats	*s = pipeline_get_stats(o->p);
	uint64_t			 now;

	if (!o->tty)
		return;
	/* At most ten lines a second; the last one always. */
	now = uv_now(uv_default_loop());
	if (s->done != s->started && now - o->last_progress < 100)
		return;
	o->last_progress = now;
	fprintf(stderr, "\r\033[Kfeedfold: %zu/%zu feeds, %llu entries, "
	    "%llu new", s->done, s->started,
	    (unsigned long long)s->entries,
	    (unsigned long long)s->entries_new);
}

static void
cmd_once_stopped(void *arg)
{
	struct cmd_once	*o = arg;

	uv_close((uv_handle_t *)&o->sigint, NULL);
	uv_close((uv_handle_t *)&o->sigterm, NULL);
}

static void
cmd_once_signal(uv_signal_t *h, int signum)
{
	struct cmd_once	*o = h->data;

	log_notice("once", "%s: stopping", strsignal(signum));
	pipeline_stop(o->p, cmd_once_stopped, o);
}

static void
cmd_once_summary(const struct config *c, const struct pipeline_stats *s)
{
	printf("feeds: %zu fetched, %zu not modified, %zu failed, "
	    "%zu retired", s->fetched, s->not_modified, s->failed, s->retired);
	if (s->not_due > 0)
		printf(", %zu not due yet", s->not_due);
	if (s->inactive > 0)
		printf(", %zu retired before", s->inactive);
	printf("\n");
	printf("entries: %llu read, %llu new\n",
	    (unsigned long long)s->entries,
	    (unsigned long long)s->entries_new);
	printf("stories: %llu new, %llu updated\n",
	    (unsigned long long)s->stories_new,
	    (unsigned long long)s->stories_updated);
	printf("records: %llu written in %s", (unsigned long long)
	    s->records_written, c->output_dir);
	if (s->records_removed > 0)
		printf(", %llu removed (merged)",
		    (unsigned long long)s->records_removed);
	if (s->write_errors > 0)
		printf(", %llu FAILED", (unsigned long long)s->write_errors);
	printf("\n");
}

static int
cmd_once_exec(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "force", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	struct pipeline_opts		 po;
	const struct pipeline_stats	*s;
	struct cmd_once			 o;
	struct config			*c;
	struct errbuf			 err;
	uv_loop_t			*loop = uv_default_loop();
	const char			*config_arg = NULL;
	int				 ch, force = 0, status;

	while ((ch = getopt_long(argc, argv, "c:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			config_arg = optarg;
			break;
		case 'f':
			force = 1;
			break;
		default:
			return cmd_usage(&cmd_once_entry);
		}
	}
	if (optind != argc)
		return cmd_usage(&cmd_once_entry);
	if ((c = cmd_load_config(config_arg)) == NULL)
		return 2;

	memset(&o, 0, sizeof o);
	memset(&po, 0, sizeof po);
	po.once = 1;
	po.first_spread = -1;
	po.force = force;
	po.clock = cmd_clock();
	po.progress = cmd_once_progress;
	po.progress_arg = &o;
	o.tty = isatty(STDERR_FILENO) && log_get_level() < LOG_LEVEL_INFO;
	errbuf_clear(&err);
	if ((o.p = pipeline_new(loop, c, &po, &err)) == NULL) {
		fprintf(stderr, "feedfold: %s\n", err.msg);
		return 1;
	}
	uv_signal_init(loop, &o.sigint);
	uv_signal_init(loop, &o.sigterm);
	o.sigint.data = o.sigterm.data = &o;
	uv_signal_start(&o.sigint, cmd_once_signal, SIGINT);
	uv_signal_start(&o.sigterm, cmd_once_signal, SIGTERM);
	/* Once every feed is done the pipeline closes; so do the signals. */
	uv_unref((uv_handle_t *)&o.sigint);
	uv_unref((uv_handle_t *)&o.sigterm);

	if (pipeline_start(o.p, &err) != 0) {
		fprintf(stderr, "feedfold: %s\n", err.msg);
		pipeline_stop(o.p, NULL, NULL);
		status = 1;
	} else
		status = 0;
	uv_run(loop, UV_RUN_DEFAULT);
	if (!uv_is_closing((uv_handle_t *)&o.sigint))
		cmd_once_stopped(&o);
	uv_run(loop, UV_RUN_DEFAULT);
	if (o.tty && pipeline_get_stats(o.p)->started > 0)
		fprintf(stderr, "\r\033[K");

	s = pipeline_get_stats(o.p);
	cmd_once_summary(pipeline_config(o.p), s);
	/* Every fetch failed, or a record could not be written. */
	if (status == 0 && ((s->started > 0 &&
	    s->fetched + s->not_modified == 0) || s->write_errors > 0))
		status = 1;
	pipeline_free(o.p);
	/*
	 * A handle still open here is one that was never closed: a leak,
	 * and a bug that tests/valgrind.sh looks for by this line.
	 */
	if (uv_loop_close(loop) != 0)
		log_warn("once", "the loop still had handles at exit");
	if (fflush(stdout) != 0)
		status = 1;
	return status;
}
