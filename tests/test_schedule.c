/*
 * test_schedule.c: the polling policy, the heap and the timer driver.
 *
 * The policy is pure, so most cases run simulated time: a number moved
 * forward, a made-up server, a day in a few milliseconds.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "config.h"
#include "schedule.h"
#include "state.h"
#include "test.h"
#include "xmalloc.h"

#define T0	1700000000LL	/* simulated start */

static void
params_exact(struct schedule_params *p)
{
	schedule_params_default(p);
	p->jitter = 0;		/* exact numbers where the rule is tested */
	p->first_spread = 0;
}

static void
outcome_status(struct schedule_outcome *o, int status)
{
	schedule_outcome_init(o);
	o->status = status;
}

/* ---- the heap ------------------------------------------------------------ */

static void
test_schedule_heap_order(void)
{
	struct schedule_heap	*h;
	int64_t			*due, last, d, first;
	uint32_t		 id, n = 2000, i, popped = 0;
	uint64_t		 seed = 42;

	h = schedule_heap_new();
	due = xcalloc(n, sizeof *due);
	/* Insert, move (up and down) and remove at random. */
	for (i = 0; i < 20000; i++) {
		id = (uint32_t)(schedule_random(&seed) % n);
		if (schedule_random(&seed) % 5 == 0) {
			schedule_heap_remove(h, id);
			due[id] = 0;
		} else {
			due[id] = 1 + (int64_t)(schedule_random(&seed) % 100000);
			schedule_heap_set(h, id, due[id]);
		}
	}
	for (i = 0, d = 0; i < n; i++)
		d += due[i] != 0;
	ASSERT_INT_EQ(schedule_heap_size(h), d);
	ASSERT_INT_EQ(schedule_heap_peek(h, &id, &first), 0);
	/* Nothing is due before its time. */
	ASSERT_INT_EQ(schedule_heap_pop_due(h, first - 1, &id), -1);
	last = 0;
	while (schedule_heap_pop_due(h, INT64_MAX - 1, &id) == 0) {
		ASSERT(due[id] >= last);
		ASSERT(due[id] != 0);
		last = due[id];
		due[id] = 0;
		popped++;
	}
	ASSERT_INT_EQ(popped, d);
	ASSERT_INT_EQ(schedule_heap_size(h), 0);
	ASSERT_INT_EQ(schedule_heap_peek(h, NULL, NULL), -1);
	/* SCHEDULE_NEVER takes a feed off. */
	schedule_heap_set(h, 7, 5);
	schedule_heap_set(h, 7, SCHEDULE_NEVER);
	ASSERT_INT_EQ(schedule_heap_size(h), 0);
	free(due);
	schedule_heap_free(h);
}

static void
test_schedule_heap_hundred_thousand(void)
{
	struct schedule_heap	*h;
	uint32_t		 i, n = 100000, id;
	uint64_t		 seed = 7;
	size_t			 bytes;

	h = schedule_heap_new();
	for (i = 0; i < n; i++)
		schedule_heap_set(h, i, T0 + (int64_t)(schedule_random(&seed) %
		    86400));
	bytes = schedule_heap_bytes(h);
	printf("# schedule heap: %u feeds, %zu bytes (%.1f bytes/feed)\n",
	    n, bytes, (double)bytes / n);
	/* 12 bytes of payload a feed; growth by doubling at most doubles it. */
	ASSERT(bytes / n <= 32);
	for (i = 0; i < n; i++)
		ASSERT_INT_EQ(schedule_heap_pop_due(h, T0 + 86400, &id), 0);
	schedule_heap_free(h);
}

/* ---- the interval rule ----------------------------------------------------- */

static void
test_schedule_interval_rules(void)
{
	struct schedule_params	 p;
	struct schedule_outcome	 o;
	struct state		*st;
	struct state_feed	*sf;

	params_exact(&p);
	st = state_new();
	sf = state_feed_add(st, "https://example.com/feed");
	outcome_status(&o, 200);

	/* Nothing known: the default. */
	ASSERT_INT_EQ(schedule_interval(sf, &o, -1, &p), 1800);
	/* Configured per feed: wins, even below min_interval. */
	ASSERT_INT_EQ(schedule_interval(sf, &o, 600, &p), 600);
	ASSERT_INT_EQ(schedule_interval(sf, &o, 7 * 86400, &p), 7 * 86400);
	/* Hints are floors. */
	o.ttl = 2 * 3600;
	ASSERT_INT_EQ(schedule_interval(sf, &o, -1, &p), 7200);
	o.ttl = -1;
	o.update_period = 3 * 3600;
	ASSERT_INT_EQ(schedule_interval(sf, &o, -1, &p), 3 * 3600);
	o.update_period = -1;
	o.max_age = 60;		/* below the interval: no effect */
	ASSERT_INT_EQ(schedule_interval(sf, &o, -1, &p), 1800);
	o.expires_in = 5 * 3600;
	ASSERT_INT_EQ(schedule_interval(sf, &o, -1, &p), 5 * 3600);
	/* ... up to max_interval. */
	o.expires_in = 30 * 86400;
	ASSERT_INT_EQ(schedule_interval(sf, &o, -1, &p), 86400);
	o.expires_in = -1;
	o.max_age = -1;
	/* A busy feed (posting rate) comes down to min_interval. */
	sf->rate = 1.0 / 60;
	ASSERT_INT_EQ(schedule_interval(sf, &o, -1, &p), 900);
	/* One posting every 4 hours: polled every 2. */
	sf->rate = 1.0 / (4 * 3600);
	ASSERT_INT_EQ(schedule_interval(sf, &o, -1, &p), 2 * 3600);
	/* After a 304 the last body's hint still holds. */
	sf->rate = -1;
	sf->hint = 4 * 3600;
	outcome_status(&o, 304);
	ASSERT_INT_EQ(schedule_interval(sf, &o, -1, &p), 4 * 3600);
	state_free(st);
}

static void
test_schedule_rate_adapts(void)
{
	struct schedule_params	 p;
	struct schedule_outcome	 o;
	struct state		*st;
	struct state_feed	*quiet, *busy;
	int64_t			 now = T0, prev;
	uint64_t		 seed = 1;
	int			 i;

	params_exact(&p);
	st = state_new();
	quiet = state_feed_add(st, "https://quiet.example/");
	busy = state_feed_add(st, "https://busy.example/");
	outcome_status(&o, 200);
	o.etag = "\"1\"";
	schedule_apply(quiet, &o, now, -1, &p, &seed);
	schedule_apply(busy, &o, now, -1, &p, &seed);
	ASSERT_INT_EQ(quiet->interval, 1800);

	/* A silent feed (304 after 304) drifts out, gently, to the cap. */
	prev = quiet->interval;
	for (i = 0; i < 40; i++) {
		now = quiet->next_due;
		outcome_status(&o, 304);
		schedule_apply(quiet, &o, now, -1, &p, &seed);
		ASSERT(quiet->interval >= prev);
		ASSERT(quiet->interval <= prev * 3 / 2 + 1);
		prev = quiet->interval;
	}
	ASSERT_INT_EQ(quiet->interval, 86400);

	/* A feed with 5 new entries every fetch comes in to the floor. */
	now = T0;
	for (i = 0; i < 10; i++) {
		now = busy->next_due;
		outcome_status(&o, 200);
		o.new_entries = 5;
		schedule_apply(busy, &o, now, -1, &p, &seed);
	}
	ASSERT_INT_EQ(busy->interval, 900);
	state_free(st);
}

/* ---- outcomes -------------------------------------------------------------- */

static void
test_schedule_validators(void)
{
	struct schedule_params	 p;
	struct schedule_outcome	 o;
	struct state		*st;
	struct state_feed	*sf;
	uint64_t		 seed = 1;

	params_exact(&p);
	st = state_new();
	sf = state_feed_add(st, "https://example.com/feed");
	outcome_status(&o, 200);
	o.etag = "\"v1\"";
	o.last_modified = "Wed, 21 Oct 2015 07:28:00 GMT";
	ASSERT_INT_EQ(schedule_apply(sf, &o, T0, -1, &p, &seed), T0 + 1800);
	ASSERT_STR_EQ(sf->etag, "\"v1\"");
	ASSERT_INT_EQ(sf->last_status, 200);
	ASSERT_INT_EQ(sf->last_fetch, T0);

	/* 304 without validators keeps the stored ones. */
	outcome_status(&o, 304);
	schedule_apply(sf, &o, T0 + 1800, -1, &p, &seed);
	ASSERT_STR_EQ(sf->etag, "\"v1\"");
	ASSERT_STR_EQ(sf->last_modified, "Wed, 21 Oct 2015 07:28:00 GMT");
	ASSERT_INT_EQ(sf->last_status, 304);

	/* A 200 whose body could not be used forgets them (NULL). */
	outcome_status(&o, 200);
	schedule_apply(sf, &o, T0 + 3600, -1, &p, &seed);
	ASSERT_NULL(sf->etag);
	ASSERT_NULL(sf->last_modified);
	state_free(st);
}

static void
test_schedule_gone_retires(void)
{
	struct schedule_params	 p;
	struct schedule_outcome	 o;
	struct state		*st;
	struct state_feed	*sf;
	uint64_t		 seed = 1;

	params_exact(&p);
	st = state_new();
	sf = state_feed_add(st, "https://example.com/gone");
	outcome_status(&o, 410);
	ASSERT_INT_EQ(schedule_apply(sf, &o, T0, -1, &p, &seed),
	    SCHEDULE_NEVER);
	ASSERT_INT_EQ(sf->retired, 1);
	ASSERT_INT_EQ(sf->last_status, 410);
	/* Still retired after a restart. */
	sf->next_due = 0;
	ASSERT_INT_EQ(schedule_initial_due(sf, T0 + 10, &p, &seed),
	    SCHEDULE_NEVER);
	state_free(st);
}

static void
test_schedule_redirects(void)
{
	struct schedule_params	 p;
	struct schedule_outcome	 o;
	struct state		*st;
	struct state_feed	*sf;
	uint64_t		 seed = 1;

	params_exact(&p);
	st = state_new();
	sf = state_feed_add(st, "https://example.com/old");
	/* 302/307: the fetcher reports no permanent URL; nothing changes. */
	outcome_status(&o, 200);
	schedule_apply(sf, &o, T0, -1, &p, &seed);
	ASSERT_STR_EQ(sf->url, "https://example.com/old");
	/* 301/308 to a URL that answered: it is the feed's URL from now on. */
	o.permanent_url = "https://example.com/new";
	schedule_apply(sf, &o, T0 + 1800, -1, &p, &seed);
	ASSERT_STR_EQ(sf->url, "https://example.com/new");
	ASSERT_STR_EQ(sf->key, "https://example.com/old");
	/* A permanent redirect to a URL that failed is not taken. */
	outcome_status(&o, 404);
	o.permanent_url = "https://example.com/broken";
	schedule_apply(sf, &o, T0 + 3600, -1, &p, &seed);
	ASSERT_STR_EQ(sf->url, "https://example.com/new");
	state_free(st);
}

/* status shows when a feed last worked: 2xx and 304 set it, nothing else. */
static void
test_schedule_last_success(void)
{
	struct schedule_params	 p;
	struct schedule_outcome	 o;
	struct state		*st;
	struct state_feed	*sf;
	uint64_t		 seed = 1;

	params_exact(&p);
	st = state_new();
	sf = state_feed_add(st, "https://example.com/ok");
	ASSERT_INT_EQ(sf->last_success, 0);
	outcome_status(&o, 500);
	schedule_apply(sf, &o, T0, -1, &p, &seed);
	ASSERT_INT_EQ(sf->last_success, 0);
	outcome_status(&o, 200);
	schedule_apply(sf, &o, T0 + 100, -1, &p, &seed);
	ASSERT_INT_EQ(sf->last_success, T0 + 100);
	outcome_status(&o, 304);
	schedule_apply(sf, &o, T0 + 200, -1, &p, &seed);
	ASSERT_INT_EQ(sf->last_success, T0 + 200);
	/* Failures keep the last good time while the streak grows. */
	outcome_status(&o, 503);
	schedule_apply(sf, &o, T0 + 300, -1, &p, &seed);
	schedule_outcome_init(&o);
	o.error = 3;		/* FETCH_ERR_TIMEOUT */
	schedule_apply(sf, &o, T0 + 400, -1, &p, &seed);
	ASSERT_INT_EQ(sf->error_streak, 2);
	ASSERT_INT_EQ(sf->last_fetch, T0 + 400);
	ASSERT_INT_EQ(sf->last_success, T0 + 200);
	/* 410 retires the feed; it is not a success. */
	outcome_status(&o, 410);
	schedule_apply(sf, &o, T0 + 500, -1, &p, &seed);
	ASSERT_INT_EQ(sf->last_success, T0 + 200);
	state_free(st);
}

static void
test_schedule_errors_double(void)
{
	struct schedule_params	 p;
	struct schedule_outcome	 o;
	struct state		*st;
	struct state_feed	*sf;
	uint64_t		 seed = 1;
	int64_t			 now = T0, want;
	int			 i;

	params_exact(&p);
	st = state_new();
	sf = state_feed_add(st, "https://example.com/err");
	outcome_status(&o, 200);
	schedule_apply(sf, &o, now, -1, &p, &seed);
	ASSERT_INT_EQ(sf->interval, 1800);
	/* 500, 500, ...: 1h, 2h, 4h, 8h, 16h, then 24h (max_interval). */
	for (i = 1, want = 3600; i <= 8; i++, want *= 2) {
		now = sf->next_due;
		outcome_status(&o, 500);
		schedule_apply(sf, &o, now, -1, &p, &seed);
		ASSERT_INT_EQ(sf->error_streak, i);
		ASSERT_INT_EQ(sf->next_due - now, want < 86400 ? want : 86400);
	}
	/* No answer at all counts the same. */
	now = sf->next_due;
	schedule_outcome_init(&o);
	o.error = 2;		/* FETCH_ERR_CONNECT */
	schedule_apply(sf, &o, now, -1, &p, &seed);
	ASSERT_INT_EQ(sf->last_status, -2);
	ASSERT_INT_EQ(sf->next_due - now, 86400);
	/* One success resets the streak and the interval. */
	now = sf->next_due;
	outcome_status(&o, 304);
	schedule_apply(sf, &o, now, -1, &p, &seed);
	ASSERT_INT_EQ(sf->error_streak, 0);
	ASSERT(sf->next_due - now <= 1800 * 3 / 2);
	state_free(st);
}

static void
test_schedule_retry_after(void)
{
	struct schedule_params	 p;
	struct schedule_outcome	 o;
	struct state		*st;
	struct state_feed	*sf;
	uint64_t		 seed = 1;

	schedule_params_default(&p);	/* with jitter: it only adds */
	st = state_new();
	sf = state_feed_add(st, "https://example.com/busy");
	/* A feed configured for every 60 s told to wait 120 s. */
	outcome_status(&o, 429);
	o.retry_after = 120;
	schedule_apply(sf, &o, T0, 60, &p, &seed);
	ASSERT(sf->next_due >= T0 + 120);
	ASSERT(sf->next_due <= T0 + 132);
	/* 503 with a huge Retry-After: capped at max_interval (+ jitter). */
	outcome_status(&o, 503);
	o.retry_after = 30 * 86400;
	schedule_apply(sf, &o, T0, 60, &p, &seed);
	ASSERT(sf->next_due >= T0 + 86400);
	ASSERT(sf->next_due <= T0 + 86400 + 8640);
	/* The cap is a parameter. */
	p.retry_after_max = 3600;
	schedule_apply(sf, &o, T0, 60, &p, &seed);
	ASSERT(sf->next_due >= T0 + 3600);
	ASSERT(sf->next_due <= T0 + 3960);
	state_free(st);
}

/* ---- a simulated day ------------------------------------------------------- */

#define SIM_FEEDS	50

struct sim_feed {
	int		 version;	/* the content the server has */
	int64_t		 changes_every;
	int64_t		 last_request;
	int64_t		 min_gap;	/* interval promised at last fetch */
	int		 requests;
	int		 without_validators;
	int		 answered_429;
};

/*
 * 50 feeds on one host for 24 simulated hours: every request after a
 * feed's first carries its validators; no feed is polled before its
 * interval is up; the first cycle is spread, not a burst; 429 and 500
 * are honoured.
 */
static void
test_schedule_simulated_day(void)
{
	struct schedule_params	 p;
	struct schedule_outcome	 o;
	struct schedule_heap	*h;
	struct state		*st;
	struct state_feed	*sf;
	struct sim_feed		 sim[SIM_FEEDS];
	char			 key[64], etag[32];
	int64_t			 now = T0, due, first_max = 0;
	int64_t			 retry_at = 0, gaps500[8];
	uint64_t		 seed = 12345;
	uint32_t		 id, i;
	int			 per_second[300], total = 0, n500 = 0, max_burst = 0;

	schedule_params_default(&p);
	p.first_spread = 300;
	memset(sim, 0, sizeof sim);
	memset(per_second, 0, sizeof per_second);
	st = state_new();
	h = schedule_heap_new();
	for (i = 0; i < SIM_FEEDS; i++) {
		snprintf(key, sizeof key, "https://news.example/feed/%u", i);
		sf = state_feed_add(st, key);
		sim[i].changes_every = 3600 * (1 + i % 6);
		schedule_heap_set(h, sf->id, schedule_initial_due(sf, now, &p,
		    &seed));
	}
	while (schedule_heap_peek(h, &id, &due) == 0 && due < T0 + 86400) {
		now = due;
		ASSERT_INT_EQ(schedule_heap_pop_due(h, now, &id), 0);
		sf = state_feed_at(st, id);
		total++;
		/* What the server sees. */
		if (sim[id].requests == 0) {
			ASSERT(now - T0 < 300);
			per_second[now - T0]++;
			if (now > first_max)
				first_max = now;
		} else {
			ASSERT(sf->etag != NULL);
			ASSERT(now - sim[id].last_request >= sim[id].min_gap);
		}
		sim[id].requests++;
		sim[id].last_request = now;
		/* What it answers: feed 0 says 429 once, feed 1 fails 5 times. */
		sim[id].version = (int)((now - T0) / sim[id].changes_every);
		snprintf(etag, sizeof etag, "\"%d\"", sim[id].version);
		if (id == 0 && !sim[0].answered_429 && sim[0].requests == 2) {
			outcome_status(&o, 429);
			o.retry_after = 120;
			sim[0].answered_429 = 1;
			retry_at = now + 120;
		} else if (id == 1 && sim[1].requests >= 2 && n500 < 5) {
			outcome_status(&o, 500);
			gaps500[n500++] = now;
		} else if (sf->etag != NULL && strcmp(sf->etag, etag) == 0) {
			outcome_status(&o, 304);
		} else {
			outcome_status(&o, 200);
			o.etag = etag;
			o.new_entries = sf->etag != NULL ? 1 : -1;
		}
		if (id == 0 && sim[0].requests == 3)
			ASSERT(now >= retry_at);
		schedule_apply(sf, &o, now, -1, &p, &seed);
		/* The promise to check next time: the interval, or the wait. */
		sim[id].min_gap = o.status == 429 ? 120 : sf->interval;
		if (o.status == 500)
			sim[id].min_gap = sf->next_due - now;
		schedule_heap_set(h, id, sf->next_due);
	}
	for (i = 0; i < 300; i++) {
		if (per_second[i] > max_burst)
			max_burst = per_second[i];
	}
	printf("# simulated day: %d requests for %d feeds, first cycle over "
	    "%lld s, at most %d in one second\n", total, SIM_FEEDS,
	    (long long)(first_max - T0), max_burst);
	/* Spread: the first cycle takes most of its window, few at once. */
	ASSERT(first_max - T0 >= 200);
	ASSERT(max_burst <= 4);
	for (i = 0; i < SIM_FEEDS; i++)
		ASSERT(sim[i].requests >= 2);
	/* Feed 1's 500s: each wait about double the one before. */
	ASSERT_INT_EQ(n500, 5);
	for (i = 2; i < 5; i++) {
		int64_t	 a = gaps500[i - 1] - gaps500[i - 2];
		int64_t	 b = gaps500[i] - gaps500[i - 1];

		ASSERT(b >= a * 2 * 10 / 11);
		ASSERT(b <= 86400 * 11 / 10);
	}
	ASSERT(total <= SIM_FEEDS * 49);
	schedule_heap_free(h);
	state_free(st);
}

static void
test_schedule_params_from_config(void)
{
	struct config		*c;
	struct schedule_params	 p;

	c = config_default("/tmp");
	ASSERT_NOT_NULL(c);
	schedule_params_from_config(&p, c);
	ASSERT_INT_EQ(p.interval, 1800);
	ASSERT_INT_EQ(p.min_interval, 900);
	ASSERT_INT_EQ(p.max_interval, 86400);
	ASSERT_INT_EQ(p.first_spread, 300);
	c->interval = 120;
	c->min_interval = 60;
	c->max_interval = 30;		/* nonsense: clamped, not inverted */
	schedule_params_from_config(&p, c);
	ASSERT_INT_EQ(p.interval, 120);
	ASSERT_INT_EQ(p.max_interval, 60);
	ASSERT_INT_EQ(p.first_spread, 120);
	config_free(c);
}

/* ---- the driver on a real loop -------------------------------------------- */

struct drive {
	struct schedule	*s;
	int64_t		*now;
	int		 calls[4];
	int		 total;
	int		 closed;
};

static void
drive_closed(void *arg)
{
	((struct drive *)arg)->closed = 1;
}

static void
drive_due(uint32_t id, void *arg)
{
	struct drive	*d = arg;

	d->calls[id]++;
	d->total++;
	/* Reschedule "now" from inside: must not loop forever. */
	if (id == 0 && d->calls[0] == 1)
		schedule_set(d->s, 0, *d->now);
	if (d->total == 4)
		schedule_close(d->s, drive_closed, d);
}

/* Count only, for tests that drive schedule_run_due by hand. */
static void
drive_due_count(uint32_t id, void *arg)
{
	struct drive	*d = arg;

	d->calls[id]++;
	d->total++;
}

static void
test_schedule_driver(void)
{
	uv_loop_t	 loop;
	struct clock	 clock;
	struct drive	 d;
	int64_t		 now = T0;

	memset(&d, 0, sizeof d);
	d.now = &now;
	clock_manual(&clock, &now);
	ASSERT_INT_EQ(uv_loop_init(&loop), 0);
	d.s = schedule_new(&loop, &clock, drive_due, &d);
	ASSERT_NOT_NULL(d.s);
	schedule_set(d.s, 0, T0);
	schedule_set(d.s, 1, T0 - 5);
	schedule_set(d.s, 2, T0);
	schedule_set(d.s, 3, T0 + 3600);	/* not due: never called */
	schedule_set(d.s, 2, SCHEDULE_NEVER);	/* taken off again */
	schedule_set(d.s, 2, T0 - 1);
	ASSERT_INT_EQ(schedule_size(d.s), 4);
	ASSERT_INT_EQ(uv_run(&loop, UV_RUN_DEFAULT), 0);
	ASSERT_INT_EQ(d.closed, 1);
	ASSERT_INT_EQ(d.calls[0], 2);
	ASSERT_INT_EQ(d.calls[1], 1);
	ASSERT_INT_EQ(d.calls[2], 1);
	ASSERT_INT_EQ(d.calls[3], 0);
	ASSERT_INT_EQ(uv_loop_close(&loop), 0);
}

/*
 * The wall clock goes back a day. A running schedule moves every due time
 * back as much (else no feed would be fetched for a day); a due time read
 * from the state at start-up that lies beyond any interval starts afresh.
 */
static void
test_schedule_clock_jumps_back(void)
{
	struct schedule_params	 p;
	struct state		*st = state_new();
	struct state_feed	*sf;
	uv_loop_t		 loop;
	struct clock		 clock;
	struct drive		 d;
	int64_t			 now = T0, due;
	uint64_t		 seed = 7;

	schedule_params_default(&p);
	sf = state_feed_add(st, "https://example.com/feed");
	sf->next_due = T0 + 10 * 86400;	/* stored before the jump */
	due = schedule_initial_due(sf, T0, &p, &seed);
	ASSERT(due >= T0 && due < T0 + p.first_spread);
	/* A due time any rule could have set is kept. */
	sf->next_due = T0 + p.max_interval;
	ASSERT(schedule_initial_due(sf, T0, &p, &seed) == T0 + p.max_interval);
	state_free(st);

	memset(&d, 0, sizeof d);
	d.now = &now;
	clock_manual(&clock, &now);
	ASSERT_INT_EQ(uv_loop_init(&loop), 0);
	d.s = schedule_new(&loop, &clock, drive_due_count, &d);
	ASSERT_NOT_NULL(d.s);
	schedule_set(d.s, 1, T0 + 100);
	schedule_set(d.s, 2, T0 + 200);
	ASSERT_INT_EQ(schedule_run_due(d.s, T0), 0);
	/*
	 * A day back with no real time passing (the loop's clock did not
	 * move): nothing is due yet, feed 1 is 100 s later, as planned.
	 */
	now = T0 - 86400;
	ASSERT_INT_EQ(schedule_run_due(d.s, now), 0);
	now += 100;
	ASSERT_INT_EQ(schedule_run_due(d.s, now), 1);
	ASSERT_INT_EQ(d.calls[1], 1);
	ASSERT_INT_EQ(d.calls[2], 0);
	now += 100;
	ASSERT_INT_EQ(schedule_run_due(d.s, now), 1);
	ASSERT_INT_EQ(d.calls[2], 1);
	/* A small step back (NTP slewing) moves nothing. */
	schedule_set(d.s, 3, now + 30);
	now -= 20;
	ASSERT_INT_EQ(schedule_run_due(d.s, now), 0);
	schedule_close(d.s, drive_closed, &d);
	ASSERT_INT_EQ(uv_run(&loop, UV_RUN_DEFAULT), 0);
	ASSERT_INT_EQ(d.closed, 1);
	ASSERT_INT_EQ(uv_loop_close(&loop), 0);
}

static const struct test_case cases[] = {
	TEST(test_schedule_heap_order),
	TEST(test_schedule_heap_hundred_thousand),
	TEST(test_schedule_interval_rules),
	TEST(test_schedule_rate_adapts),
	TEST(test_schedule_validators),
	TEST(test_schedule_gone_retires),
	TEST(test_schedule_redirects),
	TEST(test_schedule_last_success),
	TEST(test_schedule_errors_double),
	TEST(test_schedule_retry_after),
	TEST(test_schedule_simulated_day),
	TEST(test_schedule_params_from_config),
	TEST(test_schedule_driver),
	TEST(test_schedule_clock_jumps_back),
};

int
main(void)
{
	return TEST_MAIN(cases);
}
