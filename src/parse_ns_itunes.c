/*
 * parse_ns_itunes.c: the iTunes podcast namespace (parse_ns_itunes.h):
 * itunes:image is an episode image, itunes:summary a description,
 * itunes:author the author.
 */
#include <stdlib.h>

#include "parse_ns_itunes.h"

/* Sorted by name with strcmp. */
static const struct parse_elem parse_ns_itunes_elems[] = {
	{ "author",	 PARSE_K_TEXT, NORMALIZE_AUTHOR, NORMALIZE_PLAIN, 0 },
	{ "image",	 PARSE_K_ITUNES_IMAGE, 0, 0, 0 },
	{ "summary",	 PARSE_K_TEXT, NORMALIZE_SUMMARY_ITUNES,
	    NORMALIZE_SNIFF, 0 },
};

/* Apple's URI is a DTD address; feeds spell it several ways. */
static const char *const parse_ns_itunes_uris[] = {
	"http://www.itunes.com/dtds/podcast-1.0.dtd",
	"https://www.itunes.com/dtds/podcast-1.0.dtd",
	"http://www.itunes.com/DTDs/Podcast-1.0.dtd",
	"http://www.itunes.com/DTDs/PodCast-1.0.dtd",
	NULL
};

const struct parse_ns parse_ns_itunes = {
	"itunes", parse_ns_itunes_uris, PARSE_NS_ELEMS(parse_ns_itunes_elems),
	0
};
