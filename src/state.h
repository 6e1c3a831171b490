/*
 * state.h: what feedfold remembers about each feed between fetches and
 * across restarts.
 *
 * Per feed, keyed by the URL as configured: the URL to fetch now (changed
 * by 301/308 redirects), the validators for conditional GET, when it was
 * last fetched and with what status, when it last succeeded, when it is
 * next due, its error streak, whether it is retired (410), and an estimate
 * of its posting rate.
 *
 * All feeds live in one text file, <state_dir>/feeds.state (format in
 * docs/fetching.md), read at start and rewritten atomically (temporary file,
 * fsync, rename, fsync of the folder). A state_saver debounces the writes
 * on the uv loop. A damaged file never stops feedfold: unreadable lines are
 * skipped with one warning and those feeds start fresh.
 */
#ifndef FEEDFOLD_STATE_H
#define FEEDFOLD_STATE_H

#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "errbuf.h"

#define STATE_FILE	"feeds.state"
/* next_due of a retired feed. */
#define STATE_NEVER	INT64_MAX

struct state_feed {
	char		*key;		/* the configured URL; never changes */
	char		*url;		/* the URL to fetch; never NULL */
	char		*etag;		/* or NULL */
	char		*last_modified;	/* or NULL */
	int64_t		 last_fetch;	/* Unix s; 0: never */
	int64_t		 last_success;	/* Unix s of the last 2xx or 304;
					   0: never, or not known */
	int64_t		 next_due;	/* Unix s; 0: unknown (first run) */
	int64_t		 interval;	/* the last interval chosen, s; 0 */
	int		 last_status;	/* HTTP status; <0: -enum fetch_error */
	int		 error_streak;	/* failures in a row */
	int		 retired;	/* 410: not fetched again */
	double		 rate;		/* new entries per second; <0 unknown */
	int64_t		 hint;		/* the body's ttl/sy hint, s; 0 none */
	int		 dropped;	/* state_feed_drop(): not saved */
	uint32_t	 id;		/* its index in the state, stable */
};

struct state;

struct state	*state_new(void);
void		 state_free(struct state *);

/*
 * The feed with this configured URL, or NULL. state_feed_add() creates it
 * (url = key, everything else unknown) if it is missing. The pointers stay
 * valid until state_free(); ids are dense, from 0, in order of creation.
 */
struct state_feed *state_feed_get(struct state *, const char *key);
struct state_feed *state_feed_add(struct state *, const char *key);
struct state_feed *state_feed_at(struct state *, uint32_t id);
size_t		 state_count(const struct state *);
/*
 * Forget a feed that left the config: it is no longer found or saved. Its
 * struct (and id) stay until state_free(); adding the key again brings the
 * same feed back, with its history.
 */
void		 state_feed_drop(struct state *, struct state_feed *);
/* Replace a string field (copied; NULL clears, except url: key). */
void		 state_feed_set(struct state_feed *, char **field,
		     const char *value);

/*
 * Read a state file into an empty state. A missing file is a first run
 * (returns 0). Damaged lines are skipped: one warning is logged naming the
 * file, the first bad line and how many were lost, and those feeds simply
 * start fresh. Returns -errno only when the file exists but cannot be read
 * (err says why); even then the state is usable, just empty.
 */
int		 state_load(struct state *, const char *path, struct errbuf *);
/*
 * Write every feed to path atomically: path.tmp, fsync, rename, fsync of
 * the folder (created if missing). Returns 0 or -errno (err says why);
 * on failure the previous file is left as it was.
 */
int		 state_save(struct state *, const char *path, struct errbuf *);
/* Feeds changed since the last successful save. */
void		 state_touch(struct state *);
int		 state_dirty(const struct state *);

/*
 * Debounced saving on a uv loop: state_saver_touch() marks the state dirty
 * and makes sure it is saved within delay_ms (so that a burst of fetch
 * results costs one write). Failures are logged and retried on the next
 * touch. state_saver_close() saves what is pending, then closes its timer;
 * cb (may be NULL) runs when the timer is closed. The saver does not own
 * the state.
 */
struct state_saver;
struct state_saver *state_saver_new(uv_loop_t *, struct state *,
		     const char *path, uint64_t delay_ms);
void		 state_saver_touch(struct state_saver *);
int		 state_saver_flush(struct state_saver *);
void		 state_saver_close(struct state_saver *, void (*cb)(void *),
		     void *arg);

#endif
