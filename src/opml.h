/*
 * opml.h: reading OPML subscription lists.
 *
 * An OPML file is a tree of <outline> elements; those with an xmlUrl
 * attribute are feeds, the others are folders whose titles group them.
 * opml_read_file() flattens the tree into a list of feeds in document
 * order, each with the titles of the folders above it. It is used for the
 * `opml:` entries of the configuration and by `feedfold import-opml`.
 */
#ifndef FEEDFOLD_OPML_H
#define FEEDFOLD_OPML_H

#include <stddef.h>

struct errbuf;

/* Files larger than this are refused before they are read. */
#define OPML_MAX_BYTES		(16 * 1024 * 1024)
/* At most this many feeds, and folders this deep. */
#define OPML_MAX_FEEDS		100000
#define OPML_MAX_DEPTH		32

struct opml_feed {
	char		*xml_url;	/* the xmlUrl attribute, trimmed */
	char		*title;		/* title, else text; or NULL */
	char		*html_url;	/* or NULL */
	char		*type;		/* the type attribute ("rss"), or NULL */
	char		**categories;	/* the category attribute, split on
					   ',' and last '/'-component kept */
	size_t		 ncategories;
	char		**folders;	/* titles of the enclosing outlines,
					   outermost first */
	size_t		 nfolders;
	int		 line;		/* of the <outline> element */
};

struct opml {
	char		*title;		/* head/title, or NULL */
	struct opml_feed *feeds;
	size_t		 nfeeds;
};

/*
 * Read an OPML document from a file or from memory (name is used in
 * messages). On success *out is set and owned by the caller (opml_free).
 * On failure a negative value is returned, *out is NULL and err (may be
 * NULL) says why: unreadable file, too large, not XML, not OPML, too many
 * feeds or too deep. No network access and no DTD or entity loading.
 */
int		 opml_read_file(const char *path, struct opml **out,
		    struct errbuf *err);
int		 opml_read_memory(const char *data, size_t len,
		    const char *name, struct opml **out, struct errbuf *err);
void		 opml_free(struct opml *);

#endif
