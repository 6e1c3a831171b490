/*
 * cluster.h: the same-story clusterer.
 *
 * Items arrive one at a time, roughly in time order; each joins the open
 * story it is most similar to, or founds a new one. Similarity is the
 * cosine between the item's TF-IDF vector (hashed word features from
 * tokenize.c, title words weighted above excerpt words, document
 * frequencies learnt online from the stream) and the story's centroid,
 * plus a small bonus that grows with the story's size. Candidates come
 * only through an inverted index from feature hash to recent stories,
 * never from comparing all pairs. Stories whose centroids converge are
 * merged, and small stories (fragments) are looked at again periodically
 * for a bigger story that has since grown towards them. A story idle for longer than the window is closed: it leaves
 * memory and the index. docs/stories.md has the algorithm and the
 * measurements behind every default.
 *
 * The clusterer knows stories by number (1, 2, ...: never reused) and
 * nothing about entries, URLs or files: story.c and cmd_cluster.c map
 * numbers to story ids and members. cluster_params_default() is the one
 * place the defaults live; the daemon's config and `feedfold cluster`
 * both start from it.
 */
#ifndef FEEDFOLD_CLUSTER_H
#define FEEDFOLD_CLUSTER_H

#include <stddef.h>
#include <stdint.h>

struct cluster_params {
	double		 threshold;	/* similarity needed to join: a cosine,
					   0..1 (0.2 by default) */
	int64_t		 window;	/* seconds a story stays open after
					   its newest item */
	float		 title_weight;	/* a title word, in excerpt words */
	float		 pair_weight;	/* word pairs, relative to words; 0 off */
	int		 excerpt_words;	/* excerpt words read at most */
	int		 centroid_max;	/* features a centroid keeps */
	double		 size_bonus;	/* added to the similarity per doubling
					   of a story's size */
	double		 merge;		/* cosine at which two open stories'
					   centroids merge; 0 off */
	int		 fragment;	/* a story of at most this many items
					   merges with the other's size bonus,
					   as an item joins; 0 off */
	int64_t		 recheck;	/* a fragment is checked for a merge
					   again this long, and 2, 4, 8 times
					   this long, after it last grew; 0 off */
};

/* What the owner hears about. Either function may be NULL. */
struct cluster_hooks {
	/* Story left memory (idle past the window). */
	void		(*closed)(void *arg, uint32_t story);
	/* Story from was folded into story into (merge > 0 only). */
	void		(*merged)(void *arg, uint32_t from, uint32_t into);
	void		*arg;
};

struct cluster_stats {
	uint64_t	 items;		/* added so far */
	uint64_t	 stories;	/* founded so far */
	uint64_t	 merges;
	size_t		 open_stories;	/* in memory now */
	size_t		 open_items;	/* items of the stories in memory */
	size_t		 bytes;		/* memory held, all tables included */
};

/* The defaults of stories.threshold, stories.window and the rest. */
void		 cluster_params_default(struct cluster_params *);

/* A new clusterer; hooks may be NULL. Caller owns it (cluster_free). */
struct cluster	*cluster_new(const struct cluster_params *,
		    const struct cluster_hooks *);
void		 cluster_free(struct cluster *);

/*
 * Add an item published at when (Unix seconds); title and excerpt may be
 * NULL. Returns the number of the story it joined, and sets *is_new when
 * it founded that story. Stories idle past the window relative to the
 * newest time seen are closed first (hooks->closed).
 */
uint32_t	 cluster_add(struct cluster *, int64_t when, const char *title,
		    const char *excerpt, int *is_new);
/* Count an item's features in the document frequencies only. */
void		 cluster_learn(struct cluster *, const char *title,
		    const char *excerpt);
/*
 * Seed a story into a fresh clusterer (restart): as cluster_add, but the
 * item joins the given story number, creating it when unknown. Numbers
 * given here must be smaller than any the clusterer hands out afterwards,
 * which continue from the largest seen.
 */
void		 cluster_restore(struct cluster *, uint32_t story, int64_t when,
		    const char *title, const char *excerpt);
/* Close every story idle past the window at time now. */
void		 cluster_expire(struct cluster *, int64_t now);
/* Nonzero while story is open (in memory). */
int		 cluster_is_open(const struct cluster *, uint32_t story);
void		 cluster_get_stats(const struct cluster *, struct cluster_stats *);

/*
 * Parse "YYYY-MM-DDTHH:MM:SSZ" (exactly, len bytes) to Unix seconds.
 * Returns 0, or -1 when it is not that form or not a real date and time.
 */
int		 cluster_parse_time(const char *s, size_t len, int64_t *out);

#endif
