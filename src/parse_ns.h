/*
 * parse_ns.h: the element tables of the feed formats and namespaces.
 *
 * As in liferea, each format and each namespace is one file with one table
 * (parse_rss.c, parse_atom.c, parse_ns_dc.c, parse_ns_media.c, ...): a list
 * of the namespace URIs it answers to and, sorted by local name, what each
 * element means. parse.c looks an element up by namespace and then by
 * bsearch on the local name, and does what the row says. Adding a namespace
 * costs one file, one table and one line in parse.c's list.
 */
#ifndef FEEDFOLD_PARSE_NS_H
#define FEEDFOLD_PARSE_NS_H

#include <stddef.h>

#include "normalize.h"

/* What an element is; parse.c acts on it. */
enum parse_kind {
	PARSE_K_TEXT,		/* text into slot, read as text */
	PARSE_K_TEXT_ATOM,	/* Atom text construct (type, mode) into slot */
	PARSE_K_CONTENT_ATOM,	/* atom:content: text construct, src, base64 */
	PARSE_K_LINK_RSS,	/* RSS <link>: text; href if it has one */
	PARSE_K_LINK_ATOM,	/* atom:link: rel, href, type, length */
	PARSE_K_GUID,		/* RSS <guid isPermaLink> */
	PARSE_K_SOURCE_RSS,	/* RSS <source url>name</source> */
	PARSE_K_SOURCE_ATOM,	/* atom:source: a container */
	PARSE_K_AUTHOR_ATOM,	/* atom:author: a container */
	PARSE_K_CATEGORY,	/* RSS category (text); Atom term/label */
	PARSE_K_ENCLOSURE,	/* <enclosure url type length> */
	PARSE_K_MEDIA_CONTENT,	/* media:content url medium type width height */
	PARSE_K_MEDIA_THUMBNAIL, /* media:thumbnail url width height */
	PARSE_K_MEDIA_GROUP,	/* media:group: its children are the item's */
	PARSE_K_MEDIA_TEXT,	/* media:description/title type="html|plain" */
	PARSE_K_ITUNES_IMAGE,	/* itunes:image href */
	PARSE_K_VIDEO,		/* a video hint (yt:videoId) */
	PARSE_K_ROOT_RSS,	/* <rss version> */
	PARSE_K_ROOT_RDF,	/* rdf:RDF */
	PARSE_K_ROOT_CDF,	/* CDF <CHANNEL HREF BASE> */
	PARSE_K_FEED,		/* <channel>, atom:feed */
	PARSE_K_ITEM,		/* <item>, atom:entry */
	PARSE_K_SKIP,		/* a container whose children are not ours */
};

struct parse_elem {
	const char	*name;		/* local name */
	unsigned char	 kind;		/* enum parse_kind */
	unsigned char	 slot;		/* enum normalize_slot, for text kinds */
	unsigned char	 text;		/* enum normalize_text, for PARSE_K_TEXT */
	unsigned char	 feed;		/* also read at feed level */
};

struct parse_ns {
	const char		 *name;	/* for messages */
	const char *const	 *uris;	/* NULL-terminated */
	const struct parse_elem	 *elems; /* sorted by name (strcmp) */
	size_t			  nelems;
	int			  atom;	/* an Atom namespace */
};

#define PARSE_NS_ELEMS(t)	(t), (sizeof (t) / sizeof (t)[0])

/* The row for name in ns, or NULL. */
const struct parse_elem	*parse_ns_find(const struct parse_ns *,
			    const char *name);

#endif
