/*
 * metrics.h: feedfold's counters as a Prometheus text file.
 *
 * The pipeline keeps a struct metrics (plain counters and gauges, no
 * locking: everything happens on the loop) and hands it to
 * metrics_write(), which renders the Prometheus text exposition format
 * (version 0.0.4) and replaces metrics_file atomically, for
 * node_exporter's textfile collector to pick up. Every name starts with
 * feedfold_; docs/service.md lists them.
 *
 * Cardinality is bounded: the aggregate series are a fixed set, and the
 * per-feed series (one label, the feed's configured URL) are written for
 * at most max_feeds feeds, the first ones in the order given (the config's
 * order), so that the set of series is the same from one write to the next
 * and does not churn as feeds fail and recover. The feeds left out are
 * counted in feedfold_feed_series_omitted; the aggregate gauges and
 * `feedfold status` still cover every feed.
 */
#ifndef FEEDFOLD_METRICS_H
#define FEEDFOLD_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "buf.h"
#include "errbuf.h"

/* Per-feed series for this many feeds unless the caller says otherwise. */
#define METRICS_DEFAULT_MAX_FEEDS	100

/* The result label of feedfold_fetches_total; see metrics_fetch_name(). */
enum metrics_fetch {
	METRICS_FETCH_OK,		/* 2xx with a body */
	METRICS_FETCH_NOT_MODIFIED,	/* 304 */
	METRICS_FETCH_HTTP_4XX,
	METRICS_FETCH_HTTP_5XX,
	METRICS_FETCH_HTTP_OTHER,	/* 1xx, an unfollowed 3xx, >= 600 */
	METRICS_FETCH_RESOLVE,		/* the transport errors of fetch.h */
	METRICS_FETCH_CONNECT,
	METRICS_FETCH_TIMEOUT,
	METRICS_FETCH_TOO_BIG,
	METRICS_FETCH_REDIRECT,
	METRICS_FETCH_SCHEME,
	METRICS_FETCH_TLS,
	METRICS_FETCH_NETWORK,
	METRICS_FETCH_CANCELLED,
	METRICS_FETCH_OTHER,
};
#define METRICS_FETCH_NKINDS	(METRICS_FETCH_OTHER + 1)

/*
 * Upper bounds of the fetch duration histogram, in seconds; one more
 * bucket, +Inf, holds the rest. From a fast local 304 to the 30 s default
 * timeout, and beyond for those who raise it.
 */
#define METRICS_DURATION_BOUNDS \
	{ 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60 }
#define METRICS_DURATION_NBOUNDS	10

/* One feed's series; the strings stay the caller's. */
struct metrics_feed {
	const char	*url;		/* the feed label: its configured URL */
	int		 last_status;	/* HTTP status of the last fetch; 0 or
					   negative (as in state.h): no HTTP
					   response, written as 0 */
	int64_t		 last_success;	/* Unix s of the last 2xx or 304; 0:
					   never */
	int		 error_streak;	/* failed fetches in a row */
};

struct metrics {
	/* Counters, since the process started. */
	uint64_t	 fetches[METRICS_FETCH_NKINDS];
	uint64_t	 bytes;		/* body bytes received, decompressed */
	uint64_t	 entries_seen;	/* entries parsed, known or not */
	uint64_t	 entries_new;
	uint64_t	 stories_new;
	uint64_t	 stories_updated;
	/*
	 * Fetch durations, one count per bucket (not cumulative: the writer
	 * sums them); the last is +Inf. metrics_count_fetch() fills them.
	 */
	uint64_t	 duration[METRICS_DURATION_NBOUNDS + 1];
	double		 duration_sum;	/* seconds */

	/* Gauges, as of now. */
	uint64_t	 feeds_ok;
	uint64_t	 feeds_failing;
	uint64_t	 feeds_retired;
	int64_t		 start_time;	/* Unix s the process started; 0: omit */

	/* Per-feed series: the first max_feeds of feeds[0..nfeeds). */
	const struct metrics_feed *feeds;
	size_t		 nfeeds;
	size_t		 max_feeds;
};

/* Zero everything; max_feeds = METRICS_DEFAULT_MAX_FEEDS. */
void		 metrics_init(struct metrics *);

/*
 * The result of one transfer, from fetch.h's enum fetch_error (as an int,
 * so that this header does not need curl's), the final HTTP status and the
 * 304 flag.
 */
enum metrics_fetch metrics_fetch_kind(int fetch_error, long status,
		     int not_modified);
/* The label value: "ok", "not_modified", "http_4xx", "too_big", ... */
const char	*metrics_fetch_name(enum metrics_fetch);
/* Count one transfer: its result, its time in seconds, its body bytes. */
void		 metrics_count_fetch(struct metrics *, enum metrics_fetch,
		     double seconds, uint64_t bytes);

/* Append the text format to out (a buffer without a cap). */
void		 metrics_format(const struct metrics *, struct buf *out);
/*
 * Write the text to path atomically: a temporary file in the same folder
 * (named path.tmp.XXXXXX, which the collector ignores, as it reads only
 * *.prom), fsync, rename over path. The file is mode 0644 whatever the
 * umask: metrics are not secret, and node_exporter reads them as another
 * user. Returns 0, or a negative errno with the reason in err (may be
 * NULL); on failure path is untouched and no temporary file is left.
 */
int		 metrics_write(const struct metrics *, const char *path,
		     struct errbuf *err);

/*
 * Rewrite path every interval_ms from a uv timer on loop: refresh(m, arg)
 * (may be NULL) first, to bring the gauges and per-feed series up to
 * date, then metrics_write(). m and arg stay the caller's and must outlive
 * the writer. A failed write is logged once until a write succeeds again.
 * The timer does not keep the loop alive by itself (uv_unref). NULL if
 * the timer cannot start (logged).
 */
typedef void metrics_refresh_cb(struct metrics *, void *arg);
struct metrics_writer *metrics_writer_new(uv_loop_t *, struct metrics *m,
		     const char *path, uint64_t interval_ms,
		     metrics_refresh_cb *refresh, void *arg);
/* Refresh and write now (at start-up, after a reload); 0 or -errno. */
int		 metrics_writer_flush(struct metrics_writer *);
/* Files written so far. */
uint64_t	 metrics_writer_count(const struct metrics_writer *);
/*
 * Write one last time, then stop; freed once libuv has closed the timer.
 * NULL is a no-op.
 */
void		 metrics_writer_close(struct metrics_writer *);

#endif
