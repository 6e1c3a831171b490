/*
 * schedule.c: the polling policy, the due-time heap and its uv timer
 * (schedule.h).
 *
 * Owns the heap arrays and the one uv_timer_t of a struct schedule. The
 * policy functions own nothing: they update the struct state_feed they are
 * given, which belongs to the state (state.h).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "log.h"
#include "schedule.h"
#include "xmalloc.h"

/* Weight of the newest observation in the posting-rate average. */
#define SCHEDULE_RATE_ALPHA	0.3
/* Look at the clock at least this often, in case the wall clock jumps. */
#define SCHEDULE_MAX_SLEEP_MS	(3600 * 1000)
#define SCHEDULE_NOPOS		UINT32_MAX

void
schedule_params_default(struct schedule_params *p)
{
	memset(p, 0, sizeof *p);
	p->interval = 30 * 60;
	p->min_interval = 15 * 60;
	p->max_interval = 24 * 3600;
	p->retry_after_max = 0;
	p->jitter = 0.1;
	p->first_spread = 5 * 60;
}

void
schedule_params_from_config(struct schedule_params *p,
    const struct config *c)
{
	schedule_params_default(p);
	if (c->interval > 0)
		p->interval = c->interval;
	if (c->min_interval > 0)
		p->min_interval = c->min_interval;
	if (c->max_interval > 0)
		p->max_interval = c->max_interval;
	/* A nonsense config must not make the clamp invert. */
	if (p->max_interval < p->min_interval)
		p->max_interval = p->min_interval;
	/* The first cycle spreads over at most one interval. */
	if (p->first_spread > p->interval)
		p->first_spread = p->interval;
}

void
schedule_outcome_init(struct schedule_outcome *o)
{
	memset(o, 0, sizeof *o);
	o->retry_after = -1;
	o->max_age = -1;
	o->expires_in = -1;
	o->ttl = -1;
	o->update_period = -1;
	o->new_entries = -1;
}

void
schedule_outcome_from_fetch(struct schedule_outcome *o,
    const struct fetch_result *r)
{
	schedule_outcome_init(o);
	o->error = (int)r->error;
	o->status = (int)r->status;
	o->permanent_url = r->permanent_url;
	o->etag = r->etag;
	o->last_modified = r->last_modified;
	o->retry_after = r->retry_after;
	/* no-cache is not a hint to poll faster: it only says "revalidate". */
	o->max_age = r->max_age;
	o->expires_in = r->expires_in;
	if (r->not_modified)
		o->new_entries = 0;
}

uint64_t
schedule_random(uint64_t *seed)
{
	uint64_t	 x = *seed;

	if (x == 0)
		x = 0x9e3779b97f4a7c15ULL;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*seed = x;
	return x * 0x2545f4914f6cdd1dULL;
}

/* A random share in [0, frac] of delay, added so as never to poll early. */
static int64_t
schedule_jitter(int64_t delay, double frac, uint64_t *seed)
{
	int64_t	 span;

	if (frac <= 0 || delay <= 0)
		return delay;
	span = (int64_t)((double)delay * frac);
	if (span <= 0)
		return delay;
	return delay + (int64_t)(schedule_random(seed) % (uint64_t)(span + 1));
}

static int64_t
schedule_clamp(int64_t v, int64_t lo, int64_t hi)
{
	if (v < lo)
		v = lo;
	if (v > hi)
		v = hi;
	return v;
}

static int64_t
schedule_max(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

int64_t
schedule_interval(const struct state_feed *sf,
    const struct schedule_outcome *o, int64_t feed_interval,
    const struct schedule_params *p)
{
	int64_t	 iv = p->interval, hint = 0;
	double	 gap;

	/* An interval the user wrote down wins, even below min_interval. */
	if (feed_interval > 0)
		return feed_interval;
	/*
	 * Poll at twice the posting rate (half the mean gap between new
	 * entries): a feed that posts hourly is read every half hour, one
	 * that has been silent for days drifts toward max_interval.
	 */
	if (sf->rate > 0) {
		gap = 1.0 / sf->rate / 2;
		iv = gap > (double)p->max_interval ? p->max_interval :
		    (int64_t)gap;
	} else if (sf->rate == 0)
		iv = p->max_interval;
	/*
	 * The publisher's hints are floors: polling before the feed says it
	 * changes, or before a cache would serve anything new, only costs
	 * them. A hint can never push past max_interval.
	 */
	if (o != NULL) {
		hint = schedule_max(o->ttl, o->update_period);
		if (hint <= 0 && o->status == 304)
			hint = sf->hint;	/* no body: the last one's */
		hint = schedule_max(hint, o->max_age);
		hint = schedule_max(hint, o->expires_in);
	} else
		hint = sf->hint;
	iv = schedule_max(iv, hint);
	return schedule_clamp(iv, p->min_interval, p->max_interval);
}

/* Fold one observation (n new entries since the last fetch) into rate. */
static void
schedule_update_rate(struct state_feed *sf, int n, int64_t now,
    const struct schedule_params *p)
{
	double	 inst;

	if (n < 0 || sf->last_fetch <= 0 || now <= sf->last_fetch)
		return;
	inst = (double)n / (double)(now - sf->last_fetch);
	/* No history: start from the rate that gives the default interval. */
	if (sf->rate < 0)
		sf->rate = 1.0 / (2.0 * (double)p->interval);
	sf->rate += SCHEDULE_RATE_ALPHA * (inst - sf->rate);
}

int64_t
schedule_apply(struct state_feed *sf, const struct schedule_outcome *o,
    int64_t now, int64_t feed_interval, const struct schedule_params *p,
    uint64_t *seed)
{
	int64_t	 base, delay, cap;
	int	 ok, i;

	ok = o->error == 0 && ((o->status >= 200 && o->status < 300) ||
	    o->status == 304);
	sf->last_status = o->error != 0 ? -o->error : o->status;

	if (o->error == 0 && o->status == 410) {
		if (!sf->retired)
			log_notice("schedule", "%s: 410 Gone: feed retired "
			    "(remove it from the config, or delete its state "
			    "to try again)", sf->key);
		sf->retired = 1;
		sf->last_fetch = now;
		sf->next_due = SCHEDULE_NEVER;
		return sf->next_due;
	}

	if (ok) {
		if (o->permanent_url != NULL &&
		    strcmp(o->permanent_url, sf->url) != 0) {
			log_info("schedule", "%s: moved permanently to %s",
			    sf->key, o->permanent_url);
			state_feed_set(sf, &sf->url, o->permanent_url);
		}
		if (o->status == 304) {
			if (o->etag != NULL)
				state_feed_set(sf, &sf->etag, o->etag);
			if (o->last_modified != NULL)
				state_feed_set(sf, &sf->last_modified,
				    o->last_modified);
			schedule_update_rate(sf, 0, now, p);
		} else {
			state_feed_set(sf, &sf->etag, o->etag);
			state_feed_set(sf, &sf->last_modified,
			    o->last_modified);
			schedule_update_rate(sf, o->new_entries, now, p);
			sf->hint = schedule_max(0, schedule_max(o->ttl,
			    o->update_period));
		}
		sf->error_streak = 0;
		sf->last_success = now;
		sf->interval = schedule_interval(sf, o, feed_interval, p);
		delay = sf->interval;
	} else {
		/*
		 * Back off from the interval the feed had: double it for
		 * every error in a row, never beyond max_interval.
		 */
		sf->error_streak++;
		base = sf->interval > 0 ? sf->interval :
		    schedule_interval(sf, NULL, feed_interval, p);
		delay = base;
		for (i = 0; i < sf->error_streak &&
		    delay < p->max_interval; i++)
			delay *= 2;
		if (delay > p->max_interval)
			delay = schedule_max(base, p->max_interval);
		if (o->error == 0 && (o->status == 429 || o->status == 503) &&
		    o->retry_after > 0) {
			cap = p->retry_after_max > 0 ? p->retry_after_max :
			    p->max_interval;
			delay = schedule_max(delay, o->retry_after < cap ?
			    o->retry_after : cap);
		}
	}
	sf->last_fetch = now;
	sf->next_due = now + schedule_jitter(delay, p->jitter, seed);
	return sf->next_due;
}

int64_t
schedule_initial_due(struct state_feed *sf, int64_t now,
    const struct schedule_params *p, uint64_t *seed)
{
	int64_t	 longest;

	/*
	 * No rule puts a feed further ahead than max_interval (Retry-After
	 * is capped too) plus jitter: a due time beyond that was stored
	 * before the wall clock went back. Waiting for it would park the
	 * feed for as long as the clock jumped, so it starts afresh.
	 */
	longest = p->max_interval + (int64_t)((double)p->max_interval *
	    p->jitter) + SCHEDULE_JUMP_SLACK;
	if (p->retry_after_max > longest)
		longest = p->retry_after_max + SCHEDULE_JUMP_SLACK;
	if (!sf->retired && sf->next_due > now + longest &&
	    sf->next_due != SCHEDULE_NEVER) {
		log_warn("schedule", "%s: due in %" PRId64 " s, more than any "
		    "interval allows: the clock went back; due now", sf->url,
		    sf->next_due - now);
		sf->next_due = 0;
	}
	if (sf->retired)
		sf->next_due = SCHEDULE_NEVER;
	else if (sf->next_due <= now) {
		sf->next_due = now;
		if (p->first_spread > 0)
			sf->next_due += (int64_t)(schedule_random(seed) %
			    (uint64_t)p->first_spread);
	}
	return sf->next_due;
}

/* ---- the heap ------------------------------------------------------------ */

struct schedule_entry {
	int64_t		 due;
	uint32_t	 id;
};

struct schedule_heap {
	struct schedule_entry	*e;
	size_t			 n;
	size_t			 cap;
	uint32_t		*pos;	/* id -> index in e, or NOPOS */
	size_t			 npos;
};

struct schedule_heap *
schedule_heap_new(void)
{
	return xcalloc(1, sizeof (struct schedule_heap));
}

void
schedule_heap_free(struct schedule_heap *h)
{
	if (h == NULL)
		return;
	free(h->e);
	free(h->pos);
	free(h);
}

static int
schedule_before(const struct schedule_entry *a, const struct schedule_entry *b)
{
	/* Ties by id keep the order stable and the tests deterministic. */
	return a->due < b->due || (a->due == b->due && a->id < b->id);
}

static void
schedule_heap_place(struct schedule_heap *h, size_t i,
    struct schedule_entry e)
{
	h->e[i] = e;
	h->pos[e.id] = (uint32_t)i;
}

static void
schedule_heap_up(struct schedule_heap *h, size_t i)
{
	struct schedule_entry	 e = h->e[i];
	size_t			 parent;

	while (i > 0) {
		parent = (i - 1) / 2;
		if (!schedule_before(&e, &h->e[parent]))
			break;
		schedule_heap_place(h, i, h->e[parent]);
		i = parent;
	}
	schedule_heap_place(h, i, e);
}

static void
schedule_heap_down(struct schedule_heap *h, size_t i)
{
	struct schedule_entry	 e = h->e[i];
	size_t			 c;

	for (;;) {
		c = 2 * i + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && schedule_before(&h->e[c + 1], &h->e[c]))
			c++;
		if (!schedule_before(&h->e[c], &e))
			break;
		schedule_heap_place(h, i, h->e[c]);
		i = c;
	}
	schedule_heap_place(h, i, e);
}

void
schedule_heap_remove(struct schedule_heap *h, uint32_t id)
{
	size_t		 i;
	uint32_t	 moved;

	if (id >= h->npos || h->pos[id] == SCHEDULE_NOPOS)
		return;
	i = h->pos[id];
	h->pos[id] = SCHEDULE_NOPOS;
	if (--h->n == i)
		return;
	/* The last entry fills the hole, then goes down or up as needed. */
	moved = h->e[h->n].id;
	schedule_heap_place(h, i, h->e[h->n]);
	schedule_heap_down(h, i);
	schedule_heap_up(h, h->pos[moved]);
}

void
schedule_heap_set(struct schedule_heap *h, uint32_t id, int64_t due)
{
	struct schedule_entry	 e;
	size_t			 i, n;

	if (due == SCHEDULE_NEVER) {
		schedule_heap_remove(h, id);
		return;
	}
	if (id >= h->npos) {
		n = h->npos == 0 ? 64 : h->npos;
		while (n <= id)
			n *= 2;
		h->pos = xreallocarray(h->pos, n, sizeof *h->pos);
		for (i = h->npos; i < n; i++)
			h->pos[i] = SCHEDULE_NOPOS;
		h->npos = n;
	}
	e.due = due;
	e.id = id;
	if ((i = h->pos[id]) != SCHEDULE_NOPOS) {
		h->e[i].due = due;
		schedule_heap_up(h, i);
		schedule_heap_down(h, h->pos[id]);
		return;
	}
	if (h->n == h->cap) {
		h->cap = h->cap == 0 ? 64 : h->cap * 2;
		h->e = xreallocarray(h->e, h->cap, sizeof *h->e);
	}
	schedule_heap_place(h, h->n, e);
	schedule_heap_up(h, h->n++);
}

int
schedule_heap_peek(const struct schedule_heap *h, uint32_t *id,
    int64_t *due)
{
	if (h->n == 0)
		return -1;
	if (id != NULL)
		*id = h->e[0].id;
	if (due != NULL)
		*due = h->e[0].due;
	return 0;
}

int
schedule_heap_pop_due(struct schedule_heap *h, int64_t now, uint32_t *id)
{
	if (h->n == 0 || h->e[0].due > now)
		return -1;
	*id = h->e[0].id;
	schedule_heap_remove(h, *id);
	return 0;
}

size_t
schedule_heap_size(const struct schedule_heap *h)
{
	return h->n;
}

void
schedule_heap_shift(struct schedule_heap *h, int64_t delta)
{
	size_t	 i;

	for (i = 0; i < h->n; i++) {
		if (delta < 0 && h->e[i].due < INT64_MIN - delta)
			h->e[i].due = INT64_MIN;
		else if (delta > 0 && h->e[i].due > INT64_MAX - 1 - delta)
			h->e[i].due = INT64_MAX - 1;
		else
			h->e[i].due += delta;
	}
}

size_t
schedule_heap_bytes(const struct schedule_heap *h)
{
	return sizeof *h + h->cap * sizeof *h->e + h->npos * sizeof *h->pos;
}

/* ---- the driver ---------------------------------------------------------- */

struct schedule {
	uv_timer_t		 timer;
	const struct clock	*clock;
	int64_t			 last_now;	/* wall clock at the last run */
	int64_t			 last_mono;	/* and uv_now() then, in s */
	struct schedule_heap	*heap;
	schedule_due_cb		*due;
	void			*arg;
	int			 running;	/* inside schedule_run_due */
	int			 closing;
	void			(*close_cb)(void *);
	void			*close_arg;
};

static void	schedule_arm(struct schedule *);

static void
schedule_timer_cb(uv_timer_t *t)
{
	struct schedule	*s = t->data;

	schedule_run_due(s, clock_now(s->clock));
}

/* Arm the timer for the earliest due time (or stop it: nothing left). */
static void
schedule_arm(struct schedule *s)
{
	int64_t		 due, now;
	uint64_t	 ms;
	int		 rc;

	if (s->running || s->closing)
		return;		/* schedule_run_due arms once at the end */
	if (schedule_heap_peek(s->heap, NULL, &due) != 0) {
		if ((rc = uv_timer_stop(&s->timer)) != 0)
			log_error("schedule", "uv_timer_stop: %s",
			    uv_strerror(rc));
		return;
	}
	now = clock_now(s->clock);
	if (due <= now)
		ms = 0;
	else if (due - now > SCHEDULE_MAX_SLEEP_MS / 1000)
		ms = SCHEDULE_MAX_SLEEP_MS;
	else
		ms = (uint64_t)(due - now) * 1000;
	if ((rc = uv_timer_start(&s->timer, schedule_timer_cb, ms, 0)) != 0)
		log_error("schedule", "uv_timer_start: %s", uv_strerror(rc));
}

struct schedule *
schedule_new(uv_loop_t *loop, const struct clock *clock,
    schedule_due_cb *due, void *arg)
{
	struct schedule	*s;
	int		 rc;

	s = xcalloc(1, sizeof *s);
	if ((rc = uv_timer_init(loop, &s->timer)) != 0) {
		log_error("schedule", "uv_timer_init: %s", uv_strerror(rc));
		free(s);
		return NULL;
	}
	s->timer.data = s;
	s->clock = clock != NULL ? clock : clock_system();
	s->heap = schedule_heap_new();
	s->due = due;
	s->arg = arg;
	return s;
}

void
schedule_set(struct schedule *s, uint32_t id, int64_t due)
{
	int64_t	 first;
	int	 had;

	had = schedule_heap_peek(s->heap, NULL, &first) == 0;
	schedule_heap_set(s->heap, id, due);
	/* Re-arm only when the earliest time may have changed. */
	if (!had || due <= first || due == SCHEDULE_NEVER)
		schedule_arm(s);
}

void
schedule_remove(struct schedule *s, uint32_t id)
{
	schedule_heap_remove(s->heap, id);
	schedule_arm(s);
}

size_t
schedule_size(const struct schedule *s)
{
	return schedule_heap_size(s->heap);
}

struct schedule_heap *
schedule_get_heap(struct schedule *s)
{
	return s->heap;
}

size_t
schedule_run_due(struct schedule *s, int64_t now)
{
	size_t		 n = 0, limit = schedule_heap_size(s->heap);
	uint32_t	 id;
	int64_t		 mono, expect;

	/*
	 * The wall clock went back (an NTP step, a VM restored), judged
	 * against the loop's monotonic clock so that the real time between
	 * two runs is not mistaken for a jump: every due time was planned
	 * on the old clock, so move them all back by as much. A uniform
	 * shift keeps the heap's order. A jump forward needs nothing: what
	 * is overdue runs now, within the fetcher's limits.
	 */
	mono = (int64_t)(uv_now(s->timer.loop) / 1000);
	expect = s->last_now + (mono - s->last_mono);
	if (s->last_now != 0 && now < expect - SCHEDULE_JUMP_SLACK) {
		log_warn("schedule", "the clock went back %" PRId64 " s; "
		    "moving every due time back as much", expect - now);
		schedule_heap_shift(s->heap, now - expect);
	}
	s->last_now = now;
	s->last_mono = mono;

	/*
	 * The limit stops a callback that reschedules its feed at "now"
	 * from keeping us here forever; the timer comes back for it.
	 */
	s->running = 1;
	while (n < limit && schedule_heap_pop_due(s->heap, now, &id) == 0) {
		n++;
		s->due(id, s->arg);
	}
	s->running = 0;
	schedule_arm(s);
	return n;
}

static void
schedule_closed(uv_handle_t *h)
{
	struct schedule	*s = h->data;

	if (s->close_cb != NULL)
		s->close_cb(s->close_arg);
	schedule_heap_free(s->heap);
	free(s);
}

void
schedule_close(struct schedule *s, void (*cb)(void *), void *arg)
{
	s->close_cb = cb;
	s->close_arg = arg;
	s->closing = 1;
	uv_close((uv_handle_t *)&s->timer, schedule_closed);
}
