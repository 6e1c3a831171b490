/*
 * metrics.c: the Prometheus text format and its atomic file (metrics.h).
 *
 * The format is https://prometheus.io/docs/instrumenting/exposition_formats/
 * (text, version 0.0.4): per family a HELP and a TYPE line, then one
 * sample per line. Every labelled series is written even when it is zero,
 * so that rate() and absent() see a series from the first write on.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fetch.h"
#include "log.h"
#include "metrics.h"
#include "xmalloc.h"

static const char *metrics_fetch_names[METRICS_FETCH_NKINDS] = {
	[METRICS_FETCH_OK] = "ok",
	[METRICS_FETCH_NOT_MODIFIED] = "not_modified",
	[METRICS_FETCH_HTTP_4XX] = "http_4xx",
	[METRICS_FETCH_HTTP_5XX] = "http_5xx",
	[METRICS_FETCH_HTTP_OTHER] = "http_other",
	[METRICS_FETCH_RESOLVE] = "resolve",
	[METRICS_FETCH_CONNECT] = "connect",
	[METRICS_FETCH_TIMEOUT] = "timeout",
	[METRICS_FETCH_TOO_BIG] = "too_big",
	[METRICS_FETCH_REDIRECT] = "redirect",
	[METRICS_FETCH_SCHEME] = "scheme",
	[METRICS_FETCH_TLS] = "tls",
	[METRICS_FETCH_NETWORK] = "network",
	[METRICS_FETCH_CANCELLED] = "cancelled",
	[METRICS_FETCH_OTHER] = "other",
};

/* The le labels, spelled as Prometheus clients spell them. */
static const char *metrics_duration_le[METRICS_DURATION_NBOUNDS + 1] = {
	"0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "30", "60", "+Inf",
};

void
metrics_init(struct metrics *m)
{
	memset(m, 0, sizeof *m);
	m->max_feeds = METRICS_DEFAULT_MAX_FEEDS;
}

enum metrics_fetch
metrics_fetch_kind(int fetch_error, long status, int not_modified)
{
	switch ((enum fetch_error)fetch_error) {
	case FETCH_OK:
		break;
	case FETCH_ERR_RESOLVE:		return METRICS_FETCH_RESOLVE;
	case FETCH_ERR_CONNECT:		return METRICS_FETCH_CONNECT;
	case FETCH_ERR_TIMEOUT:		return METRICS_FETCH_TIMEOUT;
	case FETCH_ERR_TOOBIG:		return METRICS_FETCH_TOO_BIG;
	case FETCH_ERR_REDIRECT:	return METRICS_FETCH_REDIRECT;
	case FETCH_ERR_SCHEME:		return METRICS_FETCH_SCHEME;
	case FETCH_ERR_TLS:		return METRICS_FETCH_TLS;
	case FETCH_ERR_NETWORK:		return METRICS_FETCH_NETWORK;
	case FETCH_ERR_CANCELLED:	return METRICS_FETCH_CANCELLED;
	case FETCH_ERR_OTHER:
	default:			return METRICS_FETCH_OTHER;
	}
	if (not_modified || status == 304)
		return METRICS_FETCH_NOT_MODIFIED;
	/* file:// transfers have no HTTP status; a body is a success. */
	if ((status >= 200 && status < 300) || status == 0)
		return METRICS_FETCH_OK;
	if (status >= 400 && status < 500)
		return METRICS_FETCH_HTTP_4XX;
	if (status >= 500 && status < 600)
		return METRICS_FETCH_HTTP_5XX;
	return METRICS_FETCH_HTTP_OTHER;
}

const char *
metrics_fetch_name(enum metrics_fetch k)
{
	if ((unsigned)k >= METRICS_FETCH_NKINDS)
		return "other";
	return metrics_fetch_names[k];
}

void
metrics_count_fetch(struct metrics *m, enum metrics_fetch k, double seconds,
    uint64_t bytes)
{
	static const double	 bounds[] = METRICS_DURATION_BOUNDS;
	size_t			 i;

	if ((unsigned)k >= METRICS_FETCH_NKINDS)
		k = METRICS_FETCH_OTHER;
	m->fetches[k]++;
	m->bytes += bytes;
	/* A clock step can make a duration negative; count it as zero. */
	if (!(seconds >= 0))
		seconds = 0;
	for (i = 0; i < METRICS_DURATION_NBOUNDS; i++)
		if (seconds <= bounds[i])
			break;
	m->duration[i]++;
	m->duration_sum += seconds;
}

/* ---- the text format ----------------------------------------------------- */

static void
metrics_family(struct buf *out, const char *name, const char *type,
    const char *help)
{
	buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A label value, escaped as the format says: \\, \" and \n. */
static void
metrics_label_value(struct buf *out, const char *v)
{
	for (; *v != '\0'; v++) {
		switch (*v) {
		case '\\':
			buf_adds(out, "\\\\");
			break;
		case '"':
			buf_adds(out, "\\\"");
			break;
		case '\n':
			buf_adds(out, "\\n");
			break;
		default:
			buf_addc(out, *v);
		}
	}
}

static void
metrics_u64(struct buf *out, const char *name, uint64_t v)
{
	buf_printf(out, "%s %" PRIu64 "\n", name, v);
}

static void
metrics_labelled(struct buf *out, const char *name, const char *label,
    const char *value, int64_t v)
{
	buf_printf(out, "%s{%s=\"", name, label);
	metrics_label_value(out, value);
	buf_printf(out, "\"} %" PRId64 "\n", v);
}

static void
metrics_counter(struct buf *out, const char *name, const char *help,
    uint64_t v)
{
	metrics_family(out, name, "counter", help);
	metrics_u64(out, name, v);
}

static void
metrics_format_histogram(const struct metrics *m, struct buf *out)
{
	uint64_t	 cum = 0;
	size_t		 i;

	metrics_family(out, "feedfold_fetch_duration_seconds", "histogram",
	    "Time of one feed transfer, from its start in curl to its end "
	    "(time queued for a connection slot excluded).");
	for (i = 0; i <= METRICS_DURATION_NBOUNDS; i++) {
		cum += m->duration[i];
		buf_printf(out, "feedfold_fetch_duration_seconds_bucket"
		    "{le=\"%s\"} %" PRIu64 "\n", metrics_duration_le[i], cum);
	}
	/* %.15g: exact for the small sums of tests, µs for years of them. */
	buf_printf(out, "feedfold_fetch_duration_seconds_sum %.15g\n",
	    m->duration_sum);
	metrics_u64(out, "feedfold_fetch_duration_seconds_count", cum);
}

static void
metrics_format_feeds(const struct metrics *m, struct buf *out)
{
	const struct metrics_feed	*f;
	size_t				 i, n;

	n = m->nfeeds < m->max_feeds ? m->nfeeds : m->max_feeds;
	metrics_family(out, "feedfold_feed_series_omitted", "gauge",
	    "Feeds left out of the feedfold_feed_* series because there are "
	    "more than the per-feed limit.");
	metrics_u64(out, "feedfold_feed_series_omitted", m->nfeeds - n);
	if (n == 0)
		return;

	metrics_family(out, "feedfold_feed_last_status", "gauge",
	    "HTTP status of the feed's last fetch; 0 when it got no HTTP "
	    "response.");
	for (i = 0; i < n; i++) {
		f = &m->feeds[i];
		metrics_labelled(out, "feedfold_feed_last_status", "feed",
		    f->url, f->last_status > 0 ? f->last_status : 0);
	}
	metrics_family(out, "feedfold_feed_last_success_timestamp_seconds",
	    "gauge", "Unix time of the feed's last successful fetch (2xx or "
	    "304); 0 if it never succeeded.");
	for (i = 0; i < n; i++) {
		f = &m->feeds[i];
		metrics_labelled(out,
		    "feedfold_feed_last_success_timestamp_seconds", "feed",
		    f->url, f->last_success > 0 ? f->last_success : 0);
	}
	metrics_family(out, "feedfold_feed_error_streak", "gauge",
	    "Failed fetches of the feed in a row.");
	for (i = 0; i < n; i++) {
		f = &m->feeds[i];
		metrics_labelled(out, "feedfold_feed_error_streak", "feed",
		    f->url, f->error_streak > 0 ? f->error_streak : 0);
	}
}

void
metrics_format(const struct metrics *m, struct buf *out)
{
	size_t	 i;

	metrics_family(out, "feedfold_fetches_total", "counter",
	    "Feed transfers by result: HTTP class, or the transport error.");
	for (i = 0; i < METRICS_FETCH_NKINDS; i++)
		metrics_labelled(out, "feedfold_fetches_total", "result",
		    metrics_fetch_names[i], (int64_t)m->fetches[i]);
	metrics_counter(out, "feedfold_received_bytes_total",
	    "Feed body bytes received, after decompression.", m->bytes);
	metrics_counter(out, "feedfold_entries_seen_total",
	    "Entries parsed from feed bodies, known or not.",
	    m->entries_seen);
	metrics_counter(out, "feedfold_entries_new_total",
	    "Entries not seen before.", m->entries_new);
	metrics_counter(out, "feedfold_stories_new_total",
	    "Stories started: record files written for the first time.",
	    m->stories_new);
	metrics_counter(out, "feedfold_stories_updated_total",
	    "Stories whose record was rewritten with new coverage.",
	    m->stories_updated);
	metrics_format_histogram(m, out);

	metrics_family(out, "feedfold_feeds", "gauge",
	    "Configured feeds by health: ok, failing (last fetch failed), "
	    "retired (410 Gone).");
	metrics_labelled(out, "feedfold_feeds", "health", "ok",
	    (int64_t)m->feeds_ok);
	metrics_labelled(out, "feedfold_feeds", "health", "failing",
	    (int64_t)m->feeds_failing);
	metrics_labelled(out, "feedfold_feeds", "health", "retired",
	    (int64_t)m->feeds_retired);
	if (m->start_time > 0) {
		metrics_family(out, "feedfold_start_time_seconds", "gauge",
		    "Unix time the feedfold process started.");
		buf_printf(out, "feedfold_start_time_seconds %" PRId64 "\n",
		    m->start_time);
	}
	metrics_format_feeds(m, out);
}

/* ---- the file ------------------------------------------------------------ */

int
metrics_write(const struct metrics *m, const char *path, struct errbuf *err)
{
	struct buf	 text;
	char		*tmp;
	const char	*p;
	size_t		 left;
	ssize_t		 w;
	int		 fd, rc = 0;

	buf_init(&text, BUF_NOMAX);
	metrics_format(m, &text);
	tmp = xasprintf("%s.tmp.XXXXXX", path);
	if ((fd = mkstemp(tmp)) == -1) {
		rc = -errno;
		errbuf_set(err, "%s: cannot create a temporary file next to "
		    "it: %s", path, strerror(errno));
		goto out;
	}
	for (p = buf_str(&text), left = text.len; left > 0; p += w, left -= w) {
		if ((w = write(fd, p, left)) == -1) {
			if (errno == EINTR) {
				w = 0;
				continue;
			}
			rc = -errno;
			errbuf_set(err, "%s: write: %s", tmp, strerror(errno));
			goto fail;
		}
	}
	/* mkstemp() made it 0600; the collector runs as another user. */
	if (fchmod(fd, 0644) == -1 || fsync(fd) == -1) {
		rc = -errno;
		errbuf_set(err, "%s: %s", tmp, strerror(errno));
		goto fail;
	}
	if (close(fd) == -1) {
		fd = -1;
		rc = -errno;
		errbuf_set(err, "%s: close: %s", tmp, strerror(errno));
		goto fail;
	}
	fd = -1;
	/*
	 * No fsync of the folder: if a crash loses the rename, the
	 * collector reads the previous complete file, and the next write
	 * is seconds away. The file is never half written, which is what
	 * matters.
	 */
	if (rename(tmp, path) == -1) {
		rc = -errno;
		errbuf_set(err, "%s: cannot rename into place: %s", path,
		    strerror(errno));
		goto fail;
	}
	goto out;

fail:
	if (fd != -1)
		close(fd);
	unlink(tmp);
out:
	free(tmp);
	buf_free(&text);
	return rc;
}

/* ---- the periodic writer ------------------------------------------------- */

struct metrics_writer {
	uv_timer_t		 timer;
	struct metrics		*m;
	char			*path;
	metrics_refresh_cb	*refresh;
	void			*arg;
	uint64_t		 writes;
	int			 failing;	/* the last write failed */
};

int
metrics_writer_flush(struct metrics_writer *mw)
{
	struct errbuf	 err;
	int		 rc;

	if (mw->refresh != NULL)
		mw->refresh(mw->m, mw->arg);
	if ((rc = metrics_write(mw->m, mw->path, &err)) != 0) {
		/* Every few seconds for as long as it lasts: say it once. */
		if (!mw->failing)
			log_error("metrics", "%s", err.msg);
		mw->failing = 1;
		return rc;
	}
	if (mw->failing)
		log_notice("metrics", "%s: written again", mw->path);
	mw->failing = 0;
	mw->writes++;
	return 0;
}

static void
metrics_writer_cb(uv_timer_t *t)
{
	metrics_writer_flush(t->data);
}

struct metrics_writer *
metrics_writer_new(uv_loop_t *loop, struct metrics *m, const char *path,
    uint64_t interval_ms, metrics_refresh_cb *refresh, void *arg)
{
	struct metrics_writer	*mw;
	int			 rc;

	mw = xcalloc(1, sizeof *mw);
	if ((rc = uv_timer_init(loop, &mw->timer)) != 0) {
		log_error("metrics", "uv_timer_init: %s", uv_strerror(rc));
		free(mw);
		return NULL;
	}
	mw->timer.data = mw;
	mw->m = m;
	mw->path = xstrdup(path);
	mw->refresh = refresh;
	mw->arg = arg;
	if (interval_ms == 0)
		interval_ms = 1;
	if ((rc = uv_timer_start(&mw->timer, metrics_writer_cb, interval_ms,
	    interval_ms)) != 0) {
		log_error("metrics", "uv_timer_start: %s", uv_strerror(rc));
		mw->m = NULL;
		metrics_writer_close(mw);
		return NULL;
	}
	uv_unref((uv_handle_t *)&mw->timer);
	return mw;
}

uint64_t
metrics_writer_count(const struct metrics_writer *mw)
{
	return mw->writes;
}

static void
metrics_writer_closed(uv_handle_t *h)
{
	struct metrics_writer	*mw = h->data;

	free(mw->path);
	free(mw);
}

void
metrics_writer_close(struct metrics_writer *mw)
{
	if (mw == NULL)
		return;
	/* The last counts of a clean stop are worth a file. */
	if (mw->m != NULL)
		metrics_writer_flush(mw);
	uv_close((uv_handle_t *)&mw->timer, metrics_writer_closed);
}
