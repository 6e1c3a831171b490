/*
 * cmd_status.c: feedfold status, per-feed health from the state folder.
 *
 *	feedfold status [-c FILE] [--failing]
 *
 * Reads <state_dir>/feeds.state (the daemon replaces it atomically, so
 * reading it while `feedfold run` runs is safe) and prints one row per
 * configured feed, in the order of the configuration:
 *
 *	URL  RESULT  LAST SUCCESS  LAST FETCH  NEXT DUE  ERRORS  RETIRED
 *
 * RESULT is the last HTTP status or the fetch error's name (timeout,
 * connect, ...); times are UTC; NEXT DUE is relative ("in 12m") and
 * absolute. Feeds that are in the state but no longer configured follow
 * under a heading of their own. --failing keeps only feeds with an error
 * streak or retired. A summary line ends the output.
 *
 * Exit 0; 1 when there is no state yet (nothing has run) or it cannot be
 * read; 2 for usage or configuration errors. The clock is cmd_clock(), so
 * tests freeze "now" with $FEEDFOLD_TEST_NOW.
 */
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "cmd.h"
#include "config.h"
#include "errbuf.h"
#include "fetch.h"
#include "state.h"
#include "xmalloc.h"

static int	cmd_status_exec(int, char **);

const struct cmd_entry cmd_status_entry = {
	"status",
	"[-c FILE] [--failing]",
	"per-feed health from the state folder",
	cmd_status_exec,
};

enum {
	CMD_STATUS_URL,
	CMD_STATUS_RESULT,
	CMD_STATUS_SUCCESS,
	CMD_STATUS_FETCH,
	CMD_STATUS_DUE,
	CMD_STATUS_ERRORS,
	CMD_STATUS_RETIRED,
	CMD_STATUS_NCOLS
};

static const char *cmd_status_heads[CMD_STATUS_NCOLS] = {
	"URL", "RESULT", "LAST SUCCESS", "LAST FETCH", "NEXT DUE", "ERRORS",
	"RETIRED",
};

struct cmd_status_row {
	char	*col[CMD_STATUS_NCOLS];
};

struct cmd_status_table {
	struct cmd_status_row	*rows;
	size_t			 nrows;
	size_t			 width[CMD_STATUS_NCOLS];
};

/* "2024-01-15T10:12:00Z", or "-" for 0 (never, not known). */
static char *
cmd_status_time(int64_t t)
{
	struct tm	 tm;
	time_t		 tt = (time_t)t;
	char		 s[32];

	if (t <= 0 || gmtime_r(&tt, &tm) == NULL)
		return xstrdup("-");
	strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return xstrdup(s);
}

/* A duration in at most two units: "45s", "12m", "3h5m", "2d4h". */
static void
cmd_status_span(int64_t d, char *s, size_t len)
{
	if (d < 60)
		snprintf(s, len, "%" PRId64 "s", d);
	else if (d < 3600)
		snprintf(s, len, "%" PRId64 "m", d / 60);
	else if (d < 86400 && d % 3600 / 60 != 0)
		snprintf(s, len, "%" PRId64 "h%" PRId64 "m", d / 3600,
		    d % 3600 / 60);
	else if (d < 86400)
		snprintf(s, len, "%" PRId64 "h", d / 3600);
	else if (d % 86400 / 3600 != 0)
		snprintf(s, len, "%" PRId64 "d%" PRId64 "h", d / 86400,
		    d % 86400 / 3600);
	else
		snprintf(s, len, "%" PRId64 "d", d / 86400);
}

/* "in 12m (2024-...Z)", "5m ago (...)", "never" (retired), or "-". */
static char *
cmd_status_due(const struct state_feed *sf, int64_t now)
{
	char	 span[32], *abs, *s;

	if (sf->retired || sf->next_due == STATE_NEVER)
		return xstrdup("never");
	if (sf->next_due <= 0)
		return xstrdup("-");
	abs = cmd_status_time(sf->next_due);
	if (sf->next_due == now)
		s = xasprintf("now (%s)", abs);
	else if (sf->next_due > now) {
		cmd_status_span(sf->next_due - now, span, sizeof span);
		s = xasprintf("in %s (%s)", span, abs);
	} else {
		/* Due already: the daemon is on it, or it is not running. */
		cmd_status_span(now - sf->next_due, span, sizeof span);
		s = xasprintf("%s ago (%s)", span, abs);
	}
	free(abs);
	return s;
}

static char *
cmd_status_result(const struct state_feed *sf)
{
	if (sf->last_status < 0)
		return xstrdup(fetch_error_name(
		    (enum fetch_error)-sf->last_status));
	if (sf->last_status == 0)
		return xstrdup("-");
	return xasprintf("%d", sf->last_status);
}

/*
 * A URL fit for a terminal: the state file may have been edited by hand,
 * and a control byte in it must not drive the terminal.
 */
static char *
cmd_status_url(const char *url)
{
	char	*s, *p;

	s = xstrdup(url);
	for (p = s; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	}
	return s;
}

static void
cmd_status_add(struct cmd_status_table *t, char **col)
{
	struct cmd_status_row	*r;
	size_t			 i, n;

	t->rows = xreallocarray(t->rows, t->nrows + 1, sizeof *t->rows);
	r = &t->rows[t->nrows++];
	for (i = 0; i < CMD_STATUS_NCOLS; i++) {
		r->col[i] = col[i];
		if ((n = strlen(col[i])) > t->width[i])
			t->width[i] = n;
	}
}

/* The row of a configured feed that has no state yet. */
static void
cmd_status_add_new(struct cmd_status_table *t, const char *url)
{
	char	*col[CMD_STATUS_NCOLS];
	size_t	 i;

	col[CMD_STATUS_URL] = cmd_status_url(url);
	for (i = 1; i < CMD_STATUS_NCOLS; i++)
		col[i] = xstrdup("-");
	cmd_status_add(t, col);
}

static void
cmd_status_add_feed(struct cmd_status_table *t, const struct state_feed *sf,
    int64_t now)
{
	char	*col[CMD_STATUS_NCOLS];

	col[CMD_STATUS_URL] = cmd_status_url(sf->key);
	col[CMD_STATUS_RESULT] = cmd_status_result(sf);
	col[CMD_STATUS_SUCCESS] = cmd_status_time(sf->last_success);
	col[CMD_STATUS_FETCH] = cmd_status_time(sf->last_fetch);
	col[CMD_STATUS_DUE] = cmd_status_due(sf, now);
	col[CMD_STATUS_ERRORS] = xasprintf("%d", sf->error_streak);
	col[CMD_STATUS_RETIRED] = xstrdup(sf->retired ? "yes" : "no");
	cmd_status_add(t, col);
}

static void
cmd_status_print_row(const struct cmd_status_table *t, const char **col)
{
	size_t	 i;

	for (i = 0; i < CMD_STATUS_NCOLS - 1; i++)
		printf("%-*s  ", (int)t->width[i], col[i]);
	printf("%s\n", col[i]);
}

static void
cmd_status_table_free(struct cmd_status_table *t)
{
	size_t	 i, j;

	for (i = 0; i < t->nrows; i++) {
		for (j = 0; j < CMD_STATUS_NCOLS; j++)
			free(t->rows[i].col[j]);
	}
	free(t->rows);
}

static int
cmd_status_failing(const struct state_feed *sf)
{
	return sf->error_streak > 0 || sf->retired;
}

static int
cmd_status_exec(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "failing", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	struct cmd_status_table	 t;
	struct config		*c;
	struct state		*st;
	struct state_feed	*sf;
	struct errbuf		 err;
	struct stat		 sb;
	const char		*arg = NULL;
	char			*path, *seen;
	int64_t			 now;
	size_t			 i, n, nconf, other = 0, failing = 0;
	size_t			 retired = 0, fresh = 0;
	int			 ch, only_failing = 0, rc = 0;

	while ((ch = getopt_long(argc, argv, "c:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			arg = optarg;
			break;
		case 'f':
			only_failing = 1;
			break;
		default:
			return cmd_usage(&cmd_status_entry);
		}
	}
	if (optind != argc)
		return cmd_usage(&cmd_status_entry);
	if ((c = cmd_load_config(arg)) == NULL)
		return 2;

	path = xasprintf("%s/%s", c->state_dir, STATE_FILE);
	/* state_load takes a missing file for a first run; here it is news. */
	if (stat(path, &sb) != 0 && errno == ENOENT) {
		fprintf(stderr, "feedfold: no feed state yet: %s does not "
		    "exist (feedfold once or run writes it)\n", path);
		free(path);
		config_free(c);
		return 1;
	}
	st = state_new();
	errbuf_clear(&err);
	if (state_load(st, path, &err) != 0) {
		fprintf(stderr, "feedfold: cannot read the feed state: %s\n",
		    err.msg);
		rc = 1;
		goto out;
	}
	now = clock_now(cmd_clock());

	memset(&t, 0, sizeof t);
	for (i = 0; i < CMD_STATUS_NCOLS; i++)
		t.width[i] = strlen(cmd_status_heads[i]);
	seen = xcalloc(state_count(st) + 1, 1);
	for (i = 0; i < c->nfeeds; i++) {
		if ((sf = state_feed_get(st, c->feeds[i].url)) == NULL) {
			fresh++;
			if (!only_failing)
				cmd_status_add_new(&t, c->feeds[i].url);
			continue;
		}
		seen[sf->id] = 1;
		failing += sf->error_streak > 0 && !sf->retired;
		retired += sf->retired != 0;
		if (!only_failing || cmd_status_failing(sf))
			cmd_status_add_feed(&t, sf, now);
	}
	nconf = t.nrows;
	/* Kept by the daemon in case they come back; say they are orphans. */
	n = state_count(st);
	for (i = 0; i < n; i++) {
		sf = state_feed_at(st, (uint32_t)i);
		if (seen[i])
			continue;
		other++;
		if (!only_failing || cmd_status_failing(sf))
			cmd_status_add_feed(&t, sf, now);
	}

	if (t.nrows > 0)
		cmd_status_print_row(&t, cmd_status_heads);
	for (i = 0; i < t.nrows; i++) {
		if (i == nconf)
			printf("\nnot in the configuration (kept in the state "
			    "in case they return):\n");
		cmd_status_print_row(&t, (const char **)t.rows[i].col);
	}
	if (t.nrows > 0)
		printf("\n");
	printf("%zu feed%s configured: %zu ok, %zu failing, %zu retired, "
	    "%zu not fetched yet", c->nfeeds, c->nfeeds == 1 ? "" : "s",
	    c->nfeeds - failing - retired - fresh, failing, retired, fresh);
	if (other > 0)
		printf("; %zu more in the state", other);
	printf("\n");
	cmd_status_table_free(&t);
	free(seen);
out:
	state_free(st);
	free(path);
	config_free(c);
	return rc;
}
