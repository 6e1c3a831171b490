/*
 * schedule.h: when each feed is fetched next.
 *
 * Three layers, each usable alone:
 *
 *  - Policy, pure functions of (feed state, fetch outcome, now, params):
 *    schedule_apply() records a fetch's outcome on a struct state_feed and
 *    chooses its next due time; schedule_interval() is the interval rule;
 *    schedule_initial_due() spreads the first cycle. No clock, no loop: a
 *    test runs a simulated day by calling them with made-up times.
 *  - A min-heap of (due, feed id) with a position index, so that a feed is
 *    rescheduled in O(log n) and 100,000 feeds cost ~20 bytes each.
 *  - A driver: one uv_timer_t armed for the earliest due time; when it
 *    fires, every feed that is due is taken off the heap and handed to a
 *    callback (which fetches it and later calls schedule_set() again).
 *
 * The rules (docs/fetching.md has the reasons):
 *  - interval: the feed's configured interval if it has one; else the
 *    default, adjusted by the observed posting rate, raised to the feed's
 *    hints (RSS ttl, sy:updatePeriod/Frequency, Cache-Control max-age,
 *    Expires), clamped to [min_interval, max_interval];
 *  - a random 0..jitter share of the interval is added, never subtracted,
 *    so a feed is never polled more often than its interval;
 *  - an error (no answer, 4xx, 5xx) doubles the delay per error in a row,
 *    up to max_interval; 429/503 wait at least Retry-After, capped at
 *    retry_after_max;
 *  - 410 retires the feed; 301/308 replace its URL; 302/307 do not.
 */
#ifndef FEEDFOLD_SCHEDULE_H
#define FEEDFOLD_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "clock.h"
#include "fetch.h"
#include "state.h"

#define SCHEDULE_NEVER	STATE_NEVER
/* Seconds the wall clock may step back before the schedule follows it. */
#define SCHEDULE_JUMP_SLACK	60

struct schedule_params {
	int64_t		 interval;	/* default, s (config `interval`) */
	int64_t		 min_interval;	/* floor for derived intervals */
	int64_t		 max_interval;	/* ceiling, also for back-off */
	int64_t		 retry_after_max; /* cap on Retry-After; 0: max_int. */
	double		 jitter;	/* share of the delay added, 0.1 */
	int64_t		 first_spread;	/* first cycle over [0, this) s */
};

struct config;

/* Defaults of etc/feedfold.yaml: 30m, 15m, 24h, jitter 0.1, spread 5m. */
void	 schedule_params_default(struct schedule_params *);
/* The defaults, then interval, min_interval, max_interval of a config. */
void	 schedule_params_from_config(struct schedule_params *,
	     const struct config *);

/*
 * One fetch as the scheduler needs to see it; the caller fills it from
 * struct fetch_result and from the parsed feed. -1 means "not known" for
 * every number.
 */
struct schedule_outcome {
	int		 error;		/* enum fetch_error; 0: an answer */
	int		 status;	/* HTTP status when error == 0 */
	const char	*permanent_url;	/* fetch_result's, or NULL */
	/*
	 * Validators to remember after a 200 (NULL forgets them: pass NULL
	 * when the body could not be used, so that the next fetch is not
	 * answered 304 for a body we never processed). After a 304, non-NULL
	 * values replace the stored ones and NULL keeps them.
	 */
	const char	*etag;
	const char	*last_modified;
	int64_t		 retry_after;	/* s */
	int64_t		 max_age;	/* Cache-Control, s */
	int64_t		 expires_in;	/* Expires - Date, s */
	int64_t		 ttl;		/* RSS <ttl>, in seconds */
	int64_t		 update_period;	/* sy:updatePeriod/Frequency, s */
	int		 new_entries;	/* entries not seen before; -1 */
};

/* An outcome with every number "not known". */
void	 schedule_outcome_init(struct schedule_outcome *);
/*
 * Fill the transfer part of an outcome from a fetch result (error,
 * status, permanent URL, validators, Retry-After, max-age, Expires); the
 * caller adds what the parser found (ttl, update_period, new_entries) and
 * clears etag/last_modified if the body could not be used. The strings
 * point into the result: call schedule_apply() before it is freed.
 */
void	 schedule_outcome_from_fetch(struct schedule_outcome *,
	     const struct fetch_result *);

/* A small fast PRNG (xorshift64*) for jitter; seed must not be 0. */
uint64_t schedule_random(uint64_t *seed);

/*
 * The interval for a feed that answered normally, before jitter.
 * feed_interval is the feed's configured interval or <= 0 for none.
 */
int64_t	 schedule_interval(const struct state_feed *,
	     const struct schedule_outcome *, int64_t feed_interval,
	     const struct schedule_params *);

/*
 * Record the outcome of a fetch at time now on sf: last fetch and status,
 * error streak, retired flag, URL (301/308), validators, posting rate,
 * interval, and next_due, which is also returned (SCHEDULE_NEVER when
 * retired). Logs once when a feed is retired or moves.
 */
int64_t	 schedule_apply(struct state_feed *, const struct schedule_outcome *,
	     int64_t now, int64_t feed_interval,
	     const struct schedule_params *, uint64_t *seed);

/*
 * The due time of a feed at start-up: its stored next_due if that is still
 * ahead, SCHEDULE_NEVER if retired, else a random time in
 * [now, now + first_spread) so that a first run (or a restart after a long
 * stop) does not start every feed at once. Sets sf->next_due.
 */
int64_t	 schedule_initial_due(struct state_feed *, int64_t now,
	     const struct schedule_params *, uint64_t *seed);

/* ---- the heap ------------------------------------------------------------ */

struct schedule_heap;

struct schedule_heap *schedule_heap_new(void);
void	 schedule_heap_free(struct schedule_heap *);
/* Insert id or move it to due; SCHEDULE_NEVER removes it. */
void	 schedule_heap_set(struct schedule_heap *, uint32_t id, int64_t due);
void	 schedule_heap_remove(struct schedule_heap *, uint32_t id);
/* The earliest entry: 0 and *id, *due; -1 when empty. */
int	 schedule_heap_peek(const struct schedule_heap *, uint32_t *id,
	     int64_t *due);
/* Remove and return the earliest entry if it is due at now: 0, else -1. */
int	 schedule_heap_pop_due(struct schedule_heap *, int64_t now,
	     uint32_t *id);
size_t	 schedule_heap_size(const struct schedule_heap *);
/* Add delta seconds to every due time (the clock jumped); order stays. */
void	 schedule_heap_shift(struct schedule_heap *, int64_t delta);
/* Bytes held, for the memory budget (per feed: this / count). */
size_t	 schedule_heap_bytes(const struct schedule_heap *);

/* ---- the driver on a uv loop -------------------------------------------- */

struct schedule;

/* Called for each feed that is due; it is off the heap by then. */
typedef void schedule_due_cb(uint32_t id, void *arg);

/* NULL if the timer cannot be created (logged). */
struct schedule	*schedule_new(uv_loop_t *, const struct clock *,
		     schedule_due_cb *, void *arg);
/* (Re)schedule id at due (Unix s); SCHEDULE_NEVER removes it. */
void		 schedule_set(struct schedule *, uint32_t id, int64_t due);
void		 schedule_remove(struct schedule *, uint32_t id);
size_t		 schedule_size(const struct schedule *);
struct schedule_heap *schedule_get_heap(struct schedule *);
/* Take every entry due at now off the heap and call back; the count. */
size_t		 schedule_run_due(struct schedule *, int64_t now);
/* Stop and free; cb (may be NULL) when the timer is closed. */
void		 schedule_close(struct schedule *, void (*cb)(void *),
		     void *arg);

#endif
