/*
 * cluster.c: the same-story clusterer (cluster.h).
 *
 * Tables, all bounded:
 *
 * - document frequencies: a hashed count table (CLUSTER_DF_SLOTS 16-bit
 *   counters) that every item updates, from which inverse document
 *   frequencies are read. Collisions only blur rare features a little.
 *   When the item count reaches CLUSTER_DF_AGE every count is halved, so
 *   the weights follow the vocabulary of recent news and never overflow.
 * - stories: a slot array with a free list, and a dense byte per slot
 *   (its generation, 0 when free). Each open story keeps its centroid as a
 *   sparse vector (summed term weights, and those times the IDF as of the
 *   last item that touched them) with a tagged open-addressing map from
 *   feature hash to entry; past 2 * params.centroid_max features it is
 *   pruned back to the strongest params.centroid_max.
 * - the inverted index: feature hash -> the last CLUSTER_POSTING stories
 *   indexed under it (a ring: older stories fall out of very common
 *   features, which carry little weight anyway), one cache line per
 *   feature. Entries name a slot and its generation, so a closed story's
 *   entries are recognised as stale without being searched for; the table
 *   is rebuilt without them when it fills.
 * - story number -> slot, for cluster_restore() and cluster_is_open().
 *
 * Adding an item: its CLUSTER_QUERY strongest features (rare words) are
 * looked up in the index; the stories found are ranked by the weight they
 * share with the item, and the best CLUSTER_CANDIDATES are scored exactly:
 * the cosine of the item's TF-IDF vector with the story's centroid, plus
 * params.size_bonus per doubling of the story's size (a prior: big stories
 * are where news goes; capped at 2^CLUSTER_BONUS_DOUBLINGS items and only
 * given to a candidate already half-way to the threshold). The item joins
 * the best story at or above params.threshold, or founds a new one.
 *
 * Merging: when a story reaches 2, 4, 8, ... items and every 16 items,
 * it is looked up like an item made of its CLUSTER_MERGE_TOP strongest
 * features; a story whose centroid is at params.merge or more is folded
 * into the older of the two (whose number lives on). A fragment (a story
 * of at most params.fragment items) is judged as an item is: the other
 * story's size bonus counts, so a few stray headlines find the big story
 * they belong to. The bonus needs the shared weight spread over two
 * features or more (CLUSTER_MERGE_SPREAD): a fragment that shares one
 * word with a big story ("black" with Black Friday) is another story.
 * A fragment is checked again params.recheck, 2, 4 and 8 times that after
 * it last grew, because the story it belongs to may have grown towards it
 * since (early headlines of a story are often the least like its later
 * centroid).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cluster.h"
#include "tokenize.h"
#include "xmalloc.h"

#define CLUSTER_DF_SLOTS	(1u << 19)
#define CLUSTER_DF_AGE		65536
#define CLUSTER_LN_TABLE	4096	/* ln(df) kept for df below this */
#define CLUSTER_POSTING		13
#define CLUSTER_QUERY		12
#define CLUSTER_CANDIDATES	8
#define CLUSTER_CAND_MAX	128	/* stories an item gathers at most */
/* Candidates sharing less than this part of the best's weight are skipped. */
#define CLUSTER_CAND_CUT	0.3
/* A merge check looks a story up by this many of its strongest features. */
#define CLUSTER_MERGE_TOP	32
/* The largest params.centroid_max. */
#define CLUSTER_CENTROID_CAP	1024
/* The size bonus stops growing at 2^CLUSTER_BONUS_DOUBLINGS items... */
#define CLUSTER_BONUS_DOUBLINGS	8.0
/* ...and needs a similarity of at least this part of the threshold. */
#define CLUSTER_BONUS_FLOOR	0.5
/*
 * A fragment's merge earns the size bonus only when its strongest shared
 * feature carries less than this part of the dot product.
 */
#define CLUSTER_MERGE_SPREAD	0.9
/*
 * A fragment is rechecked params.recheck, 2, 4 and 8 times that after it
 * last grew (1, 2, 4, 8 hours by default), then left alone: each recheck
 * costs a lookup, and later ones found almost nothing more.
 */
#define CLUSTER_RECHECKS	4

/* The defaults, measured in docs/stories.md. */
#define CLUSTER_DEFAULT_THRESHOLD	0.2
#define CLUSTER_DEFAULT_WINDOW		(72 * 3600)
#define CLUSTER_DEFAULT_TITLE_WEIGHT	2.0f
#define CLUSTER_DEFAULT_PAIR_WEIGHT	0.0f
#define CLUSTER_DEFAULT_EXCERPT_WORDS	40
#define CLUSTER_DEFAULT_MERGE		0.25
#define CLUSTER_DEFAULT_SIZE_BONUS	0.025
#define CLUSTER_DEFAULT_CENTROID_MAX	128
#define CLUSTER_DEFAULT_FRAGMENT	8
#define CLUSTER_DEFAULT_RECHECK		3600

struct cluster_cfeat {
	uint64_t	 hash;
	float		 tf;		/* summed term weight of the members */
	float		 w;		/* tf * idf when last touched */
};

struct cluster_story {
	uint32_t	 number;	/* 0: a free slot */
	uint32_t	 nfeat;
	uint32_t	 capfeat;
	uint32_t	 nitems;
	int64_t		 last;		/* newest member's time */
	double		 norm2;		/* squared norm of the w vector */
	struct cluster_cfeat *feat;	/* unordered */
	uint32_t	*map;		/* hash -> feature: open addressing,
					   mapcap slots of CLUSTER_MAP_ENTRY */
	uint32_t	 mapcap;
	uint32_t	 next_free;
	uint8_t		 gen;		/* bumped each time the slot is reused */
	uint8_t		 rechecks;	/* since the story last grew */
};

struct cluster_posting {
	uint64_t	 key;		/* feature hash; 0: empty */
	uint8_t		 n;
	uint8_t		 head;		/* next ring position to overwrite */
	/*
	 * slot << 8 | generation: a slot's generation changes whenever it is
	 * reused, so an entry of a closed story is recognised as stale. (After
	 * 256 reuses a stale entry may pass for live: it then only adds a
	 * candidate, which the exact cosine judges like any other.)
	 */
	uint32_t	 ref[CLUSTER_POSTING];
};

/* How cluster_best() adds the size bonus. */
enum cluster_bonus {
	CLUSTER_BONUS_NONE,
	CLUSTER_BONUS_ITEM,	/* an item looks for its story */
	CLUSTER_BONUS_SPREAD,	/* a fragment: only over two features */
};

/*
 * Per story slot: whether the lookup under way has met the story
 * (stamp == cluster.stamp) and at which place of its candidate list. A
 * slot-indexed array, not a hash map: the slot is a small dense number.
 */
struct cluster_mark {
	uint32_t	 stamp;
	uint32_t	 at;
};

_Static_assert(sizeof(struct cluster_posting) == 64,
    "two postings to a cache line");

struct cluster_numslot {
	uint32_t	 number;	/* 0: empty */
	uint32_t	 slot;
};

struct cluster {
	struct cluster_params	 params;
	struct cluster_hooks	 hooks;
	struct tokenize_opts	 topts;

	uint16_t		*df;
	uint32_t		 ndocs;
	float			 ln[CLUSTER_LN_TABLE];	/* ln(i) */

	struct cluster_story	*stories;
	uint8_t			*live;		/* per slot: its gen, 0 if free */
	uint32_t		 nslots;
	uint32_t		 free_slot;	/* head of the free list, or ~0 */
	uint32_t		 next_number;
	size_t			 open_stories;
	size_t			 open_items;
	size_t			 feat_bytes;

	struct cluster_posting	*index;
	size_t			 index_cap;	/* power of two */
	size_t			 index_used;

	struct cluster_numslot	*nums;
	size_t			 nums_cap;	/* power of two */
	size_t			 nums_used;

	struct cluster_mark	*mark;		/* per slot */
	uint32_t		 stamp;

	int64_t			 now;
	int64_t			 next_sweep;
	int64_t			 next_recheck;
	uint64_t		 items;
	uint64_t		 merges;
};

/* One item being added: its features, weights and a map to find them. */
struct cluster_item {
	struct tokenize_feature	 f[TOKENIZE_FEATURES_MAX];
	float			 x[TOKENIZE_FEATURES_MAX];	/* tf * idf */
	float			 idf[TOKENIZE_FEATURES_MAX];
	size_t			 n;
	double			 norm2;
};

static struct cluster_posting *cluster_index_alloc(size_t);

#ifdef __GNUC__
#define CLUSTER_PREFETCH(p)	__builtin_prefetch(p)
#else
#define CLUSTER_PREFETCH(p)	((void)(p))
#endif

void
cluster_params_default(struct cluster_params *p)
{
	p->threshold = CLUSTER_DEFAULT_THRESHOLD;
	p->window = CLUSTER_DEFAULT_WINDOW;
	p->title_weight = CLUSTER_DEFAULT_TITLE_WEIGHT;
	p->pair_weight = CLUSTER_DEFAULT_PAIR_WEIGHT;
	p->excerpt_words = CLUSTER_DEFAULT_EXCERPT_WORDS;
	p->merge = CLUSTER_DEFAULT_MERGE;
	p->size_bonus = CLUSTER_DEFAULT_SIZE_BONUS;
	p->centroid_max = CLUSTER_DEFAULT_CENTROID_MAX;
	p->fragment = CLUSTER_DEFAULT_FRAGMENT;
	p->recheck = CLUSTER_DEFAULT_RECHECK;
}

struct cluster *
cluster_new(const struct cluster_params *params,
    const struct cluster_hooks *hooks)
{
	struct cluster	*c;
	unsigned int	 i;

	c = xcalloc(1, sizeof *c);
	c->params = *params;
	if (c->params.window <= 0)
		c->params.window = CLUSTER_DEFAULT_WINDOW;
	if (c->params.centroid_max < 4)
		c->params.centroid_max = 4;
	if (c->params.centroid_max > CLUSTER_CENTROID_CAP)
		c->params.centroid_max = CLUSTER_CENTROID_CAP;
	if (c->params.excerpt_words < 0)
		c->params.excerpt_words = 0;
	if (c->params.fragment < 0)
		c->params.fragment = 0;
	if (c->params.recheck < 0)
		c->params.recheck = 0;
	if (hooks != NULL)
		c->hooks = *hooks;
	c->topts.title_weight = c->params.title_weight;
	c->topts.pair_weight = c->params.pair_weight;
	c->topts.excerpt_words = c->params.excerpt_words;
	c->df = xcalloc(CLUSTER_DF_SLOTS, sizeof *c->df);
	for (i = 1; i < CLUSTER_LN_TABLE; i++)
		c->ln[i] = logf((float)i);
	c->free_slot = UINT32_MAX;
	c->next_number = 1;
	c->index_cap = 1024;
	c->index = cluster_index_alloc(c->index_cap);
	c->nums_cap = 1024;
	c->nums = xcalloc(c->nums_cap, sizeof *c->nums);
	c->now = INT64_MIN;
	c->next_sweep = INT64_MIN;
	c->next_recheck = INT64_MIN;
	return c;
}

void
cluster_free(struct cluster *c)
{
	uint32_t	 i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nslots; i++) {
		free(c->stories[i].feat);
		free(c->stories[i].map);
	}
	free(c->stories);
	free(c->live);
	free(c->mark);
	free(c->index);
	free(c->nums);
	free(c->df);
	free(c);
}

/* ---- story number -> slot (linear probing, backward-shift deletion) ---- */

static size_t
cluster_num_hash(uint32_t number, size_t cap)
{
	return (size_t)((number * 2654435761u) & (cap - 1));
}

static void cluster_num_put(struct cluster *, uint32_t, uint32_t);

static void
cluster_num_grow(struct cluster *c)
{
	struct cluster_numslot	*old = c->nums;
	size_t			 oldcap = c->nums_cap, i;

	c->nums_cap *= 2;
	c->nums = xcalloc(c->nums_cap, sizeof *c->nums);
	c->nums_used = 0;
	for (i = 0; i < oldcap; i++) {
		if (old[i].number != 0)
			cluster_num_put(c, old[i].number, old[i].slot);
	}
	free(old);
}

static void
cluster_num_put(struct cluster *c, uint32_t number, uint32_t slot)
{
	size_t	 i;

	if ((c->nums_used + 1) * 2 > c->nums_cap)
		cluster_num_grow(c);
	for (i = cluster_num_hash(number, c->nums_cap);;
	    i = (i + 1) & (c->nums_cap - 1)) {
		if (c->nums[i].number == 0) {
			c->nums[i].number = number;
			c->nums[i].slot = slot;
			c->nums_used++;
			return;
		}
		if (c->nums[i].number == number) {
			c->nums[i].slot = slot;
			return;
		}
	}
}

static struct cluster_numslot *
cluster_num_find(const struct cluster *c, uint32_t number)
{
	size_t	 i;

	for (i = cluster_num_hash(number, c->nums_cap);;
	    i = (i + 1) & (c->nums_cap - 1)) {
		if (c->nums[i].number == 0)
			return NULL;
		if (c->nums[i].number == number)
			return &c->nums[i];
	}
}

static void
cluster_num_del(struct cluster *c, uint32_t number)
{
	struct cluster_numslot	*e;
	size_t			 i, j, k, mask = c->nums_cap - 1;

	if ((e = cluster_num_find(c, number)) == NULL)
		return;
	i = (size_t)(e - c->nums);
	c->nums[i].number = 0;
	c->nums_used--;
	/* Shift back the entries whose probe chain passed through i. */
	for (j = (i + 1) & mask; c->nums[j].number != 0; j = (j + 1) & mask) {
		k = cluster_num_hash(c->nums[j].number, c->nums_cap);
		if ((j > i && (k <= i || k > j)) || (j < i && (k <= i && k > j))) {
			c->nums[i] = c->nums[j];
			c->nums[j].number = 0;
			i = j;
		}
	}
}

/* ---- document frequencies ---------------------------------------------- */

static void
cluster_df_age(struct cluster *c)
{
	uint32_t	 i;

	for (i = 0; i < CLUSTER_DF_SLOTS; i++)
		c->df[i] = (uint16_t)((c->df[i] + 1) / 2);
	c->ndocs /= 2;
}

/*
 * Inverse document frequency, ln((N + 1) / df), smoothed; df counts the
 * item itself. Most features are rare, so ln(df) mostly comes from a small
 * table and an item pays for one logf (of N + 1), not one a feature.
 */
static float
cluster_idf_ln(const struct cluster *c, float ln_docs, uint64_t hash)
{
	unsigned int	 df = c->df[hash & (CLUSTER_DF_SLOTS - 1)];

	if (df == 0)
		df = 1;
	return ln_docs - (df < CLUSTER_LN_TABLE ? c->ln[df] : logf((float)df));
}

/*
 * A centroid feature's weight: summed term weight times IDF. (Square
 * root and logarithm damping of the sum, and squared IDF, were measured
 * and score lower on both development sets.)
 */
static float
cluster_cweight(float tf, float idf)
{
	return tf * idf;
}

/* ---- the inverted index ------------------------------------------------ */

#define CLUSTER_REF(slot, gen)	((uint32_t)(slot) << 8 | (uint32_t)(gen))
#define CLUSTER_REF_SLOT(ref)	((ref) >> 8)

static int
cluster_ref_live(const struct cluster *c, uint32_t ref)
{
	uint32_t	 slot = CLUSTER_REF_SLOT(ref);

	/* c->live is dense: checking a reference touches no story. */
	return slot < c->nslots && c->live[slot] == (ref & 0xff);
}

/* An index table of cap postings, aligned so none straddles two lines. */
static struct cluster_posting *
cluster_index_alloc(size_t cap)
{
	struct cluster_posting	*t;

	t = aligned_alloc(64, cap * sizeof *t);
	if (t == NULL) {
		/* As xmalloc does: running out of memory is fatal. */
		t = xcalloc(cap, sizeof *t);
		return t;
	}
	memset(t, 0, cap * sizeof *t);
	return t;
}

/*
 * The posting of key in a table of cap: its own, or the empty one where it
 * would go. A posting is half a cache line, key included, so a lookup
 * that hits its home slot costs one miss.
 */
static struct cluster_posting *
cluster_index_slot(struct cluster_posting *index, size_t cap, uint64_t key)
{
	size_t	 i;

	for (i = (size_t)(key >> 20) & (cap - 1);; i = (i + 1) & (cap - 1)) {
		if (index[i].key == 0 || index[i].key == key)
			return &index[i];
	}
}

/*
 * Drop a posting's stale entries, keeping the ring's order (oldest
 * first). A closed story's entries would otherwise be walked past on every
 * lookup until the table is rebuilt: on a long stream most entries of
 * common features are stale, and skipping them cost more than the live
 * ones.
 */
static void
cluster_posting_compact(const struct cluster *c, struct cluster_posting *p)
{
	uint32_t	 ref[CLUSTER_POSTING];
	unsigned int	 j, k, n = 0;

	for (j = 0; j < p->n; j++) {
		k = (p->n < CLUSTER_POSTING) ? j : (p->head + j) % CLUSTER_POSTING;
		if (cluster_ref_live(c, p->ref[k]))
			ref[n++] = p->ref[k];
	}
	memcpy(p->ref, ref, n * sizeof *ref);
	p->n = (uint8_t)n;
	p->head = (uint8_t)(n % CLUSTER_POSTING);
}

/* Rebuild the index without stale entries, larger if still busy. */
static void
cluster_index_rebuild(struct cluster *c)
{
	struct cluster_posting	*old = c->index, *p;
	size_t			 oldcap = c->index_cap, live = 0, i;

	for (i = 0; i < oldcap; i++) {
		p = &old[i];
		if (p->key == 0)
			continue;
		cluster_posting_compact(c, p);
		live += p->n > 0;
	}
	/* Leave the table at most half full: rebuilt again at 80%. */
	while (live * 2 > c->index_cap)
		c->index_cap *= 2;
	while (c->index_cap > 1024 && live * 8 < c->index_cap)
		c->index_cap /= 2;
	c->index = cluster_index_alloc(c->index_cap);
	c->index_used = 0;
	for (i = 0; i < oldcap; i++) {
		p = &old[i];
		if (p->key == 0 || p->n == 0)
			continue;
		/* Compacted: live entries only, oldest first from 0. */
		*cluster_index_slot(c->index, c->index_cap, p->key) = *p;
		c->index_used++;
	}
	free(old);
}

static void
cluster_index_add(struct cluster *c, uint64_t key, uint32_t slot)
{
	struct cluster_posting	*p;
	uint32_t		 ref = CLUSTER_REF(slot, c->stories[slot].gen);
	unsigned int		 j;

	if (key == 0)
		key = 1;
	if ((c->index_used + 1) * 10 > c->index_cap * 8)
		cluster_index_rebuild(c);
	p = cluster_index_slot(c->index, c->index_cap, key);
	if (p->key == 0) {
		p->key = key;
		c->index_used++;
	}
	for (j = 0; j < p->n; j++) {
		if (p->ref[j] == ref)
			return;
	}
	if (p->n < CLUSTER_POSTING) {
		p->ref[p->n++] = ref;
		p->head = p->n % CLUSTER_POSTING;
		return;
	}
	p->ref[p->head] = ref;
	p->head = (uint8_t)((p->head + 1) % CLUSTER_POSTING);
}

static struct cluster_posting *
cluster_index_find(struct cluster *c, uint64_t key)
{
	struct cluster_posting	*p;

	if (key == 0)
		key = 1;
	p = cluster_index_slot(c->index, c->index_cap, key);
	return p->key == 0 ? NULL : p;
}

/* ---- stories ----------------------------------------------------------- */

static uint32_t
cluster_story_new(struct cluster *c, uint32_t number)
{
	struct cluster_story	*s;
	uint32_t		 slot, n;
	uint8_t			 gen;

	if (c->free_slot != UINT32_MAX) {
		slot = c->free_slot;
		c->free_slot = c->stories[slot].next_free;
	} else {
		if ((c->nslots & (c->nslots - 1)) == 0) {
			n = c->nslots == 0 ? 16 : c->nslots * 2;
			c->stories = xreallocarray(c->stories, n,
			    sizeof *c->stories);
			c->live = xrealloc(c->live, n);
			c->mark = xreallocarray(c->mark, n, sizeof *c->mark);
			memset(c->stories + c->nslots, 0,
			    (n - c->nslots) * sizeof *c->stories);
			memset(c->live + c->nslots, 0, n - c->nslots);
			memset(c->mark + c->nslots, 0,
			    (n - c->nslots) * sizeof *c->mark);
		}
		slot = c->nslots++;
	}
	s = &c->stories[slot];
	gen = s->gen;
	memset(s, 0, sizeof *s);
	/* Never 0: c->live uses 0 for a free slot. */
	s->gen = (uint8_t)(gen == 255 ? 1 : gen + 1);
	c->live[slot] = s->gen;
	s->number = number;
	cluster_num_put(c, number, slot);
	c->open_stories++;
	return slot;
}

static void
cluster_story_close(struct cluster *c, uint32_t slot, int tell)
{
	struct cluster_story	*s = &c->stories[slot];
	uint32_t		 number = s->number;

	c->feat_bytes -= s->capfeat * sizeof *s->feat +
	    s->mapcap * sizeof *s->map;
	c->open_items -= s->nitems;
	c->open_stories--;
	free(s->feat);
	free(s->map);
	s->feat = NULL;
	s->map = NULL;
	s->number = 0;
	c->live[slot] = 0;
	s->next_free = c->free_slot;
	c->free_slot = slot;
	cluster_num_del(c, number);
	if (tell && c->hooks.closed != NULL)
		c->hooks.closed(c->hooks.arg, number);
}

void
cluster_expire(struct cluster *c, int64_t now)
{
	uint32_t	 i;

	for (i = 0; i < c->nslots; i++) {
		if (c->stories[i].number != 0 &&
		    c->stories[i].last < now - c->params.window)
			cluster_story_close(c, i, 1);
	}
}

/* ---- a story's centroid: features and a map from hash to feature ----- */

/*
 * A map slot holds the feature's index + 1 in its low 16 bits and the top
 * 16 bits of its hash above them, so that a probe for an absent feature
 * (the usual case) rarely touches the feature array.
 */
#define CLUSTER_MAP_ENTRY(hash, i) \
	((uint32_t)((hash) >> 48) << 16 | (uint32_t)((i) + 1))
#define CLUSTER_MAP_TAG(hash)	((uint32_t)((hash) >> 48))

static inline uint32_t
cluster_story_find(const struct cluster_story *s, uint64_t hash)
{
	size_t		 k, mask = s->mapcap - 1;
	uint32_t	 m, tag = CLUSTER_MAP_TAG(hash);

	if (s->mapcap == 0)
		return UINT32_MAX;
	for (k = (size_t)hash & mask; (m = s->map[k]) != 0; k = (k + 1) & mask) {
		if ((m >> 16) == tag && s->feat[(m & 0xffff) - 1].hash == hash)
			return (m & 0xffff) - 1u;
	}
	return UINT32_MAX;
}

static void
cluster_story_map_insert(struct cluster_story *s, uint32_t i)
{
	size_t	 k, mask = s->mapcap - 1;

	for (k = (size_t)s->feat[i].hash & mask; s->map[k] != 0;
	    k = (k + 1) & mask)
		;
	s->map[k] = CLUSTER_MAP_ENTRY(s->feat[i].hash, i);
}

static void
cluster_story_rehash(struct cluster_story *s)
{
	uint32_t	 i;

	memset(s->map, 0, s->mapcap * sizeof *s->map);
	for (i = 0; i < s->nfeat; i++)
		cluster_story_map_insert(s, i);
}

/*
 * Room for need features. Arrays grow by a quarter, not double: a story is
 * small and many are open, so slack is what memory per entry is made of.
 * The map stays at most half full: most lookups are for features the
 * story lacks, and a miss in linear probing costs 2.5 probes at half load
 * but 8.5 at three quarters.
 */
static void
cluster_story_reserve(struct cluster *c, struct cluster_story *s, size_t need)
{
	size_t	 k, mapcap;

	if (need <= s->capfeat)
		return;
	k = s->capfeat + s->capfeat / 4;
	if (k < need)
		k = need;
	k = (k + 7) & ~(size_t)7;
	for (mapcap = 16; mapcap < k * 2; mapcap *= 2)
		;
	c->feat_bytes -= s->capfeat * sizeof *s->feat +
	    s->mapcap * sizeof *s->map;
	s->feat = xreallocarray(s->feat, k, sizeof *s->feat);
	s->capfeat = (uint32_t)k;
	if (mapcap != s->mapcap) {
		s->mapcap = (uint32_t)mapcap;
		free(s->map);
		s->map = xcalloc(s->mapcap, sizeof *s->map);
		cluster_story_rehash(s);
	}
	c->feat_bytes += s->capfeat * sizeof *s->feat +
	    s->mapcap * sizeof *s->map;
}

/* Move the n strongest features (by w) to the front: quickselect. */
static void
cluster_select_top(struct cluster_cfeat *f, size_t len, size_t n)
{
	struct cluster_cfeat	 t;
	size_t			 lo = 0, hi = len - 1, i, j;
	float			 pivot;

	while (lo < hi) {
		pivot = f[lo + (hi - lo) / 2].w;
		i = lo;
		j = hi;
		while (i <= j) {
			while (f[i].w > pivot)
				i++;
			while (f[j].w < pivot)
				j--;
			if (i <= j) {
				t = f[i];
				f[i] = f[j];
				f[j] = t;
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (n <= j)
			hi = j;
		else if (n >= i)
			lo = i;
		else
			break;
	}
}

/*
 * Keep the strongest params.centroid_max features when there are more than
 * twice that many; with refresh, first recompute every weight with the
 * current IDFs (otherwise a weight is as of the last item that touched it:
 * IDFs drift slowly, and refreshing hundreds of them on every prune is
 * what the clusterer spent most time on).
 */
static void
cluster_story_reweigh(struct cluster *c, struct cluster_story *s, int refresh)
{
	uint32_t	 i, keep = (uint32_t)c->params.centroid_max;
	float		 ln_docs;

	if (refresh) {
		/* One logf for all, not one a feature (a merge refreshes
		   hundreds). */
		ln_docs = logf((float)c->ndocs + 1.0f);
		for (i = 0; i < s->nfeat; i++)
			s->feat[i].w = cluster_cweight(s->feat[i].tf,
			    cluster_idf_ln(c, ln_docs, s->feat[i].hash));
	}
	if (s->nfeat > 2 * keep) {
		cluster_select_top(s->feat, s->nfeat, keep);
		s->nfeat = keep;
		cluster_story_rehash(s);
	}
	s->norm2 = 0;
	for (i = 0; i < s->nfeat; i++)
		s->norm2 += (double)s->feat[i].w * s->feat[i].w;
}

/*
 * Fold the item into the story's centroid; index what is new. known, when
 * not NULL, says where each of the item's features is in the story, as
 * cluster_best() found while scoring it.
 */
static void
cluster_story_absorb(struct cluster *c, uint32_t slot, struct cluster_item *it,
    int64_t when, const unsigned char *query, const uint32_t *known)
{
	struct cluster_story	*s = &c->stories[slot];
	struct cluster_cfeat	*cf;
	uint32_t		 j, found[TOKENIZE_FEATURES_MAX];
	size_t			 i, nnew = 0;

	/* Find first, so that the arrays grow by what is really new. */
	for (i = 0; i < it->n; i++) {
		found[i] = known != NULL ? known[i] :
		    cluster_story_find(s, it->f[i].hash);
		nnew += found[i] == UINT32_MAX;
	}
	cluster_story_reserve(c, s, s->nfeat + nnew);
	for (i = 0; i < it->n; i++) {
		if ((j = found[i]) != UINT32_MAX) {
			cf = &s->feat[j];
			s->norm2 -= (double)cf->w * cf->w;
			cf->tf += it->f[i].weight;
			cf->w = cluster_cweight(cf->tf, it->idf[i]);
			s->norm2 += (double)cf->w * cf->w;
			continue;
		}
		cf = &s->feat[s->nfeat];
		cf->hash = it->f[i].hash;
		cf->tf = it->f[i].weight;
		cf->w = cluster_cweight(cf->tf, it->idf[i]);
		s->norm2 += (double)cf->w * cf->w;
		cluster_story_map_insert(s, s->nfeat++);
		if (query[i])
			cluster_index_add(c, cf->hash, slot);
	}
	if (s->nfeat > 2 * (uint32_t)c->params.centroid_max)
		cluster_story_reweigh(c, s, 0);
	if (s->norm2 < 0)
		s->norm2 = 0;
	s->nitems++;
	s->rechecks = 0;
	c->open_items++;
	if (when > s->last || s->nitems == 1)
		s->last = when;
}

/* ---- merging stories that converge -------------------------------------- */

/* Fold story from into story into; from's slot is freed. */
static void
cluster_story_merge(struct cluster *c, uint32_t into, uint32_t from)
{
	struct cluster_story	*a = &c->stories[into], *b = &c->stories[from];
	uint32_t		 i, j, nfrom = b->number, ninto = a->number;

	cluster_story_reserve(c, a, a->nfeat + b->nfeat);
	for (i = 0; i < b->nfeat; i++) {
		if ((j = cluster_story_find(a, b->feat[i].hash)) != UINT32_MAX)
			a->feat[j].tf += b->feat[i].tf;
		else {
			a->feat[a->nfeat] = b->feat[i];
			cluster_story_map_insert(a, a->nfeat++);
			cluster_index_add(c, b->feat[i].hash, into);
		}
	}
	cluster_story_reweigh(c, a, 1);
	if (b->last > a->last)
		a->last = b->last;
	a->nitems += b->nitems;
	/* b's items stay open, in a. */
	b->nitems = 0;
	c->merges++;
	cluster_story_close(c, from, 0);
	if (c->hooks.merged != NULL)
		c->hooks.merged(c->hooks.arg, nfrom, ninto);
}

/* ---- adding items ------------------------------------------------------ */

/* Tokenize, count document frequencies, weight; fills the item map. */
static void
cluster_item_build(struct cluster *c, struct cluster_item *it,
    const char *title, const char *excerpt)
{
	size_t		 i;
	uint16_t	*df;
	float		 ln_docs;

	it->n = tokenize_features(title, excerpt, &c->topts, it->f);
	if (c->ndocs >= CLUSTER_DF_AGE)
		cluster_df_age(c);
	c->ndocs++;
	it->norm2 = 0;
	for (i = 0; i < it->n; i++)
		CLUSTER_PREFETCH(&c->df[it->f[i].hash & (CLUSTER_DF_SLOTS - 1)]);
	for (i = 0; i < it->n; i++) {
		df = &c->df[it->f[i].hash & (CLUSTER_DF_SLOTS - 1)];
		if (*df < UINT16_MAX)
			(*df)++;
	}
	ln_docs = logf((float)c->ndocs + 1.0f);
	for (i = 0; i < it->n; i++) {
		it->idf[i] = cluster_idf_ln(c, ln_docs, it->f[i].hash);
		it->x[i] = it->f[i].weight * it->idf[i];
		it->norm2 += (double)it->x[i] * it->x[i];
	}
}

/* The n-th largest of the len values at v (0-based; v is reordered). */
static float
cluster_nth_largest(float *v, size_t len, size_t n)
{
	size_t	 lo = 0, hi = len - 1, i, j;
	float	 pivot, t;

	while (lo < hi) {
		pivot = v[lo + (hi - lo) / 2];
		i = lo;
		j = hi;
		while (i <= j) {
			while (v[i] > pivot)
				i++;
			while (v[j] < pivot)
				j--;
			if (i <= j) {
				t = v[i];
				v[i] = v[j];
				v[j] = t;
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (n <= j)
			hi = j;
		else if (n >= i)
			lo = i;
		else
			break;
	}
	return v[n];
}

/*
 * Mark the item's CLUSTER_QUERY strongest features: those it is looked up
 * and indexed by (rare words, which say what the story is about).
 */
static void
cluster_item_query(const struct cluster_item *it, unsigned char *query)
{
	float		 best[CLUSTER_QUERY], x;
	uint16_t	 idx[CLUSTER_QUERY];
	size_t		 i, k, nb = 0;

	if (it->n <= CLUSTER_QUERY) {
		memset(query, 1, it->n);
		return;
	}
	memset(query, 0, it->n);
	/*
	 * Insertion into a short sorted list: after the first few, most
	 * features fail the one comparison with its smallest. Among equal
	 * weights the earliest feature wins.
	 */
	for (i = 0; i < it->n; i++) {
		x = it->x[i];
		if (nb == CLUSTER_QUERY && x <= best[nb - 1])
			continue;
		k = nb < CLUSTER_QUERY ? nb++ : nb - 1;
		for (; k > 0 && best[k - 1] < x; k--) {
			best[k] = best[k - 1];
			idx[k] = idx[k - 1];
		}
		best[k] = x;
		idx[k] = (uint16_t)i;
	}
	for (k = 0; k < nb; k++)
		query[idx[k]] = 1;
}

/*
 * Exact cosine between the item and a story's centroid. With topp, also
 * the part of the dot product its strongest shared feature carries (1
 * when nothing is shared). found[i] is left with where the item's
 * feature i is in the story (UINT32_MAX: absent), for
 * cluster_story_absorb() to reuse if the item joins this story.
 */
static double
cluster_cosine(const struct cluster_item *it, const struct cluster_story *s,
    double *topp, uint32_t *found)
{
	double		 dot = 0, d, top = 0;
	size_t		 i;
	uint32_t	 j;

	if (topp != NULL)
		*topp = 1;
	for (i = 0; i < it->n; i++) {
		if ((found[i] = j = cluster_story_find(s, it->f[i].hash)) ==
		    UINT32_MAX)
			continue;
		d = (double)it->x[i] * s->feat[j].w;
		dot += d;
		if (d > top)
			top = d;
	}
	if (s->norm2 <= 0 || it->norm2 <= 0)
		return 0;
	if (topp != NULL && dot > 0)
		*topp = top / dot;
	return dot / sqrt(it->norm2 * s->norm2);
}

/*
 * The open story (other than skip) most similar to the item, or
 * UINT32_MAX; its similarity in *simp, with the size bonus as bonus says.
 * Unless found is NULL, found[i] says where the item's feature i is in
 * that story (cluster_cosine()).
 */
static uint32_t
cluster_best(struct cluster *c, const struct cluster_item *it, int64_t when,
    const unsigned char *query, uint32_t skip, enum cluster_bonus bonus,
    double *simp, uint32_t *found)
{
	uint32_t			 fbuf[2][TOKENIZE_FEATURES_MAX];
	unsigned int			 cur = 0;
	struct cluster_mark		*mark = c->mark, *m;
	uint32_t			 list[CLUSTER_CAND_MAX];
	float				 shared[CLUSTER_CAND_MAX];
	struct cluster_posting		*p;
	size_t				 i, k, n = 0, top;
	int				 stale;
	unsigned int			 j;
	uint32_t			 slot, best = UINT32_MAX, t, stamp, ref;
	const uint32_t			 nslots = c->nslots;
	const uint8_t			*live = c->live;
	double				 sim, best_sim = -1, lead, cut;
	float				 most = 0, w;

	/*
	 * The index is larger than the caches: ask for every posting first so
	 * that the misses overlap instead of queueing.
	 */
	for (i = 0; i < it->n; i++) {
		if (query[i])
			CLUSTER_PREFETCH(&c->index[(size_t)(it->f[i].hash >> 20) &
			    (c->index_cap - 1)]);
	}
	/* A new stamp per lookup spares clearing the marks. */
	if ((stamp = ++c->stamp) == 0) {
		if (nslots > 0)
			memset(mark, 0, nslots * sizeof *mark);
		stamp = c->stamp = 1;
	}
	for (i = 0; i < it->n; i++) {
		if (!query[i] || (p = cluster_index_find(c, it->f[i].hash)) ==
		    NULL)
			continue;
		for (j = 0, stale = 0; j < p->n; j++) {
			/*
			 * cluster_ref_live(), with nslots in a local: the
			 * candidate map's uint32_t stores below could alias
			 * c->nslots, which forced a reload per posting.
			 */
			ref = p->ref[j];
			slot = CLUSTER_REF_SLOT(ref);
			if (slot >= nslots || live[slot] != (ref & 0xff)) {
				stale = 1;
				continue;
			}
			if (slot == skip)
				continue;
			m = &mark[slot];
			if (m->stamp != stamp) {
				if (n == CLUSTER_CAND_MAX)
					continue;
				m->stamp = stamp;
				m->at = (uint32_t)n;
				list[n] = slot;
				shared[n++] = 0;
			}
			shared[m->at] += it->x[i];
			if (shared[m->at] > most)
				most = shared[m->at];
		}
		if (stale)
			cluster_posting_compact(c, p);
	}
	/*
	 * Score exactly the few candidates sharing the most weight; one that
	 * shares less than half of the best's rare words cannot win.
	 */
	/*
	 * Drop the hopeless first: the ranking below is quadratic.
	 */
	cut = most * CLUSTER_CAND_CUT;
	for (i = k = 0; i < n; i++) {
		if (shared[i] >= cut) {
			shared[k] = shared[i];
			list[k++] = list[i];
		}
	}
	n = k;
	top = n < CLUSTER_CANDIDATES ? n : CLUSTER_CANDIDATES;
	for (i = 0; i < top; i++) {
		for (k = i + 1; k < n; k++) {
			if (shared[k] > shared[i]) {
				w = shared[i];
				shared[i] = shared[k];
				shared[k] = w;
				t = list[i];
				list[i] = list[k];
				list[k] = t;
			}
		}
		slot = list[i];
		/* Idle past the window, not yet swept: closed all the same. */
		if (c->stories[slot].last < when - c->params.window)
			continue;
		sim = cluster_cosine(it, &c->stories[slot],
		    bonus == CLUSTER_BONUS_SPREAD ? &lead : NULL, fbuf[cur]);
		if (bonus != CLUSTER_BONUS_NONE && c->params.size_bonus > 0 &&
		    sim >= c->params.threshold * CLUSTER_BONUS_FLOOR &&
		    (bonus != CLUSTER_BONUS_SPREAD || lead < CLUSTER_MERGE_SPREAD))
			sim += c->params.size_bonus *
			    fmin(log2((double)c->stories[slot].nitems),
			    CLUSTER_BONUS_DOUBLINGS);
		if (sim > best_sim) {
			best_sim = sim;
			best = slot;
			cur ^= 1;	/* keep the best's found[] */
		}
	}
	*simp = best_sim;
	if (found != NULL && best != UINT32_MAX)
		memcpy(found, fbuf[cur ^ 1], it->n * sizeof *found);
	return best;
}

/* Merges are looked for as a story grows: at 2, 4, 8, ... and every 16. */
static int
cluster_merge_due(uint32_t n)
{
	return (n & (n - 1)) == 0 || n % 16 == 0;
}

/*
 * Look for an open story whose centroid has converged with this one's and
 * fold the younger into the older. The story is looked up like an item
 * made of its CLUSTER_MERGE_TOP strongest features, which carry nearly all
 * of its norm, so a check costs about what adding an item does. Returns
 * the slot the story lives in afterwards.
 */
static uint32_t
cluster_try_merge(struct cluster *c, uint32_t slot)
{
	struct cluster_story	*s = &c->stories[slot];
	struct cluster_item	 it;
	unsigned char		 query[TOKENIZE_FEATURES_MAX];
	float			 tmp[2 * CLUSTER_CENTROID_CAP + TOKENIZE_FEATURES_MAX];
	float			 cut = -1;
	uint32_t		 i, best;
	double			 sim;
	enum cluster_bonus	 bonus = CLUSTER_BONUS_NONE;

	if (s->nitems <= (uint32_t)c->params.fragment)
		bonus = CLUSTER_BONUS_SPREAD;
	if (s->nfeat > CLUSTER_MERGE_TOP) {
		for (i = 0; i < s->nfeat; i++)
			tmp[i] = s->feat[i].w;
		cut = cluster_nth_largest(tmp, s->nfeat, CLUSTER_MERGE_TOP - 1);
	}
	it.n = 0;
	it.norm2 = 0;
	for (i = 0; i < s->nfeat && it.n < CLUSTER_MERGE_TOP; i++) {
		if (s->feat[i].w < cut)
			continue;
		it.f[it.n].hash = s->feat[i].hash;
		it.f[it.n].weight = s->feat[i].tf;
		it.x[it.n] = s->feat[i].w;
		it.norm2 += (double)s->feat[i].w * s->feat[i].w;
		it.n++;
	}
	cluster_item_query(&it, query);
	best = cluster_best(c, &it, s->last, query, slot, bonus, &sim, NULL);
	if (best == UINT32_MAX || sim < c->params.merge)
		return slot;
	/* The older story lives on, so that story ids stay stable. */
	if (c->stories[best].number < s->number) {
		cluster_story_merge(c, best, slot);
		return best;
	}
	cluster_story_merge(c, slot, best);
	return slot;
}

/*
 * Check open fragments for a merge again: each one 1, 2, 4 and 8 times
 * params.recheck after it last grew (CLUSTER_RECHECKS). What a fragment
 * belongs to grows fastest early on; checking every fragment every period
 * would cost a lookup per fragment per period for its whole life. A merge
 * frees one of the two slots and fills none, so the walk over the slots
 * stays valid.
 */
static void
cluster_recheck(struct cluster *c)
{
	struct cluster_story	*s;
	uint32_t		 i;

	for (i = 0; i < c->nslots; i++) {
		s = &c->stories[i];
		if (s->number == 0 ||
		    s->nitems > (uint32_t)c->params.fragment ||
		    s->rechecks >= CLUSTER_RECHECKS ||
		    c->now - s->last < c->params.recheck << s->rechecks)
			continue;
		s->rechecks++;
		cluster_try_merge(c, i);
	}
}

static void
cluster_tick(struct cluster *c, int64_t when)
{
	if (when > c->now)
		c->now = when;
	if (c->now >= c->next_sweep) {
		if (c->next_sweep != INT64_MIN)
			cluster_expire(c, c->now);
		c->next_sweep = c->now + c->params.window / 8 + 1;
	}
	if (c->params.recheck > 0 && c->params.merge > 0 &&
	    c->now >= c->next_recheck) {
		if (c->next_recheck != INT64_MIN)
			cluster_recheck(c);
		c->next_recheck = c->now + c->params.recheck;
	}
}

uint32_t
cluster_add(struct cluster *c, int64_t when, const char *title,
    const char *excerpt, int *is_new)
{
	struct cluster_item	 it;
	unsigned char		 query[TOKENIZE_FEATURES_MAX];
	uint32_t		 slot, found[TOKENIZE_FEATURES_MAX];
	double			 sim;

	cluster_tick(c, when);
	c->items++;
	cluster_item_build(c, &it, title, excerpt);
	cluster_item_query(&it, query);
	slot = cluster_best(c, &it, when, query, UINT32_MAX, CLUSTER_BONUS_ITEM,
	    &sim, found);
	if (sim < c->params.threshold)
		slot = UINT32_MAX;
	*is_new = slot == UINT32_MAX;
	if (slot == UINT32_MAX) {
		/* A new story is found by all its query features. */
		slot = cluster_story_new(c, c->next_number++);
		cluster_story_absorb(c, slot, &it, when, query, NULL);
	} else
		cluster_story_absorb(c, slot, &it, when, query, found);
	if (c->params.merge > 0 && !*is_new &&
	    cluster_merge_due(c->stories[slot].nitems))
		slot = cluster_try_merge(c, slot);
	return c->stories[slot].number;
}

void
cluster_learn(struct cluster *c, const char *title, const char *excerpt)
{
	struct tokenize_feature	 f[TOKENIZE_FEATURES_MAX];
	uint16_t		*df;
	size_t			 i, n;

	n = tokenize_features(title, excerpt, &c->topts, f);
	if (c->ndocs >= CLUSTER_DF_AGE)
		cluster_df_age(c);
	c->ndocs++;
	for (i = 0; i < n; i++) {
		df = &c->df[f[i].hash & (CLUSTER_DF_SLOTS - 1)];
		if (*df < UINT16_MAX)
			(*df)++;
	}
}

void
cluster_restore(struct cluster *c, uint32_t number, int64_t when,
    const char *title, const char *excerpt)
{
	struct cluster_item	 it;
	unsigned char		 query[TOKENIZE_FEATURES_MAX];
	struct cluster_numslot	*e;
	uint32_t		 slot;

	if (number == 0)
		return;
	/*
	 * No sweep while restoring: a story's members arrive over time, and
	 * one whose early members are old would be closed before its newest
	 * (which keeps it open) had come back. The next cluster_add() sweeps.
	 */
	if (when > c->now)
		c->now = when;
	c->items++;
	cluster_item_build(c, &it, title, excerpt);
	cluster_item_query(&it, query);
	if ((e = cluster_num_find(c, number)) != NULL)
		slot = e->slot;
	else
		slot = cluster_story_new(c, number);
	if (number >= c->next_number)
		c->next_number = number + 1;
	cluster_story_absorb(c, slot, &it, when, query, NULL);
}

int
cluster_is_open(const struct cluster *c, uint32_t number)
{
	return number != 0 && cluster_num_find(c, number) != NULL;
}

void
cluster_get_stats(const struct cluster *c, struct cluster_stats *st)
{
	st->items = c->items;
	st->stories = c->next_number - 1;
	st->merges = c->merges;
	st->open_stories = c->open_stories;
	st->open_items = c->open_items;
	st->bytes = sizeof *c +
	    (size_t)CLUSTER_DF_SLOTS * sizeof *c->df +
	    (size_t)c->nslots * (sizeof *c->stories + 1 + sizeof *c->mark) +
	    c->feat_bytes +
	    c->index_cap * sizeof *c->index +
	    c->nums_cap * sizeof *c->nums;
}

/* Days from 1970-01-01 to a civil date (Howard Hinnant's algorithm). */
static int64_t
cluster_days(int64_t y, int m, int d)
{
	int64_t		 era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
cluster_digits(const char *s, int n)
{
	int	 v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int
cluster_parse_time(const char *s, size_t len, int64_t *out)
{
	static const int	 mdays[12] = {
		31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int			 y, mo, d, h, mi, se;

	if (len != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':' || s[19] != 'Z')
		return -1;
	if ((y = cluster_digits(s, 4)) < 0 ||
	    (mo = cluster_digits(s + 5, 2)) < 0 ||
	    (d = cluster_digits(s + 8, 2)) < 0 ||
	    (h = cluster_digits(s + 11, 2)) < 0 ||
	    (mi = cluster_digits(s + 14, 2)) < 0 ||
	    (se = cluster_digits(s + 17, 2)) < 0)
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 ||
	    mi > 59 || se > 60)
		return -1;
	if (mo == 2 && d == 29 &&
	    !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return -1;
	*out = cluster_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
	return 0;
}
