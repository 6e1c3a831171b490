/*
 * test_state.c: the feed state and its file: round trip, damage,
 * atomicity, size, debounced saving.
 */
#include <sys/stat.h>
#include <sys/time.h>

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uv.h>

#include "log.h"
#include "state.h"
#include "test.h"
#include "xmalloc.h"

/* ---- stderr capture, to check that damage is reported ------------------- */

static int	 saved_stderr = -1;
static char	*captured_path;

static void
capture_start(const char *dir)
{
	int	 fd;

	captured_path = xasprintf("%s/stderr.txt", dir);
	fflush(stderr);
	saved_stderr = dup(2);
	fd = open(captured_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ASSERT(fd >= 0);
	dup2(fd, 2);
	close(fd);
}

/* What was written to stderr since capture_start; caller frees. */
static char *
capture_stop(void)
{
	char	*s;

	fflush(stderr);
	dup2(saved_stderr, 2);
	close(saved_stderr);
	saved_stderr = -1;
	s = test_read_file(captured_path, NULL);
	free(captured_path);
	captured_path = NULL;
	return s != NULL ? s : xstrdup("");
}

static void
write_file(const char *path, const char *data, size_t len)
{
	FILE	*fp = fopen(path, "w");

	ASSERT_NOT_NULL(fp);
	ASSERT_INT_EQ(fwrite(data, 1, len, fp), len);
	ASSERT_INT_EQ(fclose(fp), 0);
}

/* Three feeds with every kind of value the format must carry. */
static void
fill(struct state *st)
{
	struct state_feed	*a, *b, *c;

	a = state_feed_add(st, "https://example.com/feed.xml");
	state_feed_set(a, &a->etag, "W/\"abc 123\"");
	state_feed_set(a, &a->last_modified, "Wed, 21 Oct 2015 07:28:00 GMT");
	a->last_fetch = 1700000000;
	a->next_due = 1700001800;
	a->interval = 1800;
	a->last_status = 304;
	a->rate = 0.000123456;
	a->hint = 3600;
	a->last_success = 1700000000;

	b = state_feed_add(st, "http://old.example.org/rss?a=1&b=%20");
	state_feed_set(b, &b->url, "https://new.example.org/rss");
	/* Strings that look like the format's own markers and separators. */
	state_feed_set(b, &b->etag, "-");
	state_feed_set(b, &b->last_modified, "=");
	b->last_status = -3;
	b->error_streak = 4;
	b->last_success = 1690000000;

	c = state_feed_add(st, "https://gone.example.net/f\tab\nnl %");
	state_feed_set(c, &c->etag, "caf\xc3\xa9\r");
	c->retired = 1;
	c->next_due = STATE_NEVER;
	c->last_status = 410;
}

static void
check_same(struct state_feed *x, struct state_feed *y)
{
	ASSERT_STR_EQ(x->key, y->key);
	ASSERT_STR_EQ(x->url, y->url);
	ASSERT_STR_EQ(x->etag, y->etag);
	ASSERT_STR_EQ(x->last_modified, y->last_modified);
	ASSERT_INT_EQ(x->last_fetch, y->last_fetch);
	ASSERT_INT_EQ(x->next_due, y->next_due);
	ASSERT_INT_EQ(x->interval, y->interval);
	ASSERT_INT_EQ(x->last_status, y->last_status);
	ASSERT_INT_EQ(x->error_streak, y->error_streak);
	ASSERT_INT_EQ(x->retired, y->retired);
	ASSERT_INT_EQ(x->hint, y->hint);
	ASSERT_INT_EQ(x->last_success, y->last_success);
	ASSERT((x->rate < 0 && y->rate < 0) ||
	    (x->rate - y->rate < 1e-12 && y->rate - x->rate < 1e-12));
}

static void
test_state_round_trip(void)
{
	struct state	*st, *st2;
	struct errbuf	 err;
	char		*dir, *path, *text;
	size_t		 i;

	dir = test_tmpdir();
	path = xasprintf("%s/state/%s", dir, STATE_FILE);
	st = state_new();
	fill(st);
	/* Setting a field to its own value must not free it first. */
	state_feed_set(state_feed_at(st, 1), &state_feed_at(st, 1)->url,
	    state_feed_at(st, 1)->url);
	state_feed_set(state_feed_at(st, 0), &state_feed_at(st, 0)->etag,
	    state_feed_at(st, 0)->etag);
	ASSERT_STR_EQ(state_feed_at(st, 1)->url, "https://new.example.org/rss");
	ASSERT_INT_EQ(state_dirty(st), 1);
	/* state_dir does not exist yet: save makes it. */
	ASSERT_INT_EQ(state_save(st, path, &err), 0);
	ASSERT_INT_EQ(state_dirty(st), 0);

	st2 = state_new();
	ASSERT_INT_EQ(state_load(st2, path, &err), 0);
	ASSERT_INT_EQ(state_dirty(st2), 0);
	ASSERT_INT_EQ(state_count(st2), 3);
	for (i = 0; i < 3; i++)
		check_same(state_feed_at(st, (uint32_t)i),
		    state_feed_get(st2, state_feed_at(st, (uint32_t)i)->key));
	/* url equal to the key is shared, not copied. */
	ASSERT(state_feed_at(st2, 0)->url == state_feed_at(st2, 0)->key);

	text = test_read_file(path, NULL);
	ASSERT_NOT_NULL(text);
	ASSERT(strncmp(text, "feedfold-state 2\nF\thttps://example.com/"
	    "feed.xml\t=\tW/\"abc%20123\"\t", 57) == 0);
	/* last_success is the new trailing field. */
	ASSERT_NOT_NULL(strstr(text, "\t3600\t1700000000\n"));
	ASSERT_NOT_NULL(strstr(text, "\nend\t3\n"));
	ASSERT_NOT_NULL(strstr(text, "f%09ab%0Anl%20%25"));
	free(text);
	state_free(st);
	state_free(st2);
	free(path);
	test_rmtree(dir);
	free(dir);
}

static void
test_state_missing_file_is_first_run(void)
{
	struct state	*st;
	struct errbuf	 err;

	st = state_new();
	ASSERT_INT_EQ(state_load(st, "/nonexistent/feeds.state", &err), 0);
	ASSERT_INT_EQ(state_count(st), 0);
	ASSERT_NULL(state_feed_get(st, "https://example.com/"));
	state_free(st);
}

static void
test_state_damaged_lines_skipped(void)
{
	static const char data[] =
	    "feedfold-state 1\n"
	    "F\thttps://a.example/\t=\t\"e1\"\t-\t10\t20\t30\t200\t0\t0\t-1\t0\n"
	    "garbage line\n"
	    "F\thttps://b.example/\t=\t-\t-\tten\t20\t30\t200\t0\t0\t-1\t0\n"
	    "F\thttps://c.example/\t=\t-\t-\t1\t2\t3\t200\t0\t7\t-1\t0\n"
	    "F\thttps://d.example/\t=\t%zz\t-\t1\t2\t3\t200\t0\t0\t-1\t0\n"
	    "F\thttps://e.example/\thttps://e2.example/\t-\t-\t1\t2\t3\t301"
	    "\t0\t0\t0.5\t60\n"
	    "F\thttps://f.example/\t=\t-\t-\t1\t2";
	struct state	*st;
	struct errbuf	 err;
	char		*dir, *path, *log;

	dir = test_tmpdir();
	path = xasprintf("%s/%s", dir, STATE_FILE);
	write_file(path, data, sizeof data - 1);
	st = state_new();
	capture_start(dir);
	ASSERT_INT_EQ(state_load(st, path, &err), 0);
	log = capture_stop();
	ASSERT_INT_EQ(state_count(st), 2);
	ASSERT_STR_EQ(state_feed_get(st, "https://a.example/")->etag,
	    "\"e1\"");
	ASSERT_STR_EQ(state_feed_get(st, "https://e.example/")->url,
	    "https://e2.example/");
	ASSERT_INT_EQ(state_feed_get(st, "https://e.example/")->hint, 60);
	ASSERT_NULL(state_feed_get(st, "https://b.example/"));
	ASSERT_NULL(state_feed_get(st, "https://f.example/"));
	/* One warning for the damaged lines (first at line 3), one for the cut. */
	ASSERT_NOT_NULL(strstr(log, ":3: 4 damaged lines skipped"));
	ASSERT_NOT_NULL(strstr(log, "truncated"));
	/* Repaired state is written back on the next save. */
	ASSERT_INT_EQ(state_dirty(st), 1);
	free(log);
	state_free(st);
	free(path);
	test_rmtree(dir);
	free(dir);
}

/*
 * A version 1 file (13 fields, before last_success) still loads: a feed
 * whose last fetch succeeded last succeeded then; for the others it is
 * not known (0). The next save writes version 2.
 */
static void
test_state_version_1_loads(void)
{
	static const char data[] =
	    "feedfold-state 1\n"
	    "F\thttps://a.example/\t=\t\"e1\"\t-\t10\t20\t30\t200\t0\t0"
	    "\t-1\t0\n"
	    "F\thttps://b.example/\t=\t-\t-\t11\t21\t31\t304\t0\t0\t0.5\t60\n"
	    "F\thttps://c.example/\t=\t-\t-\t12\t22\t32\t-3\t2\t0\t-1\t0\n"
	    "F\thttps://d.example/\t=\t-\t-\t13\t23\t33\t200\t0\t0\t-1\t0\t5\n"
	    "end\t4\n";
	static const char v2[] =
	    "feedfold-state 2\n"
	    "F\thttps://a.example/\t=\t-\t-\t10\t20\t30\t200\t0\t0\t-1\t0\n"
	    "F\thttps://b.example/\t=\t-\t-\t10\t20\t30\t200\t0\t0\t-1\t0\t9\n"
	    "end\t2\n";
	struct state	*st, *st2;
	struct errbuf	 err;
	char		*dir, *path, *text, *log;

	dir = test_tmpdir();
	path = xasprintf("%s/%s", dir, STATE_FILE);
	write_file(path, data, sizeof data - 1);
	st = state_new();
	capture_start(dir);
	ASSERT_INT_EQ(state_load(st, path, &err), 0);
	log = capture_stop();
	ASSERT_INT_EQ(state_count(st), 3);
	ASSERT_STR_EQ(state_feed_get(st, "https://a.example/")->etag,
	    "\"e1\"");
	ASSERT_INT_EQ(state_feed_get(st, "https://a.example/")->last_success,
	    10);
	ASSERT_INT_EQ(state_feed_get(st, "https://b.example/")->last_success,
	    11);
	ASSERT_INT_EQ(state_feed_get(st, "https://b.example/")->hint, 60);
	ASSERT_INT_EQ(state_feed_get(st, "https://c.example/")->error_streak,
	    2);
	ASSERT_INT_EQ(state_feed_get(st, "https://c.example/")->last_success,
	    0);
	/* 14 fields in a version 1 file: not a line that version wrote. */
	ASSERT_NULL(state_feed_get(st, "https://d.example/"));
	ASSERT_NOT_NULL(strstr(log, ":5: 1 damaged line skipped"));
	free(log);

	ASSERT_INT_EQ(state_save(st, path, &err), 0);
	text = test_read_file(path, NULL);
	ASSERT_NOT_NULL(text);
	ASSERT(strncmp(text, "feedfold-state 2\n", 17) == 0);
	free(text);
	st2 = state_new();
	ASSERT_INT_EQ(state_load(st2, path, &err), 0);
	ASSERT_INT_EQ(state_count(st2), 3);
	ASSERT_INT_EQ(state_dirty(st2), 0);
	ASSERT_INT_EQ(state_feed_get(st2, "https://b.example/")->last_success,
	    11);
	state_free(st2);
	state_free(st);

	/* And a version 2 file wants all 14: a 13-field line is damage. */
	write_file(path, v2, sizeof v2 - 1);
	st = state_new();
	capture_start(dir);
	ASSERT_INT_EQ(state_load(st, path, &err), 0);
	log = capture_stop();
	ASSERT_INT_EQ(state_count(st), 1);
	ASSERT_INT_EQ(state_feed_get(st, "https://b.example/")->last_success,
	    9);
	ASSERT_NOT_NULL(strstr(log, ":2: 1 damaged line skipped"));
	free(log);
	state_free(st);
	free(path);
	test_rmtree(dir);
	free(dir);
}

static void
test_state_not_a_state_file(void)
{
	static const char bin[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
	struct state	*st;
	struct errbuf	 err;
	char		*dir, *path, *log;

	dir = test_tmpdir();
	path = xasprintf("%s/%s", dir, STATE_FILE);
	write_file(path, bin, sizeof bin - 1);
	st = state_new();
	capture_start(dir);
	ASSERT_INT_EQ(state_load(st, path, &err), 0);
	log = capture_stop();
	ASSERT_INT_EQ(state_count(st), 0);
	ASSERT_NOT_NULL(strstr(log, "not a feedfold state file"));
	free(log);
	state_free(st);

	write_file(path, "", 0);
	st = state_new();
	capture_start(dir);
	ASSERT_INT_EQ(state_load(st, path, &err), 0);
	log = capture_stop();
	ASSERT_INT_EQ(state_count(st), 0);
	ASSERT_NOT_NULL(strstr(log, "empty"));
	free(log);
	state_free(st);
	free(path);
	test_rmtree(dir);
	free(dir);
}

/*
 * A file cut at any byte (a crash without our atomic rename, or a disk
 * problem) loads without crashing, and every feed it keeps is exactly as
 * saved: a cut never yields a half value.
 */
static void
test_state_truncated_anywhere(void)
{
	struct state		*st, *st2;
	struct state_feed	*sf;
	struct errbuf		 err;
	char			*dir, *path, *cut, *text, *log;
	size_t			 len, i, j;

	dir = test_tmpdir();
	path = xasprintf("%s/%s", dir, STATE_FILE);
	cut = xasprintf("%s/cut.state", dir);
	st = state_new();
	fill(st);
	ASSERT_INT_EQ(state_save(st, path, &err), 0);
	text = test_read_file(path, &len);
	ASSERT_NOT_NULL(text);
	capture_start(dir);
	for (i = 0; i < len; i++) {
		write_file(cut, text, i);
		st2 = state_new();
		if (state_load(st2, cut, &err) != 0)
			break;
		if (state_count(st2) > 3)
			break;
		for (j = 0; j < state_count(st2); j++) {
			sf = state_feed_at(st2, (uint32_t)j);
			check_same(state_feed_get(st, sf->key), sf);
		}
		state_free(st2);
		st2 = NULL;
	}
	log = capture_stop();
	ASSERT_INT_EQ(i, len);
	ASSERT_NOT_NULL(strstr(log, "truncated"));
	free(log);
	free(text);
	state_free(st);
	free(cut);
	free(path);
	test_rmtree(dir);
	free(dir);
}

static void
test_state_save_is_atomic(void)
{
	struct state	*st, *st2;
	struct errbuf	 err;
	char		*dir, *path, *tmp, *before, *after;
	struct stat	 sb;

	dir = test_tmpdir();
	path = xasprintf("%s/%s", dir, STATE_FILE);
	tmp = xasprintf("%s.tmp", path);
	st = state_new();
	fill(st);
	ASSERT_INT_EQ(state_save(st, path, &err), 0);
	/* No temporary file is left behind. */
	ASSERT_INT_EQ(stat(tmp, &sb), -1);
	before = test_read_file(path, NULL);

	/* A save that cannot write its temporary file keeps the old state. */
	ASSERT_INT_EQ(mkdir(tmp, 0755), 0);
	state_feed_add(st, "https://new.example/");
	ASSERT(state_save(st, path, &err) < 0);
	ASSERT_NOT_NULL(strstr(err.msg, ".tmp"));
	ASSERT_INT_EQ(state_dirty(st), 1);
	after = test_read_file(path, NULL);
	ASSERT_STR_EQ(after, before);
	free(after);
	ASSERT_INT_EQ(rmdir(tmp), 0);

	/* And the next save goes through and replaces it whole. */
	ASSERT_INT_EQ(state_save(st, path, &err), 0);
	st2 = state_new();
	ASSERT_INT_EQ(state_load(st2, path, &err), 0);
	ASSERT_INT_EQ(state_count(st2), 4);
	state_free(st2);
	free(before);
	state_free(st);
	free(tmp);
	free(path);
	test_rmtree(dir);
	free(dir);
}

static double
now_ms(void)
{
	struct timeval	 tv;

	gettimeofday(&tv, NULL);
	return tv.tv_sec * 1000.0 + tv.tv_usec / 1000.0;
}

/* 100,000 feeds: measured (printed), not timed against a limit. */
static void
test_state_hundred_thousand(void)
{
	struct state		*st, *st2;
	struct state_feed	*sf;
	struct errbuf		 err;
	struct mallinfo2	 m0, m1;
	char			*dir, *path, key[128];
	double			 t0, t1, t2;
	size_t			 i, n = 100000;
	struct stat		 sb;

	dir = test_tmpdir();
	path = xasprintf("%s/%s", dir, STATE_FILE);
	m0 = mallinfo2();
	st = state_new();
	for (i = 0; i < n; i++) {
		snprintf(key, sizeof key, "https://host%zu.example.com/news/"
		    "feed-%zu.xml", i % 5000, i);
		sf = state_feed_add(st, key);
		state_feed_set(sf, &sf->etag, "\"5f2b8c1e-1a2b3c\"");
		state_feed_set(sf, &sf->last_modified,
		    "Wed, 21 Oct 2015 07:28:00 GMT");
		sf->last_fetch = 1700000000 + (int64_t)i;
		sf->next_due = 1700001800 + (int64_t)i;
		sf->interval = 1800;
		sf->last_status = 200;
		sf->rate = 1.0 / 3600;
	}
	m1 = mallinfo2();
	t0 = now_ms();
	ASSERT_INT_EQ(state_save(st, path, &err), 0);
	t1 = now_ms();
	st2 = state_new();
	ASSERT_INT_EQ(state_load(st2, path, &err), 0);
	t2 = now_ms();
	ASSERT_INT_EQ(state_count(st2), n);
	ASSERT_INT_EQ(state_feed_get(st2, key)->last_fetch,
	    1700000000 + (int64_t)n - 1);
	ASSERT_INT_EQ(stat(path, &sb), 0);
	printf("# state: %zu feeds: %.0f bytes/feed in memory, file %.1f MB "
	    "(%.0f bytes/feed), save %.0f ms (with fsync), load %.0f ms\n",
	    n, (double)(m1.uordblks - m0.uordblks) / (double)n,
	    sb.st_size / 1e6, (double)sb.st_size / (double)n, t1 - t0,
	    t2 - t1);
	state_free(st);
	state_free(st2);
	free(path);
	test_rmtree(dir);
	free(dir);
}

static void
test_state_drop(void)
{
	struct state		*st, *st2;
	struct state_feed	*a, *b;
	struct errbuf		 err;
	char			*dir, *path;

	dir = test_tmpdir();
	path = xasprintf("%s/%s", dir, STATE_FILE);
	st = state_new();
	a = state_feed_add(st, "https://a.example/");
	b = state_feed_add(st, "https://b.example/");
	b->error_streak = 3;
	ASSERT_INT_EQ(state_save(st, path, &err), 0);
	state_feed_drop(st, b);
	ASSERT_INT_EQ(state_dirty(st), 1);
	ASSERT_NULL(state_feed_get(st, "https://b.example/"));
	ASSERT_INT_EQ(state_save(st, path, &err), 0);
	st2 = state_new();
	ASSERT_INT_EQ(state_load(st2, path, &err), 0);
	ASSERT_INT_EQ(state_count(st2), 1);
	ASSERT_NOT_NULL(state_feed_get(st2, "https://a.example/"));
	state_free(st2);
	/* Back in the config: the same feed, history and id. */
	ASSERT(state_feed_add(st, "https://b.example/") == b);
	ASSERT_INT_EQ(b->error_streak, 3);
	ASSERT(state_feed_get(st, "https://a.example/") == a);
	state_free(st);
	free(path);
	test_rmtree(dir);
	free(dir);
}

static void
saver_closed(void *arg)
{
	(*(int *)arg)++;
}

static void
test_state_saver_debounces(void)
{
	uv_loop_t		 loop;
	struct state		*st, *st2;
	struct state_saver	*sv;
	struct state_feed	*sf;
	struct errbuf		 err;
	struct stat		 sb;
	char			*dir, *path;
	int			 closed = 0;

	dir = test_tmpdir();
	path = xasprintf("%s/%s", dir, STATE_FILE);
	ASSERT_INT_EQ(uv_loop_init(&loop), 0);
	st = state_new();
	sv = state_saver_new(&loop, st, path, 20);
	ASSERT_NOT_NULL(sv);
	sf = state_feed_add(st, "https://a.example/");
	state_saver_touch(sv);
	sf->last_status = 200;
	state_saver_touch(sv);
	/* Nothing written yet: the write waits for the burst to end. */
	ASSERT_INT_EQ(stat(path, &sb), -1);
	ASSERT_INT_EQ(uv_run(&loop, UV_RUN_DEFAULT), 0);
	ASSERT_INT_EQ(stat(path, &sb), 0);
	ASSERT_INT_EQ(state_dirty(st), 0);

	/* Closing writes what is still pending. */
	state_feed_add(st, "https://b.example/");
	state_saver_touch(sv);
	state_saver_close(sv, saver_closed, &closed);
	ASSERT_INT_EQ(uv_run(&loop, UV_RUN_DEFAULT), 0);
	ASSERT_INT_EQ(closed, 1);
	ASSERT_INT_EQ(uv_loop_close(&loop), 0);
	st2 = state_new();
	ASSERT_INT_EQ(state_load(st2, path, &err), 0);
	ASSERT_INT_EQ(state_count(st2), 2);
	ASSERT_INT_EQ(state_feed_get(st2, "https://a.example/")->last_status,
	    200);
	state_free(st2);
	state_free(st);
	free(path);
	test_rmtree(dir);
	free(dir);
}

static const struct test_case cases[] = {
	TEST(test_state_round_trip),
	TEST(test_state_missing_file_is_first_run),
	TEST(test_state_damaged_lines_skipped),
	TEST(test_state_version_1_loads),
	TEST(test_state_not_a_state_file),
	TEST(test_state_truncated_anywhere),
	TEST(test_state_save_is_atomic),
	TEST(test_state_hundred_thousand),
	TEST(test_state_drop),
	TEST(test_state_saver_debounces),
};

int
main(void)
{
	return TEST_MAIN(cases);
}
