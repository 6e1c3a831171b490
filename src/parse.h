/*
 * parse.h: feed bytes in, normalized entries out.
 *
 * A push parser: the fetcher hands over the body as it arrives
 * (parser_feed) and every complete item is normalized and delivered to a
 * callback at once, so that memory stays bounded by the largest item, not
 * the document. RSS 0.90 to 2.0 and Atom 0.3 and 1.0 are recognised by
 * their root element; the encoding is chosen as RFC 7303 says (BOM, then
 * the HTTP charset, then the XML declaration). libxml2 is used only inside
 * the parse_*.c files.
 */
#ifndef FEEDFOLD_PARSE_H
#define FEEDFOLD_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "errbuf.h"
#include "record.h"

/* Cap on one element's text (title, description, content, ...). */
#define PARSE_FIELD_MAX		(1024 * 1024)

enum parse_format {
	PARSE_FORMAT_UNKNOWN,		/* not a feed (yet) */
	PARSE_FORMAT_RSS090,
	PARSE_FORMAT_RSS091,
	PARSE_FORMAT_RSS092,
	PARSE_FORMAT_RSS093,
	PARSE_FORMAT_RSS094,
	PARSE_FORMAT_RSS10,
	PARSE_FORMAT_RSS20,
	PARSE_FORMAT_RSS,		/* <rss> without a version we know */
	PARSE_FORMAT_ATOM03,
	PARSE_FORMAT_ATOM10,
	PARSE_FORMAT_CDF,		/* Microsoft's CDF (1997) */
};

struct parse_opts {
	const char	*url;		/* feed URL: link base, provider fallback */
	const char	*charset;	/* HTTP charset, or NULL */
	const struct config_feed *feed;	/* or NULL */
	size_t		 excerpt_length; /* characters; 0: the default (300) */
	int64_t		 fetched;	/* fetch time, Unix seconds */
};

/* What the feed says about itself, for the caller and the scheduler. */
struct parse_feed_info {
	enum parse_format format;
	char		*title;		/* plain text, or NULL */
	char		*link;		/* absolute, or NULL */
	char		*language;	/* or NULL */
	int		 ttl;		/* minutes; -1 if absent */
	char		*update_period;	/* sy:updatePeriod, or NULL */
	int		 update_frequency; /* sy:updateFrequency; -1 if absent */
	int64_t		 update_interval; /* seconds from sy:*; -1 if absent */
	size_t		 nentries;	/* entries delivered */
	int		 wellformed;	/* no XML error had to be recovered */
	int		 stopped;	/* ended early: undecodable bytes */
	char		*encoding;	/* the encoding used, or NULL for UTF-8 */
};

/*
 * Called once per complete item that has a title, an excerpt or a link, in
 * document order; the callback owns the entry.
 */
typedef void parse_entry_cb(struct entry *, void *arg);

struct parser;

/*
 * A parser for one document. The options are copied; cb gets every entry.
 * Never NULL.
 */
struct parser	*parser_new(const struct parse_opts *, parse_entry_cb *cb,
		    void *arg);
/*
 * Push the next len bytes of the document. Entries completed by these bytes
 * are delivered before it returns. Returns 0, or -1 once the parser has
 * stopped for good (a fatal error, e.g. an undecodable encoding); later
 * calls are then ignored. Entries already delivered stay valid.
 */
int		 parser_feed(struct parser *, const void *bytes, size_t len);
/*
 * End the document and fill info (may be NULL; free its strings with
 * parse_feed_info_clear). An item left open by a truncated document is
 * dropped. Returns 0 when the document was a feed, or -1 with a reason in
 * err (may be NULL) when it was not.
 */
int		 parser_finish(struct parser *, struct parse_feed_info *,
		    struct errbuf *);
void		 parser_free(struct parser *);

/* parser_new, one parser_feed, parser_finish and parser_free. */
int		 parse_buffer(const struct parse_opts *, const void *bytes,
		    size_t len, parse_entry_cb *cb, void *arg,
		    struct parse_feed_info *, struct errbuf *);

void		 parse_feed_info_clear(struct parse_feed_info *);
/* "rss20", "atom10", ...; "unknown" for PARSE_FORMAT_UNKNOWN. */
const char	*parse_format_name(enum parse_format);

#endif
