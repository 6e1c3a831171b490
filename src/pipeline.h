/*
 * pipeline.h: the daemon's work, joined on one libuv loop.
 *
 * For each feed that is due: fetch (fetch.c) -> parse and normalize
 * (parse.c, on the uv thread pool so a large body never stalls the loop)
 * -> stories (story.c) -> records (record_write.c) for each story that
 * changed -> schedule (schedule.c) and feed state (state.c). Records are
 * written and their folder synced before the feed's state is touched, so a
 * crash re-fetches rather than loses: the entries of a re-fetch
 * deduplicate.
 *
 * Two modes share all of it. `once` starts every feed that is due (all of
 * them with force) and closes its handles when the last one is done, so
 * uv_run() returns. `run` puts every feed on the scheduler's heap and goes
 * on until pipeline_stop().
 */
#ifndef FEEDFOLD_PIPELINE_H
#define FEEDFOLD_PIPELINE_H

#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "clock.h"
#include "config.h"
#include "errbuf.h"

#define PIPELINE_SNAPSHOT	"stories.snapshot"

struct pipeline_opts {
	int		 once;		/* fetch what is due, then close */
	int		 force;		/* once: every feed now (still
					   conditional) */
	const struct clock *clock;	/* NULL: the system's */
	/* Called (may be NULL) each time a feed is done, for progress. */
	void		(*progress)(void *arg);
	void		*progress_arg;
	/*
	 * run: seconds that SIGTERM waits for transfers in flight before
	 * cancelling them; 0: the default (5).
	 */
	int		 grace;
	/* run: the first cycle is spread over this many seconds; < 0: the
	 * default (5 minutes). */
	int64_t		 first_spread;
};

/* What one pipeline has done since it started. */
struct pipeline_stats {
	size_t		 feeds;		/* configured */
	size_t		 started;	/* fetches started */
	size_t		 done;		/* fetches finished */
	size_t		 fetched;	/* answered with a body */
	size_t		 not_modified;	/* answered 304 */
	size_t		 failed;	/* no answer, or an error status */
	size_t		 retired;	/* retired by a 410 this time */
	size_t		 not_due;	/* once: skipped, not due yet */
	size_t		 inactive;	/* retired before: not fetched */
	uint64_t	 bytes;		/* bodies received, decoded */
	uint64_t	 entries;	/* entries parsed */
	uint64_t	 entries_new;	/* not seen before */
	uint64_t	 stories_new;
	uint64_t	 stories_updated;
	uint64_t	 records_written;
	uint64_t	 records_removed; /* merged into an older story */
	uint64_t	 write_errors;
};

/* How the feeds and stories are now, for STATUS= and metrics. */
struct pipeline_health {
	size_t		 feeds;		/* configured */
	size_t		 ok;		/* last fetch answered */
	size_t		 failing;	/* one error or more in a row */
	size_t		 retired;	/* 410 */
	size_t		 stories;	/* open */
	size_t		 story_entries;	/* members of the open stories */
};

struct pipeline;

/*
 * A pipeline for cfg on loop: folders created, leftover temporary records
 * removed, feed state loaded, stories restored from the records. It owns
 * cfg from now on, also when it fails: NULL with the reason in err when
 * the output or state folder or the sealing key cannot be used.
 */
struct pipeline	*pipeline_new(uv_loop_t *, struct config *,
		    const struct pipeline_opts *, struct errbuf *);
/*
 * run: take cfg (owned from now on, also on failure) in place of the
 * current configuration. New feeds are scheduled (spread like a first
 * cycle), removed ones stop (their state lines stay, so a feed that comes
 * back keeps its validators and history), kept ones take their new
 * settings at their next fetch; limits, timeouts, User-Agent, intervals,
 * excerpt length, record mode and the sealing key apply at once. Refused,
 * with the reason in err and the running configuration unchanged, when
 * output_dir or state_dir would move or the key cannot be loaded.
 * stories.* take effect at the next restart (logged).
 */
int		 pipeline_reload(struct pipeline *, struct config *,
		    struct errbuf *);
void		 pipeline_health(const struct pipeline *,
		    struct pipeline_health *);
/* The configuration in use. */
const struct config *pipeline_config(const struct pipeline *);
/* Start fetching. Returns 0, or -1 with the reason in err. */
int		 pipeline_start(struct pipeline *, struct errbuf *);
/*
 * Stop: no new fetches; transfers in flight get opts.grace seconds, then
 * are cancelled; records and state are flushed; every handle is closed.
 * cb (may be NULL) runs once all of that is done. Calling it again, or
 * after `once` finished, only calls cb.
 */
void		 pipeline_stop(struct pipeline *, void (*cb)(void *), void *arg);
/* Nonzero once every handle is closed (uv_run can return). */
int		 pipeline_closed(const struct pipeline *);
const struct pipeline_stats *pipeline_get_stats(const struct pipeline *);
/* Free a closed pipeline. */
void		 pipeline_free(struct pipeline *);

#endif
