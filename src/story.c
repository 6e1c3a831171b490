/*
 * story.c: the story store: exact deduplication, membership, records,
 * window, restart (story.h).
 *
 * Five tables, all open addressing on 64-bit keys with linear probing and
 * backward-shift deletion: story number -> story, story id -> number,
 * webUrl hash -> number, feed+GUID hash -> number. A key found in a table
 * is always checked against the member it names (string compare), so a
 * hash collision can never make two different entries one.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xxhash.h>

#include "buf.h"
#include "cluster.h"
#include "log.h"
#include "record_read.h"
#include "story.h"
#include "xmalloc.h"

#define STORY_MAX_RELATED_DEFAULT	15

struct story_member {
	struct entry	*e;		/* NULL: remembered by its keys only */
	uint64_t	 url_key;	/* 0: none */
	uint64_t	 guid_key;	/* 0: none */
};

struct story {
	uint64_t	 id;
	uint32_t	 number;	/* the clusterer's */
	uint32_t	 n;
	uint32_t	 cap;
	uint32_t	 nentries;	/* members with an entry */
	struct story_member *m;		/* m[0] founded the story */
};

struct story_tab {
	uint64_t	*keys;		/* 0: empty */
	uint64_t	*vals;
	size_t		 cap;		/* power of two */
	size_t		 used;
};

struct story_store {
	struct config_stories	 cfg;
	struct cluster		*cluster;
	struct story_tab	 by_number;	/* number -> struct story * */
	struct story_tab	 by_id;		/* id -> number */
	struct story_tab	 by_url;	/* url key -> number */
	struct story_tab	 by_guid;	/* guid key -> number */
	int64_t			 now;
	uint64_t		 retired;	/* set by a merge during an add */
	int			 have_retired;
	size_t			 entry_bytes;	/* of the kept entries */
	size_t			 nentries;
};

void
story_defaults(struct config_stories *cfg)
{
	struct cluster_params	 p;

	cluster_params_default(&p);
	cfg->window = p.window;
	cfg->threshold = p.threshold;
	cfg->max_related = STORY_MAX_RELATED_DEFAULT;
	cfg->primary = CONFIG_PRIMARY_FIRST;
}

/* ---- tables ------------------------------------------------------------ */

static size_t
story_tab_home(uint64_t key, size_t cap)
{
	/* Keys are hashes already, or small numbers: mix the latter. */
	return (size_t)((key * 0x9e3779b97f4a7c15ull) >> 32) & (cap - 1);
}

static void
story_tab_init(struct story_tab *t)
{
	t->cap = 64;
	t->used = 0;
	t->keys = xcalloc(t->cap, sizeof *t->keys);
	t->vals = xcalloc(t->cap, sizeof *t->vals);
}

static void
story_tab_free(struct story_tab *t)
{
	free(t->keys);
	free(t->vals);
}

static uint64_t *
story_tab_get(const struct story_tab *t, uint64_t key)
{
	size_t	 i;

	if (key == 0)
		key = 1;
	for (i = story_tab_home(key, t->cap);; i = (i + 1) & (t->cap - 1)) {
		if (t->keys[i] == 0)
			return NULL;
		if (t->keys[i] == key)
			return &t->vals[i];
	}
}

static void story_tab_put(struct story_tab *, uint64_t, uint64_t);

static void
story_tab_grow(struct story_tab *t)
{
	uint64_t	*keys = t->keys, *vals = t->vals;
	size_t		 cap = t->cap, i;

	t->cap *= 2;
	t->used = 0;
	t->keys = xcalloc(t->cap, sizeof *t->keys);
	t->vals = xcalloc(t->cap, sizeof *t->vals);
	for (i = 0; i < cap; i++) {
		if (keys[i] != 0)
			story_tab_put(t, keys[i], vals[i]);
	}
	free(keys);
	free(vals);
}

static void
story_tab_put(struct story_tab *t, uint64_t key, uint64_t val)
{
	size_t	 i;

	if (key == 0)
		key = 1;
	/* Three quarters full at most: these tables are per entry. */
	if ((t->used + 1) * 4 > t->cap * 3)
		story_tab_grow(t);
	for (i = story_tab_home(key, t->cap);; i = (i + 1) & (t->cap - 1)) {
		if (t->keys[i] == 0) {
			t->keys[i] = key;
			t->vals[i] = val;
			t->used++;
			return;
		}
		if (t->keys[i] == key) {
			t->vals[i] = val;
			return;
		}
	}
}

static void
story_tab_del(struct story_tab *t, uint64_t key)
{
	size_t	 i, j, k, mask = t->cap - 1;

	if (key == 0)
		key = 1;
	for (i = story_tab_home(key, t->cap);; i = (i + 1) & mask) {
		if (t->keys[i] == 0)
			return;
		if (t->keys[i] == key)
			break;
	}
	t->keys[i] = 0;
	t->used--;
	for (j = (i + 1) & mask; t->keys[j] != 0; j = (j + 1) & mask) {
		k = story_tab_home(t->keys[j], t->cap);
		if ((j > i && (k <= i || k > j)) || (j < i && k <= i && k > j)) {
			t->keys[i] = t->keys[j];
			t->vals[i] = t->vals[j];
			t->keys[j] = 0;
			i = j;
		}
	}
}

/* Delete key from t only while it still names story number. */
static void
story_tab_del_if(struct story_tab *t, uint64_t key, uint32_t number)
{
	uint64_t	*v;

	if (key != 0 && (v = story_tab_get(t, key)) != NULL && *v == number)
		story_tab_del(t, key);
}

/* ---- entries and keys -------------------------------------------------- */

static uint64_t
story_url_key(const struct entry *e)
{
	if (e->web_url == NULL || *e->web_url == '\0')
		return 0;
	return XXH3_64bits(e->web_url, strlen(e->web_url)) | 1;
}

/* A GUID means something only within its feed: the feed seeds its hash. */
static uint64_t
story_guid_key(const struct entry *e)
{
	const char	*feed = e->feed_url != NULL ? e->feed_url : "";

	if (e->guid == NULL || *e->guid == '\0')
		return 0;
	return XXH3_64bits_withSeed(e->guid, strlen(e->guid),
	    XXH3_64bits(feed, strlen(feed))) | 1;
}

static size_t
story_str_bytes(const char *s)
{
	/* 16: what malloc adds to every block, roughly. */
	return s == NULL ? 0 : strlen(s) + 1 + 16;
}

/* What one kept entry costs in memory, allocator overhead included. */
static size_t
story_entry_bytes(const struct entry *e)
{
	size_t	 n, i;

	n = sizeof *e + 16;
	n += story_str_bytes(e->category) + story_str_bytes(e->title) +
	    story_str_bytes(e->excerpt) + story_str_bytes(e->original_url) +
	    story_str_bytes(e->web_url) + story_str_bytes(e->amp_url) +
	    story_str_bytes(e->cdn_amp_url) + story_str_bytes(e->type) +
	    story_str_bytes(e->provider_name) +
	    story_str_bytes(e->provider_domain) + story_str_bytes(e->guid) +
	    story_str_bytes(e->feed_url);
	if (e->ntopics != 0)
		n += e->ntopics * sizeof *e->topics + 16;
	for (i = 0; i < e->ntopics; i++)
		n += story_str_bytes(e->topics[i]);
	if (e->nimages != 0)
		n += e->nimages * sizeof *e->images + 16;
	for (i = 0; i < e->nimages; i++)
		n += story_str_bytes(e->images[i].url);
	return n;
}

static int
story_streq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/*
 * a is what the store holds, b the repeat. A member restored from a record
 * (content_hash 0: records do not carry it) knows only what the record
 * said, and a related item in a record leaves out originalUrl, category
 * and topics; a key it lacks is not a difference, or every restart would
 * rewrite every record.
 */
static int
story_known_differs(const char *a, const char *b, int restored)
{
	if (restored && a == NULL)
		return 0;
	return !story_streq(a, b);
}

/* Would a reader of the record see a difference? */
static int
story_entry_differs(const struct entry *a, const struct entry *b)
{
	size_t	 i;
	int	 r = a->content_hash == 0;

	if ((!r && a->content_hash != b->content_hash) ||
	    a->quality != b->quality || a->published != b->published ||
	    a->nimages != b->nimages || (a->ntopics != b->ntopics &&
	    !(r && a->ntopics == 0)))
		return 1;
	if (!story_streq(a->title, b->title) ||
	    !story_streq(a->excerpt, b->excerpt) ||
	    !story_streq(a->web_url, b->web_url) ||
	    story_known_differs(a->original_url, b->original_url, r) ||
	    !story_streq(a->amp_url, b->amp_url) ||
	    !story_streq(a->cdn_amp_url, b->cdn_amp_url) ||
	    !story_streq(a->type, b->type) ||
	    story_known_differs(a->category, b->category, r) ||
	    !story_streq(a->provider_name, b->provider_name) ||
	    !story_streq(a->provider_domain, b->provider_domain))
		return 1;
	for (i = 0; i < a->nimages; i++) {
		if (!story_streq(a->images[i].url, b->images[i].url) ||
		    a->images[i].width != b->images[i].width ||
		    a->images[i].height != b->images[i].height ||
		    a->images[i].cached != b->images[i].cached)
			return 1;
	}
	for (i = 0; i < a->ntopics; i++) {
		if (!story_streq(a->topics[i], b->topics[i]))
			return 1;
	}
	return 0;
}

/* ---- stories ----------------------------------------------------------- */

static struct story *
story_get(const struct story_store *st, uint32_t number)
{
	uint64_t	*v;

	if ((v = story_tab_get(&st->by_number, number)) == NULL)
		return NULL;
	return (struct story *)(uintptr_t)*v;
}

static struct story *
story_by_id(const struct story_store *st, const char *id)
{
	uint64_t	*v;
	char		*end;
	unsigned long long idv;

	if (strlen(id) != 16)
		return NULL;
	errno = 0;
	idv = strtoull(id, &end, 16);
	if (errno != 0 || *end != '\0')
		return NULL;
	if ((v = story_tab_get(&st->by_id, idv)) == NULL)
		return NULL;
	return story_get(st, (uint32_t)*v);
}

static struct story *
story_create(struct story_store *st, uint32_t number, uint64_t id)
{
	struct story	*s;

	s = xcalloc(1, sizeof *s);
	s->number = number;
	s->id = id;
	story_tab_put(&st->by_number, number, (uint64_t)(uintptr_t)s);
	story_tab_put(&st->by_id, id, number);
	return s;
}

/*
 * Append a member; the story takes e (which may be NULL). Past
 * STORY_MEMBERS_MAX kept entries the entry is dropped and only its keys
 * remembered, so one story cannot grow without bound.
 */
static void
story_append(struct story_store *st, struct story *s, struct entry *e,
    uint64_t url_key, uint64_t guid_key)
{
	struct story_member	*m;

	if (s->n == s->cap) {
		s->cap = s->cap == 0 ? 4 : s->cap * 2;
		s->m = xreallocarray(s->m, s->cap, sizeof *s->m);
	}
	if (e != NULL && s->nentries >= STORY_MEMBERS_MAX) {
		entry_free(e);
		e = NULL;
	}
	m = &s->m[s->n++];
	m->e = e;
	m->url_key = url_key;
	m->guid_key = guid_key;
	if (e != NULL) {
		s->nentries++;
		st->nentries++;
		st->entry_bytes += story_entry_bytes(e);
	}
	if (url_key != 0)
		story_tab_put(&st->by_url, url_key, s->number);
	if (guid_key != 0)
		story_tab_put(&st->by_guid, guid_key, s->number);
}

static void
story_destroy(struct story_store *st, struct story *s, int free_entries)
{
	uint32_t	 i;

	for (i = 0; i < s->n; i++) {
		story_tab_del_if(&st->by_url, s->m[i].url_key, s->number);
		story_tab_del_if(&st->by_guid, s->m[i].guid_key, s->number);
		if (s->m[i].e != NULL && free_entries) {
			st->nentries--;
			st->entry_bytes -= story_entry_bytes(s->m[i].e);
			entry_free(s->m[i].e);
		}
	}
	story_tab_del(&st->by_id, s->id);
	story_tab_del(&st->by_number, s->number);
	free(s->m);
	free(s);
}

/* cluster hook: the story left the window. */
static void
story_closed(void *arg, uint32_t number)
{
	struct story_store	*st = arg;
	struct story		*s;

	if ((s = story_get(st, number)) != NULL)
		story_destroy(st, s, 1);
}

/* cluster hook: from converged with into; into takes its members. */
static void
story_merged(void *arg, uint32_t from, uint32_t into)
{
	struct story_store	*st = arg;
	struct story		*sf, *si;
	struct story_member	 m;
	uint32_t		 i;

	if ((sf = story_get(st, from)) == NULL ||
	    (si = story_get(st, into)) == NULL)
		return;
	for (i = 0; i < sf->n; i++) {
		m = sf->m[i];
		if (m.e != NULL) {
			st->nentries--;
			st->entry_bytes -= story_entry_bytes(m.e);
		}
		story_append(st, si, m.e, m.url_key, m.guid_key);
		sf->m[i].e = NULL;
	}
	st->retired = sf->id;
	st->have_retired = 1;
	/* Its keys now name into: story_destroy() leaves those alone. */
	story_destroy(st, sf, 0);
}

struct story_store *
story_store_new(const struct config_stories *cfg)
{
	struct story_store	*st;
	struct cluster_params	 p;
	struct cluster_hooks	 hooks;

	st = xcalloc(1, sizeof *st);
	if (cfg != NULL)
		st->cfg = *cfg;
	else
		story_defaults(&st->cfg);
	if (st->cfg.max_related < 0)
		st->cfg.max_related = 0;
	cluster_params_default(&p);
	if (st->cfg.window > 0)
		p.window = st->cfg.window;
	if (st->cfg.threshold > 0)
		p.threshold = st->cfg.threshold;
	hooks.closed = story_closed;
	hooks.merged = story_merged;
	hooks.arg = st;
	st->cluster = cluster_new(&p, &hooks);
	story_tab_init(&st->by_number);
	story_tab_init(&st->by_id);
	story_tab_init(&st->by_url);
	story_tab_init(&st->by_guid);
	st->now = INT64_MIN;
	return st;
}

void
story_store_free(struct story_store *st)
{
	struct story	*s;
	size_t		 i;

	if (st == NULL)
		return;
	cluster_free(st->cluster);
	for (i = 0; i < st->by_number.cap; i++) {
		if (st->by_number.keys[i] == 0)
			continue;
		s = (struct story *)(uintptr_t)st->by_number.vals[i];
		while (s->n > 0)
			entry_free(s->m[--s->n].e);
		free(s->m);
		free(s);
	}
	story_tab_free(&st->by_number);
	story_tab_free(&st->by_id);
	story_tab_free(&st->by_url);
	story_tab_free(&st->by_guid);
	free(st);
}

static void
story_hex(uint64_t v, char out[17])
{
	snprintf(out, 17, "%016" PRIx64, v);
}

/* The member that key names in table t, with the story, or NULL. */
static struct story_member *
story_find_member(struct story_store *st, struct story_tab *t, uint64_t key,
    const struct entry *e, int by_url, struct story **sp)
{
	struct story	*s;
	uint64_t	*v;
	uint32_t	 i;

	if (key == 0 || (v = story_tab_get(t, key)) == NULL)
		return NULL;
	if ((s = story_get(st, (uint32_t)*v)) == NULL) {
		/* A key left behind by a changed URL of a closed story. */
		story_tab_del(t, key);
		return NULL;
	}
	for (i = 0; i < s->n; i++) {
		struct story_member	*m = &s->m[i];

		if ((by_url ? m->url_key : m->guid_key) != key)
			continue;
		if (m->e != NULL && (by_url ?
		    !story_streq(m->e->web_url, e->web_url) :
		    !(story_streq(m->e->guid, e->guid) &&
		    story_streq(m->e->feed_url, e->feed_url))))
			continue;
		*sp = s;
		return m;
	}
	return NULL;
}

/* The founding entry's id: its webUrl, else what else names it. */
static uint64_t
story_id_of(const struct entry *e)
{
	const char	*s;

	if (e->web_url != NULL && *e->web_url != '\0')
		s = e->web_url;
	else if (e->original_url != NULL && *e->original_url != '\0')
		s = e->original_url;
	else if (e->guid != NULL && *e->guid != '\0')
		s = e->guid;
	else
		s = e->title != NULL ? e->title : "";
	return XXH3_64bits(s, strlen(s));
}

int
story_add(struct story_store *st, const struct entry *e,
    struct story_result *res)
{
	struct story_member	*m;
	struct story		*s = NULL;
	uint64_t		 url_key, guid_key;
	uint32_t		 number;
	int64_t			 when;
	int			 is_new;

	memset(res, 0, sizeof *res);
	url_key = story_url_key(e);
	guid_key = story_guid_key(e);
	if (url_key == 0 && guid_key == 0 &&
	    (e->title == NULL || *e->title == '\0'))
		return -EINVAL;
	if (e->published != ENTRY_NO_DATE)
		when = e->published;
	else if (e->fetched != 0)
		when = e->fetched;
	else
		when = st->now != INT64_MIN ? st->now : 0;
	if (when > st->now)
		st->now = when;

	m = story_find_member(st, &st->by_url, url_key, e, 1, &s);
	if (m == NULL)
		m = story_find_member(st, &st->by_guid, guid_key, e, 0, &s);
	if (m != NULL) {
		res->duplicate = 1;
		res->change = STORY_UNCHANGED;
		story_hex(s->id, res->id);
		if (m->e != NULL && (story_entry_differs(m->e, e) ||
		    m->e->content_hash == 0)) {
			/* A restored member takes the repeat's full entry
			 * either way; only a visible change is news. */
			if (story_entry_differs(m->e, e))
				res->change = STORY_UPDATED;
			st->entry_bytes -= story_entry_bytes(m->e);
			entry_free(m->e);
			m->e = entry_dup(e);
			st->entry_bytes += story_entry_bytes(m->e);
		}
		/* A repeat may bring the key the first sighting lacked. */
		if (url_key != 0 && m->url_key != url_key) {
			m->url_key = url_key;
			story_tab_put(&st->by_url, url_key, s->number);
		}
		if (guid_key != 0 && m->guid_key != guid_key) {
			m->guid_key = guid_key;
			story_tab_put(&st->by_guid, guid_key, s->number);
		}
		return 0;
	}

	st->have_retired = 0;
	number = cluster_add(st->cluster, when, e->title, e->excerpt, &is_new);
	if (is_new)
		s = story_create(st, number, story_id_of(e));
	else if ((s = story_get(st, number)) == NULL) {
		/* Cannot happen: every open cluster story has a story. */
		log_error("story", "clusterer story %u unknown", number);
		s = story_create(st, number, story_id_of(e));
		is_new = 1;
	}
	story_append(st, s, entry_dup(e), url_key, guid_key);
	res->change = is_new ? STORY_NEW : STORY_UPDATED;
	story_hex(s->id, res->id);
	if (st->have_retired)
		story_hex(st->retired, res->retired);
	return 0;
}

/* Best quality first, then newest; the index keeps the order total. */
struct story_rank {
	const struct entry	*e;
	uint32_t		 i;
};

static int
story_rank_cmp(const void *a, const void *b)
{
	const struct story_rank	*x = a, *y = b;

	if (x->e->quality != y->e->quality)
		return x->e->quality > y->e->quality ? -1 : 1;
	if (x->e->published != y->e->published)
		return x->e->published > y->e->published ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

struct record *
story_record(const struct story_store *st, const char *id)
{
	struct story		*s;
	struct story_rank	*rank;
	struct record		*r;
	uint32_t		 i, primary = UINT32_MAX;
	size_t			 n = 0, k;

	if ((s = story_by_id(st, id)) == NULL)
		return NULL;
	for (i = 0; i < s->n; i++) {
		if (s->m[i].e == NULL)
			continue;
		if (primary == UINT32_MAX ||
		    (st->cfg.primary == CONFIG_PRIMARY_QUALITY &&
		    s->m[i].e->quality > s->m[primary].e->quality))
			primary = i;
	}
	if (primary == UINT32_MAX)
		return NULL;
	r = record_new(entry_dup(s->m[primary].e));
	rank = xcalloc(s->n, sizeof *rank);
	for (i = 0; i < s->n; i++) {
		if (i != primary && s->m[i].e != NULL) {
			rank[n].e = s->m[i].e;
			rank[n].i = i;
			n++;
		}
	}
	qsort(rank, n, sizeof *rank, story_rank_cmp);
	for (k = 0; k < n && k < (size_t)st->cfg.max_related; k++)
		record_add_related(r, entry_dup(rank[k].e));
	free(rank);
	return r;
}

void
story_expire(struct story_store *st, int64_t now)
{
	cluster_expire(st->cluster, now);
}

int
story_is_open(const struct story_store *st, const char *id)
{
	return story_by_id(st, id) != NULL;
}

long
story_members(const struct story_store *st, const char *id)
{
	struct story	*s;

	if ((s = story_by_id(st, id)) == NULL)
		return -1;
	return (long)s->n;
}

void
story_get_stats(const struct story_store *st, struct story_stats *out)
{
	struct cluster_stats	 cs;
	const struct story	*s;
	size_t			 i;

	cluster_get_stats(st->cluster, &cs);
	out->stories = st->by_number.used;
	out->entries = st->nentries;
	out->cluster_bytes = cs.bytes;
	out->bytes = sizeof *st + cs.bytes + st->entry_bytes +
	    (st->by_number.cap + st->by_id.cap + st->by_url.cap +
	    st->by_guid.cap) * 2 * sizeof(uint64_t);
	for (i = 0; i < st->by_number.cap; i++) {
		if (st->by_number.keys[i] == 0)
			continue;
		s = (const struct story *)(uintptr_t)st->by_number.vals[i];
		out->bytes += sizeof *s + 16 + s->cap * sizeof *s->m + 16;
	}
}

/* ---- snapshot ---------------------------------------------------------- */

#define STORY_SNAPSHOT_MAGIC	"feedfold-stories 1"

int
story_snapshot_save(const struct story_store *st, const char *path,
    int64_t now, struct errbuf *err)
{
	const struct story	*s;
	struct buf		 b;
	char			*tmp;
	size_t			 i;
	uint32_t		 j;
	int			 fd, rc = 0;

	buf_init(&b, STORY_SNAPSHOT_MAX);
	buf_printf(&b, "%s %" PRId64 "\n", STORY_SNAPSHOT_MAGIC, now);
	for (i = 0; i < st->by_number.cap; i++) {
		if (st->by_number.keys[i] == 0)
			continue;
		s = (const struct story *)(uintptr_t)st->by_number.vals[i];
		if (buf_printf(&b, "S %016" PRIx64 " %u\n", s->id, s->n) != 0)
			goto toobig;
		for (j = 0; j < s->n; j++) {
			if (buf_printf(&b, "K %016" PRIx64 " %016" PRIx64 "\n",
			    s->m[j].url_key, s->m[j].guid_key) != 0)
				goto toobig;
		}
	}
	if (buf_printf(&b, "X %016" PRIx64 "\n",
	    (uint64_t)XXH3_64bits(b.data, b.len)) != 0)
		goto toobig;

	tmp = xasprintf("%s.tmp", path);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) ==
	    -1) {
		rc = -errno;
		errbuf_set(err, "%s: %s", tmp, strerror(errno));
		free(tmp);
		buf_free(&b);
		return rc;
	}
	for (i = 0; i < b.len;) {
		ssize_t	 w = write(fd, b.data + i, b.len - i);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			break;
		}
		i += (size_t)w;
	}
	if (rc == 0 && fsync(fd) != 0)
		rc = -errno;
	if (close(fd) != 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -errno;
	if (rc != 0) {
		errbuf_set(err, "%s: %s", path, strerror(-rc));
		unlink(tmp);
	}
	free(tmp);
	buf_free(&b);
	return rc;
toobig:
	buf_free(&b);
	errbuf_set(err, "%s: snapshot larger than %d bytes", path,
	    STORY_SNAPSHOT_MAX);
	return -E2BIG;
}

/* Read a whole file of at most max bytes; NULL with errno set. */
static char *
story_slurp(const char *path, size_t max, size_t *lenp)
{
	struct stat	 sb;
	char		*data;
	size_t		 len = 0;
	ssize_t		 r;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return NULL;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    (uint64_t)sb.st_size > max) {
		int	 saved = errno;

		if (fstat(fd, &sb) == 0)
			saved = !S_ISREG(sb.st_mode) ? EINVAL : EFBIG;
		close(fd);
		errno = saved;
		return NULL;
	}
	data = xmalloc((size_t)sb.st_size + 1);
	while (len < (size_t)sb.st_size) {
		r = read(fd, data + len, (size_t)sb.st_size - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	data[len] = '\0';
	*lenp = len;
	return data;
}

/* Parse 16 hex digits at p; -1 when they are not there. */
static int
story_parse_hex(const char *p, uint64_t *out)
{
	uint64_t	 v = 0;
	int		 i, d;

	for (i = 0; i < 16; i++) {
		if (p[i] >= '0' && p[i] <= '9')
			d = p[i] - '0';
		else if (p[i] >= 'a' && p[i] <= 'f')
			d = p[i] - 'a' + 10;
		else
			return -1;
		v = v << 4 | (uint64_t)d;
	}
	*out = v;
	return 0;
}

/*
 * Apply a snapshot to the stories restored from records: members the
 * records lack are remembered by their keys. Returns the stories it
 * touched, or -1 when the snapshot is unusable (logged; nothing applied).
 */
int64_t
story_snapshot_time(const char *path)
{
	FILE		*f;
	char		 line[64];
	long long	 t;
	char		*end;
	size_t		 n = sizeof STORY_SNAPSHOT_MAGIC;	/* magic + ' ' */

	if ((f = fopen(path, "r")) == NULL)
		return -1;
	if (fgets(line, sizeof line, f) == NULL ||
	    strncmp(line, STORY_SNAPSHOT_MAGIC " ", n) != 0) {
		fclose(f);
		return -1;
	}
	fclose(f);
	errno = 0;
	t = strtoll(line + n, &end, 10);
	if (errno != 0 || end == line + n || *end != '\n' || t < 0)
		return -1;
	return (int64_t)t;
}

static int
story_snapshot_apply(struct story_store *st, const char *path, int64_t now)
{
	struct story	*cur = NULL;
	char		*data, *p, *nl, *last;
	size_t		 len;
	uint64_t	 sum, id, uk, gk, *v;
	long long	 saved;
	int		 touched = 0;

	if ((data = story_slurp(path, STORY_SNAPSHOT_MAX, &len)) == NULL) {
		if (errno == ENOENT)
			log_info("story", "%s: no snapshot; restoring from "
			    "records alone", path);
		else
			log_warn("story", "%s: %s; ignored", path,
			    strerror(errno));
		return -1;
	}
	/* The trailer "X <sum>\n" covers every byte before it. */
	if (len < 20 || data[len - 1] != '\n')
		goto corrupt;
	data[len - 1] = '\0';
	if ((last = strrchr(data, '\n')) == NULL || strncmp(last + 1, "X ", 2) ||
	    strlen(last + 3) != 16 || story_parse_hex(last + 3, &sum) != 0 ||
	    XXH3_64bits(data, (size_t)(last + 1 - data)) != sum)
		goto corrupt;
	*last = '\0';
	if (strncmp(data, STORY_SNAPSHOT_MAGIC " ",
	    sizeof STORY_SNAPSHOT_MAGIC) != 0)
		goto corrupt;
	saved = strtoll(data + sizeof STORY_SNAPSHOT_MAGIC, NULL, 10);
	if (saved < now - st->cfg.window) {
		log_info("story", "%s: saved before the window; ignored", path);
		free(data);
		return -1;
	}
	for (p = strchr(data, '\n'); p != NULL; p = nl) {
		p++;
		nl = strchr(p, '\n');
		if (nl != NULL)
			*nl = '\0';
		if (p[0] == 'S' && p[1] == ' ' &&
		    story_parse_hex(p + 2, &id) == 0) {
			cur = NULL;
			if ((v = story_tab_get(&st->by_id, id)) != NULL &&
			    (cur = story_get(st, (uint32_t)*v)) != NULL)
				touched++;
		} else if (p[0] == 'K' && p[1] == ' ' &&
		    story_parse_hex(p + 2, &uk) == 0 && p[18] == ' ' &&
		    story_parse_hex(p + 19, &gk) == 0) {
			if (cur == NULL)
				continue;
			/* Known through the record already? */
			if ((uk != 0 && story_tab_get(&st->by_url, uk) != NULL) ||
			    (gk != 0 && story_tab_get(&st->by_guid, gk) != NULL)) {
				/* Give a record's member its GUID back. */
				uint32_t	 i;

				for (i = 0; uk != 0 && gk != 0 && i < cur->n;
				    i++) {
					if (cur->m[i].url_key == uk &&
					    cur->m[i].guid_key == 0) {
						cur->m[i].guid_key = gk;
						story_tab_put(&st->by_guid, gk,
						    cur->number);
					}
				}
				continue;
			}
			story_append(st, cur, NULL, uk, gk);
		} else
			goto corrupt;
	}
	free(data);
	return touched;
corrupt:
	log_warn("story", "%s: corrupt snapshot; restoring from records "
	    "alone", path);
	free(data);
	return -1;
}

struct story_restore_item {
	int64_t			 when;
	uint32_t		 number;
	const struct entry	*e;
};

static int
story_restore_cmp(const void *a, const void *b)
{
	const struct story_restore_item	*x = a, *y = b;

	if (x->when != y->when)
		return x->when < y->when ? -1 : 1;
	return (x->number > y->number) - (x->number < y->number);
}

/* Is name "<16 lower-case hex digits>.yaml"? Sets *id. */
static int
story_record_name(const char *name, uint64_t *id)
{
	return strlen(name) == 21 && strcmp(name + 16, ".yaml") == 0 &&
	    story_parse_hex(name, id) == 0;
}

int
story_restore(struct story_store *st, const char *records_dir,
    const char *snapshot, int64_t now, struct errbuf *err)
{
	DIR				*d;
	struct dirent			*de;
	struct record			*rec;
	struct story			*s;
	struct story_restore_item	*items = NULL;
	struct errbuf			 rerr;
	struct entry			*e;
	size_t				 nitems = 0, capitems = 0, k;
	uint64_t			 id;
	uint32_t			 number = 0;
	int64_t				 newest;
	char				*path;
	int				 restored = 0, rc;

	if ((d = opendir(records_dir)) == NULL) {
		rc = -errno;
		errbuf_set(err, "%s: %s", records_dir, strerror(errno));
		return rc;
	}
	while ((de = readdir(d)) != NULL) {
		if (!story_record_name(de->d_name, &id) ||
		    story_tab_get(&st->by_id, id) != NULL)
			continue;
		path = xasprintf("%s/%s", records_dir, de->d_name);
		rc = record_read_file(path, &rec, &rerr);
		free(path);
		if (rc != 0) {
			if (rc != -ENOENT)
				log_warn("story", "%s; not restored", rerr.msg);
			continue;
		}
		newest = rec->primary->published;
		for (k = 0; k < rec->nrelated; k++) {
			if (rec->related[k]->published > newest)
				newest = rec->related[k]->published;
		}
		if (newest == ENTRY_NO_DATE || newest < now - st->cfg.window) {
			record_free(rec);
			continue;
		}
		/* Numbers from the top, below any the clusterer has used. */
		s = story_create(st, ++number, id);
		for (k = 0; k <= rec->nrelated; k++) {
			e = k == 0 ? rec->primary : rec->related[k - 1];
			if (k == 0)
				rec->primary = NULL;
			else
				rec->related[k - 1] = NULL;
			story_append(st, s, e, story_url_key(e),
			    story_guid_key(e));
			if (nitems == capitems) {
				capitems = capitems == 0 ? 64 : capitems * 2;
				items = xreallocarray(items, capitems,
				    sizeof *items);
			}
			items[nitems].when = e->published != ENTRY_NO_DATE ?
			    e->published : newest;
			items[nitems].number = s->number;
			items[nitems].e = e;
			nitems++;
		}
		record_free(rec);
		restored++;
	}
	closedir(d);
	/*
	 * The clusterer learns the stories in the order they happened.
	 * (Guarded: qsort's array may not be NULL, even for no items.)
	 */
	if (nitems != 0)
		qsort(items, nitems, sizeof *items, story_restore_cmp);
	for (k = 0; k < nitems; k++)
		cluster_restore(st->cluster, items[k].number, items[k].when,
		    items[k].e->title, items[k].e->excerpt);
	free(items);
	if (now > st->now)
		st->now = now;
	if (snapshot != NULL)
		story_snapshot_apply(st, snapshot, now);
	return restored;
}
