/*
 * parse_atom.h: Atom 1.0 and Atom 0.3: the element table and the rules of
 * Atom's text constructs and links.
 */
#ifndef FEEDFOLD_PARSE_ATOM_H
#define FEEDFOLD_PARSE_ATOM_H

#include "parse_ns.h"

extern const struct parse_ns parse_atom_ns;	/* Atom 1.0 */
extern const struct parse_ns parse_atom_ns03;	/* Atom 0.3 */

/* How the text of a construct is captured and read. */
struct parse_atom_text {
	enum normalize_text text;	/* how to read the result */
	int		 xhtml;		/* children are markup to keep */
	int		 base64;	/* decode before reading */
	int		 binary;	/* decoded: kept only if it is text */
	int		 skip;		/* nothing readable (binary, src=) */
};

/*
 * The reading of an Atom text construct or atom:content from its type and
 * (Atom 0.3) mode attributes, either of which may be NULL. A MIME type
 * that is neither text nor XML is base64 of a document of that type (RFC
 * 4287 4.1.3.3), in atom:content and in a title or summary alike: a named
 * kind (application/pdf, image/png) gives no text; application/octet-stream
 * is decoded and kept only when what it holds is text.
 */
void	 parse_atom_text_type(const char *type, const char *mode,
	    int atom03, struct parse_atom_text *);

/* Nonzero when an atom:link's rel (NULL: absent) means "alternate". */
int	 parse_atom_rel_alternate(const char *rel);
/* Nonzero when rel is "enclosure". */
int	 parse_atom_rel_enclosure(const char *rel);

#endif
