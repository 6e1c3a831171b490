/*
 * page_meta.h: what an article page's <head> says about the article.
 *
 * Page enrichment fetches an entry's page and reads its head for what the
 * feed did not say: the AMP version (<link rel="amphtml">), the canonical
 * URL, the Open Graph image with its size, the site's name, a description
 * and the publication date. The head is read up to the page's </head> or
 * <body>, or up to a byte cap, and page_meta_parser_feed() says when it
 * has it, so that the download can stop there; it then goes through
 * libxml2's HTML parser in one piece. Nothing here touches the network.
 */
#ifndef FEEDFOLD_PAGE_META_H
#define FEEDFOLD_PAGE_META_H

#include <stddef.h>
#include <stdint.h>

/* The default byte cap: heads are rarely past 100 KB. */
#define PAGE_META_MAX_BYTES	(256 * 1024)
/* A description is cut (on a word boundary) to this many characters. */
#define PAGE_META_TEXT_MAX	1000

/*
 * Every string is valid UTF-8 owned by the struct, or NULL when the page
 * does not say. URLs are absolute http(s) URLs, resolved against the
 * page's URL and its <base href>; other schemes (javascript:, data:) are
 * dropped. Text is plain: entities decoded, white space collapsed.
 */
struct page_meta {
	char		*amp_url;	/* <link rel="amphtml" href> */
	char		*canonical_url;	/* <link rel="canonical" href> */
	char		*image_url;	/* the first og:image */
	int		 image_width;	/* its og:image:width; 0 if unknown */
	int		 image_height;	/* its og:image:height; 0 if unknown */
	char		*site_name;	/* og:site_name */
	char		*description;	/* og:description, else description */
	int64_t		 published;	/* article:published_time, Unix
					   seconds UTC; INT64_MIN if unknown */
};

struct page_meta_parser;

/*
 * A parser for the page at page_url (the URL it was fetched from, after
 * redirects; used to resolve relative URLs; may be NULL, which keeps only
 * absolute ones). charset is the Content-Type header's charset, or NULL.
 * The encoding is, as in browsers: the BOM's, else charset, else that of a
 * <meta charset> in the first kilobyte, else UTF-8 (invalid bytes read as
 * windows-1252). max_bytes caps the input (0: PAGE_META_MAX_BYTES). Never
 * NULL.
 */
struct page_meta_parser *page_meta_parser_new(const char *page_url,
	    const char *charset, size_t max_bytes);
/*
 * Take the next len bytes of the page. Returns 1 once the parser wants
 * no more (the head is over, or max_bytes were taken: the rest of buf is
 * then ignored, and so is any later call), else 0.
 */
int	 page_meta_parser_feed(struct page_meta_parser *, const void *buf,
	    size_t len);
/* How many bytes of the page are kept for the HTML parser (for tests). */
size_t	 page_meta_parser_fed(const struct page_meta_parser *);
/*
 * End parsing, free the parser and return what was found: a new struct
 * owned by the caller (page_meta_free), never NULL.
 */
struct page_meta *page_meta_parser_finish(struct page_meta_parser *);

/* All of the above for a page held in memory. */
struct page_meta *page_meta_parse(const char *page_url, const char *charset,
	    const void *buf, size_t len);

void	 page_meta_free(struct page_meta *);

#endif
