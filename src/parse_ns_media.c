/*
 * parse_ns_media.c: Media RSS (parse_ns_media.h). media:content and
 * media:thumbnail give images (and video or audio types), media:group only
 * wraps them, media:title and media:description stand in for a missing
 * title or description (YouTube's feeds have nothing else).
 */
#include <stdlib.h>

#include "parse_ns_media.h"

/* Sorted by name with strcmp. */
static const struct parse_elem parse_ns_media_elems[] = {
	{ "content",	 PARSE_K_MEDIA_CONTENT, 0, 0, 0 },
	{ "description", PARSE_K_MEDIA_TEXT, NORMALIZE_SUMMARY_MEDIA, 0, 0 },
	{ "group",	 PARSE_K_MEDIA_GROUP, 0, 0, 0 },
	{ "thumbnail",	 PARSE_K_MEDIA_THUMBNAIL, 0, 0, 0 },
	{ "title",	 PARSE_K_MEDIA_TEXT, NORMALIZE_TITLE_MEDIA, 0, 0 },
};

/* The spec's URI, and the variants feeds really declare. */
static const char *const parse_ns_media_uris[] = {
	"http://search.yahoo.com/mrss/",
	"http://search.yahoo.com/mrss",
	"https://search.yahoo.com/mrss/",
	"http://video.search.yahoo.com/mrss",
	"http://video.search.yahoo.com/mrss/",
	"http://tools.search.yahoo.com/mrss/",
	NULL
};

const struct parse_ns parse_ns_media = {
	"media", parse_ns_media_uris, PARSE_NS_ELEMS(parse_ns_media_elems), 0
};

static const struct parse_elem parse_ns_yt_elems[] = {
	{ "videoId",	 PARSE_K_VIDEO, 0, 0, 0 },
};

static const char *const parse_ns_yt_uris[] = {
	"http://www.youtube.com/xml/schemas/2015",
	NULL
};

const struct parse_ns parse_ns_yt = {
	"yt", parse_ns_yt_uris, PARSE_NS_ELEMS(parse_ns_yt_elems), 0
};
