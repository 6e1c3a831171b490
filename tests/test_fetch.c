/*
 * test_fetch.c: the fetcher against tests/httpd.py on 127.0.0.1.
 *
 * Each case starts its own server (port 0, printed on its stdout), drives a
 * fetcher on a real uv loop until every transfer has called back, closes
 * it, checks uv_loop_close() == 0, then stops the server (EOF on its stdin)
 * and reads the server's request log to check what went over the wire.
 * Assertions run only after the loop is done, never inside a callback.
 */
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uv.h>

#include "config.h"
#include "fetch.h"
#include "schedule.h"
#include "state.h"
#include "test.h"
#include "xmalloc.h"

#define FEED_LM		"Wed, 21 Oct 2015 07:28:00 GMT"

struct srv {
	pid_t	 pid;
	int	 in_fd;		/* its stdin: closing it stops the server */
	int	 port;
	char	*dir;
	char	*log;
};

struct got {
	int			 done;
	enum fetch_error	 error;
	char			 errmsg[256];
	long			 status;
	int			 not_modified;
	int			 redirects;
	char			*final_url;
	char			*permanent_url;
	char			*etag;
	char			*last_modified;
	char			*content_type;
	char			*charset;
	int64_t			 retry_after;
	int64_t			 max_age;
	int64_t			 expires_in;
	char			*body;
	size_t			 body_len;
};

struct run {
	struct fetcher	*f;
	size_t		 left;
	int		 closed;
};

struct slot {
	struct run	*run;
	struct got	*got;
};

static void	srv_start_n(struct srv *, int);

static void
srv_start(struct srv *s)
{
	srv_start_n(s, 500);
}

static void
srv_start_n(struct srv *s, int max_requests)
{
	const char	*py = getenv("PYTHON3"), *src = getenv("srcdir");
	char		*script, line[32], maxreq[16];
	int		 in[2], out[2];
	ssize_t		 n;
	size_t		 len = 0;

	if (py == NULL || *py == '\0')
		py = "python3";
	if (src == NULL)
		src = ".";
	memset(s, 0, sizeof *s);
	s->dir = test_tmpdir();
	s->log = xasprintf("%s/requests.log", s->dir);
	script = xasprintf("%s/tests/httpd.py", src);
	snprintf(maxreq, sizeof maxreq, "%d", max_requests);
	ASSERT_INT_EQ(pipe(in), 0);
	ASSERT_INT_EQ(pipe(out), 0);
	s->pid = fork();
	ASSERT(s->pid >= 0);
	if (s->pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		execlp(py, py, script, "--log", s->log, "--max-requests",
		    maxreq, "--max-seconds", "120", (char *)NULL);
		_exit(127);
	}
	free(script);
	close(in[0]);
	close(out[1]);
	s->in_fd = in[1];
	/* The first line is the port; read() returns 0 if it died first. */
	while (len < sizeof line - 1 &&
	    (n = read(out[0], line + len, 1)) == 1 && line[len] != '\n')
		len++;
	line[len] = '\0';
	close(out[0]);
	s->port = atoi(line);
	ASSERT(s->port > 0);
}

/* Stop the server and wait for it, so that its log is complete. */
static void
srv_stop(struct srv *s)
{
	int	 status;

	if (s->in_fd >= 0)
		close(s->in_fd);
	s->in_fd = -1;
	if (s->pid > 0)
		waitpid(s->pid, &status, 0);
	s->pid = 0;
}

static void
srv_free(struct srv *s)
{
	srv_stop(s);
	test_rmtree(s->dir);
	free(s->dir);
	free(s->log);
}

static char *
srv_url(struct srv *s, const char *path)
{
	return xasprintf("http://127.0.0.1:%d%s", s->port, path);
}

/*
 * Field `field` (0-based, tab-separated) of the n-th log line (0-based)
 * whose path starts with `path`; NULL if there is none. Caller frees.
 */
static char *
srv_log_field(struct srv *s, const char *path, int nth, int field)
{
	char	*log, *line, *save = NULL, *out = NULL, *p, *e;
	int	 i;

	if ((log = test_read_file(s->log, NULL)) == NULL)
		return NULL;
	for (line = strtok_r(log, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		p = strchr(line, '\t');
		if (p == NULL || strncmp(p + 1, path, strlen(path)) != 0)
			continue;
		if (nth-- > 0)
			continue;
		for (p = line, i = 0; i < field && p != NULL; i++) {
			if ((p = strchr(p, '\t')) != NULL)
				p++;
		}
		if (p != NULL) {
			e = strchr(p, '\t');
			out = e != NULL ? xstrndup(p, (size_t)(e - p)) :
			    xstrdup(p);
		}
		break;
	}
	free(log);
	return out;
}

static int
srv_log_count(struct srv *s, const char *path)
{
	char	*v;
	int	 n = 0;

	while ((v = srv_log_field(s, path, n, 0)) != NULL) {
		free(v);
		n++;
	}
	return n;
}

/* Largest value of a numeric log field over all lines. */
static int
srv_log_max(struct srv *s, int field)
{
	char	*v;
	int	 n, max = 0;

	for (n = 0; (v = srv_log_field(s, "/", n, field)) != NULL; n++) {
		if (atoi(v) > max)
			max = atoi(v);
		free(v);
	}
	return max;
}

static char *
dupnull(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void
got_free(struct got *g)
{
	free(g->final_url);
	free(g->permanent_url);
	free(g->etag);
	free(g->last_modified);
	free(g->content_type);
	free(g->charset);
	free(g->body);
	memset(g, 0, sizeof *g);
}

static void
run_done(struct fetch_result *r, void *arg)
{
	struct slot	*sl = arg;
	struct got	*g = sl->got;

	g->done++;
	g->error = r->error;
	snprintf(g->errmsg, sizeof g->errmsg, "%s", r->errmsg);
	g->status = r->status;
	g->not_modified = r->not_modified;
	g->redirects = r->redirects;
	g->final_url = dupnull(r->final_url);
	g->permanent_url = dupnull(r->permanent_url);
	g->etag = dupnull(r->etag);
	g->last_modified = dupnull(r->last_modified);
	g->content_type = dupnull(r->content_type);
	g->charset = dupnull(r->charset);
	g->retry_after = r->retry_after;
	g->max_age = r->max_age;
	g->expires_in = r->expires_in;
	g->body = fetch_result_take_body(r, &g->body_len);
	/* The last one closes the fetcher from inside its callback. */
	if (--sl->run->left == 0)
		fetcher_close(sl->run->f, NULL, NULL);
}

static void
run_closed(void *arg)
{
	struct run	*run = arg;

	run->closed = 1;
}

/* Fetch n requests on a fresh loop; every result lands in gots[i]. */
static void
run_fetch(const struct fetch_opts *o, const struct fetch_req *reqs,
    struct got *gots, size_t n)
{
	uv_loop_t	 loop;
	struct run	 run;
	struct slot	*slots;
	char		 err[256];
	size_t		 i;

	ASSERT_INT_EQ(uv_loop_init(&loop), 0);
	memset(&run, 0, sizeof run);
	run.f = fetcher_new(&loop, o, err, sizeof err);
	ASSERT_NOT_NULL(run.f);
	run.left = n;
	slots = xcalloc(n, sizeof *slots);
	for (i = 0; i < n; i++) {
		memset(&gots[i], 0, sizeof gots[i]);
		slots[i].run = &run;
		slots[i].got = &gots[i];
		ASSERT_INT_EQ(fetcher_start(run.f, &reqs[i], run_done,
		    &slots[i]), 0);
	}
	ASSERT_INT_EQ(fetcher_pending(run.f), n);
	ASSERT_INT_EQ(uv_run(&loop, UV_RUN_DEFAULT), 0);
	ASSERT_INT_EQ(uv_loop_close(&loop), 0);
	free(slots);
	for (i = 0; i < n; i++)
		ASSERT_INT_EQ(gots[i].done, 1);
}

static void
opts_test(struct fetch_opts *o)
{
	fetch_opts_default(o);
	o->user_agent = "feedfold-test/1";
	o->timeout = 20;
}

/* Fetch one URL (path on the server, or a full URL). */
static void
fetch_one(struct srv *s, const struct fetch_opts *o, const char *path,
    struct got *g)
{
	struct fetch_req	 req;
	char			*url;

	memset(&req, 0, sizeof req);
	url = strstr(path, "://") != NULL ? xstrdup(path) : srv_url(s, path);
	req.url = url;
	run_fetch(o, &req, g, 1);
	free(url);
}

/* ---- cases --------------------------------------------------------------- */

static void
test_fetch_validators_then_304(void)
{
	struct srv		 s;
	struct fetch_opts	 o;
	struct fetch_req	 req;
	struct got		 g, g2;
	char			*url, *v;

	srv_start(&s);
	opts_test(&o);
	fetch_one(&s, &o, "/feed/a", &g);
	ASSERT_INT_EQ(g.error, FETCH_OK);
	ASSERT_INT_EQ(g.status, 200);
	ASSERT_INT_EQ(g.not_modified, 0);
	ASSERT_STR_EQ(g.etag, "\"v1-a\"");
	ASSERT_STR_EQ(g.last_modified, FEED_LM);
	ASSERT_STR_EQ(g.content_type, "application/rss+xml");
	ASSERT_STR_EQ(g.charset, "UTF-8");
	ASSERT_NOT_NULL(strstr(g.body, "<rss version=\"2.0\">"));
	ASSERT_INT_EQ(strlen(g.body), g.body_len);

	/* The validators go back verbatim; the server answers 304. */
	memset(&req, 0, sizeof req);
	url = srv_url(&s, "/feed/a");
	req.url = url;
	req.etag = g.etag;
	req.last_modified = g.last_modified;
	run_fetch(&o, &req, &g2, 1);
	free(url);
	ASSERT_INT_EQ(g2.error, FETCH_OK);
	ASSERT_INT_EQ(g2.status, 304);
	ASSERT_INT_EQ(g2.not_modified, 1);
	ASSERT_INT_EQ(g2.body_len, 0);
	got_free(&g2);

	/* A validator with a line break (a hand-edited state) is not sent. */
	memset(&req, 0, sizeof req);
	url = srv_url(&s, "/feed/a");
	req.url = url;
	req.etag = "\"v1-a\"\r\nX-Injected: 1";
	run_fetch(&o, &req, &g2, 1);
	free(url);
	ASSERT_INT_EQ(g2.status, 200);
	got_free(&g2);
	srv_stop(&s);

	ASSERT_INT_EQ(srv_log_count(&s, "/feed/a"), 3);
	v = srv_log_field(&s, "/feed/a", 0, 2);
	ASSERT_STR_EQ(v, "-");		/* no validators the first time */
	free(v);
	v = srv_log_field(&s, "/feed/a", 1, 2);
	ASSERT_STR_EQ(v, "\"v1-a\"");
	free(v);
	v = srv_log_field(&s, "/feed/a", 1, 3);
	ASSERT_STR_EQ(v, FEED_LM);
	free(v);
	v = srv_log_field(&s, "/feed/a", 2, 2);
	ASSERT_STR_EQ(v, "-");
	free(v);
	v = srv_log_field(&s, "/feed/a", 0, 7);
	ASSERT_STR_EQ(v, "feedfold-test/1");
	free(v);
	v = srv_log_field(&s, "/feed/a", 0, 6);
	ASSERT_NOT_NULL(strstr(v, "gzip"));
	free(v);
	got_free(&g);
	got_free(&g2);
	srv_free(&s);
}

static void
test_fetch_gzip_deflate(void)
{
	struct srv		 s;
	struct fetch_opts	 o;
	struct got		 g;

	srv_start(&s);
	opts_test(&o);
	fetch_one(&s, &o, "/gzip", &g);
	ASSERT_INT_EQ(g.error, FETCH_OK);
	ASSERT_INT_EQ(g.status, 200);
	ASSERT_NOT_NULL(strstr(g.body, "<rss version=\"2.0\">"));
	ASSERT_STR_EQ(g.charset, "ISO-8859-1");
	got_free(&g);
	fetch_one(&s, &o, "/deflate", &g);
	ASSERT_INT_EQ(g.status, 200);
	ASSERT_NOT_NULL(strstr(g.body, "<rss version=\"2.0\">"));
	ASSERT_NULL(g.charset);
	got_free(&g);
	srv_free(&s);
}

static void
test_fetch_brotli(void)
{
	struct srv		 s;
	struct fetch_opts	 o;
	struct got		 g;

	srv_start(&s);
	opts_test(&o);
	fetch_one(&s, &o, "/brotli", &g);
	srv_free(&s);
	if (g.status == 501) {
		got_free(&g);
		test_skip("no brotli module in this Python (python3-brotli)");
	}
	ASSERT_INT_EQ(g.status, 200);
	ASSERT_NOT_NULL(strstr(g.body, "<rss version=\"2.0\">"));
	got_free(&g);
}

static void
test_fetch_redirects(void)
{
	struct srv		 s;
	struct fetch_opts	 o;
	struct got		 g;
	char			*moved, *r302;

	srv_start(&s);
	opts_test(&o);
	moved = srv_url(&s, "/feed/moved");
	r302 = srv_url(&s, "/r302");

	fetch_one(&s, &o, "/r301", &g);
	ASSERT_INT_EQ(g.status, 200);
	ASSERT_INT_EQ(g.redirects, 1);
	ASSERT_STR_EQ(g.final_url, moved);
	ASSERT_STR_EQ(g.permanent_url, moved);
	ASSERT_STR_EQ(g.etag, "\"v1-moved\"");
	got_free(&g);

	fetch_one(&s, &o, "/r308", &g);
	ASSERT_STR_EQ(g.permanent_url, moved);
	got_free(&g);

	fetch_one(&s, &o, "/r302", &g);
	ASSERT_INT_EQ(g.status, 200);
	ASSERT_STR_EQ(g.final_url, moved);
	ASSERT_NULL(g.permanent_url);
	got_free(&g);

	fetch_one(&s, &o, "/r307", &g);
	ASSERT_STR_EQ(g.final_url, moved);
	ASSERT_NULL(g.permanent_url);
	got_free(&g);

	/* 301 then 302: only the permanent hop is worth remembering. */
	fetch_one(&s, &o, "/chain", &g);
	ASSERT_INT_EQ(g.redirects, 2);
	ASSERT_STR_EQ(g.final_url, moved);
	ASSERT_STR_EQ(g.permanent_url, r302);
	got_free(&g);

	/* A loop stops after 5 redirects: 6 requests, then an error. */
	fetch_one(&s, &o, "/loop", &g);
	ASSERT_INT_EQ(g.error, FETCH_ERR_REDIRECT);
	ASSERT_NULL(g.permanent_url);
	got_free(&g);
	srv_stop(&s);
	ASSERT_INT_EQ(srv_log_count(&s, "/loop"), 6);
	ASSERT_INT_EQ(srv_log_count(&s, "/feed/moved"), 5);
	free(moved);
	free(r302);
	srv_free(&s);
}

static void
test_fetch_statuses(void)
{
	struct srv		 s;
	struct fetch_opts	 o;
	struct got		 g;

	srv_start(&s);
	opts_test(&o);
	fetch_one(&s, &o, "/gone", &g);
	ASSERT_INT_EQ(g.error, FETCH_OK);
	ASSERT_INT_EQ(g.status, 410);
	got_free(&g);

	fetch_one(&s, &o, "/500", &g);
	ASSERT_INT_EQ(g.error, FETCH_OK);
	ASSERT_INT_EQ(g.status, 500);
	ASSERT_INT_EQ(g.retry_after, -1);
	got_free(&g);

	fetch_one(&s, &o, "/429", &g);
	ASSERT_INT_EQ(g.status, 429);
	ASSERT_INT_EQ(g.retry_after, 120);
	got_free(&g);

	/* An HTTP-date Retry-After counts from the server's Date. */
	fetch_one(&s, &o, "/503date", &g);
	ASSERT_INT_EQ(g.status, 503);
	ASSERT_INT_EQ(g.retry_after, 300);
	got_free(&g);

	/* A body shorter than its Content-Length is a failure, not a feed. */
	fetch_one(&s, &o, "/truncated", &g);
	ASSERT_INT_EQ(g.error, FETCH_ERR_NETWORK);
	ASSERT_INT_EQ(g.body_len, 0);
	got_free(&g);

	fetch_one(&s, &o, "/cache", &g);
	ASSERT_INT_EQ(g.status, 200);
	ASSERT_INT_EQ(g.max_age, 600);
	ASSERT_INT_EQ(g.expires_in, 900);
	got_free(&g);

	fetch_one(&s, &o, "/feed/a", &g);
	ASSERT_INT_EQ(g.max_age, -1);
	ASSERT_INT_EQ(g.expires_in, -1);
	got_free(&g);
	srv_free(&s);
}

static void
test_fetch_slow_times_out(void)
{
	struct srv		 s;
	struct fetch_opts	 o;
	struct got		 g;

	srv_start(&s);
	/* The total timeout. */
	opts_test(&o);
	o.timeout = 2;
	o.low_speed_limit = 0;
	fetch_one(&s, &o, "/slow", &g);
	ASSERT_INT_EQ(g.error, FETCH_ERR_TIMEOUT);
	ASSERT_INT_EQ(g.body_len, 0);
	ASSERT(g.errmsg[0] != '\0');
	got_free(&g);

	/* The low-speed limit, long before the total timeout. */
	opts_test(&o);
	o.timeout = 60;
	o.low_speed_limit = 100;
	o.low_speed_time = 1;
	fetch_one(&s, &o, "/slow", &g);
	ASSERT_INT_EQ(g.error, FETCH_ERR_TIMEOUT);
	got_free(&g);
	srv_free(&s);
}

static void
test_fetch_max_body(void)
{
	struct srv		 s;
	struct fetch_opts	 o;
	struct got		 g;

	srv_start(&s);
	opts_test(&o);
	o.max_body = 1000;

	/* Exactly at the cap is fine. */
	fetch_one(&s, &o, "/big?n=1000", &g);
	ASSERT_INT_EQ(g.error, FETCH_OK);
	ASSERT_INT_EQ(g.body_len, 1000);
	got_free(&g);

	/* Announced by Content-Length. */
	fetch_one(&s, &o, "/big?n=5000", &g);
	ASSERT_INT_EQ(g.error, FETCH_ERR_TOOBIG);
	ASSERT_NOT_NULL(strstr(g.errmsg, "max_body"));
	ASSERT_INT_EQ(g.body_len, 0);
	got_free(&g);

	/* Not announced: the write callback stops it. */
	fetch_one(&s, &o, "/bigchunked?n=300000", &g);
	ASSERT_INT_EQ(g.error, FETCH_ERR_TOOBIG);
	ASSERT_NOT_NULL(strstr(g.errmsg, "max_body"));
	got_free(&g);

	/* Small on the wire, big once inflated: the decompressed size counts. */
	fetch_one(&s, &o, "/bomb?n=1000000", &g);
	ASSERT_INT_EQ(g.error, FETCH_ERR_TOOBIG);
	got_free(&g);
	srv_free(&s);
}

static void
test_fetch_redirect_to_file_refused(void)
{
	struct srv		 s;
	struct fetch_opts	 o;
	struct fetch_req	 req;
	struct got		 g;
	char			*url;

	srv_start(&s);
	opts_test(&o);
	fetch_one(&s, &o, "/tofile", &g);
	ASSERT_INT_EQ(g.error, FETCH_ERR_REDIRECT);
	ASSERT_NOT_NULL(strstr(g.errmsg, "file:///etc/passwd"));
	ASSERT_INT_EQ(g.body_len, 0);
	got_free(&g);

	/* Not even for a feed that may itself be a file. */
	memset(&req, 0, sizeof req);
	url = srv_url(&s, "/tofile");
	req.url = url;
	req.allow_file = 1;
	run_fetch(&o, &req, &g, 1);
	free(url);
	ASSERT_INT_EQ(g.error, FETCH_ERR_REDIRECT);
	ASSERT_INT_EQ(g.body_len, 0);
	got_free(&g);
	srv_stop(&s);
	ASSERT_INT_EQ(srv_log_count(&s, "/tofile"), 2);
	srv_free(&s);
}

static void
test_fetch_file_feeds(void)
{
	struct fetch_opts	 o;
	struct fetch_req	 req;
	struct got		 g;
	char			*url, *abs;

	opts_test(&o);
	abs = realpath(test_data("fetch/feed.xml"), NULL);
	ASSERT_NOT_NULL(abs);
	url = xasprintf("file://%s", abs);
	free(abs);
	memset(&req, 0, sizeof req);
	req.url = url;
	run_fetch(&o, &req, &g, 1);
	ASSERT_INT_EQ(g.error, FETCH_ERR_SCHEME);
	got_free(&g);

	req.allow_file = 1;
	run_fetch(&o, &req, &g, 1);
	ASSERT_INT_EQ(g.error, FETCH_OK);
	ASSERT_INT_EQ(g.status, 200);
	ASSERT_NOT_NULL(strstr(g.body, "Local file feed"));
	got_free(&g);
	free(url);
}

static void
test_fetch_connection_refused(void)
{
	struct fetch_opts	 o;
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof sin;
	struct got		 g;
	char			*url;
	int			 fd;

	/* A port that was just free and is closed now. */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT(fd >= 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ASSERT_INT_EQ(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	ASSERT_INT_EQ(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	close(fd);
	url = xasprintf("http://127.0.0.1:%d/feed", ntohs(sin.sin_port));
	opts_test(&o);
	fetch_one(NULL, &o, url, &g);
	free(url);
	ASSERT_INT_EQ(g.error, FETCH_ERR_CONNECT);
	ASSERT_INT_EQ(g.status, 0);
	got_free(&g);
}

static void
test_fetch_unresolvable(void)
{
	struct fetch_opts	 o;
	struct got		 g;

	/* .invalid never resolves (RFC 6761); the timeout bounds a slow DNS. */
	opts_test(&o);
	o.timeout = 5;
	fetch_one(NULL, &o, "http://feedfold-test.invalid/feed.xml", &g);
	ASSERT(g.error == FETCH_ERR_RESOLVE || g.error == FETCH_ERR_TIMEOUT);
	ASSERT(g.errmsg[0] != '\0');
	got_free(&g);
}

static void
test_fetch_per_host_limit(void)
{
	struct srv		 s;
	struct fetch_opts	 o;
	struct fetch_req	 reqs[12];
	struct got		 g[12];
	char			*urls[12];
	int			 i;

	srv_start(&s);
	opts_test(&o);
	o.per_host = 2;
	o.concurrency = 8;
	memset(reqs, 0, sizeof reqs);
	for (i = 0; i < 12; i++) {
		urls[i] = srv_url(&s, "/hold?ms=150");
		reqs[i].url = urls[i];
	}
	run_fetch(&o, reqs, g, 12);
	for (i = 0; i < 12; i++) {
		ASSERT_INT_EQ(g[i].status, 200);
		got_free(&g[i]);
		free(urls[i]);
	}
	srv_stop(&s);
	ASSERT_INT_EQ(srv_log_count(&s, "/hold"), 12);
	/* Never more than per_host requests, or connections, at once. */
	ASSERT(srv_log_max(&s, 4) <= 2);
	ASSERT(srv_log_max(&s, 5) <= 2);
	srv_free(&s);
}

static void
test_fetch_global_limit(void)
{
	struct srv		 s;
	struct fetch_opts	 o;
	struct fetch_req	 reqs[12];
	struct got		 g[12];
	char			*urls[12];
	int			 i;

	/* Two host names for one server: per_host allows 4, the total 3. */
	srv_start(&s);
	opts_test(&o);
	o.per_host = 2;
	o.concurrency = 3;
	memset(reqs, 0, sizeof reqs);
	for (i = 0; i < 12; i++) {
		urls[i] = xasprintf("http://%s:%d/hold?ms=100",
		    i % 2 ? "127.0.0.1" : "localhost", s.port);
		reqs[i].url = urls[i];
	}
	run_fetch(&o, reqs, g, 12);
	for (i = 0; i < 12; i++) {
		ASSERT_INT_EQ(g[i].status, 200);
		got_free(&g[i]);
		free(urls[i]);
	}
	srv_stop(&s);
	ASSERT_INT_EQ(srv_log_count(&s, "/hold"), 12);
	ASSERT(srv_log_max(&s, 4) <= 3);
	srv_free(&s);
}

static void
cancel_done(struct fetch_result *r, void *arg)
{
	int	*n = arg;

	if (r->error == FETCH_ERR_CANCELLED)
		(*n)++;
}

static void
test_fetch_close_cancels(void)
{
	struct srv		 s;
	struct fetch_opts	 o;
	struct fetch_req	 req;
	struct fetcher		*f;
	struct run		 run;
	uv_loop_t		 loop;
	char			 err[256], *url;
	int			 i, cancelled = 0;

	srv_start(&s);
	opts_test(&o);
	o.per_host = 1;
	ASSERT_INT_EQ(uv_loop_init(&loop), 0);
	f = fetcher_new(&loop, &o, err, sizeof err);
	ASSERT_NOT_NULL(f);
	url = srv_url(&s, "/hold?ms=50");
	memset(&req, 0, sizeof req);
	req.url = url;
	for (i = 0; i < 3; i++)
		ASSERT_INT_EQ(fetcher_start(f, &req, cancel_done,
		    &cancelled), 0);
	req.url = "not a url";
	ASSERT_INT_EQ(fetcher_start(f, &req, cancel_done, &cancelled),
	    -EINVAL);
	memset(&run, 0, sizeof run);
	fetcher_close(f, run_closed, &run);
	ASSERT_INT_EQ(cancelled, 3);
	ASSERT_INT_EQ(uv_run(&loop, UV_RUN_DEFAULT), 0);
	ASSERT_INT_EQ(run.closed, 1);
	ASSERT_INT_EQ(uv_loop_close(&loop), 0);
	free(url);
	srv_free(&s);
}

static void
test_fetch_parse_dates(void)
{
	ASSERT_INT_EQ(fetch_parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT"),
	    1445412480);
	ASSERT_INT_EQ(fetch_parse_http_date(
	    "Wednesday, 21-Oct-15 07:28:00 GMT"), 1445412480);
	ASSERT_INT_EQ(fetch_parse_http_date("Wed Oct 21 07:28:00 2015"),
	    1445412480);
	ASSERT_INT_EQ(fetch_parse_http_date("soon"), -1);
	ASSERT_INT_EQ(fetch_parse_http_date(""), -1);
	ASSERT_INT_EQ(fetch_parse_retry_after("120", 0), 120);
	ASSERT_INT_EQ(fetch_parse_retry_after(" 0 ", 0), 0);
	ASSERT_INT_EQ(fetch_parse_retry_after("12x", 0), -1);
	ASSERT_INT_EQ(fetch_parse_retry_after("-5", 0), -1);
	ASSERT(fetch_parse_retry_after("99999999999999999999999", 0) > 0);
	ASSERT_INT_EQ(fetch_parse_retry_after(
	    "Wed, 21 Oct 2015 07:30:00 GMT", 1445412480), 120);
	/* A date in the past: retry now. */
	ASSERT_INT_EQ(fetch_parse_retry_after(
	    "Wed, 21 Oct 2015 07:00:00 GMT", 1445412480), 0);
}

/* ---- a simulated day against the real server -------------------------- */

/*
 * The politeness test of issue 6: 50 feeds on one host for a simulated
 * day. The fetcher and the server are real; only the clock is simulated:
 * whenever nothing is in flight, time jumps to the next due feed. The
 * schedule decides, the fetcher fetches, schedule_apply() records.
 */
#define DAY_FEEDS	50
#define DAY_START	1700000000LL
#define DAY_END		(DAY_START + 86400)

struct day;

struct day_slot {
	struct day	*d;
	uint32_t	 id;
};

struct day {
	struct fetcher		*f;
	struct state		*st;
	struct schedule_heap	*heap;
	struct schedule_params	 p;
	uint64_t		 seed;
	int64_t			 now;		/* simulated */
	size_t			 inflight;
	struct day_slot		 slots[DAY_FEEDS];
	int64_t			 last[DAY_FEEDS];
	int64_t			 min_gap[DAY_FEEDS];
	int			 requests[DAY_FEEDS];
	int64_t			 fails[16];	/* sim times of 500s */
	int			 nfails;
	int			 too_soon;
	int64_t			 gap429;	/* shortest, after a 429 */
	int			 start_errors;
	int			 transport_errors;
	int			 total;
	int			 first_burst[300];
};

static void	day_done(struct fetch_result *, void *);

static void
day_advance(struct day *d)
{
	struct state_feed	*sf;
	struct fetch_req	 req;
	int64_t			 due;
	uint32_t		 id;

	if (schedule_heap_peek(d->heap, &id, &due) != 0 || due >= DAY_END) {
		fetcher_close(d->f, NULL, NULL);
		return;
	}
	d->now = due;
	while (schedule_heap_pop_due(d->heap, d->now, &id) == 0) {
		sf = state_feed_at(d->st, id);
		if (d->requests[id] > 0 &&
		    d->now - d->last[id] < d->min_gap[id])
			d->too_soon++;
		if (id == DAY_FEEDS - 5 && d->requests[id] > 0 &&
		    (d->gap429 == 0 || d->now - d->last[id] < d->gap429))
			d->gap429 = d->now - d->last[id];
		if (d->requests[id] == 0 && d->now - DAY_START < 300)
			d->first_burst[d->now - DAY_START]++;
		d->requests[id]++;
		d->last[id] = d->now;
		d->total++;
		memset(&req, 0, sizeof req);
		req.url = sf->url;
		req.etag = sf->etag;
		req.last_modified = sf->last_modified;
		if (fetcher_start(d->f, &req, day_done, &d->slots[id]) != 0)
			d->start_errors++;
		else
			d->inflight++;
	}
}

static void
day_done(struct fetch_result *r, void *arg)
{
	struct day_slot		*slot = arg;
	struct day		*d = slot->d;
	struct state_feed	*sf = state_feed_at(d->st, slot->id);
	struct schedule_outcome	 o;

	if (r->error != FETCH_OK)
		d->transport_errors++;
	schedule_outcome_from_fetch(&o, r);
	if (r->status == 500 && d->nfails < 16)
		d->fails[d->nfails++] = d->now;
	/*
	 * The /429 feed is configured for every 30 s, so that its
	 * Retry-After: 120 (not the back-off) is what holds it.
	 */
	schedule_apply(sf, &o, d->now, slot->id == DAY_FEEDS - 5 ? 30 : -1,
	    &d->p, &d->seed);
	/* What the next request must respect. */
	d->min_gap[slot->id] = sf->next_due - d->now;
	schedule_heap_set(d->heap, slot->id, sf->next_due);
	if (--d->inflight == 0)
		day_advance(d);
}

static void
test_fetch_polite_day(void)
{
	static const char *special[] = {
		"/429", "/500", "/gone", "/r301", "/r302",
	};
	struct srv		 s;
	struct fetch_opts	 o;
	struct day		*d;
	struct state_feed	*sf;
	uv_loop_t		 loop;
	char			 err[256], *url, *v, path[64];
	int			 i, n, max_burst = 0, nth;

	srv_start_n(&s, 5000);
	opts_test(&o);
	o.per_host = 2;
	d = xcalloc(1, sizeof *d);
	schedule_params_default(&d->p);
	d->seed = 99;
	d->now = DAY_START;
	d->st = state_new();
	d->heap = schedule_heap_new();
	for (i = 0; i < DAY_FEEDS; i++) {
		if (i < DAY_FEEDS - 5) {
			snprintf(path, sizeof path, "/feed/f%d", i);
			url = srv_url(&s, path);
		} else
			url = srv_url(&s, special[i - (DAY_FEEDS - 5)]);
		sf = state_feed_add(d->st, url);
		free(url);
		d->slots[i].d = d;
		d->slots[i].id = sf->id;
		schedule_heap_set(d->heap, sf->id,
		    schedule_initial_due(sf, d->now, &d->p, &d->seed));
	}
	ASSERT_INT_EQ(uv_loop_init(&loop), 0);
	d->f = fetcher_new(&loop, &o, err, sizeof err);
	ASSERT_NOT_NULL(d->f);
	day_advance(d);
	ASSERT_INT_EQ(uv_run(&loop, UV_RUN_DEFAULT), 0);
	ASSERT_INT_EQ(uv_loop_close(&loop), 0);
	srv_stop(&s);

	for (i = 0; i < 300; i++)
		max_burst = d->first_burst[i] > max_burst ?
		    d->first_burst[i] : max_burst;
	printf("# polite day: %d requests for %d feeds over 24 simulated "
	    "hours; at most %d new feeds in one second; at most %d "
	    "requests and %d connections at once\n", d->total, DAY_FEEDS,
	    max_burst, srv_log_max(&s, 4), srv_log_max(&s, 5));
	ASSERT_INT_EQ(d->start_errors, 0);
	ASSERT_INT_EQ(d->transport_errors, 0);
	ASSERT_INT_EQ(d->too_soon, 0);
	/* The first cycle is spread over first_spread, not a burst. */
	ASSERT(max_burst <= 4);
	/* The host never sees more than per_host at once. */
	ASSERT(srv_log_max(&s, 4) <= 2);
	ASSERT(srv_log_max(&s, 5) <= 2);
	/* Every request after a feed's first carries its validators. */
	for (i = 0; i < DAY_FEEDS - 5; i++) {
		n = d->requests[i];
		ASSERT(n >= 2);
		for (nth = 1; nth < n; nth++) {
			char	 want[32];

			/* The tab makes f1 not match f10. */
			snprintf(path, sizeof path, "/feed/f%d\t", i);
			v = srv_log_field(&s, path, nth, 2);
			snprintf(want, sizeof want, "\"v1-f%d\"", i);
			ASSERT_STR_EQ(v, want);
			free(v);
		}
	}
	/* 410 retires; 301 moves the feed; 302 does not. */
	ASSERT_INT_EQ(srv_log_count(&s, "/gone"), 1);
	ASSERT_INT_EQ(state_feed_at(d->st, DAY_FEEDS - 3)->retired, 1);
	ASSERT_INT_EQ(srv_log_count(&s, "/r301"), 1);
	v = srv_url(&s, "/feed/moved");
	ASSERT_STR_EQ(state_feed_at(d->st, DAY_FEEDS - 2)->url, v);
	free(v);
	ASSERT_INT_EQ(srv_log_count(&s, "/r302"), d->requests[DAY_FEEDS - 1]);
	ASSERT(d->requests[DAY_FEEDS - 1] >= 2);
	/* 500s: each wait at least about twice the one before, to the cap. */
	ASSERT(d->nfails >= 4);
	for (i = 2; i < d->nfails; i++) {
		int64_t	 a = d->fails[i - 1] - d->fails[i - 2];
		int64_t	 b = d->fails[i] - d->fails[i - 1];

		ASSERT(b >= a * 20 / 11 || b >= d->p.max_interval);
	}
	/* 429 with Retry-After: 120: never asked again sooner. */
	ASSERT(d->requests[DAY_FEEDS - 5] >= 3);
	ASSERT(d->gap429 >= 120);
	ASSERT(d->gap429 <= 132);	/* the first wait: 120 s + jitter */
	/* A restart keeps the move, the retirement and the validators. */
	{
		struct state	*st2;
		struct errbuf	 e;
		char		*spath;

		spath = xasprintf("%s/%s", s.dir, STATE_FILE);
		ASSERT_INT_EQ(state_save(d->st, spath, &e), 0);
		st2 = state_new();
		ASSERT_INT_EQ(state_load(st2, spath, &e), 0);
		sf = state_feed_get(st2, state_feed_at(d->st,
		    DAY_FEEDS - 2)->key);
		v = srv_url(&s, "/feed/moved");
		ASSERT_STR_EQ(sf->url, v);
		free(v);
		sf = state_feed_get(st2, state_feed_at(d->st,
		    DAY_FEEDS - 1)->key);
		ASSERT_STR_EQ(sf->url, sf->key);
		ASSERT_INT_EQ(state_feed_get(st2, state_feed_at(d->st,
		    DAY_FEEDS - 3)->key)->retired, 1);
		ASSERT_STR_EQ(state_feed_get(st2, state_feed_at(d->st,
		    0)->key)->etag, "\"v1-f0\"");
		state_free(st2);
		free(spath);
	}
	state_free(d->st);
	schedule_heap_free(d->heap);
	free(d);
	srv_free(&s);
}

static void
test_fetch_opts_from_config(void)
{
	struct config		*c;
	struct fetch_opts	 o;

	c = config_default("/tmp");
	ASSERT_NOT_NULL(c);
	c->timeout = 90;
	c->max_body = 1024;
	c->per_host = 3;
	fetch_opts_from_config(&o, c);
	ASSERT_STR_EQ(o.user_agent, c->user_agent);
	ASSERT_INT_EQ(o.timeout, 90);
	ASSERT_INT_EQ(o.low_speed_time, 30);
	ASSERT_INT_EQ(o.max_body, 1024);
	ASSERT_INT_EQ(o.concurrency, 32);
	ASSERT_INT_EQ(o.per_host, 3);
	config_free(c);
}

/*
 * 50,000 feeds due at once (a first run) wait in the queue: measure what
 * a waiting request costs, then cancel them all.
 */
static void
test_fetch_queue_memory(void)
{
	struct fetch_opts	 o;
	struct fetch_req	 req;
	struct fetcher		*f;
	struct mallinfo2	 m0, m1;
	uv_loop_t		 loop;
	char			 err[256], url[128];
	int			 i, n = 50000, cancelled = 0;
	double			 per;

	opts_test(&o);
	ASSERT_INT_EQ(uv_loop_init(&loop), 0);
	f = fetcher_new(&loop, &o, err, sizeof err);
	ASSERT_NOT_NULL(f);
	memset(&req, 0, sizeof req);
	m0 = mallinfo2();
	for (i = 0; i < n; i++) {
		/* 500 hosts, 100 feeds each, all with validators. */
		snprintf(url, sizeof url, "http://host%d.invalid/news/feed-%d"
		    ".xml", i % 500, i);
		req.url = url;
		req.etag = "\"5f2b8c1e-1a2b3c\"";
		req.last_modified = "Wed, 21 Oct 2015 07:28:00 GMT";
		ASSERT_INT_EQ(fetcher_start(f, &req, cancel_done, &cancelled),
		    0);
	}
	m1 = mallinfo2();
	per = (double)(m1.uordblks - m0.uordblks) / n;
	printf("# fetch queue: %d waiting requests, %.0f bytes each\n", n,
	    per);
	ASSERT_INT_EQ(fetcher_pending(f), n);
	fetcher_close(f, NULL, NULL);
	ASSERT_INT_EQ(cancelled, n);
	ASSERT_INT_EQ(uv_run(&loop, UV_RUN_DEFAULT), 0);
	ASSERT_INT_EQ(uv_loop_close(&loop), 0);
	/* mallinfo2 sees nothing under ASan: only check a real count. */
	if (m1.uordblks > m0.uordblks)
		ASSERT(per < 1024);
}

/* Which addresses count as public, on both families and IPv4 in IPv6. */
static void
test_fetch_addr_public(void)
{
	static const struct {
		const char	*ip;
		int		 public;
	} cases[] = {
		{ "93.184.216.34", 1 }, { "8.8.8.8", 1 }, { "1.1.1.1", 1 },
		{ "100.63.255.255", 1 }, { "100.128.0.0", 1 },
		{ "172.15.255.255", 1 }, { "172.32.0.0", 1 },
		{ "192.169.0.1", 1 }, { "198.20.0.1", 1 },
		{ "223.255.255.255", 1 },
		{ "0.0.0.0", 0 }, { "0.1.2.3", 0 }, { "10.1.2.3", 0 },
		{ "100.64.0.1", 0 }, { "100.127.255.255", 0 },
		{ "127.0.0.1", 0 }, { "127.255.255.254", 0 },
		{ "169.254.169.254", 0 }, { "172.16.0.1", 0 },
		{ "172.31.255.255", 0 }, { "192.0.0.8", 0 },
		{ "192.0.2.1", 0 }, { "192.168.1.1", 0 }, { "198.18.0.1", 0 },
		{ "198.19.255.255", 0 }, { "198.51.100.7", 0 },
		{ "203.0.113.9", 0 }, { "224.0.0.1", 0 }, { "239.1.2.3", 0 },
		{ "240.0.0.1", 0 }, { "255.255.255.255", 0 },
		{ "2606:4700:4700::1111", 1 }, { "2001:4860:4860::8888", 1 },
		{ "2002:5db8:d822::1", 1 }, { "64:ff9b::808:808", 1 },
		{ "::ffff:8.8.8.8", 1 },
		{ "::", 0 }, { "::1", 0 }, { "::ffff:127.0.0.1", 0 },
		{ "::ffff:169.254.169.254", 0 }, { "::ffff:10.0.0.1", 0 },
		{ "64:ff9b::a00:1", 0 }, { "::10.0.0.1", 0 },
		{ "fc00::1", 0 }, { "fd12:3456::1", 0 }, { "fe80::1", 0 },
		{ "febf::1", 0 }, { "fec0::1", 0 }, { "ff02::1", 0 },
		{ "2001:db8::1", 0 }, { "100::1", 0 },
		{ "2002:7f00:1::1", 0 }, { "2002:c0a8:101::1", 0 },
	};
	struct sockaddr_in	 in4;
	struct sockaddr_in6	 in6;
	struct sockaddr		 other;
	size_t			 i;
	int			 got;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		memset(&in4, 0, sizeof in4);
		memset(&in6, 0, sizeof in6);
		in4.sin_family = AF_INET;
		in6.sin6_family = AF_INET6;
		if (inet_pton(AF_INET, cases[i].ip, &in4.sin_addr) == 1)
			got = fetch_addr_public((struct sockaddr *)&in4);
		else {
			ASSERT_INT_EQ(inet_pton(AF_INET6, cases[i].ip,
			    &in6.sin6_addr), 1);
			got = fetch_addr_public((struct sockaddr *)&in6);
		}
		if (got != cases[i].public)
			test_fail(__FILE__, __LINE__, "%s: public %d, want %d\n",
			    cases[i].ip, got, cases[i].public);
	}
	memset(&other, 0, sizeof other);
	other.sa_family = AF_UNIX;
	ASSERT_INT_EQ(fetch_addr_public(&other), 0);
}

/*
 * public_only: the test server is on loopback, so no request reaches it;
 * not on a new connection, and not on one curl would reuse from a
 * transfer without the flag (the second request waits for the first's
 * connection: per_host 1).
 */
static void
test_fetch_public_only(void)
{
	struct srv		 s;
	struct fetch_opts	 o;
	struct fetch_req	 reqs[2];
	struct got		 g[2];
	char			*url, *url2;

	srv_start(&s);
	opts_test(&o);
	url = srv_url(&s, "/feed/private1");
	memset(reqs, 0, sizeof reqs);
	reqs[0].url = url;
	reqs[0].public_only = 1;
	run_fetch(&o, reqs, g, 1);
	ASSERT_INT_EQ(g[0].error, FETCH_ERR_CONNECT);
	ASSERT_INT_EQ(g[0].status, 0);
	ASSERT_NOT_NULL(strstr(g[0].errmsg, "127.0.0.1 is not a public "
	    "address"));
	got_free(&g[0]);

	o.per_host = 1;
	url2 = srv_url(&s, "/feed/private2");
	memset(reqs, 0, sizeof reqs);
	reqs[0].url = url2;
	reqs[1].url = url2;
	reqs[1].public_only = 1;
	run_fetch(&o, reqs, g, 2);
	ASSERT_INT_EQ(g[0].status, 200);
	ASSERT_INT_EQ(g[1].error, FETCH_ERR_CONNECT);
	ASSERT_NOT_NULL(strstr(g[1].errmsg, "not a public address"));
	got_free(&g[0]);
	got_free(&g[1]);
	srv_stop(&s);
	ASSERT_INT_EQ(srv_log_count(&s, "/feed/private1"), 0);
	ASSERT_INT_EQ(srv_log_count(&s, "/feed/private2"), 1);
	srv_free(&s);
	free(url);
	free(url2);
}

static const struct test_case cases[] = {
	TEST(test_fetch_opts_from_config),
	TEST(test_fetch_parse_dates),
	TEST(test_fetch_validators_then_304),
	TEST(test_fetch_gzip_deflate),
	TEST(test_fetch_brotli),
	TEST(test_fetch_redirects),
	TEST(test_fetch_statuses),
	TEST(test_fetch_slow_times_out),
	TEST(test_fetch_max_body),
	TEST(test_fetch_redirect_to_file_refused),
	TEST(test_fetch_file_feeds),
	TEST(test_fetch_connection_refused),
	TEST(test_fetch_unresolvable),
	TEST(test_fetch_addr_public),
	TEST(test_fetch_public_only),
	TEST(test_fetch_per_host_limit),
	TEST(test_fetch_global_limit),
	TEST(test_fetch_close_cancels),
	TEST(test_fetch_queue_memory),
	TEST(test_fetch_polite_day),
};

int
main(void)
{
	/* A server that died must not kill us with SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	return TEST_MAIN(cases);
}
