/*
 * test_metrics.c: the Prometheus text file: exact output, label escaping,
 * the per-feed cap, the histogram, the atomic write, promtool's verdict
 * when it is installed, and the periodic writer on a uv loop.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uv.h>

#include "buf.h"
#include "fetch.h"
#include "log.h"
#include "metrics.h"
#include "test.h"
#include "xmalloc.h"

static const struct metrics_feed two_feeds[] = {
	{ "https://example.com/feed.xml", 200, 1700000500, 0 },
	{ "https://example.org/rss", -FETCH_ERR_TIMEOUT, 1699990000, 4 },
};

/* A small but complete picture: every kind of series has a value. */
static void
fill_small(struct metrics *m)
{
	metrics_init(m);
	metrics_count_fetch(m, METRICS_FETCH_OK, 0.01, 1000);
	metrics_count_fetch(m, METRICS_FETCH_OK, 0.2, 5000);
	metrics_count_fetch(m, METRICS_FETCH_OK, 3, 6345);
	metrics_count_fetch(m, METRICS_FETCH_NOT_MODIFIED, 0.2, 0);
	metrics_count_fetch(m, METRICS_FETCH_NOT_MODIFIED, 1.5, 0);
	metrics_count_fetch(m, METRICS_FETCH_HTTP_4XX, 0.3, 0);
	metrics_count_fetch(m, METRICS_FETCH_TIMEOUT, 45, 0);
	m->entries_seen = 40;
	m->entries_new = 7;
	m->stories_new = 5;
	m->stories_updated = 2;
	m->feeds_ok = 2;
	m->feeds_failing = 1;
	m->start_time = 1700000000;
	m->feeds = two_feeds;
	m->nfeeds = 2;
}

static const char small_text[] =
"# HELP feedfold_fetches_total Feed transfers by result: HTTP class, or the transport error.\n"
"# TYPE feedfold_fetches_total counter\n"
"feedfold_fetches_total{result=\"ok\"} 3\n"
"feedfold_fetches_total{result=\"not_modified\"} 2\n"
"feedfold_fetches_total{result=\"http_4xx\"} 1\n"
"feedfold_fetches_total{result=\"http_5xx\"} 0\n"
"feedfold_fetches_total{result=\"http_other\"} 0\n"
"feedfold_fetches_total{result=\"resolve\"} 0\n"
"feedfold_fetches_total{result=\"connect\"} 0\n"
"feedfold_fetches_total{result=\"timeout\"} 1\n"
"feedfold_fetches_total{result=\"too_big\"} 0\n"
"feedfold_fetches_total{result=\"redirect\"} 0\n"
"feedfold_fetches_total{result=\"scheme\"} 0\n"
"feedfold_fetches_total{result=\"tls\"} 0\n"
"feedfold_fetches_total{result=\"network\"} 0\n"
"feedfold_fetches_total{result=\"cancelled\"} 0\n"
"feedfold_fetches_total{result=\"other\"} 0\n"
"# HELP feedfold_received_bytes_total Feed body bytes received, after decompression.\n"
"# TYPE feedfold_received_bytes_total counter\n"
"feedfold_received_bytes_total 12345\n"
"# HELP feedfold_entries_seen_total Entries parsed from feed bodies, known or not.\n"
"# TYPE feedfold_entries_seen_total counter\n"
"feedfold_entries_seen_total 40\n"
"# HELP feedfold_entries_new_total Entries not seen before.\n"
"# TYPE feedfold_entries_new_total counter\n"
"feedfold_entries_new_total 7\n"
"# HELP feedfold_stories_new_total Stories started: record files written for the first time.\n"
"# TYPE feedfold_stories_new_total counter\n"
"feedfold_stories_new_total 5\n"
"# HELP feedfold_stories_updated_total Stories whose record was rewritten with new coverage.\n"
"# TYPE feedfold_stories_updated_total counter\n"
"feedfold_stories_updated_total 2\n"
"# HELP feedfold_fetch_duration_seconds Time of one feed transfer, from its start in curl to its end (time queued for a connection slot excluded).\n"
"# TYPE feedfold_fetch_duration_seconds histogram\n"
"feedfold_fetch_duration_seconds_bucket{le=\"0.05\"} 1\n"
"feedfold_fetch_duration_seconds_bucket{le=\"0.1\"} 1\n"
"feedfold_fetch_duration_seconds_bucket{le=\"0.25\"} 3\n"
"feedfold_fetch_duration_seconds_bucket{le=\"0.5\"} 4\n"
"feedfold_fetch_duration_seconds_bucket{le=\"1\"} 4\n"
"feedfold_fetch_duration_seconds_bucket{le=\"2.5\"} 5\n"
"feedfold_fetch_duration_seconds_bucket{le=\"5\"} 6\n"
"feedfold_fetch_duration_seconds_bucket{le=\"10\"} 6\n"
"feedfold_fetch_duration_seconds_bucket{le=\"30\"} 6\n"
"feedfold_fetch_duration_seconds_bucket{le=\"60\"} 7\n"
"feedfold_fetch_duration_seconds_bucket{le=\"+Inf\"} 7\n"
"feedfold_fetch_duration_seconds_sum 50.21\n"
"feedfold_fetch_duration_seconds_count 7\n"
"# HELP feedfold_feeds Configured feeds by health: ok, failing (last fetch failed), retired (410 Gone).\n"
"# TYPE feedfold_feeds gauge\n"
"feedfold_feeds{health=\"ok\"} 2\n"
"feedfold_feeds{health=\"failing\"} 1\n"
"feedfold_feeds{health=\"retired\"} 0\n"
"# HELP feedfold_start_time_seconds Unix time the feedfold process started.\n"
"# TYPE feedfold_start_time_seconds gauge\n"
"feedfold_start_time_seconds 1700000000\n"
"# HELP feedfold_feed_series_omitted Feeds left out of the feedfold_feed_* series because there are more than the per-feed limit.\n"
"# TYPE feedfold_feed_series_omitted gauge\n"
"feedfold_feed_series_omitted 0\n"
"# HELP feedfold_feed_last_status HTTP status of the feed's last fetch; 0 when it got no HTTP response.\n"
"# TYPE feedfold_feed_last_status gauge\n"
"feedfold_feed_last_status{feed=\"https://example.com/feed.xml\"} 200\n"
"feedfold_feed_last_status{feed=\"https://example.org/rss\"} 0\n"
"# HELP feedfold_feed_last_success_timestamp_seconds Unix time of the feed's last successful fetch (2xx or 304); 0 if it never succeeded.\n"
"# TYPE feedfold_feed_last_success_timestamp_seconds gauge\n"
"feedfold_feed_last_success_timestamp_seconds{feed=\"https://example.com/feed.xml\"} 1700000500\n"
"feedfold_feed_last_success_timestamp_seconds{feed=\"https://example.org/rss\"} 1699990000\n"
"# HELP feedfold_feed_error_streak Failed fetches of the feed in a row.\n"
"# TYPE feedfold_feed_error_streak gauge\n"
"feedfold_feed_error_streak{feed=\"https://example.com/feed.xml\"} 0\n"
"feedfold_feed_error_streak{feed=\"https://example.org/rss\"} 4\n";

/* The formatted text of m; caller frees. */
static char *
format(const struct metrics *m)
{
	struct buf	 b;

	buf_init(&b, BUF_NOMAX);
	metrics_format(m, &b);
	return buf_detach(&b);
}

/* Lines of text that start with prefix. */
static int
count_lines(const char *text, const char *prefix)
{
	const char	*p;
	int		 n = 0;

	for (p = text; p != NULL && *p != '\0'; ) {
		if (strncmp(p, prefix, strlen(prefix)) == 0)
			n++;
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	}
	return n;
}

static void
test_exact_output(void)
{
	struct metrics	 m;
	char		*text;

	fill_small(&m);
	text = format(&m);
	ASSERT_STR_EQ(text, small_text);
	free(text);
}

/* Nothing counted yet: every series is still there, at zero. */
static void
test_zero(void)
{
	struct metrics	 m;
	char		*text;

	metrics_init(&m);
	ASSERT_INT_EQ(m.max_feeds, METRICS_DEFAULT_MAX_FEEDS);
	text = format(&m);
	ASSERT_INT_EQ(count_lines(text, "feedfold_fetches_total{"),
	    METRICS_FETCH_NKINDS);
	ASSERT_INT_EQ(count_lines(text, "feedfold_fetch_duration_seconds_bucket"),
	    METRICS_DURATION_NBOUNDS + 1);
	ASSERT(strstr(text, "feedfold_fetch_duration_seconds_sum 0\n") != NULL);
	ASSERT(strstr(text, "feedfold_fetch_duration_seconds_count 0\n") != NULL);
	ASSERT(strstr(text, "feedfold_feeds{health=\"retired\"} 0\n") != NULL);
	/* No start time given: left out rather than written as 1970. */
	ASSERT_INT_EQ(count_lines(text, "feedfold_start_time_seconds"), 0);
	ASSERT(strstr(text, "feedfold_feed_series_omitted 0\n") != NULL);
	ASSERT_INT_EQ(count_lines(text, "# TYPE feedfold_feed_last_status"), 0);
	free(text);
}

static void
test_escaping(void)
{
	static const struct metrics_feed odd[] = {
		{ "https://example.com/a\\b\"c\"\nd", 200, 0, 0 },
	};
	struct metrics	 m;
	char		*text;

	metrics_init(&m);
	m.feeds = odd;
	m.nfeeds = 1;
	text = format(&m);
	ASSERT(strstr(text, "feedfold_feed_last_status{feed="
	    "\"https://example.com/a\\\\b\\\"c\\\"\\nd\"} 200\n") != NULL);
	/* The raw newline must not reach the file: one line per sample. */
	ASSERT_INT_EQ(count_lines(text, "d\"}"), 0);
	ASSERT_INT_EQ(count_lines(text, "feedfold_feed_"), 4);
	free(text);
}

static void
test_cap(void)
{
	struct metrics_feed	 feeds[5];
	struct metrics		 m;
	char			*text, *urls[5];
	int			 i;

	for (i = 0; i < 5; i++) {
		urls[i] = xasprintf("https://feed%d.example/rss", i);
		feeds[i] = (struct metrics_feed){ urls[i], 200, 1700000000, 0 };
	}
	metrics_init(&m);
	m.feeds = feeds;
	m.nfeeds = 5;

	m.max_feeds = 2;
	text = format(&m);
	ASSERT_INT_EQ(count_lines(text, "feedfold_feed_last_status{"), 2);
	ASSERT_INT_EQ(count_lines(text,
	    "feedfold_feed_last_success_timestamp_seconds{"), 2);
	ASSERT_INT_EQ(count_lines(text, "feedfold_feed_error_streak{"), 2);
	/* The first ones in the order given, so the set does not churn. */
	ASSERT(strstr(text, "feed0.example") != NULL);
	ASSERT(strstr(text, "feed1.example") != NULL);
	ASSERT_NULL(strstr(text, "feed2.example"));
	ASSERT(strstr(text, "feedfold_feed_series_omitted 3\n") != NULL);
	free(text);

	m.max_feeds = 0;
	text = format(&m);
	ASSERT_INT_EQ(count_lines(text, "feedfold_feed_last_status"), 0);
	ASSERT_INT_EQ(count_lines(text, "# HELP feedfold_feed_last"), 0);
	ASSERT(strstr(text, "feedfold_feed_series_omitted 5\n") != NULL);
	free(text);

	m.max_feeds = 5;
	text = format(&m);
	ASSERT_INT_EQ(count_lines(text, "feedfold_feed_last_status{"), 5);
	ASSERT(strstr(text, "feedfold_feed_series_omitted 0\n") != NULL);
	free(text);
	for (i = 0; i < 5; i++)
		free(urls[i]);
}

static void
test_fetch_kind(void)
{
	ASSERT_INT_EQ(metrics_fetch_kind(FETCH_OK, 200, 0), METRICS_FETCH_OK);
	ASSERT_INT_EQ(metrics_fetch_kind(FETCH_OK, 0, 0), METRICS_FETCH_OK);
	ASSERT_INT_EQ(metrics_fetch_kind(FETCH_OK, 304, 1),
	    METRICS_FETCH_NOT_MODIFIED);
	ASSERT_INT_EQ(metrics_fetch_kind(FETCH_OK, 304, 0),
	    METRICS_FETCH_NOT_MODIFIED);
	ASSERT_INT_EQ(metrics_fetch_kind(FETCH_OK, 404, 0),
	    METRICS_FETCH_HTTP_4XX);
	ASSERT_INT_EQ(metrics_fetch_kind(FETCH_OK, 410, 0),
	    METRICS_FETCH_HTTP_4XX);
	ASSERT_INT_EQ(metrics_fetch_kind(FETCH_OK, 503, 0),
	    METRICS_FETCH_HTTP_5XX);
	ASSERT_INT_EQ(metrics_fetch_kind(FETCH_OK, 302, 0),
	    METRICS_FETCH_HTTP_OTHER);
	ASSERT_INT_EQ(metrics_fetch_kind(FETCH_OK, 600, 0),
	    METRICS_FETCH_HTTP_OTHER);
	ASSERT_INT_EQ(metrics_fetch_kind(FETCH_ERR_TIMEOUT, 0, 0),
	    METRICS_FETCH_TIMEOUT);
	/* A transport error wins over a status seen on the way. */
	ASSERT_INT_EQ(metrics_fetch_kind(FETCH_ERR_TOOBIG, 200, 0),
	    METRICS_FETCH_TOO_BIG);
	ASSERT_INT_EQ(metrics_fetch_kind(FETCH_ERR_RESOLVE, 0, 0),
	    METRICS_FETCH_RESOLVE);
	ASSERT_INT_EQ(metrics_fetch_kind(FETCH_ERR_CANCELLED, 0, 0),
	    METRICS_FETCH_CANCELLED);
	ASSERT_INT_EQ(metrics_fetch_kind(999, 0, 0), METRICS_FETCH_OTHER);
	/* Every fetch.h error has its own label, named alike. */
	ASSERT_STR_EQ(metrics_fetch_name(metrics_fetch_kind(FETCH_ERR_TLS, 0,
	    0)), fetch_error_name(FETCH_ERR_TLS));
	ASSERT_STR_EQ(metrics_fetch_name(METRICS_FETCH_TOO_BIG), "too_big");
	ASSERT_STR_EQ(metrics_fetch_name(METRICS_FETCH_NKINDS), "other");
}

static void
test_histogram_edges(void)
{
	struct metrics	 m;
	char		*text;

	metrics_init(&m);
	/* A bound belongs to its own bucket: le means "less or equal". */
	metrics_count_fetch(&m, METRICS_FETCH_OK, 0.05, 1);
	metrics_count_fetch(&m, METRICS_FETCH_OK, 60, 1);
	metrics_count_fetch(&m, METRICS_FETCH_OK, 60.5, 1);
	/* A clock step backwards: counted, as zero seconds. */
	metrics_count_fetch(&m, METRICS_FETCH_OK, -2, 1);
	ASSERT_INT_EQ(m.duration[0], 2);
	ASSERT_INT_EQ(m.duration[METRICS_DURATION_NBOUNDS - 1], 1);
	ASSERT_INT_EQ(m.duration[METRICS_DURATION_NBOUNDS], 1);
	ASSERT_INT_EQ(m.bytes, 4);
	text = format(&m);
	ASSERT(strstr(text, "_bucket{le=\"0.05\"} 2\n") != NULL);
	ASSERT(strstr(text, "_bucket{le=\"30\"} 2\n") != NULL);
	ASSERT(strstr(text, "_bucket{le=\"60\"} 3\n") != NULL);
	ASSERT(strstr(text, "_bucket{le=\"+Inf\"} 4\n") != NULL);
	ASSERT(strstr(text, "_sum 120.55\n") != NULL);
	ASSERT(strstr(text, "_count 4\n") != NULL);
	free(text);
}

/* ---- the file ------------------------------------------------------------ */

/* Entries of dir other than . and .. */
static int
count_entries(const char *dir)
{
	DIR		*d;
	struct dirent	*de;
	int		 n = 0;

	d = opendir(dir);
	ASSERT_NOT_NULL(d);
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static void
test_write_atomic(void)
{
	struct metrics	 m;
	struct errbuf	 err;
	struct stat	 st, st2;
	char		*dir, *path, *text, old[64];
	mode_t		 mask;
	int		 fd;
	ssize_t		 r;

	dir = test_tmpdir();
	path = xasprintf("%s/feedfold.prom", dir);
	fill_small(&m);
	/* A tight umask must not hide the file from the collector. */
	mask = umask(077);
	ASSERT_INT_EQ(metrics_write(&m, path, &err), 0);
	umask(mask);
	text = test_read_file(path, NULL);
	ASSERT_STR_EQ(text, small_text);
	free(text);
	ASSERT_INT_EQ(stat(path, &st), 0);
	ASSERT_INT_EQ(st.st_mode & 07777, 0644);
	ASSERT_INT_EQ(count_entries(dir), 1);

	/*
	 * A reader that opened the old file keeps reading the old file, in
	 * full: the new one replaces it by rename, never by rewriting.
	 */
	fd = open(path, O_RDONLY);
	ASSERT(fd >= 0);
	m.entries_new = 8;
	ASSERT_INT_EQ(metrics_write(&m, path, &err), 0);
	ASSERT_INT_EQ(stat(path, &st2), 0);
	ASSERT_INT_NE(st.st_ino, st2.st_ino);
	r = pread(fd, old, sizeof old - 1, 0);
	ASSERT(r > 0);
	old[r] = '\0';
	ASSERT_INT_EQ(strncmp(old, small_text, (size_t)r), 0);
	close(fd);
	text = test_read_file(path, NULL);
	ASSERT(strstr(text, "feedfold_entries_new_total 8\n") != NULL);
	free(text);
	ASSERT_INT_EQ(count_entries(dir), 1);

	unlink(path);
	test_rmtree(dir);
	free(dir);
	free(path);
}

static void
test_write_errors(void)
{
	struct metrics	 m;
	struct errbuf	 err;
	char		*dir, *path;

	dir = test_tmpdir();
	metrics_init(&m);

	path = xasprintf("%s/missing/feedfold.prom", dir);
	errbuf_clear(&err);
	ASSERT_INT_EQ(metrics_write(&m, path, &err), -ENOENT);
	ASSERT(strstr(err.msg, path) != NULL);
	ASSERT_INT_EQ(metrics_write(&m, path, NULL), -ENOENT);
	free(path);

	/* The rename fails (a folder is in the way): no temporary is left. */
	path = xasprintf("%s/in-the-way.prom", dir);
	ASSERT_INT_EQ(mkdir(path, 0755), 0);
	ASSERT(metrics_write(&m, path, &err) < 0);
	ASSERT(strstr(err.msg, "rename") != NULL);
	ASSERT_INT_EQ(count_entries(dir), 1);
	rmdir(path);
	free(path);

	test_rmtree(dir);
	free(dir);
}

/* promtool from PATH, or NULL. */
static char *
find_promtool(void)
{
	const char	*pathenv;
	char		*paths, *d, *save, *cand;

	if ((pathenv = getenv("PATH")) == NULL)
		return NULL;
	paths = xstrdup(pathenv);
	for (d = strtok_r(paths, ":", &save); d != NULL;
	    d = strtok_r(NULL, ":", &save)) {
		cand = xasprintf("%s/promtool", *d != '\0' ? d : ".");
		if (access(cand, X_OK) == 0) {
			free(paths);
			return cand;
		}
		free(cand);
	}
	free(paths);
	return NULL;
}

/* Prometheus's own parser and linter: `promtool check metrics < FILE`. */
static void
test_promtool(void)
{
	static const struct metrics_feed odd[] = {
		{ "https://example.com/feed.xml", 200, 1700000500, 0 },
		{ "https://example.org/rss", -FETCH_ERR_TIMEOUT, 0, 4 },
		{ "https://example.net/q?a=\"b\"&c=\\d\ne", 503, 1, 1 },
	};
	struct metrics	 m;
	struct errbuf	 err;
	char		*promtool, *dir, *path, *cmd, *out;
	int		 status;

	if ((promtool = find_promtool()) == NULL)
		test_skip("promtool not installed (Debian package prometheus); "
		    "the text format is not checked by Prometheus's parser");
	dir = test_tmpdir();
	path = xasprintf("%s/feedfold.prom", dir);
	fill_small(&m);
	m.feeds = odd;
	m.nfeeds = 3;
	ASSERT_INT_EQ(metrics_write(&m, path, &err), 0);
	cmd = xasprintf("'%s' check metrics < '%s' > '%s/out' 2>&1", promtool,
	    path, dir);
	status = system(cmd);
	free(cmd);
	cmd = xasprintf("%s/out", dir);
	out = test_read_file(cmd, NULL);
	free(cmd);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		test_fail(__FILE__, __LINE__, "promtool check metrics: status "
		    "%d: %s", status, out != NULL ? out : "");
	/* Lint findings are printed even when the status is 0. */
	ASSERT_STR_EQ(out, "");
	free(out);
	test_rmtree(dir);
	free(dir);
	free(path);
	free(promtool);
}

/* ---- the periodic writer ------------------------------------------------- */

struct mw_run {
	struct metrics_writer	*mw;
	uv_timer_t		 check;
	uv_timer_t		 guard;
	int			 refreshes;
	int			 timed_out;
};

static void
mw_refresh(struct metrics *m, void *arg)
{
	struct mw_run	*r = arg;

	r->refreshes++;
	m->feeds_ok = (uint64_t)r->refreshes;
}

static void
mw_done(struct mw_run *r)
{
	metrics_writer_close(r->mw);
	uv_close((uv_handle_t *)&r->check, NULL);
	uv_close((uv_handle_t *)&r->guard, NULL);
}

static void
mw_check(uv_timer_t *t)
{
	struct mw_run	*r = t->data;

	if (metrics_writer_count(r->mw) >= 3)
		mw_done(r);
}

static void
mw_guard(uv_timer_t *t)
{
	struct mw_run	*r = t->data;

	r->timed_out = 1;
	mw_done(r);
}

static void
test_writer(void)
{
	struct mw_run	 r;
	struct metrics	 m;
	uv_loop_t	 loop;
	char		*dir, *path, *text, want[64];

	memset(&r, 0, sizeof r);
	dir = test_tmpdir();
	path = xasprintf("%s/feedfold.prom", dir);
	metrics_init(&m);
	ASSERT_INT_EQ(uv_loop_init(&loop), 0);
	r.mw = metrics_writer_new(&loop, &m, path, 10, mw_refresh, &r);
	ASSERT_NOT_NULL(r.mw);
	ASSERT_INT_EQ(uv_timer_init(&loop, &r.check), 0);
	ASSERT_INT_EQ(uv_timer_init(&loop, &r.guard), 0);
	r.check.data = r.guard.data = &r;
	ASSERT_INT_EQ(uv_timer_start(&r.check, mw_check, 5, 5), 0);
	ASSERT_INT_EQ(uv_timer_start(&r.guard, mw_guard, 10000, 0), 0);
	ASSERT_INT_EQ(uv_run(&loop, UV_RUN_DEFAULT), 0);
	ASSERT_INT_EQ(uv_loop_close(&loop), 0);

	ASSERT_INT_EQ(r.timed_out, 0);
	/* Three from the timer, one more from the close. */
	ASSERT(r.refreshes >= 4);
	text = test_read_file(path, NULL);
	ASSERT_NOT_NULL(text);
	snprintf(want, sizeof want, "feedfold_feeds{health=\"ok\"} %d\n",
	    r.refreshes);
	ASSERT(strstr(text, want) != NULL);
	free(text);
	test_rmtree(dir);
	free(dir);
	free(path);
}

/* A writer that cannot write keeps trying and keeps the loop healthy. */
static void
test_writer_failing(void)
{
	struct metrics		 m;
	struct metrics_writer	*mw;
	uv_loop_t		 loop;
	char			*dir, *path;

	dir = test_tmpdir();
	path = xasprintf("%s/missing/feedfold.prom", dir);
	metrics_init(&m);
	ASSERT_INT_EQ(uv_loop_init(&loop), 0);
	mw = metrics_writer_new(&loop, &m, path, 1000, NULL, NULL);
	ASSERT_NOT_NULL(mw);
	log_set_level(LOG_LEVEL_ERROR - 1);	/* quiet: the error is expected */
	ASSERT_INT_EQ(metrics_writer_flush(mw), -ENOENT);
	ASSERT_INT_EQ(metrics_writer_flush(mw), -ENOENT);
	ASSERT_INT_EQ(metrics_writer_count(mw), 0);
	/* The folder appears: the next write goes through. */
	*strrchr(path, '/') = '\0';
	ASSERT_INT_EQ(mkdir(path, 0755), 0);
	ASSERT_INT_EQ(metrics_writer_flush(mw), 0);
	ASSERT_INT_EQ(metrics_writer_count(mw), 1);
	log_set_level(LOG_LEVEL_NOTICE);
	metrics_writer_close(mw);
	/* Unref'd: the loop only has the close left to run. */
	ASSERT_INT_EQ(uv_run(&loop, UV_RUN_DEFAULT), 0);
	ASSERT_INT_EQ(uv_loop_close(&loop), 0);
	test_rmtree(dir);
	free(dir);
	free(path);
}

static const struct test_case cases[] = {
	TEST(test_exact_output),
	TEST(test_zero),
	TEST(test_escaping),
	TEST(test_cap),
	TEST(test_fetch_kind),
	TEST(test_histogram_edges),
	TEST(test_write_atomic),
	TEST(test_write_errors),
	TEST(test_promtool),
	TEST(test_writer),
	TEST(test_writer_failing),
};

int
main(void)
{
	log_init(LOG_LEVEL_NOTICE);
	return TEST_MAIN(cases);
}
