/*
 * parse_rss.c: what the elements of RSS and its 1.0 modules mean
 * (parse_rss.h). RSS 0.9x, 1.0 and 2.0 share their element names, so one
 * table serves them all; the version comes from the root element.
 */
#include <stdlib.h>
#include <string.h>

#include "parse_rss.h"

/* Sorted by name with strcmp: upper case sorts before lower case. */
static const struct parse_elem parse_rss_elems[] = {
	{ "author",	 PARSE_K_TEXT, NORMALIZE_AUTHOR, NORMALIZE_PLAIN, 0 },
	/*
	 * xhtml:body (below) written without its namespace: the same full
	 * text, from generators that pasted the element in bare.
	 */
	{ "body",	 PARSE_K_TEXT, NORMALIZE_CONTENT, NORMALIZE_HTML, 0 },
	{ "category",	 PARSE_K_CATEGORY, 0, 0, 0 },
	{ "channel",	 PARSE_K_FEED, 0, 0, 0 },
	{ "description", PARSE_K_TEXT, NORMALIZE_DESCRIPTION, NORMALIZE_HTML,
	    0 },
	{ "enclosure",	 PARSE_K_ENCLOSURE, 0, 0, 0 },
	/* Full text with no namespace, as some 2002-era tools sent it. */
	{ "fullitem",	 PARSE_K_TEXT, NORMALIZE_CONTENT, NORMALIZE_HTML, 0 },
	{ "guid",	 PARSE_K_GUID, NORMALIZE_GUID, NORMALIZE_PLAIN, 0 },
	{ "image",	 PARSE_K_SKIP, 0, 0, 0 },
	{ "item",	 PARSE_K_ITEM, 0, 0, 0 },
	{ "language",	 PARSE_K_TEXT, NORMALIZE_LANGUAGE, NORMALIZE_PLAIN, 1 },
	{ "link",	 PARSE_K_LINK_RSS, NORMALIZE_LINK, NORMALIZE_PLAIN, 1 },
	{ "pubDate",	 PARSE_K_TEXT, NORMALIZE_PUBLISHED, NORMALIZE_PLAIN, 0 },
	{ "rss",	 PARSE_K_ROOT_RSS, 0, 0, 0 },
	{ "source",	 PARSE_K_SOURCE_RSS, NORMALIZE_SOURCE_NAME,
	    NORMALIZE_PLAIN, 0 },
	/*
	 * Not RSS, but generators that also write Atom put it in items: it
	 * is the description's slot, so whichever of the two comes first
	 * is the summary.
	 */
	{ "summary",	 PARSE_K_TEXT, NORMALIZE_DESCRIPTION, NORMALIZE_HTML,
	    0 },
	{ "textInput",	 PARSE_K_SKIP, 0, 0, 0 },
	{ "textinput",	 PARSE_K_SKIP, 0, 0, 0 },
	{ "title",	 PARSE_K_TEXT, NORMALIZE_TITLE, NORMALIZE_SNIFF, 1 },
	{ "ttl",	 PARSE_K_TEXT, NORMALIZE_TTL, NORMALIZE_PLAIN, 1 },
};

static const char *const parse_rss_uris[] = {
	"",					/* RSS 0.91 to 2.0 */
	"http://purl.org/rss/1.0/",		/* RSS 1.0 */
	"http://backend.userland.com/rss2",	/* namespaced RSS 2.0 */
	"http://blogs.law.harvard.edu/tech/rss",
	"http://purl.org/net/rss1.1#",		/* RSS 1.1 */
	NULL
};

const struct parse_ns parse_rss_ns = {
	"rss", parse_rss_uris, PARSE_NS_ELEMS(parse_rss_elems), 0
};

static const char *const parse_rss_uris090[] = {
	"http://my.netscape.com/rdf/simple/0.9/",
	NULL
};

const struct parse_ns parse_rss_ns090 = {
	"rss090", parse_rss_uris090, PARSE_NS_ELEMS(parse_rss_elems), 0
};

static const struct parse_elem parse_rss_rdf_elems[] = {
	{ "RDF",	 PARSE_K_ROOT_RDF, 0, 0, 0 },
};

static const char *const parse_rss_rdf_uris[] = {
	"http://www.w3.org/1999/02/22-rdf-syntax-ns#",
	NULL
};

const struct parse_ns parse_rss_rdf_ns = {
	"rdf", parse_rss_rdf_uris, PARSE_NS_ELEMS(parse_rss_rdf_elems), 0
};

static const struct parse_elem parse_rss_content_elems[] = {
	{ "encoded",	 PARSE_K_TEXT, NORMALIZE_CONTENT, NORMALIZE_HTML, 0 },
};

static const char *const parse_rss_content_uris[] = {
	"http://purl.org/rss/1.0/modules/content/",
	"http://purl.org/rss/1.0/modules/content",
	NULL
};

const struct parse_ns parse_rss_content_ns = {
	"content", parse_rss_content_uris,
	PARSE_NS_ELEMS(parse_rss_content_elems), 0
};

static const struct parse_elem parse_rss_sy_elems[] = {
	{ "updateFrequency", PARSE_K_TEXT, NORMALIZE_SY_FREQUENCY,
	    NORMALIZE_PLAIN, 1 },
	{ "updatePeriod", PARSE_K_TEXT, NORMALIZE_SY_PERIOD,
	    NORMALIZE_PLAIN, 1 },
};

static const char *const parse_rss_sy_uris[] = {
	"http://purl.org/rss/1.0/modules/syndication/",
	"http://purl.org/rss/1.0/modules/syndication",
	NULL
};

const struct parse_ns parse_rss_sy_ns = {
	"sy", parse_rss_sy_uris, PARSE_NS_ELEMS(parse_rss_sy_elems), 0
};

/*
 * xhtml:body in an item: the full text as XHTML markup (the "body" module
 * of RSS 2.0's early days). Its children are kept as markup and read as
 * HTML, like unescaped markup in a description.
 */
static const struct parse_elem parse_rss_xhtml_elems[] = {
	{ "body",	 PARSE_K_TEXT, NORMALIZE_CONTENT, NORMALIZE_HTML, 0 },
};

static const char *const parse_rss_xhtml_uris[] = {
	"http://www.w3.org/1999/xhtml",
	NULL
};

const struct parse_ns parse_rss_xhtml_ns = {
	"xhtml", parse_rss_xhtml_uris, PARSE_NS_ELEMS(parse_rss_xhtml_elems), 0
};

/* FeedBurner keeps the publisher's own link in origLink. */
static const struct parse_elem parse_rss_feedburner_elems[] = {
	{ "origLink",	 PARSE_K_TEXT, NORMALIZE_LINK_ORIG, NORMALIZE_PLAIN,
	    0 },
};

static const char *const parse_rss_feedburner_uris[] = {
	"http://rssnamespace.org/feedburner/ext/1.0",
	NULL
};

const struct parse_ns parse_rss_feedburner_ns = {
	"feedburner", parse_rss_feedburner_uris,
	PARSE_NS_ELEMS(parse_rss_feedburner_elems), 0
};
