/*
 * record.h: the entry and record structs every stage passes along.
 *
 * An entry is one item of one feed, already mapped to the record fields of
 * docs/record-format.md (the seed's layout). A record is one story: a
 * primary entry plus its related entries. The normalizer makes entries, the
 * clusterer groups them, the writer emits records and the reader reads them
 * back. Every char * is a NUL-terminated, valid UTF-8 string owned by its
 * struct; NULL means "unknown", and the writer leaves such a key out.
 */
#ifndef FEEDFOLD_RECORD_H
#define FEEDFOLD_RECORD_H

#include <stddef.h>
#include <stdint.h>

#define ENTRY_NO_DATE	INT64_MIN
#define ENTRY_NO_SIZE	0

struct entry_image {
	char		*url;
	int		 width;		/* pixels; ENTRY_NO_SIZE if unknown */
	int		 height;
	int		 cached;	/* isCached: stored in the image cache */
};

struct entry {
	char		*category;
	char		*title;
	char		*excerpt;
	int64_t		 published;	/* Unix seconds, UTC; or ENTRY_NO_DATE */
	char		*original_url;	/* originalUrl: absolute entry link */
	char		*web_url;	/* webUrl: canonical form */
	char		*amp_url;	/* ampWebUrl */
	char		*cdn_amp_url;	/* cdnAmpWebUrl */
	char		*type;		/* "article", "video" or "audio" */
	int		 quality;	/* 0..100 */
	char		*provider_name;
	char		*provider_domain;
	char		**topics;
	size_t		 ntopics;
	struct entry_image *images;
	size_t		 nimages;

	/* Provenance: not record fields, but sealed into `secured`. */
	char		*guid;		/* the feed's id for the entry */
	char		*feed_url;
	int64_t		 fetched;	/* Unix seconds */
	uint64_t	 content_hash;	/* XXH3 of title, excerpt and link */
};

struct record {
	struct entry	 *primary;	/* owned */
	struct entry	**related;	/* owned, in the order written */
	size_t		  nrelated;
	int		  heat;		/* -1: not computed */
	int		  published;	/* the consumer's flag */
	char		 *secured;	/* NULL: no `secured` key */
};

/* A zeroed entry with published = ENTRY_NO_DATE. Never NULL. */
struct entry	*entry_new(void);
/* A deep copy. */
struct entry	*entry_dup(const struct entry *);
void		 entry_free(struct entry *);
/* Append a copy of the topic unless an equal one (case-insensitive) is there. */
void		 entry_add_topic(struct entry *, const char *);
/* Append a copy of the image; sizes may be ENTRY_NO_SIZE. */
void		 entry_add_image(struct entry *, const char *url, int width,
		    int height);
/* Replace a string field: frees the old value, stores a copy (or NULL). */
void		 entry_set(char **field, const char *value);

/* An empty record (heat -1, published 0) that takes ownership of primary. */
struct record	*record_new(struct entry *primary);
/* Append a related entry; the record takes ownership. */
void		 record_add_related(struct record *, struct entry *);
void		 record_free(struct record *);

#endif
