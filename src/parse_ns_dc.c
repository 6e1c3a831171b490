/*
 * parse_ns_dc.c: Dublin Core (parse_ns_dc.h). dc:title and dc:description
 * stand in for a missing title or description, dc:date for a missing
 * pubDate, dc:creator is the author and dc:subject a category.
 */
#include <stdlib.h>

#include "parse_ns_dc.h"

/* Sorted by name with strcmp. */
static const struct parse_elem parse_ns_dc_elems[] = {
	{ "creator",	 PARSE_K_TEXT, NORMALIZE_AUTHOR, NORMALIZE_PLAIN, 0 },
	{ "date",	 PARSE_K_TEXT, NORMALIZE_DATE_DC, NORMALIZE_PLAIN, 0 },
	{ "description", PARSE_K_TEXT, NORMALIZE_SUMMARY_DC, NORMALIZE_HTML,
	    0 },
	{ "language",	 PARSE_K_TEXT, NORMALIZE_LANGUAGE, NORMALIZE_PLAIN, 1 },
	{ "subject",	 PARSE_K_CATEGORY, 0, 0, 0 },
	{ "title",	 PARSE_K_TEXT, NORMALIZE_TITLE_DC, NORMALIZE_SNIFF, 1 },
};

static const char *const parse_ns_dc_uris[] = {
	"http://purl.org/dc/elements/1.1/",
	"http://purl.org/dc/elements/1.1",
	"http://purl.org/dc/elements/1.0/",
	NULL
};

const struct parse_ns parse_ns_dc = {
	"dc", parse_ns_dc_uris, PARSE_NS_ELEMS(parse_ns_dc_elems), 0
};

static const struct parse_elem parse_ns_dcterms_elems[] = {
	{ "abstract",	 PARSE_K_TEXT, NORMALIZE_SUMMARY_DC, NORMALIZE_HTML,
	    0 },
	{ "created",	 PARSE_K_TEXT, NORMALIZE_CREATED, NORMALIZE_PLAIN, 0 },
	{ "date",	 PARSE_K_TEXT, NORMALIZE_DATE_DC, NORMALIZE_PLAIN, 0 },
	{ "issued",	 PARSE_K_TEXT, NORMALIZE_PUBLISHED, NORMALIZE_PLAIN, 0 },
	{ "modified",	 PARSE_K_TEXT, NORMALIZE_UPDATED, NORMALIZE_PLAIN, 0 },
};

static const char *const parse_ns_dcterms_uris[] = {
	"http://purl.org/dc/terms/",
	"http://purl.org/dc/terms",
	NULL
};

const struct parse_ns parse_ns_dcterms = {
	"dcterms", parse_ns_dcterms_uris,
	PARSE_NS_ELEMS(parse_ns_dcterms_elems), 0
};
