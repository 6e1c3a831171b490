/*
 * normalize.h: a raw feed item to a record entry.
 *
 * The parser collects what an item says, element by element, into a
 * struct normalize_item without judging it: every source of a field keeps
 * its own slot (RSS <description>, dc:description, media:description, ...)
 * and the first occurrence of each wins. normalize_entry() then applies the
 * precedence rules of docs/parsing.md, converts text, resolves nothing (the
 * parser has made links absolute against xml:base and the feed URL already)
 * and scores the entry. Nothing here knows about XML.
 */
#ifndef FEEDFOLD_NORMALIZE_H
#define FEEDFOLD_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "record.h"

#define NORMALIZE_EXCERPT_DEFAULT	300	/* characters */
#define NORMALIZE_TITLE_MAX		1000	/* characters */
#define NORMALIZE_WEIGHT_DEFAULT	50	/* feed weight without config */
#define NORMALIZE_MAX_CATEGORIES	64
#define NORMALIZE_MAX_MEDIA		64

/* Where a value came from; one slot per source, in no particular order. */
enum normalize_slot {
	NORMALIZE_TITLE,		/* <title>, atom:title */
	NORMALIZE_TITLE_DC,		/* dc:title */
	NORMALIZE_TITLE_MEDIA,		/* media:title */
	NORMALIZE_DESCRIPTION,		/* <description>, atom:summary */
	NORMALIZE_SUMMARY_DC,		/* dc:description, dcterms:abstract */
	NORMALIZE_SUMMARY_MEDIA,	/* media:description */
	NORMALIZE_SUMMARY_ITUNES,	/* itunes:summary, itunes:subtitle */
	NORMALIZE_CONTENT,		/* content:encoded, atom:content */
	NORMALIZE_LINK_ORIG,		/* feedburner:origLink */
	NORMALIZE_LINK,			/* RSS <link> text */
	NORMALIZE_LINK_ALT,		/* atom:link rel="alternate" */
	NORMALIZE_GUID,			/* <guid>, atom:id */
	NORMALIZE_PUBLISHED,		/* pubDate, atom:published, issued */
	NORMALIZE_DATE_DC,		/* dc:date */
	NORMALIZE_CREATED,		/* dcterms:created, atom 0.3 created */
	NORMALIZE_UPDATED,		/* atom:updated, modified */
	NORMALIZE_AUTHOR,		/* author, dc:creator, atom author name */
	NORMALIZE_SOURCE_NAME,		/* <source>, atom:source/title */
	NORMALIZE_SOURCE_URL,		/* <source url>, atom:source/link */
	NORMALIZE_LANGUAGE,		/* feed: language, dc:language */
	NORMALIZE_TTL,			/* feed: <ttl> */
	NORMALIZE_SY_PERIOD,		/* feed: sy:updatePeriod */
	NORMALIZE_SY_FREQUENCY,		/* feed: sy:updateFrequency */
	NORMALIZE_NSLOTS
};

/* How a slot's text is to be read. */
enum normalize_text {
	NORMALIZE_PLAIN,		/* entities already decoded, no markup */
	NORMALIZE_HTML,			/* an HTML fragment */
	NORMALIZE_SNIFF,		/* RSS titles: HTML if it looks like it */
};

enum normalize_media_kind {
	NORMALIZE_MEDIA_CONTENT,	/* media:content */
	NORMALIZE_MEDIA_THUMBNAIL,	/* media:thumbnail */
	NORMALIZE_MEDIA_ENCLOSURE,	/* <enclosure>, atom:link rel=enclosure */
	NORMALIZE_MEDIA_ITUNES,		/* itunes:image */
};

struct normalize_media {
	char		*url;		/* absolute; "" when not an image */
	char		*type;		/* MIME type or NULL */
	char		*medium;	/* media:content medium or NULL */
	int		 width;		/* ENTRY_NO_SIZE if unknown */
	int		 height;
	enum normalize_media_kind kind;
};

struct normalize_item {
	int		 atom;		/* the document is Atom (link rules) */
	char		*slot[NORMALIZE_NSLOTS];	/* NULL: absent */
	size_t		 slot_len[NORMALIZE_NSLOTS];
	unsigned char	 slot_text[NORMALIZE_NSLOTS];	/* normalize_text */
	int		 guid_permalink; /* RSS isPermaLink (default true) */
	int		 video;		/* a video hint (yt:videoId) */
	char		**categories;
	size_t		 ncategories;
	struct normalize_media *media;
	size_t		 nmedia;
	/*
	 * Kept by normalize_item_reset for the next item (the members
	 * above are zeroed): one buffer a slot for normalize_item_copy, so
	 * that the elements of a feed's items, alike from one item to the
	 * next, are stored without an allocation and a free each.
	 */
	char		*keep[NORMALIZE_NSLOTS];
	size_t		 keep_size[NORMALIZE_NSLOTS];
};

/* What the normalizer needs to know about the feed an item came from. */
struct normalize_feed {
	const char	*url;		/* the feed's URL, or NULL */
	const char	*title;		/* plain text, or NULL */
	const char	*link;		/* the feed's web page, absolute, or NULL */
	const struct config_feed *config; /* or NULL */
	size_t		 excerpt_length; /* characters; 0: the default */
	int64_t		 fetched;	/* Unix seconds */
};

/*
 * Store a slot value, taking ownership of value (len bytes, NUL-terminated).
 * A slot that is already set keeps its first value and value is freed.
 */
void	 normalize_item_set(struct normalize_item *, enum normalize_slot,
	    char *value, size_t len, enum normalize_text);
/*
 * Store a copy of s (len bytes and a NUL) in the slot, in the slot's own
 * buffer; a slot that is already set keeps its first value.
 */
void	 normalize_item_copy(struct normalize_item *, enum normalize_slot,
	    const char *s, size_t len, enum normalize_text);
/* Append a category (copied; blank ones and those past the cap dropped). */
void	 normalize_item_add_category(struct normalize_item *, const char *,
	    size_t);
/*
 * Append a media reference; url is copied, type and medium may be NULL.
 * Past NORMALIZE_MAX_MEDIA the reference is dropped.
 */
void	 normalize_item_add_media(struct normalize_item *,
	    enum normalize_media_kind, const char *url, const char *type,
	    const char *medium, int width, int height);
/*
 * Nonzero when a media reference is an image: media:thumbnail and
 * itunes:image always; media:content with medium="image", else a type
 * "image/..."; an enclosure with a type "image/..."; without type or
 * medium, a URL (may be NULL) whose file name ends like an image.
 */
int	 normalize_media_image(enum normalize_media_kind, const char *type,
	    const char *medium, const char *url);
/* Nonzero when only the URL can tell whether the reference is an image. */
int	 normalize_media_maybe_image(enum normalize_media_kind,
	    const char *type, const char *medium);
/*
 * Free what the item holds and zero it, ready for the next item, except
 * the slot buffers of normalize_item_copy, kept for it.
 */
void	 normalize_item_reset(struct normalize_item *);
/* Free everything the item holds, slot buffers too, and zero it. */
void	 normalize_item_clear(struct normalize_item *);

/*
 * The record entry for a raw item; owned by the caller (entry_free). Never
 * NULL: an item with nothing usable still gives an entry (with fewer keys).
 */
struct entry	*normalize_entry(const struct normalize_item *,
		    const struct normalize_feed *);

/* Slot text to plain text, cut at max_chars (0: no cut). Never NULL. */
char	*normalize_text(const char *s, size_t len, enum normalize_text,
	    size_t max_chars);
/*
 * s itself when it is NULL or valid UTF-8, else a copy repaired by
 * text_utf8_fix (s is freed). For what url.c returns: a percent-encoded
 * host comes back decoded, as any bytes a feed chose.
 */
char	*normalize_utf8(char *s);
/*
 * Nonzero when normalize_text(s, len, text, n) is sure to give non-empty
 * text for any n > 0, decided by a look at the first bytes; 0 when that
 * look cannot tell (the text may still be non-empty). The parser uses it
 * to skip reading an item's content when a summary already gives the
 * excerpt.
 */
int	 normalize_surely_text(const char *s, size_t len,
	    enum normalize_text text);
/*
 * Nonzero when s, which may be text or HTML (an RSS title), is HTML: an
 * end tag, a comment or a known reference, and only HTML elements.
 */
int	 normalize_looks_html(const char *s, size_t len);

/*
 * The quality score of an entry whose other fields are final, with weight
 * the feed weight (0..100, or CONFIG_UNSET for the default). The terms are
 * in docs/parsing.md.
 */
int	 normalize_quality(const struct entry *, int weight);

#endif
