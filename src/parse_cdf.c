/*
 * parse_cdf.c: what the elements of CDF mean (parse_cdf.h). A document is
 * a <CHANNEL HREF BASE LASTMOD> holding <ITEM HREF LASTMOD> elements, each
 * with a <TITLE> and an <ABSTRACT>: upper-case names in no namespace, the
 * link and the date written as attributes (read by parse.c when the item
 * opens). Old, but still served by a few sites and read by feedparser.
 */
#include <stddef.h>

#include "parse_cdf.h"

/* Sorted by name with strcmp. */
static const struct parse_elem parse_cdf_elems[] = {
	{ "ABSTRACT",	PARSE_K_TEXT, NORMALIZE_DESCRIPTION, NORMALIZE_SNIFF,
	    0 },
	{ "CHANNEL",	PARSE_K_ROOT_CDF, 0, 0, 0 },
	{ "ITEM",	PARSE_K_ITEM, 0, 0, 0 },
	{ "TITLE",	PARSE_K_TEXT, NORMALIZE_TITLE, NORMALIZE_SNIFF, 1 },
};

/* No URI: the table is reached only as the no-namespace one. */
static const char *const parse_cdf_uris[] = {
	NULL
};

const struct parse_ns parse_cdf_ns = {
	"cdf", parse_cdf_uris, PARSE_NS_ELEMS(parse_cdf_elems), 0
};
