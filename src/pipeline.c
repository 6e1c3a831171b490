/*
 * pipeline.c: fetch -> parse -> stories -> records -> state, on one loop.
 *
 * Everything that touches shared state (the story store, the feed state,
 * the record folder, the scheduler) runs on the loop thread. Only parsing
 * goes to the uv thread pool: it reads the body and the feed's config and
 * nothing else, and hands back a list of entries.
 *
 * A fetch's life: pipeline_fetch() starts it; pipeline_fetched() gets the
 * answer; a body goes to the pool (pipeline_parse_work) and comes back in
 * pipeline_parsed(); then pipeline_commit() adds the entries to the
 * stories, writes the records that changed, syncs the folder, and only
 * then records the outcome in the feed's state (pipeline_feed_done). A
 * crash between the records and the state costs a re-fetch, never an
 * entry.
 *
 * `once` commits the feeds in the order of the configuration whatever
 * order their answers come in (a small reorder buffer), so that the same
 * feeds give the same records: the founding entry of a story is the one
 * from the feed listed first. `run` commits as answers come.
 *
 * Time. Stories live on the data's clock: the newest entry time seen
 * (never ahead of the wall clock, which future-dated entries are clamped
 * to). An entry older than stories.window on that clock when it is first
 * seen is not recorded: no open story can hold it, and recording it would
 * make a record that the next fetch could not recognise once its story had
 * closed. The clock is saved as the story snapshot's time, so a restart
 * reopens the same stories.
 */
#include <sys/stat.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "config.h"
#include "enrich.h"
#include "fetch.h"
#include "fsutil.h"
#include "log.h"
#include "metrics.h"
#include "parse.h"
#include "pipeline.h"
#include "record.h"
#include "record_write.h"
#include "schedule.h"
#include "seal.h"
#include "state.h"
#include "story.h"
#include "xmalloc.h"

/* Debounce of feed state writes: a burst of answers costs one write. */
#define PIPELINE_STATE_DELAY_MS	2000
/* How often `run` rewrites metrics_file. */
#define PIPELINE_METRICS_MS	(15 * 1000)
/* How often `run` saves the story snapshot when stories changed. */
#define PIPELINE_SNAPSHOT_MS	(5 * 60 * 1000)
#define PIPELINE_GRACE		5
/* What the parser is handed at a time (pipeline_parse_work). */
#define PIPELINE_PARSE_CHUNK	(64 * 1024)

/*
 * One configuration and the jobs that still read it: a reload swaps in a
 * new one, and the old one is freed when its last parse is done.
 */
struct pipeline_gen {
	struct config		*cfg;
	size_t			 refs;		/* the pipeline's + jobs' */
};

struct pipeline_feed {
	struct pipeline		*p;
	const struct config_feed *cf;		/* in the current config */
	struct state_feed	*sf;
	int			 busy;		/* fetch or parse in progress */
	int			 removed;	/* gone from the config: free
						   when its job is done */
};

/* One finished fetch on its way to commit: the answer and its entries. */
struct pipeline_job {
	uv_work_t		 work;
	struct pipeline		*p;
	struct pipeline_feed	*f;
	struct pipeline_gen	*gen;		/* holds cf's config */
	const struct config_feed *cf;		/* for the parser thread */
	size_t			 excerpt_length;
	size_t			 max_entries;	/* kept; the rest dropped */
	size_t			 seq;		/* once: commit order */
	int			 ready;		/* parsed (or nothing to parse) */
	int64_t			 fetched;

	/* The transfer, copied out of the fetch result. */
	int			 error;		/* enum fetch_error */
	char			 errmsg[256];
	int			 status;
	int			 not_modified;
	char			*permanent_url;
	char			*etag;
	char			*last_modified;
	int64_t			 retry_after;
	int64_t			 max_age;
	int64_t			 expires_in;

	/* The body and what the parser made of it (pool thread). */
	char			*body;
	size_t			 len;
	char			*base_url;
	char			*charset;
	struct entry		**entries;
	size_t			 nentries;
	size_t			 capentries;
	size_t			 dropped;	/* beyond max_entries */
	struct parse_feed_info	 info;
	int			 parse_rc;	/* 0, or -1 not a feed */
	struct errbuf		 parse_err;
};

/* A story touched by a commit, and how. */
enum pipeline_touch {
	PIPELINE_REFRESH,	/* a known member changed: rewrite if there */
	PIPELINE_MEMBER,	/* a member joined */
	PIPELINE_FOUNDED,	/* the story is new */
	PIPELINE_RETIRED,	/* merged into another: its record goes */
};

struct pipeline_touched {
	char			 id[17];
	enum pipeline_touch	 how;
};

struct pipeline {
	uv_loop_t		*loop;
	const struct config	*cfg;		/* gen->cfg */
	struct pipeline_gen	*gen;
	struct pipeline_opts	 opts;
	const struct clock	*clock;
	struct schedule_params	 sp;
	uint64_t		 seed;

	struct state		*state;
	char			*state_path;
	char			*snapshot_path;
	struct story_store	*stories;
	struct seal_key		*key;
	int64_t			 data_now;	/* the stories' clock */
	int			 stories_dirty;	/* since the last snapshot */

	struct pipeline_feed	**feeds;	/* one per configured feed */
	size_t			 nfeeds;
	struct pipeline_feed	**by_id;	/* state id -> feed */
	size_t			 nby_id;

	struct fetcher		*fetcher;
	struct schedule		*sched;
	struct state_saver	*saver;
	uv_timer_t		 tick;		/* snapshot; stop's grace */
	int			 started;
	int			 starting;	/* once: inside the start loop */
	int			 stopping;
	int			 closing;
	int			 closed;
	int			 fetcher_closed;
	int			 nopen;		/* handles still to close */
	size_t			 inflight;	/* fetched or parsing */
	void			(*stop_cb)(void *);
	void			*stop_arg;

	/* once: jobs by start order, committed in that order. */
	struct pipeline_job	**order;
	size_t			 norder;
	size_t			 next_commit;

	struct pipeline_touched	*touched;	/* scratch of one commit */
	size_t			 ntouched;
	size_t			 captouched;
	/* Stories whose record could not be written: retried each commit. */
	struct pipeline_touched	*dirty;
	size_t			 ndirty;

	struct pipeline_stats	 stats;

	struct enricher		*enricher;	/* NULL: no enrichment */
	struct entry		**enrich_queue;	/* new entries of a commit */
	size_t			 nenrich;

	struct metrics		 metrics;
	struct metrics_writer	*metrics_writer;
	struct metrics_feed	*metrics_feeds;	/* refreshed before a write */
};

static void	pipeline_maybe_close(struct pipeline *);
static void	pipeline_handle_closed(void *);

static struct pipeline_gen *
pipeline_gen_new(struct config *cfg)
{
	struct pipeline_gen	*g = xcalloc(1, sizeof *g);

	g->cfg = cfg;
	g->refs = 1;
	return g;
}

static void
pipeline_gen_unref(struct pipeline_gen *g)
{
	if (g != NULL && --g->refs == 0) {
		config_free(g->cfg);
		free(g);
	}
}

static struct pipeline_feed *
pipeline_feed_new(struct pipeline *p, const struct config_feed *cf)
{
	struct pipeline_feed	*f = xcalloc(1, sizeof *f);
	uint32_t		 id;

	f->p = p;
	f->cf = cf;
	f->sf = state_feed_add(p->state, cf->url);
	id = f->sf->id;
	if (id >= p->nby_id) {
		p->by_id = xreallocarray(p->by_id, (size_t)id + 1,
		    sizeof *p->by_id);
		memset(p->by_id + p->nby_id, 0,
		    ((size_t)id + 1 - p->nby_id) * sizeof *p->by_id);
		p->nby_id = (size_t)id + 1;
	}
	p->by_id[id] = f;
	return f;
}

static int
pipeline_folder(const char *what, const char *path, struct errbuf *err)
{
	struct stat	 st;
	int		 rc;

	if ((rc = fs_mkdirs(path, 0755)) != 0) {
		errbuf_set(err, "%s %s: cannot create: %s", what, path,
		    strerror(-rc));
		return rc;
	}
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
		errbuf_set(err, "%s %s: not a folder", what, path);
		return -ENOTDIR;
	}
	/*
	 * Not writable is a fault that may clear (a read-only remount, a
	 * full disk): say so and start anyway; each write that fails is
	 * logged and retried.
	 */
	if (access(path, W_OK | X_OK) != 0)
		log_error("write", "%s %s: not writable: %s; records will be "
		    "retried until it is", what, path, strerror(errno));
	return 0;
}

/* The scheduler's rules from cfg, with the first cycle's spread of opts. */
static void
pipeline_schedule_params(struct pipeline *p, const struct config *cfg)
{
	schedule_params_from_config(&p->sp, cfg);
	if (p->opts.once)
		p->sp.first_spread = 0;
	else if (p->opts.first_spread >= 0)
		p->sp.first_spread = p->opts.first_spread;
}

struct pipeline *
pipeline_new(uv_loop_t *loop, struct config *cfg,
    const struct pipeline_opts *opts, struct errbuf *err)
{
	struct pipeline		*p;
	struct errbuf		 e;
	int64_t			 now, saved;
	size_t			 i;
	int			 rc;

	if (pipeline_folder("output_dir", cfg->output_dir, err) != 0 ||
	    pipeline_folder("state_dir", cfg->state_dir, err) != 0) {
		config_free(cfg);
		return NULL;
	}

	p = xcalloc(1, sizeof *p);
	p->loop = loop;
	p->gen = pipeline_gen_new(cfg);
	p->cfg = cfg;
	p->opts = *opts;
	if (p->opts.grace <= 0)
		p->opts.grace = PIPELINE_GRACE;
	p->clock = opts->clock != NULL ? opts->clock : clock_system();
	now = clock_now(p->clock);
	pipeline_schedule_params(p, cfg);
	p->seed = (uint64_t)now * 0x9e3779b97f4a7c15ULL ^ (uint64_t)getpid();
	if (p->seed == 0)
		p->seed = 1;

	if (cfg->secured_key_file != NULL &&
	    (p->key = seal_key_load(cfg->secured_key_file, err)) == NULL) {
		pipeline_gen_unref(p->gen);
		free(p);
		return NULL;
	}

	/* libxml2 must be initialised on the main thread before the pool. */
	xmlInitParser();

	if ((rc = record_write_cleanup(cfg->output_dir, &e)) < 0)
		log_warn("write", "%s", e.msg);
	else if (rc > 0)
		log_notice("write", "%s: removed %d temporary files left by a "
		    "crash", cfg->output_dir, rc);

	p->state = state_new();
	p->state_path = xasprintf("%s/%s", cfg->state_dir, STATE_FILE);
	if (state_load(p->state, p->state_path, &e) != 0)
		log_warn("state", "%s; starting without feed state", e.msg);

	/* Feeds of the state that left the config keep their lines. */
	p->nby_id = state_count(p->state);
	p->by_id = xcalloc(p->nby_id ? p->nby_id : 1, sizeof *p->by_id);
	p->nfeeds = cfg->nfeeds;
	p->feeds = xcalloc(p->nfeeds ? p->nfeeds : 1, sizeof *p->feeds);
	for (i = 0; i < p->nfeeds; i++)
		p->feeds[i] = pipeline_feed_new(p, &cfg->feeds[i]);
	p->stats.feeds = p->nfeeds;
	metrics_init(&p->metrics);
	p->metrics.start_time = now;

	/*
	 * The stories' clock from the snapshot. Without one (a first run, or
	 * a lost snapshot) the records are restored on the wall clock, and
	 * the first entries set the stories' clock.
	 */
	p->snapshot_path = xasprintf("%s/%s", cfg->state_dir,
	    PIPELINE_SNAPSHOT);
	saved = story_snapshot_time(p->snapshot_path);
	p->data_now = saved > 0 && saved <= now ? saved : INT64_MIN;
	p->stories = story_store_new(&cfg->stories);
	rc = story_restore(p->stories, cfg->output_dir, p->snapshot_path,
	    p->data_now != INT64_MIN ? p->data_now : now, &e);
	if (rc < 0)
		log_warn("story", "%s; starting without stories", e.msg);
	else if (rc > 0)
		log_info("story", "%d open stories restored from %s", rc,
		    cfg->output_dir);
	return p;
}

/* ---- committing ---------------------------------------------------------- */

static void
pipeline_touch(struct pipeline *p, const char *id, enum pipeline_touch how)
{
	struct pipeline_touched	*t;

	if (p->ntouched == p->captouched) {
		p->captouched = p->captouched ? p->captouched * 2 : 64;
		p->touched = xreallocarray(p->touched, p->captouched,
		    sizeof *p->touched);
	}
	t = &p->touched[p->ntouched++];
	memcpy(t->id, id, sizeof t->id);
	t->how = how;
}

/* By id, the strongest touch first, so that a run of one id starts with
 * what it needs. */
static int
pipeline_touched_cmp(const void *a, const void *b)
{
	const struct pipeline_touched	*x = a, *y = b;
	int				 c;

	if ((c = strcmp(x->id, y->id)) != 0)
		return c;
	return (int)y->how - (int)x->how;
}

/*
 * Write every record that this commit changed, then sync the folder once.
 * Returns the number of failures.
 */
static int
pipeline_write(struct pipeline *p)
{
	struct record_write_opts wo;
	struct record		*r;
	struct errbuf		 err;
	const char		*dir = p->cfg->output_dir;
	char			*path;
	size_t			 i;
	int			 rc, failed = 0, written = 0, removed = 0;

	/* What failed before is tried again with this batch. */
	for (i = 0; i < p->ndirty; i++)
		pipeline_touch(p, p->dirty[i].id, p->dirty[i].how);
	p->ndirty = 0;
	if (p->ntouched == 0)
		return 0;
	qsort(p->touched, p->ntouched, sizeof *p->touched,
	    pipeline_touched_cmp);
	record_write_opts_init(&wo);
	wo.mode = p->cfg->record_mode;
	wo.fsync_dir = 0;
	wo.key = p->key;
	for (i = 0; i < p->ntouched; i++) {
		struct pipeline_touched *t = &p->touched[i];

		if ((i > 0 && strcmp(t->id, p->touched[i - 1].id) == 0) ||
		    t->how == PIPELINE_RETIRED)
			continue;
		if (t->how == PIPELINE_FOUNDED)
			p->stats.stories_new++;
		else if (t->how == PIPELINE_MEMBER)
			p->stats.stories_updated++;
		if ((r = story_record(p->stories, t->id)) == NULL)
			continue;	/* closed or merged meanwhile */
		wo.how = t->how == PIPELINE_REFRESH ? RECORD_WRITE_UPDATE :
		    RECORD_WRITE_CREATE;
		rc = record_write_file(dir, t->id, r, &wo, &err);
		record_free(r);
		if (rc < 0) {
			log_error("write", "%s", err.msg);
			p->stats.write_errors++;
			failed++;
			p->dirty = xreallocarray(p->dirty, p->ndirty + 1,
			    sizeof *p->dirty);
			/* Retried as it was asked: a refresh still does not
			 * bring back a record the consumer deleted. */
			p->dirty[p->ndirty++] = *t;
		} else if (rc == 0) {
			p->stats.records_written++;
			written++;
		}
	}
	if (written > 0 && record_write_sync(dir, &err) != 0) {
		log_error("write", "%s", err.msg);
		failed++;
	}

	/*
	 * Only now, with the stories they merged into safely on disk, do the
	 * records of merged stories go: removing one first would leave its
	 * members in no file if we died in between. Nothing goes if a write
	 * failed: a member in two files beats a member in none.
	 */
	for (i = 0; i < p->ntouched && failed == 0; i++) {
		struct pipeline_touched *t = &p->touched[i];

		if (t->how != PIPELINE_RETIRED ||
		    (i > 0 && strcmp(t->id, p->touched[i - 1].id) == 0))
			continue;
		path = xasprintf("%s/%s.yaml", dir, t->id);
		if (unlink(path) == 0) {
			p->stats.records_removed++;
			removed++;
			log_info("write", "%s: merged into another story, "
			    "removed", path);
		} else if (errno != ENOENT)
			log_warn("write", "%s: %s", path, strerror(errno));
		free(path);
	}
	p->ntouched = 0;
	if (removed > 0 && record_write_sync(dir, &err) != 0)
		log_error("write", "%s", err.msg);
	return failed;
}

/* ---- enrichment ---------------------------------------------------------- */

/* What to enrich for an entry of this feed: page, images, or nothing. */
static void
pipeline_enrich_opts(const struct pipeline *p, const struct config_feed *cf,
    struct enrich_opts *o)
{
	memset(o, 0, sizeof *o);
	o->pages = cf != NULL && cf->enrich != CONFIG_UNSET ? cf->enrich :
	    p->cfg->enrich;
	o->images = p->cfg->images.cache;
	o->image_max = (size_t)p->cfg->images.max_bytes;
	o->private_ok = p->cfg->allow_private_addresses;
}

/* A new entry: remember a copy to enrich once its record is written. */
static void
pipeline_enrich_want(struct pipeline *p, const struct pipeline_job *j,
    const struct entry *e)
{
	struct enrich_opts	 o;

	if (p->enricher == NULL || p->stopping)
		return;
	pipeline_enrich_opts(p, j->cf, &o);
	if (!o.pages && !(o.images && e->nimages > 0))
		return;
	p->enrich_queue = xreallocarray(p->enrich_queue, p->nenrich + 1,
	    sizeof *p->enrich_queue);
	p->enrich_queue[p->nenrich++] = entry_dup(e);
}

static void
pipeline_enriched(struct entry *e, int changed, void *arg)
{
	struct pipeline		*p = arg;
	struct story_result	 res;

	/* An update of a known member: the record is rewritten if there. */
	if (changed && story_add(p->stories, e, &res) == 0 &&
	    res.change == STORY_UPDATED) {
		pipeline_touch(p, res.id, PIPELINE_REFRESH);
		pipeline_write(p);
		p->stories_dirty = 1;
	}
	entry_free(e);
	p->inflight--;
	pipeline_maybe_close(p);
}

/* Start the enrichment of the entries a commit wrote. */
static void
pipeline_enrich_start(struct pipeline *p, const struct config_feed *cf)
{
	struct enrich_opts	 o;
	size_t			 i;

	pipeline_enrich_opts(p, cf, &o);
	for (i = 0; i < p->nenrich; i++) {
		p->inflight++;
		if (enrich_start(p->enricher, p->enrich_queue[i], &o,
		    pipeline_enriched, p) != 0) {
			p->inflight--;
			entry_free(p->enrich_queue[i]);
		}
	}
	p->nenrich = 0;
}

/* Add a job's entries to the stories; returns the number of new ones. */
static int
pipeline_add_entries(struct pipeline *p, struct pipeline_job *j)
{
	struct story_result	 res;
	struct entry		*e;
	int64_t			 newest = INT64_MIN, oldest_ok, when;
	size_t			 i;
	int			 nnew = 0, old = 0;

	/*
	 * Dates in the future are the publisher's mistake: clamp them. An
	 * undated entry counts at its fetch time, as the stories see it.
	 */
	for (i = 0; i < j->nentries; i++) {
		e = j->entries[i];
		if (e->published != ENTRY_NO_DATE && e->published > j->fetched)
			e->published = j->fetched;
		when = e->published != ENTRY_NO_DATE ? e->published :
		    j->fetched;
		if (when > newest)
			newest = when;
	}
	if (newest > p->data_now)
		p->data_now = newest;
	if (p->data_now == INT64_MIN)
		oldest_ok = INT64_MIN;	/* no dates at all yet */
	else
		oldest_ok = p->data_now - p->cfg->stories.window;

	for (i = 0; i < j->nentries; i++) {
		e = j->entries[i];
		p->stats.entries++;
		if (e->published != ENTRY_NO_DATE && e->published < oldest_ok) {
			old++;
			continue;
		}
		if (story_add(p->stories, e, &res) != 0)
			continue;
		if (!res.duplicate) {
			nnew++;
			p->stats.entries_new++;
			pipeline_enrich_want(p, j, e);
		}
		if (res.change == STORY_NEW)
			pipeline_touch(p, res.id, PIPELINE_FOUNDED);
		else if (res.change == STORY_UPDATED)
			pipeline_touch(p, res.id, res.duplicate ?
			    PIPELINE_REFRESH : PIPELINE_MEMBER);
		if (res.retired[0] != '\0')
			pipeline_touch(p, res.retired, PIPELINE_RETIRED);
	}
	if (old > 0)
		log_debug("story", "%s: %d entries older than the story window "
		    "skipped", j->cf->url, old);
	if (nnew > 0 || j->nentries > 0)
		p->stories_dirty = 1;
	return nnew;
}

static void
pipeline_job_free(struct pipeline_job *j)
{
	size_t	 i;

	for (i = 0; i < j->nentries; i++)
		entry_free(j->entries[i]);
	free(j->entries);
	parse_feed_info_clear(&j->info);
	free(j->permanent_url);
	free(j->etag);
	free(j->last_modified);
	free(j->body);
	free(j->base_url);
	free(j->charset);
	pipeline_gen_unref(j->gen);
	free(j);
}

/* The outcome is known: state, schedule, counters. */
static void
pipeline_feed_done(struct pipeline *p, struct pipeline_feed *f,
    const struct schedule_outcome *o, int64_t now)
{
	int64_t	 next, interval;
	int	 was_retired = f->sf->retired;

	interval = f->cf != NULL && f->cf->interval != CONFIG_UNSET ?
	    f->cf->interval : 0;
	next = schedule_apply(f->sf, o, now, interval, &p->sp, &p->seed);
	if (p->sched != NULL && !p->stopping && !f->removed)
		schedule_set(p->sched, f->sf->id, next);
	state_saver_touch(p->saver);
	if (f->sf->retired && !was_retired)
		p->stats.retired++;
	f->busy = 0;
	if (f->removed)
		free(f);
	p->inflight--;
	p->stats.done++;
	if (p->opts.progress != NULL)
		p->opts.progress(p->opts.progress_arg);
	pipeline_maybe_close(p);
}

static void
pipeline_commit(struct pipeline *p, struct pipeline_job *j)
{
	struct pipeline_feed	*f = j->f;
	struct schedule_outcome	 o;
	const char		*url = f->sf->url;
	int			 nnew = -1, failed = 0, usable = 1;
	int64_t			 now = clock_now(p->clock);

	schedule_outcome_init(&o);
	o.error = j->error;
	o.status = j->status;
	o.permanent_url = j->permanent_url;
	o.retry_after = j->retry_after;
	o.max_age = j->max_age;
	o.expires_in = j->expires_in;
	o.etag = j->etag;
	o.last_modified = j->last_modified;

	if (j->error == FETCH_ERR_CANCELLED) {
		/* Stopped before an answer: nothing to record. */
		f->busy = 0;
		if (f->removed)
			free(f);
		p->inflight--;
		pipeline_job_free(j);
		pipeline_maybe_close(p);
		return;
	}
	if (j->error != FETCH_OK) {
		p->stats.failed++;
		log_warn("fetch", "%s: %s", url, j->errmsg);
	} else if (j->not_modified) {
		p->stats.not_modified++;
		nnew = 0;
		log_info("fetch", "%s: not modified", url);
	} else if (j->status < 200 || j->status > 299) {
		if (j->status != 410)
			p->stats.failed++;
		log_warn("fetch", "%s: HTTP %d", url, j->status);
	} else if (j->parse_rc != 0) {
		p->stats.failed++;
		usable = 0;
		log_warn("parse", "%s: %s", url, j->parse_err.msg);
	} else {
		p->stats.fetched++;
		nnew = pipeline_add_entries(p, j);
		failed = pipeline_write(p);
		/* After the records: enrichment never delays one. */
		if (p->nenrich > 0)
			pipeline_enrich_start(p, j->cf);
		if (failed > 0) {
			/*
			 * Records could not be written: forget the
			 * validators, so that the next fetch brings the body
			 * again instead of a 304 for entries we lost.
			 */
			usable = 0;
			log_error("write", "%s: %d records not written; the "
			    "feed will be fetched in full again", url, failed);
		}
		if (j->dropped > 0)
			log_warn("parse", "%s: %zu entries beyond max_entries "
			    "(%zu) dropped", url, j->dropped, j->max_entries);
		if (j->info.ttl > 0)
			o.ttl = (int64_t)j->info.ttl * 60;
		if (j->info.update_interval > 0)
			o.update_period = j->info.update_interval;
		log_info("fetch", "%s: %d, %zu entries, %d new", url,
		    j->status, j->nentries, nnew);
	}
	if (!usable) {
		o.etag = NULL;
		o.last_modified = NULL;
	}
	o.new_entries = nnew;
	pipeline_feed_done(p, f, &o, now);
	pipeline_job_free(j);
}

/* once: commit the jobs that are next in start order. */
static void
pipeline_ready(struct pipeline *p, struct pipeline_job *j)
{
	j->ready = 1;
	if (!p->opts.once) {
		pipeline_commit(p, j);
		return;
	}
	while (p->next_commit < p->norder &&
	    p->order[p->next_commit] != NULL &&
	    p->order[p->next_commit]->ready) {
		j = p->order[p->next_commit];
		p->order[p->next_commit++] = NULL;
		pipeline_commit(p, j);
	}
}

/* ---- parsing, on the thread pool ---------------------------------------- */

/*
 * Keep the first max_entries entries of a document: a body under max_body
 * can still hold hundreds of thousands of tiny items, each of which would
 * cost a record file and story memory. Feeds list the newest first, so
 * the first ones are the ones worth having. The rest are freed at once,
 * only counted, so that memory stays bounded by max_entries.
 */
static void
pipeline_collect(struct entry *e, void *arg)
{
	struct pipeline_job	*j = arg;

	if (j->nentries >= j->max_entries) {
		entry_free(e);
		j->dropped++;
		return;
	}
	if (j->nentries == j->capentries) {
		j->capentries = j->capentries ? j->capentries * 2 : 32;
		j->entries = xreallocarray(j->entries, j->capentries,
		    sizeof *j->entries);
	}
	j->entries[j->nentries++] = e;
}

static void
pipeline_parse_work(uv_work_t *w)
{
	struct pipeline_job	*j = w->data;
	struct parse_opts	 po;
	struct parser		*ps;
	size_t			 off, n;

	memset(&po, 0, sizeof po);
	po.url = j->base_url;
	po.charset = j->charset;
	po.feed = j->cf;
	po.excerpt_length = j->excerpt_length;
	po.fetched = j->fetched;
	errbuf_clear(&j->parse_err);
	/*
	 * In pieces, as if from the network: libxml2 copies what it is
	 * pushed into its own input buffer, and a whole body at once would
	 * hold it twice (up to 2 x max_body).
	 */
	ps = parser_new(&po, pipeline_collect, j);
	for (off = 0; off < j->len; off += n) {
		n = j->len - off < PIPELINE_PARSE_CHUNK ? j->len - off :
		    PIPELINE_PARSE_CHUNK;
		if (parser_feed(ps, j->body + off, n) != 0)
			break;
	}
	j->parse_rc = parser_finish(ps, &j->info, &j->parse_err);
	parser_free(ps);
	free(j->body);
	j->body = NULL;
}

static void
pipeline_parsed(uv_work_t *w, int status)
{
	struct pipeline_job	*j = w->data;

	if (status != 0) {
		/* Cancelled work (cannot happen: we never cancel). */
		j->parse_rc = -1;
		errbuf_set(&j->parse_err, "parse: %s", uv_strerror(status));
	}
	pipeline_ready(j->p, j);
}

/* ---- fetching ------------------------------------------------------------ */

static char *
pipeline_strdup(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void
pipeline_fetched(struct fetch_result *res, void *arg)
{
	struct pipeline_job	*j = arg;
	struct pipeline		*p = j->p;
	int			 rc;

	j->error = (int)res->error;
	snprintf(j->errmsg, sizeof j->errmsg, "%s", res->errmsg);
	j->status = (int)res->status;
	j->not_modified = res->not_modified;
	j->permanent_url = pipeline_strdup(res->permanent_url);
	j->etag = pipeline_strdup(res->etag);
	j->last_modified = pipeline_strdup(res->last_modified);
	j->retry_after = res->retry_after;
	j->max_age = res->max_age;
	j->expires_in = res->expires_in;
	p->stats.bytes += res->body.len;
	if (res->error != FETCH_ERR_CANCELLED)
		metrics_count_fetch(&p->metrics, metrics_fetch_kind(res->error,
		    res->status, res->not_modified), res->seconds,
		    res->body.len);

	if (res->error != FETCH_OK || res->not_modified ||
	    res->status < 200 || res->status > 299) {
		pipeline_ready(p, j);
		return;
	}
	j->body = fetch_result_take_body(res, &j->len);
	j->base_url = xstrdup(res->final_url != NULL ? res->final_url :
	    res->url);
	j->charset = pipeline_strdup(res->charset);
	j->work.data = j;
	if ((rc = uv_queue_work(p->loop, &j->work, pipeline_parse_work,
	    pipeline_parsed)) != 0) {
		/* Only on a broken loop; parse here rather than lose it. */
		log_warn("parse", "uv_queue_work: %s", uv_strerror(rc));
		pipeline_parse_work(&j->work);
		pipeline_ready(p, j);
	}
}

static void
pipeline_fetch(struct pipeline *p, struct pipeline_feed *f)
{
	struct pipeline_job	*j;
	struct fetch_req	 req;
	int			 rc;

	if (f->busy || f->sf->retired)
		return;
	j = xcalloc(1, sizeof *j);
	j->p = p;
	j->f = f;
	j->cf = f->cf;
	j->gen = p->gen;
	j->gen->refs++;
	j->excerpt_length = (size_t)p->cfg->excerpt_length;
	j->max_entries = (size_t)p->cfg->max_entries;
	j->fetched = clock_now(p->clock);
	j->retry_after = j->max_age = j->expires_in = -1;
	memset(&req, 0, sizeof req);
	req.url = f->sf->url;
	req.etag = f->sf->etag;
	req.last_modified = f->sf->last_modified;
	/* file:// only for feeds the user configured as files. */
	req.allow_file = strncmp(f->cf->url, "file:", 5) == 0;
	f->busy = 1;
	p->inflight++;
	p->stats.started++;
	if (p->opts.once) {
		if (p->norder % 64 == 0)
			p->order = xreallocarray(p->order, p->norder + 64,
			    sizeof *p->order);
		j->seq = p->norder;
		p->order[p->norder++] = j;
	}
	if ((rc = fetcher_start(p->fetcher, &req, pipeline_fetched, j)) != 0) {
		j->error = FETCH_ERR_OTHER;
		snprintf(j->errmsg, sizeof j->errmsg, "cannot start: %s",
		    strerror(-rc));
		pipeline_ready(p, j);
	}
}

static void
pipeline_due(uint32_t id, void *arg)
{
	struct pipeline	*p = arg;

	if (id < p->nby_id && p->by_id[id] != NULL && !p->stopping)
		pipeline_fetch(p, p->by_id[id]);
}

/* ---- health and metrics ------------------------------------------------- */

void
pipeline_health(const struct pipeline *p, struct pipeline_health *h)
{
	const struct state_feed	*sf;
	struct story_stats	 ss;
	size_t			 i;

	memset(h, 0, sizeof *h);
	h->feeds = p->nfeeds;
	for (i = 0; i < p->nfeeds; i++) {
		sf = p->feeds[i]->sf;
		if (sf->retired)
			h->retired++;
		else if (sf->error_streak > 0)
			h->failing++;
		else if (sf->last_fetch > 0)
			h->ok++;
	}
	story_get_stats(p->stories, &ss);
	h->stories = ss.stories;
	h->story_entries = ss.entries;
}

static void
pipeline_metrics_refresh(struct metrics *m, void *arg)
{
	struct pipeline		*p = arg;
	struct pipeline_health	 h;
	const struct state_feed	*sf;
	size_t			 i, n;

	pipeline_health(p, &h);
	m->entries_seen = p->stats.entries;
	m->entries_new = p->stats.entries_new;
	m->stories_new = p->stats.stories_new;
	m->stories_updated = p->stats.stories_updated;
	m->feeds_ok = h.ok;
	m->feeds_failing = h.failing;
	m->feeds_retired = h.retired;
	/* Only the series that will be written: the first max_feeds. */
	n = p->nfeeds < m->max_feeds ? p->nfeeds : m->max_feeds;
	free(p->metrics_feeds);
	p->metrics_feeds = xcalloc(n ? n : 1, sizeof *p->metrics_feeds);
	for (i = 0; i < n; i++) {
		sf = p->feeds[i]->sf;
		p->metrics_feeds[i].url = p->feeds[i]->cf->url;
		p->metrics_feeds[i].last_status = sf->last_status;
		p->metrics_feeds[i].last_success = 0;
		p->metrics_feeds[i].error_streak = sf->error_streak;
	}
	m->feeds = p->metrics_feeds;
	m->nfeeds = p->nfeeds;
}

static void
pipeline_metrics_start(struct pipeline *p)
{
	if (p->cfg->metrics_file == NULL)
		return;
	p->metrics_writer = metrics_writer_new(p->loop, &p->metrics,
	    p->cfg->metrics_file, PIPELINE_METRICS_MS,
	    pipeline_metrics_refresh, p);
	if (p->metrics_writer != NULL)
		metrics_writer_flush(p->metrics_writer);
}

static void
pipeline_metrics_stop(struct pipeline *p)
{
	/* The writer writes one last time as it closes. */
	metrics_writer_close(p->metrics_writer);
	p->metrics_writer = NULL;
}

/* ---- start and stop ------------------------------------------------------ */

static void
pipeline_snapshot(struct pipeline *p)
{
	struct errbuf	 err;

	if (!p->stories_dirty || p->data_now == INT64_MIN)
		return;
	/*
	 * A snapshot now would remember members whose records are not on
	 * disk, and a restart would take their re-fetch for a repeat and
	 * never write them. Without it, the restart rebuilds from the
	 * records, and those members come back as new.
	 */
	if (p->ndirty > 0) {
		log_warn("story", "%zu records still to write: snapshot not "
		    "saved", p->ndirty);
		return;
	}
	if (story_snapshot_save(p->stories, p->snapshot_path, p->data_now,
	    &err) != 0)
		log_warn("story", "snapshot: %s", err.msg);
	else
		p->stories_dirty = 0;
}

static void
pipeline_tick(uv_timer_t *t)
{
	struct pipeline	*p = t->data;

	if (p->stopping) {
		/* The grace period is over: cancel what is left. */
		if (!p->fetcher_closed) {
			log_notice("fetch", "%zu transfers still running; "
			    "cancelled", p->inflight);
			p->fetcher_closed = 1;
			fetcher_close(p->fetcher, pipeline_handle_closed, p);
		}
		return;
	}
	pipeline_snapshot(p);
}

static int
pipeline_any_feed_enriched(const struct pipeline *p)
{
	size_t	 i;

	for (i = 0; i < p->nfeeds; i++) {
		if (p->feeds[i]->cf->enrich == 1)
			return 1;
	}
	return 0;
}

int
pipeline_start(struct pipeline *p, struct errbuf *err)
{
	struct fetch_opts	 fo;
	struct pipeline_feed	*f;
	char			 msg[256];
	int64_t			 now, due;
	size_t			 i;
	int			 rc;

	fetch_opts_from_config(&fo, p->cfg);
	if ((p->fetcher = fetcher_new(p->loop, &fo, msg, sizeof msg)) == NULL) {
		errbuf_set(err, "%s", msg);
		return -1;
	}
	p->nopen++;
	if (p->cfg->enrich || p->cfg->images.cache ||
	    pipeline_any_feed_enriched(p))
		p->enricher = enricher_new(p->fetcher, p->cfg->cache_dir,
		    p->cfg->images.cache_max);
	if ((p->saver = state_saver_new(p->loop, p->state, p->state_path,
	    PIPELINE_STATE_DELAY_MS)) == NULL) {
		errbuf_set(err, "cannot start the state saver");
		return -1;
	}
	p->nopen++;
	if ((rc = uv_timer_init(p->loop, &p->tick)) != 0) {
		errbuf_set(err, "uv_timer_init: %s", uv_strerror(rc));
		return -1;
	}
	p->tick.data = p;
	p->nopen++;
	p->started = 1;
	pipeline_metrics_start(p);

	now = clock_now(p->clock);
	if (p->opts.once) {
		p->starting = 1;
		for (i = 0; i < p->nfeeds; i++) {
			f = p->feeds[i];
			if (f->sf->retired) {
				p->stats.inactive++;
				continue;
			}
			/* The stored due time, unless the clock went back. */
			due = schedule_initial_due(f->sf, now, &p->sp,
			    &p->seed);
			if (p->opts.force || due <= now)
				pipeline_fetch(p, f);
			else
				p->stats.not_due++;
		}
		p->starting = 0;
		if (p->inflight == 0)
			p->stopping = 1;
		pipeline_maybe_close(p);
		return 0;
	}

	if ((p->sched = schedule_new(p->loop, p->clock, pipeline_due,
	    p)) == NULL) {
		errbuf_set(err, "cannot start the scheduler");
		return -1;
	}
	p->nopen++;
	for (i = 0; i < p->nfeeds; i++) {
		f = p->feeds[i];
		if (f->sf->retired) {
			p->stats.inactive++;
			continue;
		}
		due = schedule_initial_due(f->sf, now, &p->sp, &p->seed);
		schedule_set(p->sched, f->sf->id, due);
	}
	uv_timer_start(&p->tick, pipeline_tick, PIPELINE_SNAPSHOT_MS,
	    PIPELINE_SNAPSHOT_MS);
	return 0;
}

static void
pipeline_handle_closed(void *arg)
{
	struct pipeline	*p = arg;

	if (--p->nopen > 0)
		return;
	p->closed = 1;
	if (p->stop_cb != NULL)
		p->stop_cb(p->stop_arg);
}

static void
pipeline_tick_closed(uv_handle_t *h)
{
	pipeline_handle_closed(h->data);
}

static void
pipeline_schedule_closed(void *arg)
{
	struct pipeline	*p = arg;

	p->sched = NULL;
	pipeline_handle_closed(p);
}

/* Once nothing is in flight any more, flush and close everything. */
static void
pipeline_maybe_close(struct pipeline *p)
{
	/*
	 * once: done when nothing is in flight, neither a feed nor an
	 * enrichment. Deciding this only when a feed finished left `once`
	 * unclosed whenever an enrichment outlasted the last feed: no story
	 * snapshot, the fetcher's and state saver's handles left open (found
	 * by tests/valgrind.sh's check of uv_loop_close).
	 */
	if (p->opts.once && p->started && !p->starting && p->inflight == 0)
		p->stopping = 1;
	if (!p->stopping || p->closing || p->inflight > 0 || !p->started)
		return;
	p->closing = 1;
	pipeline_snapshot(p);
	pipeline_metrics_stop(p);
	if (p->sched != NULL)
		schedule_close(p->sched, pipeline_schedule_closed, p);
	uv_timer_stop(&p->tick);
	uv_close((uv_handle_t *)&p->tick, pipeline_tick_closed);
	if (!p->fetcher_closed) {
		p->fetcher_closed = 1;
		fetcher_close(p->fetcher, pipeline_handle_closed, p);
	}
	/* Records are synced by now; the state follows them. */
	state_saver_close(p->saver, pipeline_handle_closed, p);
}

void
pipeline_stop(struct pipeline *p, void (*cb)(void *), void *arg)
{
	p->stop_cb = cb;
	p->stop_arg = arg;
	if (p->closed || !p->started) {
		if (cb != NULL)
			cb(arg);
		return;
	}
	if (p->stopping) {
		/* A second signal: do not wait for the grace period. */
		if (!p->closing && !p->fetcher_closed) {
			log_notice("fetch", "stopping now: %zu transfers "
			    "cancelled", p->inflight);
			p->fetcher_closed = 1;
			fetcher_close(p->fetcher, pipeline_handle_closed, p);
		}
		return;
	}
	p->stopping = 1;
	if (p->sched != NULL) {
		schedule_close(p->sched, pipeline_schedule_closed, p);
		p->sched = NULL;
	}
	if (p->inflight > 0) {
		log_notice("fetch", "stopping: waiting up to %d s for %zu "
		    "feeds", p->opts.grace, p->inflight);
		uv_timer_start(&p->tick, pipeline_tick,
		    (uint64_t)p->opts.grace * 1000, 0);
	}
	pipeline_maybe_close(p);
}

int
pipeline_reload(struct pipeline *p, struct config *cfg, struct errbuf *err)
{
	const struct config	*old = p->cfg;
	struct pipeline_feed	**feeds, *f;
	struct state_feed	*sf;
	struct seal_key		*key = NULL;
	struct fetch_opts	 fo;
	int64_t			 now;
	size_t			 i, added = 0, removed = 0;

	if (p->stopping || !p->started || p->opts.once) {
		errbuf_set(err, "not running");
		config_free(cfg);
		return -1;
	}
	/* Moving the folders would orphan records, stories and state. */
	if (strcmp(cfg->output_dir, old->output_dir) != 0 ||
	    strcmp(cfg->state_dir, old->state_dir) != 0) {
		errbuf_set(err, "output_dir and state_dir cannot change "
		    "while running (restart feedfold to move them)");
		config_free(cfg);
		return -1;
	}
	if (cfg->secured_key_file != NULL &&
	    (key = seal_key_load(cfg->secured_key_file, err)) == NULL) {
		config_free(cfg);
		return -1;
	}
	if (memcmp(&cfg->stories, &old->stories, sizeof cfg->stories) != 0)
		log_notice("config", "stories settings take effect at the next "
		    "restart");

	/* Every check passed: from here on the new config is the one. */
	seal_key_free(p->key);
	p->key = key;
	fetch_opts_from_config(&fo, cfg);
	fetcher_set_opts(p->fetcher, &fo);
	pipeline_schedule_params(p, cfg);

	now = clock_now(p->clock);
	feeds = xcalloc(cfg->nfeeds ? cfg->nfeeds : 1, sizeof *feeds);
	for (i = 0; i < cfg->nfeeds; i++) {
		sf = state_feed_get(p->state, cfg->feeds[i].url);
		f = sf != NULL && sf->id < p->nby_id ? p->by_id[sf->id] : NULL;
		if (f != NULL && f->cf != NULL) {
			/* Kept: its settings are the new ones from now on. */
			f->cf = &cfg->feeds[i];
			feeds[i] = f;
			continue;
		}
		/* New, or back with the history it left. */
		feeds[i] = f = pipeline_feed_new(p, &cfg->feeds[i]);
		added++;
		if (!f->sf->retired && !f->busy)
			schedule_set(p->sched, f->sf->id,
			    schedule_initial_due(f->sf, now, &p->sp, &p->seed));
	}
	/* Mark the survivors, then retire the rest. */
	for (i = 0; i < cfg->nfeeds; i++)
		feeds[i]->removed = -1;
	for (i = 0; i < p->nfeeds; i++) {
		f = p->feeds[i];
		if (f->removed == -1)
			continue;
		removed++;
		schedule_remove(p->sched, f->sf->id);
		p->by_id[f->sf->id] = NULL;
		/* Its state line stays, in case it comes back. */
		f->cf = NULL;
		if (f->busy)
			f->removed = 1;
		else
			free(f);
	}
	for (i = 0; i < cfg->nfeeds; i++)
		feeds[i]->removed = 0;
	free(p->feeds);
	p->feeds = feeds;
	p->nfeeds = cfg->nfeeds;
	p->stats.feeds = p->nfeeds;

	pipeline_metrics_stop(p);
	pipeline_gen_unref(p->gen);
	p->gen = pipeline_gen_new(cfg);
	p->cfg = cfg;
	pipeline_metrics_start(p);
	log_notice("config", "reloaded: %zu feeds (%zu new, %zu removed)",
	    p->nfeeds, added, removed);
	return 0;
}

const struct config *
pipeline_config(const struct pipeline *p)
{
	return p->cfg;
}

int
pipeline_closed(const struct pipeline *p)
{
	return p->closed || !p->started;
}

const struct pipeline_stats *
pipeline_get_stats(const struct pipeline *p)
{
	return &p->stats;
}

void
pipeline_free(struct pipeline *p)
{
	size_t	 i;

	if (p == NULL)
		return;
	if (p->started && !p->closed)
		log_error("pipeline", "freed while running");
	for (i = p->next_commit; i < p->norder; i++) {
		if (p->order[i] != NULL)
			pipeline_job_free(p->order[i]);
	}
	for (i = 0; i < p->nenrich; i++)
		entry_free(p->enrich_queue[i]);
	free(p->enrich_queue);
	enricher_free(p->enricher);
	free(p->order);
	free(p->touched);
	free(p->dirty);
	free(p->metrics_feeds);
	story_store_free(p->stories);
	state_free(p->state);
	seal_key_free(p->key);
	for (i = 0; i < p->nfeeds; i++)
		free(p->feeds[i]);
	free(p->feeds);
	pipeline_gen_unref(p->gen);
	free(p->by_id);
	free(p->state_path);
	free(p->snapshot_path);
	free(p);
}
