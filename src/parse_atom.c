/*
 * parse_atom.c: what the elements of Atom 1.0 and 0.3 mean, and how their
 * text constructs are read (parse_atom.h). Atom 0.3 names a few elements
 * differently (issued, modified, created) and says "mode" where 1.0 says
 * "type"; both share one table.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parse_atom.h"

/* Sorted by name with strcmp. */
static const struct parse_elem parse_atom_elems[] = {
	{ "author",	 PARSE_K_AUTHOR_ATOM, 0, 0, 0 },
	{ "category",	 PARSE_K_CATEGORY, 0, 0, 0 },
	{ "content",	 PARSE_K_CONTENT_ATOM, NORMALIZE_CONTENT, 0, 0 },
	{ "contributor", PARSE_K_SKIP, 0, 0, 0 },
	{ "created",	 PARSE_K_TEXT, NORMALIZE_CREATED, NORMALIZE_PLAIN, 0 },
	{ "entry",	 PARSE_K_ITEM, 0, 0, 0 },
	{ "feed",	 PARSE_K_FEED, 0, 0, 0 },
	{ "id",		 PARSE_K_TEXT, NORMALIZE_GUID, NORMALIZE_PLAIN, 0 },
	{ "issued",	 PARSE_K_TEXT, NORMALIZE_PUBLISHED, NORMALIZE_PLAIN, 0 },
	{ "link",	 PARSE_K_LINK_ATOM, 0, 0, 1 },
	{ "modified",	 PARSE_K_TEXT, NORMALIZE_UPDATED, NORMALIZE_PLAIN, 0 },
	{ "name",	 PARSE_K_TEXT, NORMALIZE_AUTHOR, NORMALIZE_PLAIN, 0 },
	{ "published",	 PARSE_K_TEXT, NORMALIZE_PUBLISHED, NORMALIZE_PLAIN,
	    0 },
	{ "source",	 PARSE_K_SOURCE_ATOM, 0, 0, 0 },
	{ "summary",	 PARSE_K_TEXT_ATOM, NORMALIZE_DESCRIPTION, 0, 0 },
	{ "title",	 PARSE_K_TEXT_ATOM, NORMALIZE_TITLE, 0, 1 },
	{ "updated",	 PARSE_K_TEXT, NORMALIZE_UPDATED, NORMALIZE_PLAIN, 0 },
};

static const char *const parse_atom_uris[] = {
	"http://www.w3.org/2005/Atom",
	"https://www.w3.org/2005/Atom",
	NULL
};

const struct parse_ns parse_atom_ns = {
	"atom", parse_atom_uris, PARSE_NS_ELEMS(parse_atom_elems), 1
};

static const char *const parse_atom_uris03[] = {
	"http://purl.org/atom/ns#",
	"http://purl.org/atom/ns#draft-ietf-atompub-format-08",
	NULL
};

const struct parse_ns parse_atom_ns03 = {
	"atom03", parse_atom_uris03, PARSE_NS_ELEMS(parse_atom_elems), 1
};

/* Nonzero for XML media types: "+xml" suffixes and "/xml". */
static int
parse_atom_is_xml(const char *type)
{
	size_t	 len = strlen(type);

	return (len >= 4 && strcasecmp(type + len - 4, "+xml") == 0) ||
	    (len >= 4 && strcasecmp(type + len - 4, "/xml") == 0);
}

void
parse_atom_text_type(const char *type, const char *mode, int atom03,
    struct parse_atom_text *t)
{
	memset(t, 0, sizeof *t);
	t->text = NORMALIZE_PLAIN;
	if (type == NULL || strcasecmp(type, "text") == 0 ||
	    strcasecmp(type, "text/plain") == 0)
		t->text = NORMALIZE_PLAIN;
	else if (strcasecmp(type, "html") == 0 ||
	    strcasecmp(type, "text/html") == 0)
		t->text = NORMALIZE_HTML;
	else if (strcasecmp(type, "xhtml") == 0 ||
	    strcasecmp(type, "application/xhtml+xml") == 0) {
		t->text = NORMALIZE_HTML;
		t->xhtml = 1;
	} else if (parse_atom_is_xml(type)) {
		/* Some XML: its text is what a reader could use. */
		t->text = NORMALIZE_HTML;
		t->xhtml = 1;
	} else if (strncasecmp(type, "text/", 5) == 0)
		t->text = NORMALIZE_PLAIN;
	else if (!atom03 && strcasecmp(type, "application/octet-stream")
	    == 0) {
		/*
		 * RFC 4287 4.1.3.3: any other type is base64 of a document
		 * of that type (titles and summaries that say so are read
		 * the same way). Bytes of no stated kind are what publishers
		 * send text as: decoded, they are kept when they are text,
		 * read as HTML if they look like it.
		 */
		t->text = NORMALIZE_SNIFF;
		t->base64 = 1;
		t->binary = 1;
	} else if (!atom03) {
		/* A PDF, an image...: a document, not text. */
		t->skip = 1;
	}

	if (atom03) {
		/*
		 * Atom 0.3's default type is text/plain, but its feeds leave
		 * the type out and escape HTML (mode="escaped", base64): read
		 * an untyped construct as RSS titles are, HTML if it looks
		 * like it.
		 */
		if (type == NULL)
			t->text = NORMALIZE_SNIFF;
		/* Atom 0.3: mode says how, "xml" by default. */
		if (mode != NULL && strcasecmp(mode, "base64") == 0) {
			t->base64 = 1;
			t->xhtml = 0;
		} else if (mode != NULL && strcasecmp(mode, "escaped") == 0)
			t->xhtml = 0;
		else if (t->text == NORMALIZE_HTML || type == NULL) {
			/* Inline XML: keep the markup. */
			t->xhtml = t->text == NORMALIZE_HTML;
		}
		if (t->base64 && type != NULL && strncasecmp(type, "text/", 5)
		    != 0 && strcasecmp(type, "application/xhtml+xml") != 0)
			t->skip = 1;
	}
}

int
parse_atom_rel_alternate(const char *rel)
{
	return rel == NULL || *rel == '\0' ||
	    strcasecmp(rel, "alternate") == 0 ||
	    strcmp(rel, "http://www.iana.org/assignments/relation/alternate")
	    == 0;
}

int
parse_atom_rel_enclosure(const char *rel)
{
	return rel != NULL && (strcasecmp(rel, "enclosure") == 0 ||
	    strcmp(rel, "http://www.iana.org/assignments/relation/enclosure")
	    == 0);
}
